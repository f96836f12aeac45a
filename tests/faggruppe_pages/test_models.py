"""Validation of organisations, people and memberships: clear Norwegian messages for bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from faggruppe_pages.models import Membership, Organisation, OrganisationKind, Person, Role
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def errors_of(instance):
    """full_clean()'s messages per field, in Norwegian Bokmål."""
    # The messages are lazy: turned into text inside the override, not in whatever language an earlier test left.
    with translation.override("nb"):
        with pytest.raises(ValidationError) as caught:
            instance.full_clean()
        return {field: [str(m) for m in messages] for field, messages in caught.value.message_dict.items()}


def test_end_before_start_is_refused(group, molde):
    m = MembershipFactory.build(
        group=group,
        person=PersonFactory(employer=molde),
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 4, 30),
    )
    assert errors_of(m)["end_date"] == ["Sluttdatoen kan ikke være før startdatoen."]


def test_same_person_same_role_same_group_overlapping_is_refused(group, molde):
    person = PersonFactory(employer=molde, name="Kari Nordmann")
    MembershipFactory(group=group, person=person, start_date=datetime.date(2022, 1, 1))
    clash = MembershipFactory.build(group=group, person=person, start_date=datetime.date(2024, 1, 1))
    assert errors_of(clash)["start_date"] == [
        "Kari Nordmann har allerede rollen medlem i Oppvekst og utdanning i denne perioden (fra 01.01.2022)."
    ]


def test_same_person_same_role_after_the_first_term_ended_is_allowed(group, molde):
    person = PersonFactory(employer=molde)
    MembershipFactory(
        group=group, person=person, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 12, 31)
    )
    MembershipFactory.build(group=group, person=person, start_date=datetime.date(2022, 1, 1)).full_clean()


def test_same_person_in_another_role_is_allowed(group, molde):
    person = PersonFactory(employer=molde)
    MembershipFactory(group=group, person=person, role=Role.MEMBER)
    MembershipFactory.build(group=group, person=person, role=Role.DEPUTY).full_clean()


def test_a_term_that_ends_before_the_other_starts_is_allowed(group, molde):
    person = PersonFactory(employer=molde)
    MembershipFactory(group=group, person=person, start_date=datetime.date(2024, 1, 1))
    MembershipFactory.build(
        group=group, person=person, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2023, 12, 31)
    ).full_clean()


def test_editing_a_membership_does_not_clash_with_itself(group, molde):
    m = MembershipFactory(group=group, person=PersonFactory(employer=molde))
    m.note = "ny"
    m.full_clean()


def test_union_representative_must_represent_a_union(group, molde):
    m = MembershipFactory.build(
        group=group, person=PersonFactory(employer=molde), represents=molde, role=Role.UNION_REP
    )
    assert errors_of(m)["represents"] == ["En tillitsvalgt må representere en fagforening."]


def test_union_representative_for_a_union_is_valid(group, molde, fagforbundet):
    MembershipFactory.build(
        group=group, person=PersonFactory(employer=molde), represents=fagforbundet, role=Role.UNION_REP
    ).full_clean()


def test_a_union_is_represented_only_by_its_union_representative(group, molde, fagforbundet):
    m = MembershipFactory.build(
        group=group, person=PersonFactory(employer=molde), represents=fagforbundet, role=Role.LEADER
    )
    assert "fagforening" in errors_of(m)["role"][0]


def test_cooperation_adviser_must_represent_the_cooperation(group, molde):
    m = MembershipFactory.build(group=group, person=PersonFactory(employer=molde), represents=molde, role=Role.ADVISER)
    assert errors_of(m)["represents"] == ["En rådgiver fra samarbeidet må representere samarbeidet."]


def test_database_refuses_end_before_start_even_without_validation(group, molde):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            group=group,
            person=PersonFactory(employer=molde),
            represents=molde,
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 1, 1),
        )


@pytest.mark.parametrize("phone", ["71234567", "712 34 567", "+47 71 23 45 67", "0047 71234567", "+4791234567"])
def test_valid_phone_numbers(phone, molde):
    PersonFactory.build(employer=molde, phone=phone).full_clean()


