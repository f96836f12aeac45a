"""Calendar subscriptions: the personal feed and the group feeds behind a secret per-user key, renewing the key,
and the "Møter og kalender" section of "Mine grupper". Real database, factories, no mocks."""

import datetime
from types import SimpleNamespace

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import CalendarToken
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)
from tests.governance.test_meetings_reader import at, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MY_GROUPS = "/faggrupper/mine-grupper/"


@pytest.fixture
def cal(db):
    index = make_index()
    teknisk = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    okonomi = FaggruppePageFactory(parent=index, title="Økonomi", slug="okonomi")
    helse = FaggruppePageFactory(parent=index, title="Helse og velferd", slug="helse-og-velferd")
    former = FaggruppePageFactory(parent=index, title="Lønn og personal", slug="lonn-og-personal")
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde")
    user = UserFactory(username="kari")
    person = PersonFactory(name="Kari Medlem", employer=molde, user=user)
    MembershipFactory(person=person, group=teknisk, represents=molde)
    # A seat starting later counts; one that has ended does not.
    MembershipFactory(person=person, group=okonomi, represents=molde, start_date=TODAY + datetime.timedelta(days=40))
    MembershipFactory(
        person=person,
        group=former,
        represents=molde,
        start_date=datetime.date(2020, 1, 1),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    soon = TODAY + datetime.timedelta(days=7)
    meetings = SimpleNamespace(
        teknisk_next=make_meeting(teknisk, soon, place="Molde rådhus", items=["Budsjett", "Eventuelt"]),
        teknisk_past=make_meeting(teknisk, TODAY - datetime.timedelta(days=100), items=["Status"]),
        teknisk_old=make_meeting(teknisk, TODAY - datetime.timedelta(days=400), items=["Gammelt"]),
        teknisk_unsent=make_meeting(teknisk, TODAY + datetime.timedelta(days=60), sent=False, items=["Utkast"]),
        okonomi_next=make_meeting(okonomi, TODAY + datetime.timedelta(days=50), items=["Regnskap"]),
        helse_next=make_meeting(helse, soon, items=["Ikke min gruppe"]),
        former_next=make_meeting(former, soon, items=["Sluttet"]),
    )
    token = CalendarToken.for_user(user)
    return SimpleNamespace(
        teknisk=teknisk, okonomi=okonomi, helse=helse, former=former, user=user, m=meetings, key=token.key
    )


def uids(response):
    assert response.status_code == 200, response.status_code
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]) for e in cal.walk("VEVENT")}


def uid(meeting):
    return f"meeting-{meeting.pk}@testserver"


# -- the personal feed ------------------------------------------------------------------------------------------


def test_personal_feed_holds_the_meetings_of_the_users_groups_only_without_login(cal):
    response = Client().get(reverse("governance_calendar_personal", args=[cal.key]))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store" and response["X-Robots-Tag"] == "noindex"
    m = cal.m
    assert uids(response) == {uid(m.teknisk_next), uid(m.teknisk_past), uid(m.okonomi_next)}
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Møter i mine grupper"
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid(m.teknisk_next))
    assert str(event["SUMMARY"]) == "Teknisk: møte"
    assert event.decoded("DTSTART") == at(TODAY + datetime.timedelta(days=7))
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"


