"""“Våre oppføringer”: a representative's own entries across all groups, “Alt stemmer”, and history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from faggruppe_pages.models import Membership
from tests.factories import (
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db
URL = "/admin/vare-oppforinger/"
M = "/admin/snippets/faggruppe_pages/membership/"


@pytest.fixture
def world(db):
    index = make_index()
    groups = [FaggruppePageFactory(parent=index, title=t) for t in ("Teknisk", "Økonomi")]
    molde = OrganisationFactory(slug="molde", name="Molde kommune", short_name="Molde")
    rauma = OrganisationFactory(slug="rauma", name="Rauma kommune", short_name="Rauma")
    molde.refresh_from_db()
    rauma.refresh_from_db()
    rep = UserFactory(username="rep-molde", first_name="Mona", last_name="Moldestad")
    rep.groups.add(molde.representatives_group)
    other = UserFactory(username="rep-rauma")
    other.groups.add(rauma.representatives_group)
    mine = [
        MembershipFactory(group=groups[0], person=PersonFactory(employer=molde, name="Mons Molde"), represents=molde),
        MembershipFactory(group=groups[1], person=PersonFactory(employer=molde, name="Mari Molde"), represents=molde),
    ]
    ended = MembershipFactory(
        group=groups[0],
        person=PersonFactory(employer=molde, name="Gunn Gammel"),
        represents=molde,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )
    theirs = MembershipFactory(
        group=groups[0], person=PersonFactory(employer=rauma, name="Rolf Rauma"), represents=rauma
    )
    return {
        "molde": molde,
        "rauma": rauma,
        "rep": rep,
        "other": other,
        "mine": mine,
        "ended": ended,
        "theirs": theirs,
        "groups": groups,
    }


def test_lists_own_entries_across_groups_and_nothing_else(client, world):
    client.force_login(world["rep"])
    body = client.get(URL).content.decode()
    seats = body.split("Plasser i grupper")[1].split("Personer")[0]
    assert "Mons Molde" in seats and "Mari Molde" in seats and "Teknisk" in seats and "Økonomi" in seats
    assert "Rolf Rauma" not in body
    assert "Gunn Gammel" not in seats  # ended: history, shown on request
    with_ended = client.get(URL, {"organisation": world["molde"].pk, "ended": "1"}).content.decode()
    assert "Gunn Gammel" in with_ended.split("Plasser i grupper")[1].split("Personer")[0]


def test_menu_shows_our_entries_to_representatives_only(client, world):
    client.force_login(world["rep"])
    assert URL in client.get("/admin/").content.decode()
    staff_without_orgs = UserFactory(username="annen", is_superuser=False)
    from django.contrib.auth.models import Permission

    staff_without_orgs.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff_without_orgs)
    assert URL not in client.get("/admin/").content.decode()
    assert client.get(URL).status_code == 302


def test_everything_is_correct_stamps_all_current_entries_and_logs_them(client, world):
    client.force_login(world["rep"])
    response = client.post(URL, {"organisation": world["molde"].pk, "confirm": "all"}, follow=True)
    assert "Bekreftet 2 oppføringer for Molde. Takk!" in response.content.decode()
    for m in world["mine"]:
        m.refresh_from_db()
        assert m.last_verified_by == world["rep"]
        assert timezone.now() - m.last_verified_at < datetime.timedelta(minutes=1)
    world["ended"].refresh_from_db()
    world["theirs"].refresh_from_db()
    assert world["ended"].last_verified_at is None and world["theirs"].last_verified_at is None
    logged = ModelLogEntry.objects.filter(action="faggruppe_pages.verify")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(m.pk) for m in world["mine"])
    assert set(logged.values_list("user", flat=True)) == {world["rep"].pk}
    assert "Bekreftet at den fortsatt stemmer" in client.get(URL).content.decode()  # in "Siste endringer"


def test_another_municipality_cannot_confirm_or_view_our_entries(client, world):
    client.force_login(world["other"])
    response = client.post(URL, {"organisation": world["molde"].pk, "confirm": "all"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Membership.objects.filter(last_verified_at__isnull=False).exists()
    response = client.get(URL, {"organisation": world["molde"].pk})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_reader_is_refused(client, world):
    client.force_login(UserFactory(username="leser"))
    assert client.get(URL)["Location"].startswith("/logg-inn/")


def test_query_count_is_the_same_with_10_and_1000_entries(client, world):
    """The representative's listing: 'Våre oppføringer' and the membership admin list."""
    client.force_login(world["rep"])
    molde, group = world["molde"], world["groups"][0]

    def add(n):
        people = PersonFactory.create_batch(n, employer=molde)
        Membership.objects.bulk_create(
            Membership(person=p, group=group, represents=molde, start_date=datetime.date(2024, 1, 1)) for p in people
        )

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(8)  # 10 current entries
    ten = {url: count(url) for url in (URL, M, M + "?export=csv")}
    add(990)  # 1,000 current entries
    thousand = {url: count(url) for url in (URL, M, M + "?export=csv")}
    assert thousand == ten, (ten, thousand)
    assert Membership.objects.filter(represents=molde).active_on().count() == 1000


def test_changes_are_revisioned_and_in_the_audit_log(client, world):
    client.force_login(world["rep"])
    m = world["mine"][0]
    data = {
        "person": m.person_id,
        "group": m.group_id,
        "represents": m.represents_id,
        "role": "nestleder",
        "start_date": "2022-01-01",
        "end_date": "",
        "appointed_by": "",
        "appointment_reference": "",
        "note": "",
    }
    assert client.post(f"{M}edit/{m.pk}/", data).status_code == 302
    m.refresh_from_db()
    assert m.latest_revision is not None and m.latest_revision.user == world["rep"]
    entry = ModelLogEntry.objects.filter(object_id=str(m.pk), action="wagtail.edit").get()
    assert entry.user == world["rep"]
    history = client.get(f"{M}history/{m.pk}/").content.decode()
    assert "Mona Moldestad" in history


def test_representative_cannot_read_other_municipalities_history_anywhere(client, world):
    theirs = world["theirs"]
    theirs.save_revision(user=world["other"], log_action=True)
    client.force_login(world["rep"])
    assert client.get(f"{M}history/{theirs.pk}/")["Location"] == "/admin/"
    # The site history report lists every organisation's edits, and its user filter everyone who made one:
    # refused to representatives outright, naming neither the entry nor Rauma's representative.
    report = client.get("/admin/reports/site-history/", follow=True)
    body = report.content.decode()
    assert "Rolf Rauma" not in body and "rep-rauma" not in body
    assert report.redirect_chain == [("/admin/", 302)]
    assert "Beklager, du har ikke tilgang til dette området." in body
    # The control: the report does list Rauma's edit (to staff), so there is something to keep from Molde.
    client.force_login(UserFactory(username="sjef", is_superuser=True))
    assert "Rolf Rauma" in client.get("/admin/reports/site-history/").content.decode()
