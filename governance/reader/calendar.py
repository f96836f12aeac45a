"""Calendar subscriptions: a personal feed of the user's groups' meetings and a feed per group, behind a secret
per-user key in the address (a calendar client cannot log in), and the "Møter og kalender" section of "Mine grupper".

/kalender/<key>/mine.ics                 the meetings of every group the key's user sits in (today or later)
/kalender/<key>/gruppe/<group>.ics       one published group's meetings
/kalender/ny-adresse/                    POST: revoke the user's key and make a new one

The feeds are the only reader addresses without a login (``login_not_required``): the key is the credential.
An unknown or revoked key, or an inactive user, answers 404 (``CalendarToken.user_for_key``). Feeds hold
what a reader may see (``Meeting.objects.for_readers()``) from twelve months back and everything ahead.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from faggruppe_pages.models import GroupPage, Membership, Person
from governance.models import CalendarToken, Meeting
from governance.reader import ical
from governance.reader.meetings import kind_label, my_groups_url, when_text, with_agenda

#: How far back a feed reaches.
FEED_HISTORY = datetime.timedelta(days=365)
#: How many coming meetings "Mine grupper" lists.
COMING_COUNT = 5
MESSAGE_TAG = "governance-calendar"


def feed_meetings(group_ids):
    since = timezone.now() - FEED_HISTORY
    return with_agenda(
        Meeting.objects.for_readers()
        .filter(group_id__in=group_ids, starts_at__gte=since)
        .select_related("group")
        .order_by("starts_at")
    )


def current_group_ids(person, today=None):
    """Published groups in which ``person`` has a membership active today or starting later."""
    today = today or timezone.localdate()
    return list(
        Membership.objects.filter(person=person, group__live=True)
        .exclude(end_date__lt=today)
        .values_list("group_id", flat=True)
        .distinct()
    )


def feed_response(content):
    response = HttpResponse(content, content_type=ical.CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def user_for_key_or_404(key):
    user = CalendarToken.user_for_key(key)
    if user is None:
        raise Http404(_("There is no such calendar address."))
    return user


@login_not_required
@require_safe
def personal_feed(request, key):
    user = user_for_key_or_404(key)
    person = Person.objects.filter(user=user).first()
    group_ids = current_group_ids(person) if person is not None else []
    meetings = feed_meetings(group_ids) if group_ids else []
    name = _("My groups' meetings")
    return feed_response(ical.calendar_bytes(meetings, request.build_absolute_uri("/"), name))


@login_not_required
@require_safe
def group_feed(request, key, group):
    user_for_key_or_404(key)
    group = get_object_or_404(GroupPage.objects.live(), pk=group)
    name = _("Meetings: %(group)s") % {"group": group.title}
    return feed_response(ical.calendar_bytes(feed_meetings([group.pk]), request.build_absolute_uri("/"), name))


def renew(request):
    """POST: revoke the user's calendar address and make a new one; back to "Mine grupper" with a message.
    Any other method changes nothing and leads to "Mine grupper", where the button is."""
    if request.method != "POST":
        return HttpResponseRedirect((my_groups_url() or "/") + "#calendar-heading")
    CalendarToken.renew(request.user)
    messages.success(
        request,
        _("You have a new calendar address. The old address has stopped working: subscribe to the new one."),
        extra_tags=MESSAGE_TAG,
    )
    return HttpResponseRedirect((my_groups_url() or "/") + "#calendar-heading")


urlpatterns = [
    path("kalender/ny-adresse/", renew, name="governance_calendar_renew"),
    path("kalender/<str:key>/mine.ics", personal_feed, name="governance_calendar_personal"),
    path("kalender/<str:key>/gruppe/<int:group>.ics", group_feed, name="governance_calendar_group"),
]


# -- "Mine grupper" ---------------------------------------------------------------------------------------------


def own_messages(request):
    """This section's messages; any others are put back for whichever page shows them."""
    storage = messages.get_messages(request)
    ours, others = [], []
    for message in storage:
        (ours if MESSAGE_TAG in (message.extra_tags or "") else others).append(message)
    for message in others:
        storage.add(message.level, message.message, message.extra_tags)
    return ours


def my_groups_section(request, person, memberships):
    """ "Mine grupper": the user's coming meetings and their personal calendar address."""
    if person is None or not request.user.is_authenticated:
        return ""
    groups = {}
    for m in memberships:
        if m.group.live:
            groups.setdefault(m.group_id, m.group)
    if not groups:
        return ""
    now = timezone.now()
    coming = list(
        Meeting.objects.for_readers()
        .filter(group_id__in=list(groups), starts_at__gte=now)
        .select_related("group")
        .order_by("starts_at")[:COMING_COUNT]
    )
    for meeting in coming:
        meeting.when = when_text(meeting)
        meeting.kind_text = kind_label(meeting)
        meeting.url = reverse("governance_meeting", args=[meeting.pk])
    key = CalendarToken.for_user(request.user).key
    feeds = [
        {
            "group": group,
            "url": request.build_absolute_uri(reverse("governance_calendar_group", args=[key, group.pk])),
        }
        for group in sorted(groups.values(), key=lambda g: g.title)
    ]
    return render_to_string(
        "governance/reader/calendar/my_groups_section.html",
        {
            "coming": coming,
            "personal_url": request.build_absolute_uri(reverse("governance_calendar_personal", args=[key])),
            "feeds": feeds,
            "renew_url": reverse("governance_calendar_renew"),
            "notices": own_messages(request),
        },
        request=request,
    )
