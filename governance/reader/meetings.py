"""Meetings for readers: a meeting's page, its notice and minutes as PDF, its .ics, the archive per group and year,
and the "Møter" section of the group page.

/moter/<pk>/                 the meeting: notice, agenda, and the minutes once published
/moter/<pk>/innkalling.pdf   the notice as A4 PDF
/moter/<pk>/referat.pdf      the minutes as A4 PDF (only when published)
/moter/<pk>/mote.ics         the meeting as one calendar event
/moter/gruppe/<group>/[<year>/]  the group's meetings in a year

Readers (every logged-in employee; the site's middleware requires the login) see meetings whose notice
has been sent in a published group (``Meeting.objects.for_readers()``), and minutes only once published.
Everything else answers 404, as if it did not exist.
"""

import datetime

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from faggruppe_pages.models import GroupPage, Person
from faggruppe_pages.models.people import person_page_index
from faggruppe_pages.prepared import prepared
from faggruppe_pages.reader.exports import PDF_TYPE, css_string, download, file_slug
from faggruppe_pages.reader.exports.pdf import render_pdf
from faggruppe_pages.routing import request_memo
from governance import compliance
from governance.models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingKind, MinutesStatus
from governance.reader import ical

#: Years an archive address may name; anything else is 404 (never a 500 from a date out of range).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def meeting_filename(meeting, stem, extension):
    """ "referat-teknisk-2026-12-12.pdf"."""
    group = file_slug(meeting.group.slug or meeting.group.title, "gruppe")
    return f"{stem}-{group}-{meeting.day.isoformat()}.{extension}"


def when_text(meeting):
    """ "tirsdag 12.12.2026 kl. 13.00–15.00" in the active language."""
    start = timezone.localtime(meeting.starts_at)
    values = {
        "weekday": formats.date_format(start, "l"),
        "date": start.strftime("%d.%m.%Y"),
        "start": start.strftime("%H.%M"),
    }
    if meeting.ends_at is None:
        return _("%(weekday)s %(date)s at %(start)s") % values
    end = timezone.localtime(meeting.ends_at)
    values["end"] = end.strftime("%H.%M")
    if end.date() == start.date():
        return _("%(weekday)s %(date)s at %(start)s–%(end)s") % values
    values |= {"end_weekday": formats.date_format(end, "l"), "end_date": end.strftime("%d.%m.%Y")}
    return _("%(weekday)s %(date)s at %(start)s to %(end_weekday)s %(end_date)s at %(end)s") % values


def kind_label(meeting):
    return {
        MeetingKind.ORDINARY: _("Meeting"),
        MeetingKind.EXTRAORDINARY: _("Extraordinary meeting"),
        MeetingKind.URGENT: _("Urgent matter handled by e-mail"),
    }.get(meeting.kind, meeting.get_kind_display())


def reader_meetings(with_group=True):
    """Meetings readers may see, with what every page of them shows (group, chair, minute-taker). Without the
    group (``with_group=False``) for a caller that has the group's page already: its row is wide."""
    return Meeting.objects.for_readers().select_related(*(["group"] if with_group else []), "chair", "minute_taker")


def agenda_prefetch():
    return Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("sort_order", "sequence", "pk"))


def with_agenda(queryset):
    return queryset.prefetch_related(agenda_prefetch())


def with_minutes(queryset):
    attendance = Attendance.objects.select_related("person", "on_behalf_of").order_by("sort_order", "pk")
    return with_agenda(queryset).prefetch_related(Prefetch("attendance", queryset=attendance))


def reader_meeting(pk):
    meeting = with_minutes(reader_meetings()).filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("There is no such meeting."))
    return meeting


def attendance_groups(meeting):
    """(present, apologies): substitutes are present, named "Navn (pva. Navn)"."""
    present, apologies = [], []
    for row in meeting.attendance.all():
        if row.status == AttendanceStatus.APOLOGIES:
            apologies.append(row.person.name)
        elif row.status == AttendanceStatus.SUBSTITUTE and row.on_behalf_of_id:
            present.append(
                _("%(name)s (on behalf of %(other)s)") % {"name": row.person.name, "other": row.on_behalf_of.name}
            )
        else:
            present.append(row.person.name)
    return present, apologies


