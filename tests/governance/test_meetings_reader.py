"""Meetings for readers: the meeting page, its notice and minutes PDFs, its .ics, the archive per group and year,
and the "Møter" section of the group page. Real database, factories, assertions on the Norwegian a reader sees.

The helpers at the top (``make_meeting``, ``publish_minutes``) are shared by test_calendar.py and the browser test.
"""

import datetime
import io
import re
import zoneinfo
from types import SimpleNamespace

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from governance.models import AgendaItem, Attendance, AttendanceStatus, ItemKind, Meeting, MeetingKind, MinutesStatus
from governance.reader.ical import calendar_bytes
from governance.reader.meetings import file_slug, meeting_filename
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def at(day, hour=13, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def make_meeting(group, day, *, hour=13, hours=2, sent=True, kind=MeetingKind.ORDINARY, items=(), **fields):
    """A meeting of ``group`` on ``day`` (13.00–15.00 by default) with agenda items ``items`` (titles or dicts)."""
    starts = at(day, hour)
    meeting = Meeting.objects.create(
        group=group,
        kind=kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours) if hours else None,
        notice_sent_at=timezone.now() if sent else None,
        **fields,
    )
    for number, item in enumerate(items):
        values = {"title": item} if isinstance(item, str) else dict(item)
        AgendaItem.objects.create(meeting=meeting, sort_order=number, **values)
    return meeting


def publish_minutes(meeting, *, chair, minute_taker, present=(), apologies=(), substitutes=(), decisions=None):
    """Record attendance and decisions and publish the minutes (as staff's approval would)."""
    for person in present:
        Attendance.objects.create(meeting=meeting, person=person, status=AttendanceStatus.PRESENT)
    for person in apologies:
        Attendance.objects.create(meeting=meeting, person=person, status=AttendanceStatus.APOLOGIES)
    for person, other in substitutes:
        Attendance.objects.create(
            meeting=meeting, person=person, status=AttendanceStatus.SUBSTITUTE, on_behalf_of=other
        )
    for item, text in zip(meeting.agenda_items.order_by("sort_order"), decisions or (), strict=False):
        item.decision = text
        item.save()
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        chair=chair,
        minute_taker=minute_taker,
        minutes_status=MinutesStatus.PUBLISHED,
        minutes_sent_at=now,
        minutes_approved_at=now,
        minutes_published_at=now,
    )
    meeting.refresh_from_db()
    return meeting


# -- the world --------------------------------------------------------------------------------------------------
TODAY = timezone.localdate()
PAST = datetime.date(TODAY.year, 1, 12) if TODAY.month > 1 else TODAY - datetime.timedelta(days=20)
NEXT = TODAY + datetime.timedelta(days=14)


@pytest.fixture
def world(db):
    index = make_index()
    group = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    other = FaggruppePageFactory(parent=index, title="Lønn og personal", slug="lonn-og-personal")
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde")
    people = {
        name: PersonFactory(name=name, employer=molde)
        for name in ("Kari Leder", "Ola Referent", "Per Til Stede", "Siri Forfall", "Vara Vikarsen")
    }
    for person in people.values():
        MembershipFactory(person=person, group=group, represents=molde)
    reader = UserFactory(username="leser")
    return SimpleNamespace(index=index, group=group, other=other, people=people, reader=reader)


@pytest.fixture
def client_leser(client, world):
    client.force_login(world.reader)
    return client


def held_meeting(world):
    meeting = make_meeting(
        world.group,
        PAST,
        place="Molde rådhus, møterom 3",
        notice="Velkommen til møte i faggruppa.",
        items=[
            {"title": "Godkjenning av innkalling og saksliste", "presenter": "Kari Leder"},
            {"title": "Ny plattform for fagsystemer", "presenter": "Per Til Stede", "kind": ItemKind.DECISION},
            {"title": "Orientering om anskaffelser", "kind": ItemKind.INFORMATION},
        ],
    )
    return meeting


def published(world, meeting):
    p = world.people
    return publish_minutes(
        meeting,
        chair=p["Kari Leder"],
        minute_taker=p["Ola Referent"],
        present=[p["Kari Leder"], p["Ola Referent"], p["Per Til Stede"]],
        apologies=[p["Siri Forfall"]],
        substitutes=[(p["Vara Vikarsen"], p["Siri Forfall"])],
        decisions=["Innkalling og saksliste godkjent.", "Faggruppa anbefaler plattform B.", "Tatt til orientering."],
    )


def text(response):
    return response.content.decode()


