"""Staff manage organisations, people and memberships in the Wagtail admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faggruppe_pages.models import Membership, Person, Role
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/faggruppe_pages/membership/"
ADD = LIST + "add/"


def test_members_menu_groups_the_three_registers(admin_client):
    body = admin_client.get("/admin/").content.decode()
    for url in (LIST, "/admin/snippets/faggruppe_pages/person/", "/admin/snippets/faggruppe_pages/organisation/"):
        assert url in body


def test_membership_list_filters_by_group_organisation_role_and_active(admin_client, index_page, group, molde, rauma):
    from tests.factories import FaggruppePageFactory

    other = FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk")
    MembershipFactory(group=group, person=PersonFactory(employer=molde, name="Mia Molde"), role=Role.LEADER)
    MembershipFactory(group=group, person=PersonFactory(employer=rauma, name="Rune Rauma"))
    MembershipFactory(group=other, person=PersonFactory(employer=molde, name="Tea Teknisk"))
    MembershipFactory(
        group=group,
        person=PersonFactory(employer=molde, name="Gro Gammel"),
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )

    def names(query):
        body = admin_client.get(LIST, query).content.decode()
        return {n for n in ("Mia Molde", "Rune Rauma", "Tea Teknisk", "Gro Gammel") if n in body}

    assert names({}) == {"Mia Molde", "Rune Rauma", "Tea Teknisk", "Gro Gammel"}
    assert names({"group": group.pk}) == {"Mia Molde", "Rune Rauma", "Gro Gammel"}
    assert names({"represents": rauma.pk}) == {"Rune Rauma"}
    assert names({"role": "leder"}) == {"Mia Molde"}
    assert names({"active": "yes"}) == {"Mia Molde", "Rune Rauma", "Tea Teknisk"}
    assert names({"active": "no"}) == {"Gro Gammel"}
    assert names({"q": "rauma"}) == {"Rune Rauma"}


def test_membership_list_query_count_is_constant(admin_client, group, molde):
    def count():
        admin_client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(LIST).status_code == 200
        return len(queries)

    MembershipFactory.create_batch(3, group=group, person__employer=molde)
    few = count()
    MembershipFactory.create_batch(30, group=group, person__employer=molde)
    assert count() == few


def test_people_list_search_and_employer_filter(admin_client, molde, rauma):
    PersonFactory(employer=molde, name="Kari Nordmann", email="kari@molde.kommune.no")
    PersonFactory(employer=rauma, name="Ola Rauma")
    assert (
        "Kari Nordmann" in admin_client.get("/admin/snippets/faggruppe_pages/person/", {"q": "kari"}).content.decode()
    )
    body = admin_client.get("/admin/snippets/faggruppe_pages/person/", {"employer": rauma.pk}).content.decode()
    assert "Ola Rauma" in body and "Kari Nordmann" not in body


def test_staff_adds_a_membership(admin_client, group, molde):
    person = PersonFactory(employer=molde)
    response = admin_client.post(
        ADD,
        {
            "person": person.pk,
            "group": group.pk,
            "represents": molde.pk,
            "role": "medlem",
            "start_date": "2025-01-01",
            "end_date": "",
            "appointed_by": "Molde kommune",
            "appointment_reference": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get().person == person


def test_invalid_membership_is_refused_with_norwegian_message_and_input_kept(admin_client, group, molde):
    person = PersonFactory(employer=molde)
    response = admin_client.post(
        ADD,
        {
            "person": person.pk,
            "group": group.pk,
            "represents": molde.pk,
            "role": "tillitsvalgt",
            "start_date": "2025-01-01",
            "end_date": "2024-01-01",
            "appointed_by": "Skrevet av brukeren",
            "appointment_reference": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sluttdatoen kan ikke være før startdatoen." in body
    assert "Skrevet av brukeren" in body  # nothing the user typed is lost
    assert not Membership.objects.exists()


def test_invalid_phone_in_admin_gets_norwegian_message(admin_client, molde):
    response = admin_client.post(
        "/admin/snippets/faggruppe_pages/person/add/",
        {
            "name": "Kari",
            "job_title": "",
            "employer": molde.pk,
            "unit": "",
            "email": "kari@molde.kommune.no",
            "phone": "12",
            "user": "",
        },
    )
    assert response.status_code == 200
    assert "Skriv et gyldig telefonnummer" in response.content.decode()
    assert not Person.objects.exists()


def test_group_page_editor_links_to_its_members(admin_client, group, molde):
    MembershipFactory(group=group, person=PersonFactory(employer=molde, name="Kari Nordmann"))
    body = admin_client.get(f"/admin/pages/{group.pk}/edit/").content.decode()
    assert "Kari Nordmann" in body
    assert f"{LIST}?group={group.pk}" in body
    assert f"{ADD}?group={group.pk}" in body


def test_add_member_link_prefills_the_group(admin_client, group):
    body = admin_client.get(ADD, {"group": group.pk}).content.decode()
    assert f'<input type="hidden" name="group" value="{group.pk}"' in body


def test_add_member_with_a_junk_group_parameter_does_not_fail(admin_client):
    assert admin_client.get(ADD, {"group": "x'; drop"}).status_code == 200
