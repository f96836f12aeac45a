"""Meetings as iCalendar (RFC 5545), with the ``icalendar`` library: one VEVENT per meeting, a VCALENDAR per feed.

Times are written in Europe/Oslo with a TZID (and the VTIMEZONE it names), so a calendar client shows
13.00 whatever its own zone. A meeting without an end is given two hours. The agenda items must be
prefetched (``prefetch_related("agenda_items")``) to keep a feed's queries constant.
"""

import datetime
import zoneinfo
from urllib.parse import urlsplit

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import MeetingKind

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
DEFAULT_LENGTH = datetime.timedelta(hours=2)
PRODID = "-//ROR-IKT//Faggruppeportal//NO"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def meeting_summary(meeting):
    """ "Teknisk: møte" (ordinary), "Teknisk: ekstraordinært møte", "Teknisk: hastesak på e-post"."""
    group = meeting.group.title
    if meeting.kind == MeetingKind.EXTRAORDINARY:
        return _("%(group)s: extraordinary meeting") % {"group": group}
    if meeting.kind == MeetingKind.URGENT:
        return _("%(group)s: urgent matter by e-mail") % {"group": group}
    return _("%(group)s: meeting") % {"group": group}


def sorted_items(meeting):
    """The agenda in case-number order, from the prefetched items (no query of its own)."""
    return sorted(meeting.agenda_items.all(), key=lambda item: (item.sort_order or 0, item.sequence or 0, item.pk))


def meeting_event(meeting, base_url):
    """One VEVENT: UID meeting-<pk>@<host>, start and end in Europe/Oslo, the agenda as its description."""
    base_url = base_url.rstrip("/")
    host = urlsplit(base_url).hostname or "localhost"
    starts = meeting.starts_at.astimezone(OSLO)
    ends = (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(OSLO)
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", meeting_summary(meeting))
    location = meeting.place or meeting.video_link
    if location:
        event.add("location", location)
    event.add("url", base_url + reverse("governance_meeting", args=[meeting.pk]))
    lines = [f"{item.case_number} {item.title}".strip() for item in sorted_items(meeting)]
    if meeting.video_link and meeting.place:
        lines.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    return event


def calendar_bytes(meetings, base_url, name):
    """A VCALENDAR named ``name`` (X-WR-CALNAME) with one VEVENT per meeting, as bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, base_url))
    cal.add_missing_timezones()
    return cal.to_ical()
