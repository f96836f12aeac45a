"""Which mandate applies, and what its rules become in faggruppe_pages: seat rules, and one review rule.

A small world, no demo: one faggruppe (with an arbeidsgruppe), Molde and Rauma, ROR-IKT and a union.
The mandates are written straight to the database as approved (``live``) versions or drafts.
"""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from faggruppe_pages.models import Role
from faggruppe_pages.reader.overview import UNIONS, build_overview
from faggruppe_pages.upkeep.reminders import due_items
from faggruppe_pages.upkeep.seat_rules import SeatRules, rules_for
from governance import compliance
from governance.models import Mandate, MandateScope
from tests.factories import ArbeidsgruppePageFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 11, 24)


def mandate(version, valid_from, *, scope=MandateScope.FAGGRUPPER, group=None, live=True, **rules):
    return Mandate.objects.create(
        title=f"Mandat {version}", version=version, scope=scope, group=group, valid_from=valid_from, live=live, **rules
    )


def confirmed(days_ago):
    """Noon, ``days_ago`` days before DAY (local time)."""
    return timezone.make_aware(datetime.datetime.combine(DAY - datetime.timedelta(days=days_ago), datetime.time(12)))


@pytest.fixture
def seated(group, molde, rauma, ror_ikt, fagforbundet):
    """The group meets the default rules: one seat each for Molde and Rauma, ROR-IKT's adviser, a tillitsvalgt."""
    return [
        MembershipFactory(group=group, person=PersonFactory(employer=molde), role=Role.LEADER),
        MembershipFactory(group=group, person=PersonFactory(employer=rauma)),
        MembershipFactory(group=group, person=PersonFactory(employer=ror_ikt), role=Role.ADVISER),
        MembershipFactory(
            group=group, person=PersonFactory(employer=molde), represents=fagforbundet, role=Role.UNION_REP
        ),
    ]


def verify_all_at(memberships, moment):
    for m in memberships:
        m.last_verified_at = moment
        m.save(update_fields=["last_verified_at"])


# -- precedence: which version is in force ----------------------------------------------------------------


def in_force(group, day=DAY):
    """The version in force, asked both ways: for one group, and for every group at once (check_all)."""
    one = Mandate.objects.in_force_for(group, day)
    [every] = [r.mandate for r in compliance.check_all(day, groups=[group])]
    assert one == every
    return one.version if one else None


def test_a_version_for_the_group_beats_the_one_for_its_kind_even_when_older(group):
    mandate("for alle", D(2024, 1, 1))
    mandate("for gruppen", D(2020, 1, 1), scope=MandateScope.GROUP, group=group)
    assert in_force(group) == "for gruppen"


def test_another_groups_version_does_not_apply(group):
    other = ArbeidsgruppePageFactory(parent=group, title="Innkjøp", slug="innkjop")
    mandate("for alle", D(2020, 1, 1))
    mandate("for innkjøp", D(2021, 1, 1), scope=MandateScope.GROUP, group=other)
    assert in_force(group) == "for alle"
    assert in_force(other) == "for innkjøp"


def test_the_newest_valid_version_wins(group):
    mandate("2019", D(2019, 2, 13))
    mandate("2021", D(2021, 1, 1))
    mandate("2030", D(2030, 1, 1))  # approved, not yet valid
    assert in_force(group) == "2021"
    assert in_force(group, D(2020, 12, 31)) == "2019"
    assert in_force(group, D(2021, 1, 1)) == "2021"  # in force from its valid-from day
    assert in_force(group, D(2019, 2, 12)) is None


def test_a_draft_never_applies(group):
    mandate("utkast", D(2018, 1, 1), live=False)
    assert in_force(group) is None
    mandate("2019", D(2019, 2, 13))
    mandate("nyere utkast", D(2021, 1, 1), live=False)
    assert in_force(group) == "2019"


# -- the seat rules faggruppe_pages gets from the mandate in force (GROUP_RULES_HOOK) -------------------------


def test_the_mandate_in_force_sets_the_seats_and_interval_the_overview_expects(group, seated):
    mandate(
        "2021",
        D(2021, 1, 1),
        min_reps_per_municipality=2,
        max_reps_per_municipality=3,
        cooperation_seat_required=False,
        union_seats_min=2,
        union_seats_max=2,
        review_interval_days=90,
    )
    assert rules_for([group], DAY)[group.pk] == SeatRules(
        review_interval_days=90,
        municipality_seats_min=2,
        municipality_seats_max=3,
        cooperation_seat=False,
        union_seats_min=2,
    )
    [row] = build_overview(group=group, day=DAY).rows
    expected = {cell.column.key: (cell.expected, cell.maximum, cell.gap) for cell in row.cells}
    assert expected == {"molde": (2, 3, 1), "rauma": (2, 3, 1), "ror-ikt": (0, None, 0), UNIONS: (2, None, 1)}