def shown(body):
    """The body without its tags (names are links to the person pages)."""
    return re.sub(r"<[^>]+>", "", body)


# -- the meeting page ---------------------------------------------------------------------------------------------


def test_meeting_page_shows_the_agenda_with_case_numbers_and_hides_unpublished_minutes(client_leser, world):
    meeting = held_meeting(world)
    yy = f"{PAST.year % 100:02d}"
    response = client_leser.get(reverse("governance_meeting", args=[meeting.pk]))
    assert response.status_code == 200
    body = text(response)
    weekday = formats.date_format(PAST, "l")
    assert f"{weekday} {PAST:%d.%m.%Y} kl. 13.00–15.00" in body
    assert "Møte i Teknisk" in body and "Molde rådhus, møterom 3" in body
    assert "Velkommen til møte i faggruppa." in body
    for number, title in ((1, "Godkjenning av innkalling og saksliste"), (2, "Ny plattform for fagsystemer")):
        assert f"{number}/{yy}" in body and title in body
    assert "Vedtakssak" in body and "Orienteringssak" in body
    assert "Referatet er ikke godkjent ennå." in body
    assert "Faggruppa anbefaler plattform B." not in body
    assert reverse("governance_meeting_minutes_pdf", args=[meeting.pk]) not in body
    assert reverse("governance_meeting_notice_pdf", args=[meeting.pk]) in body
    assert reverse("governance_meeting_ics", args=[meeting.pk]) in body
    assert (
        world.group.url in body and reverse("governance_meeting_archive_year", args=[world.group.pk, PAST.year]) in body
    )


def test_minutes_sent_for_approval_say_when_comments_are_due(client_leser, world):
    meeting = held_meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_status=MinutesStatus.SENT, approval_deadline=datetime.date(2026, 12, 20)
    )
    body = text(client_leser.get(reverse("governance_meeting", args=[meeting.pk])))
    assert "Referatet er ikke godkjent ennå." in body and "merknader innen 20.12.2026" in body


def test_published_minutes_show_chair_attendance_pva_and_decisions(client_leser, world):
    meeting = published(world, held_meeting(world))
    body = text(client_leser.get(reverse("governance_meeting", args=[meeting.pk])))
    assert "Møteleder" in body and "Referent" in body and "Kari Leder" in body and "Ola Referent" in body
    assert "Til stede" in body and "Forfall" in body and "Siri Forfall" in body
    assert "Vara Vikarsen (pva. Siri Forfall)" in shown(body)  # each name a link to the person's page
    assert "Faggruppa anbefaler plattform B." in body and "Vedtak:" in body
    assert "Referatet er ikke godkjent ennå." not in body
    assert reverse("governance_meeting_minutes_pdf", args=[meeting.pk]) in body


@pytest.mark.parametrize("case", ["no-notice", "unpublished-group", "unknown"])
def test_meeting_page_is_404_where_readers_may_not_see_it(client_leser, world, case):
    if case == "no-notice":
        pk = make_meeting(world.group, NEXT, sent=False, items=["Hemmelig sak"]).pk
    elif case == "unpublished-group":
        pk = make_meeting(world.other, NEXT, items=["Sak"]).pk
        world.other.unpublish()
    else:
        pk = 999999
    for name in ("governance_meeting", "governance_meeting_notice_pdf", "governance_meeting_ics"):
        assert client_leser.get(reverse(name, args=[pk])).status_code == 404, name


