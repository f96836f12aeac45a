"""The group's meeting e-mails: the notice, the minutes sent for approval and the published minutes.

Written in ``FAGGRUPPE_EMAIL_LANGUAGE`` (as the reminders are) and sent one message per recipient (no member
sees the others' addresses) to every member of the group active today who has an e-mail address. Links are
absolute, from ``WAGTAILADMIN_BASE_URL``: the meeting's page ``/moter/<pk>/``, its calendar file
``/moter/<pk>/mote.ics`` and the minutes' PDF ``/moter/<pk>/referat.pdf`` (all behind the login).
"""

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from faggruppe_pages import conf
from faggruppe_pages.models import Membership
from faggruppe_pages.upkeep.reminders import absolute

NOTICE, MINUTES_FOR_APPROVAL, MINUTES_PUBLISHED = "notice", "minutes_for_approval", "minutes_published"


def recipients(meeting, day=None):
    """[(name, e-mail)] of the group's members active on ``day`` (today) with an e-mail address, once each."""
    rows = (
        Membership.objects.active_on(day or timezone.localdate())
        .filter(group_id=meeting.group_id)
        .exclude(person__email="")
        .order_by("person__name")
        .values_list("person__name", "person__email")
    )
    seen, out = set(), []
    for name, email in rows:
        if email.lower() not in seen:
            seen.add(email.lower())
            out.append((name, email))
    return out


def meeting_links(meeting):
    base = f"/moter/{meeting.pk}/"
    return {"page": absolute(base), "ics": absolute(base + "mote.ics"), "pdf": absolute(base + "referat.pdf")}


def render(kind, meeting, language=None, **extra):
    """(subject, body) of one of the meeting's e-mails."""
    starts = timezone.localtime(meeting.starts_at)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "starts": starts,
        "ends": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "items": list(meeting.agenda_items.all()),
        "attendance": list(meeting.attendance.select_related("person", "on_behalf_of")),
        "links": meeting_links(meeting),
        **extra,
    }
    with translation.override(language or conf.email_language()):
        subject = render_to_string(f"governance/email/{kind}_subject.txt", context)
        body = render_to_string(f"governance/email/{kind}.txt", context)
    return " ".join(subject.split())[:255], body


def send(kind, meeting, **extra):
    """Send the e-mail to every recipient; returns how many were sent."""
    subject, body = render(kind, meeting, **extra)
    people = recipients(meeting)
    messages = [EmailMessage(subject, body, to=[email]) for _name, email in people]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