@pytest.mark.parametrize("phone", ["1234", "telefon", "71 23 45 6x", "+47"])
def test_invalid_phone_number_gets_a_norwegian_message(phone, molde):
    errors = errors_of(PersonFactory.build(employer=molde, phone=phone))
    assert errors["phone"] == [
        "Skriv et gyldig telefonnummer: 8 siffer, eventuelt med landskode, f.eks. +47 71 23 45 67."
    ]


def test_invalid_email_is_refused(molde):
    errors = errors_of(PersonFactory.build(employer=molde, email="kari.nordmann@"))
    assert "email" in errors


def test_email_is_stored_lower_case(molde):
    person = PersonFactory(employer=molde, email=" Kari.Nordmann@Molde.Kommune.no ")
    person.refresh_from_db()
    assert person.email == "kari.nordmann@molde.kommune.no"


def test_hidden_phone_is_not_public(molde):
    assert PersonFactory.build(employer=molde, phone="71234567", show_phone=False).public_phone == ""
    assert PersonFactory.build(employer=molde, phone="71234567", show_phone=True).public_phone == "71 23 45 67"


def test_municipality_needs_a_four_digit_number():
    org = Organisation(name="Nykommune", slug="nykommune", kind=OrganisationKind.MUNICIPALITY)
    assert errors_of(org)["municipality_number"] == ["En kommune må ha kommunenummer."]
    org.municipality_number = "15"
    assert errors_of(org)["municipality_number"] == ["Et kommunenummer har nøyaktig fire siffer, f.eks. 1506."]


def test_organisation_period_must_not_end_before_it_starts():
    org = Organisation(
        name="Fagforbundet",
        slug="fagforbundet",
        kind=OrganisationKind.UNION,
        member_from=datetime.date(2020, 1, 1),
        member_to=datetime.date(2019, 1, 1),
    )
    assert errors_of(org)["member_to"] == ["Sluttdatoen kan ikke være før startdatoen."]


def test_participants_on_a_date_follow_joins_and_leaves(db):
    from tests.factories import OrganisationFactory

    midsund = OrganisationFactory(slug="midsund", member_to=datetime.date(2019, 12, 31))
    hustadvika = OrganisationFactory(slug="hustadvika", member_from=datetime.date(2020, 1, 1))
    in_2019 = set(Organisation.objects.participants_on(datetime.date(2019, 6, 1)))
    in_2021 = set(Organisation.objects.participants_on(datetime.date(2021, 6, 1)))
    assert midsund in in_2019 and hustadvika not in in_2019
    assert hustadvika in in_2021 and midsund not in in_2021


def test_active_former_and_upcoming_memberships(group, molde):
    today = datetime.date(2025, 6, 1)
    active = MembershipFactory(group=group, person__employer=molde, start_date=datetime.date(2024, 1, 1))
    ends_today = MembershipFactory(
        group=group, person__employer=molde, start_date=datetime.date(2024, 1, 1), end_date=today
    )
    former = MembershipFactory(
        group=group, person__employer=molde, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2025, 5, 31)
    )
    upcoming = MembershipFactory(group=group, person__employer=molde, start_date=datetime.date(2025, 6, 2))
    qs = Membership.objects.filter(group=group)
    assert set(qs.active_on(today)) == {active, ends_today}
    assert set(qs.ended_before(today)) == {former}
    assert set(qs.upcoming(today)) == {upcoming}


def test_list_verified_at_is_the_oldest_stamp_or_none():
    now = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)
    older = now - datetime.timedelta(days=40)
    assert Membership.list_verified_at([]) is None
    assert Membership.list_verified_at([Membership(last_verified_at=now), Membership(last_verified_at=older)]) == older
    assert Membership.list_verified_at([Membership(last_verified_at=now), Membership(last_verified_at=None)]) is None


def test_person_str_and_membership_str(group, molde):
    m = MembershipFactory(group=group, person=PersonFactory(employer=molde, name="Kari Nordmann"), role=Role.LEADER)
    with translation.override("nb"):
        assert str(m) == "Kari Nordmann – Leder – Oppvekst og utdanning"
    assert str(Person(name="Ola")) == "Ola"