def test_anonymous_is_sent_to_login(client, world):
    meeting = held_meeting(world)
    response = client.get(reverse("governance_meeting", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


def test_meeting_page_in_nynorsk(client_leser, world):
    meeting = published(world, held_meeting(world))
    client_leser.cookies["django_language"] = "nn"
    body = text(client_leser.get(reverse("governance_meeting", args=[meeting.pk])))
    assert '<html lang="nn">' in body
    assert "Møteleiar" in body and "Til stades" in body and "Vara Vikarsen (pva. Siri Forfall)" in shown(body)
    with translation.override("nn"):
        assert formats.date_format(datetime.date(2026, 11, 30), "l") == "måndag"
        assert f"{formats.date_format(PAST, 'l')} {PAST:%d.%m.%Y} kl. 13.00–15.00" in body


# -- PDFs -------------------------------------------------------------------------------------------------------


def pdf_text(response):
    from pypdf import PdfReader

    content = response.content
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_minutes_pdf_before_publishing_is_404_and_notice_pdf_works(client_leser, world):
    meeting = held_meeting(world)
    assert client_leser.get(reverse("governance_meeting_minutes_pdf", args=[meeting.pk])).status_code == 404
    response = client_leser.get(reverse("governance_meeting_notice_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="innkalling-teknisk-{PAST.isoformat()}.pdf"' in response["Content-Disposition"]
    content = pdf_text(response)
    assert "Innkalling: Teknisk" in content and "Ny plattform for fagsystemer" in content
    assert "Side 1 av 1" in content


def test_minutes_pdf_holds_attendance_pva_and_decisions(client_leser, world):
    meeting = published(world, held_meeting(world))
    response = client_leser.get(reverse("governance_meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert f'filename="referat-teknisk-{PAST.isoformat()}.pdf"' in response["Content-Disposition"]
    content = " ".join(pdf_text(response).split())
    for expected in (
        "Referat: Teknisk",
        "Møteleder",
        "Kari Leder",
        "Til stede",
        "Forfall",
        "Vara Vikarsen (pva. Siri Forfall)",
        "Faggruppa anbefaler plattform B.",
        "Side 1 av",
    ):
        assert expected in content, expected


def test_file_names_are_ascii_and_readable(world):
    meeting = make_meeting(world.other, PAST)
    assert meeting_filename(meeting, "referat", "pdf") == f"referat-lonn-og-personal-{PAST.isoformat()}.pdf"
    assert file_slug("Lønn og personal") == "lonn-og-personal"
    assert file_slug("Ærlig Ål") == "aerlig-al"


# -- the archive ------------------------------------------------------------------------------------------------


def test_archive_lists_the_year_newest_first_with_counts_and_year_navigation(client_leser, world):
    last_year = datetime.date(PAST.year - 1, 5, 4)
    make_meeting(world.group, last_year, items=["I fjor"])
    first = published(world, held_meeting(world))
    later = make_meeting(world.group, PAST + datetime.timedelta(days=2), kind=MeetingKind.EXTRAORDINARY, items=["A"])
    make_meeting(world.group, PAST + datetime.timedelta(days=3), kind=MeetingKind.URGENT, items=["Hast"])
    make_meeting(world.group, PAST + datetime.timedelta(days=4), sent=False, items=["Ikke sendt"])
    response = client_leser.get(reverse("governance_meeting_archive_year", args=[world.group.pk, PAST.year]))
    assert response.status_code == 200
    body = text(response)
    assert f"Møter i Teknisk i {PAST.year}" in body
    assert f"2 møter holdt i {PAST.year}." in body  # ordinary + extraordinary; not the e-mail round
    assert "ikke et møte" in body and "Ekstraordinært møte" in body
    assert body.index(reverse("governance_meeting", args=[later.pk])) < body.index(
        reverse("governance_meeting", args=[first.pk])
    )
    assert "Publisert" in body and "3" in body
    rows = response.context["meetings"]
    assert [m.agenda_count for m in rows] == [1, 1, 3]
    assert reverse("governance_meeting_archive_year", args=[world.group.pk, last_year.year]) in body
    assert 'aria-current="page"' in body
    previous = text(client_leser.get(reverse("governance_meeting_archive_year", args=[world.group.pk, last_year.year])))
    assert "I fjor" not in previous  # titles are on the meeting pages
    assert f"1 møte holdt i {last_year.year}." in previous


def test_archive_defaults_to_this_year_or_the_latest_year_with_meetings(client_leser, world):
    old = datetime.date(2019, 3, 3)
    make_meeting(world.group, old)
    response = client_leser.get(reverse("governance_meeting_archive", args=[world.group.pk]))
    assert response.status_code == 200 and response.context["year"] == 2019
    make_meeting(world.group, NEXT)
    assert client_leser.get(reverse("governance_meeting_archive", args=[world.group.pk])).context["year"] == NEXT.year


@pytest.mark.parametrize("year", [1899, 2101, 99999])
def test_archive_year_out_of_range_is_404(client_leser, world, year):
    assert client_leser.get(f"/moter/gruppe/{world.group.pk}/{year}/").status_code == 404


def test_archive_of_unpublished_or_unknown_group_is_404(client_leser, world):
    world.other.unpublish()
    assert client_leser.get(reverse("governance_meeting_archive", args=[world.other.pk])).status_code == 404
    assert client_leser.get(reverse("governance_meeting_archive", args=[999999])).status_code == 404
    assert client_leser.get(reverse("governance_meeting_archive", args=[world.index.pk])).status_code == 404


def test_archive_queries_are_constant_in_the_number_of_meetings(client_leser, world):
    url = reverse("governance_meeting_archive_year", args=[world.group.pk, PAST.year])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_leser.get(url).status_code == 200
        return len(queries)

    make_meeting(world.group, PAST, items=["A", "B"])
    few = count()
    for offset in range(1, 6):
        make_meeting(world.group, PAST + datetime.timedelta(days=offset), items=["A", "B", "C"])
    assert count() == few


# -- .ics -------------------------------------------------------------------------------------------------------


def test_meeting_ics_parses_with_uid_summary_and_start_in_oslo(client_leser, world):
    meeting = held_meeting(world)
    response = client_leser.get(reverse("governance_meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert str(event["SUMMARY"]) == "Teknisk: møte"
    start = event.decoded("DTSTART")
    assert start == at(PAST) and str(start.tzinfo) == "Europe/Oslo"
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert event.decoded("DTEND") == at(PAST, 15)
    assert str(event["LOCATION"]) == "Molde rådhus, møterom 3"
    assert str(event["URL"]) == f"http://testserver/moter/{meeting.pk}/"
    assert f"2/{PAST.year % 100:02d} Ny plattform for fagsystemer" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_ical_event_without_end_lasts_two_hours_and_uses_the_video_link(world):
    meeting = make_meeting(world.group, NEXT, hours=None, video_link="https://teams.example.no/m/1")
    meeting = Meeting.objects.prefetch_related("agenda_items").select_related("group").get(pk=meeting.pk)
    cal = icalendar.Calendar.from_ical(calendar_bytes([meeting], "https://intranett.example.no/", "Test"))
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=2)
    assert str(event["LOCATION"]) == "https://teams.example.no/m/1"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@intranett.example.no"
    assert str(cal["X-WR-CALNAME"]) == "Test"


# -- the group page ----------------------------------------------------------------------------------------------


def test_group_page_shows_next_meeting_latest_minutes_and_archive(client_leser, world):
    meeting = published(world, held_meeting(world))
    coming = make_meeting(world.group, NEXT, place="Teams", items=["Budsjett 2027", "Eventuelt"])
    make_meeting(world.group, NEXT + datetime.timedelta(days=30), items=["Senere møte"])
    body = text(client_leser.get(world.group.url))
    assert '<h2 id="meetings-heading">Møter</h2>' in body
    assert "Neste møte" in body and "Budsjett 2027" in body and "Senere møte" not in body
    assert reverse("governance_meeting", args=[coming.pk]) in body
    assert reverse("governance_meeting_ics", args=[coming.pk]) in body
    assert "Siste referat" in body and reverse("governance_meeting_minutes_pdf", args=[meeting.pk]) in body
    assert "Alle møter" in body and reverse("governance_meeting_archive", args=[world.group.pk]) in body
    assert "Mine grupper" in body


def test_group_page_without_meetings_for_readers_has_no_meeting_section(client_leser, world):
    make_meeting(world.group, NEXT, sent=False, items=["Utkast"])
    body = text(client_leser.get(world.group.url))
    assert 'id="meetings-heading"' not in body and "Utkast" not in body


def test_group_page_of_a_group_with_only_old_meetings_links_the_archive(client_leser, world):
    """Meetings older than the page reads (past the compliance window, no published minutes) still give the
    section its archive link; another group's meetings do not give this group a section."""
    old = make_meeting(world.group, TODAY - datetime.timedelta(days=800), items=["Gammel sak"])
    body = text(client_leser.get(world.group.url))
    assert '<h2 id="meetings-heading">Møter</h2>' in body and "Gammel sak" not in body
    assert "Alle møter" in body and reverse("governance_meeting_archive", args=[world.group.pk]) in body
    assert "Neste møte" not in body and "Siste referat" not in body
    old.group = world.other
    old.save()
    assert 'id="meetings-heading"' not in text(client_leser.get(world.group.url))


def test_group_page_section_queries_are_constant(client_leser, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client_leser.get(world.group.url).status_code == 200
        return len(queries)

    published(world, held_meeting(world))
    make_meeting(world.group, NEXT, items=["A"])
    few = count()
    for offset in range(1, 6):
        published(world, held_meeting(world))
        make_meeting(world.group, NEXT + datetime.timedelta(days=offset), items=["A", "B", "C"])
    make_meeting(world.group, NEXT - datetime.timedelta(days=1), items=["A", "B", "C", "D", "E"])
    assert count() == few