def attendance_people(meeting):
    """The same as people, for a page that links each name: ([(person, on behalf of or None), …], [person, …])."""
    present, apologies = [], []
    for row in meeting.attendance.all():
        if row.status == AttendanceStatus.APOLOGIES:
            apologies.append(row.person)
        elif row.status == AttendanceStatus.SUBSTITUTE and row.on_behalf_of_id:
            present.append((row.person, row.on_behalf_of))
        else:
            present.append((row.person, None))
    return present, apologies


def meeting_urls(meeting):
    pk = meeting.pk
    return {
        "page": reverse("governance_meeting", args=[pk]),
        "notice_pdf": reverse("governance_meeting_notice_pdf", args=[pk]),
        "minutes_pdf": reverse("governance_meeting_minutes_pdf", args=[pk]) if meeting.minutes_published else "",
        "ics": reverse("governance_meeting_ics", args=[pk]),
        "archive": reverse("governance_meeting_archive_year", args=[meeting.group_id, meeting.day.year]),
    }


def meeting_context(meeting, request):
    present, apologies = attendance_groups(meeting)
    return {
        "meeting": meeting,
        "group": meeting.group,
        "group_url": meeting.group.get_url(request),
        "when": when_text(meeting),
        "kind_label": kind_label(meeting),
        "items": list(meeting.agenda_items.all()),
        "present": present,
        "apologies": apologies,
        "urls": meeting_urls(meeting),
    }


# -- views --------------------------------------------------------------------------------------------------


@require_safe
def meeting_detail(request, pk):
    meeting = reader_meeting(pk)
    context = meeting_context(meeting, request)
    context["present_people"], context["apology_people"] = attendance_people(meeting)
    # Every name links to the person's page (faggruppe_pages), decided for all of them at once.
    Person.mark_pages(
        [meeting.chair, meeting.minute_taker]
        + [p for pair in context["present_people"] for p in pair]
        + context["apology_people"],
        request=request,
    )
    return TemplateResponse(request, "governance/reader/meetings/meeting.html", context)


def meeting_pdf(request, meeting, minutes):
    context = meeting_context(meeting, request)
    title = (_("Minutes: %(group)s") if minutes else _("Notice: %(group)s")) % {"group": meeting.group.title}
    context |= {
        "title": title,
        "title_css": css_string(title),
        "header_date_css": css_string(meeting.day.strftime("%d.%m.%Y")),
        "minutes": minutes,
        "generated": timezone.localtime(),
    }
    content = render_pdf("governance/reader/meetings/meeting_pdf.html", context, request)
    return download(content, PDF_TYPE, meeting_filename(meeting, "referat" if minutes else "innkalling", "pdf"))


@require_safe
def notice_pdf(request, pk):
    return meeting_pdf(request, reader_meeting(pk), minutes=False)


@require_safe
def minutes_pdf(request, pk):
    meeting = reader_meeting(pk)
    if not meeting.minutes_published:
        raise Http404(_("The minutes of this meeting are not published."))
    return meeting_pdf(request, meeting, minutes=True)


@require_safe
def meeting_ics(request, pk):
    meeting = with_agenda(reader_meetings()).filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("There is no such meeting."))
    content = ical.calendar_bytes([meeting], request.build_absolute_uri("/"), ical.meeting_summary(meeting))
    return download(content, ical.CONTENT_TYPE, meeting_filename(meeting, "mote", "ics"))


def reader_group(pk):
    return get_object_or_404(GroupPage.objects.live(), pk=pk)


@require_safe
def archive(request, group, year=None):
    """The group's meetings in a year, newest first; the years with meetings to move between."""
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("There is no such year."))
    group = reader_group(group)
    meetings = Meeting.objects.for_readers().filter(group_id=group.pk)
    years = sorted({d.year for d in meetings.datetimes("starts_at", "year")}, reverse=True)
    today = timezone.localdate()
    if year is None:
        year = today.year if today.year in years or not years else years[0]
    rows = list(
        meetings.filter(starts_at__year=year)
        .annotate(agenda_count=Count("agenda_items"))
        .order_by("-starts_at")
        .select_related("group")
    )
    for meeting in rows:
        meeting.when = when_text(meeting)
        meeting.kind_text = kind_label(meeting)
        meeting.url = reverse("governance_meeting", args=[meeting.pk])
    context = {
        "group": group,
        "group_url": group.get_url(request),
        "year": year,
        "meetings": rows,
        "held_count": sum(1 for m in rows if m.is_held),
        "year_links": [
            {"year": y, "url": reverse("governance_meeting_archive_year", args=[group.pk, y]), "current": y == year}
            for y in years
        ],
        "today": today,
    }
    return TemplateResponse(request, "governance/reader/meetings/archive.html", context)