def test_group_feed_for_any_valid_key(cal):
    other = UserFactory(username="ola")
    key = CalendarToken.for_user(other).key
    response = Client().get(reverse("governance_calendar_group", args=[key, cal.helse.pk]))
    assert uids(response) == {uid(cal.m.helse_next)}
    assert str(icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"]) == "Møter: Helse og velferd"
    assert response["Cache-Control"] == "private, no-store"


def test_group_feed_of_an_unpublished_or_unknown_group_is_404(cal):
    cal.helse.unpublish()
    client = Client()
    assert client.get(reverse("governance_calendar_group", args=[cal.key, cal.helse.pk])).status_code == 404
    assert client.get(reverse("governance_calendar_group", args=[cal.key, 999999])).status_code == 404


@pytest.mark.parametrize("key", ["x" * 43, "kort", "a" * 80])
def test_unknown_key_is_404(cal, key):
    client = Client()
    assert client.get(f"/kalender/{key}/mine.ics").status_code == 404
    assert client.get(f"/kalender/{key}/gruppe/{cal.teknisk.pk}.ics").status_code == 404


def test_inactive_user_key_is_404(cal):
    cal.user.is_active = False
    cal.user.save()
    client = Client()
    assert client.get(reverse("governance_calendar_personal", args=[cal.key])).status_code == 404
    assert client.get(reverse("governance_calendar_group", args=[cal.key, cal.teknisk.pk])).status_code == 404


def test_renewing_revokes_the_old_key_and_the_new_one_works(cal):
    client = Client()
    client.force_login(cal.user)
    response = client.post(reverse("governance_calendar_renew"))
    assert response.status_code == 302 and response["Location"].startswith(MY_GROUPS)
    new_key = CalendarToken.objects.get(user=cal.user).key
    assert new_key != cal.key
    feeds = Client()
    assert feeds.get(reverse("governance_calendar_personal", args=[cal.key])).status_code == 404
    assert feeds.get(reverse("governance_calendar_group", args=[cal.key, cal.teknisk.pk])).status_code == 404
    assert uid(cal.m.teknisk_next) in uids(feeds.get(reverse("governance_calendar_personal", args=[new_key])))
    # The message is shown once on "Mine grupper", with the new address.
    body = client.get(response["Location"]).content.decode()
    assert "Den gamle adressen virker ikke lenger" in body
    assert f"http://testserver/kalender/{new_key}/mine.ics" in body and cal.key not in body
    assert "Den gamle adressen virker ikke lenger" not in client.get(MY_GROUPS).content.decode()


def test_renew_refuses_get_anonymous_and_missing_csrf(cal):
    url = reverse("governance_calendar_renew")
    client = Client()
    client.force_login(cal.user)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(MY_GROUPS)
    assert CalendarToken.objects.get(user=cal.user).key == cal.key  # GET changed nothing
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/logg-inn/")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cal.user)
    assert strict.post(url).status_code == 403
    assert CalendarToken.objects.get(user=cal.user).key == cal.key


def test_feed_queries_are_constant_in_the_number_of_meetings(cal):
    client = Client()
    personal = reverse("governance_calendar_personal", args=[cal.key])
    group = reverse("governance_calendar_group", args=[cal.key, cal.teknisk.pk])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count(personal), count(group)
    for offset in range(1, 8):
        make_meeting(cal.teknisk, TODAY + datetime.timedelta(days=offset * 3), items=["A", "B", "C"])
        make_meeting(cal.okonomi, TODAY + datetime.timedelta(days=offset * 3), items=["A", "B"])
    assert (count(personal), count(group)) == few


# -- "Mine grupper" ---------------------------------------------------------------------------------------------


def test_my_groups_shows_coming_meetings_and_the_calendar_addresses(cal):
    client = Client()
    client.force_login(cal.user)
    body = client.get(MY_GROUPS).content.decode()
    assert "Møter og kalender" in body and "Kommende møter" in body
    assert reverse("governance_meeting", args=[cal.m.teknisk_next.pk]) in body
    assert reverse("governance_meeting", args=[cal.m.okonomi_next.pk]) in body
    assert reverse("governance_meeting", args=[cal.m.helse_next.pk]) not in body
    assert reverse("governance_meeting", args=[cal.m.teknisk_unsent.pk]) not in body
    assert f'value="http://testserver/kalender/{cal.key}/mine.ics"' in body and "readonly" in body
    assert "Legg til kalender fra Internett" in body and "del den aldri" in body
    assert f"http://testserver/kalender/{cal.key}/gruppe/{cal.teknisk.pk}.ics" in body
    assert f"/kalender/{cal.key}/gruppe/{cal.former.pk}.ics" not in body
    assert 'action="/kalender/ny-adresse/"' in body and "csrfmiddlewaretoken" in body and "Lag ny adresse" in body


def test_my_groups_lists_at_most_five_coming_meetings(cal):
    for offset in range(1, 9):
        make_meeting(cal.teknisk, TODAY + datetime.timedelta(days=offset), items=["A"])
    client = Client()
    client.force_login(cal.user)
    body = client.get(MY_GROUPS).content.decode()
    start = body.index('class="coming-meetings"')
    assert body[start : body.index("</ul>", start)].count("<li>") == 5


def test_calendar_section_needs_a_person_and_makes_the_key_only_when_shown(cal):
    stranger = UserFactory(username="uten-person")
    client = Client()
    client.force_login(stranger)
    body = client.get(MY_GROUPS).content.decode()
    assert "Møter og kalender" not in body
    assert not CalendarToken.objects.filter(user=stranger).exists()
    CalendarToken.objects.filter(user=cal.user).delete()
    client.force_login(cal.user)
    assert "Møter og kalender" in client.get(MY_GROUPS).content.decode()
    assert CalendarToken.objects.filter(user=cal.user).count() == 1