def test_the_overview_and_the_compliance_report_agree_on_missing_seats(group, seated):
    mandate("2019", D(2019, 2, 13), union_seats_min=1, union_seats_max=1)
    [row] = build_overview(group=group, day=DAY).rows
    assert row.gaps == []
    assert [f.code for f in compliance.check_group(group, DAY).findings if f.severity == "error"] == []
    seated[3].delete()  # the tillitsvalgt leaves
    [row] = build_overview(group=group, day=DAY).rows
    assert [cell.column.key for cell in row.gaps] == [UNIONS]
    assert "union_missing" in [f.code for f in compliance.check_group(group, DAY).findings]


def test_without_a_mandate_faggruppe_pages_uses_its_own_defaults(group, seated):
    mandate("utkast", D(2019, 1, 1), live=False, union_seats_min=3)
    assert compliance.seat_rules_for([group], DAY) == {}


# -- one review rule: a mandate without an interval is judged by the portal default, everywhere ----------------


def overdue_everywhere(group, seated):
    """Is the list overdue on DAY, asked of the compliance report, the overview and the reminders?"""
    report = "list_not_verified" in [f.code for f in compliance.check_group(group, DAY).findings]
    [row] = build_overview(group=group, day=DAY).rows
    reminded = {item.membership.pk for items in due_items(DAY).values() for item in items if item.reason == "overdue"}
    return report, row.overdue, reminded == {m.pk for m in seated}


@pytest.mark.parametrize("interval", [None, 0])
def test_a_mandate_without_an_interval_is_judged_by_the_default(group, seated, interval):
    mandate("uten intervall", D(2019, 1, 1), review_interval_days=interval)
    verify_all_at(seated, confirmed(179))
    assert overdue_everywhere(group, seated) == (False, False, False)
    verify_all_at(seated, confirmed(181))  # the default is 180 days
    assert overdue_everywhere(group, seated) == (True, True, True)
    with override_settings(FAGGRUPPE_REVIEW_INTERVAL_DAYS=365):
        assert overdue_everywhere(group, seated) == (False, False, False)
    with override_settings(FAGGRUPPE_REVIEW_INTERVAL_DAYS=90):
        verify_all_at(seated, confirmed(91))
        assert overdue_everywhere(group, seated) == (True, True, True)


def test_a_mandate_with_an_interval_is_judged_by_its_own(group, seated):
    mandate("30 dager", D(2019, 1, 1), review_interval_days=30)
    with override_settings(FAGGRUPPE_REVIEW_INTERVAL_DAYS=365):
        verify_all_at(seated, confirmed(30))
        assert overdue_everywhere(group, seated) == (False, False, False)
        verify_all_at(seated, confirmed(31))
        assert overdue_everywhere(group, seated) == (True, True, True)


def test_the_report_names_the_default_interval_and_its_due_date(group, seated):
    mandate("uten intervall", D(2019, 1, 1), review_interval_days=None)
    verify_all_at(seated, confirmed(200))
    [finding] = [f for f in compliance.check_group(group, DAY).findings if f.code == "list_not_verified"]
    assert "180" in finding.message
    assert finding.details["due_on"] == DAY - datetime.timedelta(days=20)


def test_a_confirmation_late_in_the_evening_counts_on_its_local_date(group, seated):
    """23:30 in Oslo is still that day (21:30 or 22:30 UTC), and 00:30 is the next (the day before in UTC)."""
    mandate("30 dager", D(2019, 1, 1), review_interval_days=30)
    due_day = DAY - datetime.timedelta(days=30)
    late_evening = timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(23, 30)))
    verify_all_at(seated, late_evening)
    assert overdue_everywhere(group, seated) == (False, False, False)
    verify_all_at(seated, late_evening - datetime.timedelta(days=1))
    assert overdue_everywhere(group, seated) == (True, True, True)
    just_after_midnight = timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(0, 30)))
    verify_all_at(seated, just_after_midnight)
    assert overdue_everywhere(group, seated) == (False, False, False)