urlpatterns = [
    path("moter/<int:pk>/", meeting_detail, name="governance_meeting"),
    path("moter/<int:pk>/innkalling.pdf", notice_pdf, name="governance_meeting_notice_pdf"),
    path("moter/<int:pk>/referat.pdf", minutes_pdf, name="governance_meeting_minutes_pdf"),
    path("moter/<int:pk>/mote.ics", meeting_ics, name="governance_meeting_ics"),
    path("moter/gruppe/<int:group>/", archive, name="governance_meeting_archive"),
    path("moter/gruppe/<int:group>/<int:year>/", archive, name="governance_meeting_archive_year"),
]


# -- the group page's section ----------------------------------------------------------------------------------


@prepared
def _page_meeting_rows(group_id, since):
    """``page_meetings``' query, compiled once (faggruppe_pages/prepared.py). The group is the page itself:
    not joined again, set on each meeting instead."""
    meetings = reader_meetings(with_group=False).filter(group_id=group_id)
    latest = meetings.filter(minutes_status=MinutesStatus.PUBLISHED).order_by("-starts_at").values("pk")[:1]
    return meetings.filter(Q(starts_at__gte=since) | Q(pk__in=latest)).order_by("-starts_at")


@prepared
def _reader_meeting_ids(group_id):
    """Whether the group has any meeting readers may see (then its section links the archive): one id at most.
    Compiled once (faggruppe_pages/prepared.py); asked only of a group with no meeting ``page_meetings`` read."""
    return Meeting.objects.for_readers().filter(group_id=group_id).order_by().values("pk")[:1]


def page_meetings(page, day):
    """The group's meetings a reader may see that its page reads, newest first, in one query: those from
    the compliance window's start on (the past 12 months and every coming one) and the latest with published
    minutes, however old. Asked once per request for a routed page (the meetings section and the compliance
    check read them)."""
    memo = request_memo(page)
    key = ("governance_page_meetings", day)
    if memo is not None and key in memo:
        return memo[key]
    since, _until = compliance.meeting_window(day)
    rows = _page_meeting_rows(page.pk, since)
    for meeting in rows:
        meeting._state.fields_cache["group"] = page
    if memo is not None:
        memo[key] = rows
    return rows


def group_section(page, request, context):
    """The group page's meetings section: the next meeting, the latest published minutes, the archive."""
    today = context.get("today") or timezone.localdate()
    rows = page_meetings(page, today)
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    upcoming = min((m for m in rows if m.starts_at >= start_of_today), key=lambda m: m.starts_at, default=None)
    published = (m for m in rows if m.minutes_status == MinutesStatus.PUBLISHED)
    latest = max(published, key=lambda m: m.starts_at, default=None)
    if upcoming is None and latest is None and not rows and not _reader_meeting_ids(page.pk):
        return ""
    if upcoming is not None:
        prefetch_related_objects([upcoming], agenda_prefetch())
        upcoming.when = when_text(upcoming)
        upcoming.kind_text = kind_label(upcoming)
        upcoming.urls = meeting_urls(upcoming)
        upcoming.items = list(upcoming.agenda_items.all())
    if latest is not None:
        latest.when = when_text(latest)
        latest.urls = meeting_urls(latest)
    return render_to_string(
        "governance/reader/meetings/group_section.html",
        {
            "upcoming": upcoming,
            "latest": latest,
            "archive_url": reverse("governance_meeting_archive", args=[page.pk]),
            "my_groups_url": my_groups_url(request),
        },
        request=request,
    )


def my_groups_url(request=None):
    """ "Mine grupper" under the faggruppe overview, or "" if there is no overview page (the first published
    one, asked once per ``request``)."""
    index = person_page_index(request)
    if index is None or not index.url:
        return ""
    return index.url + index.reverse_subpage("my_groups")
