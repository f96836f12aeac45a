"""The date rules written once (faggruppe_pages/predicates.py): boundaries, local dates, and the SQL forms
agreeing with the Python forms on every combination of open and closed terms."""

import datetime
import itertools
import zoneinfo

import pytest

from faggruppe_pages.models import Membership, Organisation
from faggruppe_pages.predicates import (
    active_on_q,
    due_on,
    is_active_on,
    is_overdue,
    list_is_overdue,
    list_verified_at,
    local_date,
    not_ended_q,
)
from tests.factories import FaggruppePageFactory, MembershipFactory, OrganisationFactory, make_index

D = datetime.date
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
DAY = D(2026, 6, 15)


def test_a_confirmation_counts_through_the_last_day_of_the_interval_and_not_one_day_more():
    confirmed = datetime.datetime(2026, 1, 1, 12, tzinfo=OSLO)
    assert due_on(confirmed, 180) == D(2026, 6, 30)
    assert not is_overdue(confirmed, 180, D(2026, 6, 30))
    assert is_overdue(confirmed, 180, D(2026, 7, 1))


def test_never_confirmed_is_overdue_and_has_no_due_date():
    assert due_on(None, 180) is None
    assert is_overdue(None, 180, DAY)


def test_a_confirmation_late_in_the_evening_counts_on_its_local_day(settings):
    settings.TIME_ZONE = "Europe/Oslo"
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=OSLO)  # 22:30 UTC, the same calendar day
    just_after_midnight = datetime.datetime(2026, 3, 2, 0, 30, tzinfo=OSLO)  # 23:30 UTC the day before
    assert local_date(late) == D(2026, 3, 1)
    assert local_date(just_after_midnight) == D(2026, 3, 2)
    assert due_on(just_after_midnight, 10) == D(2026, 3, 12)


def test_a_list_is_as_fresh_as_its_stalest_entry_and_any_unconfirmed_entry_makes_it_never_confirmed():
    old = datetime.datetime(2026, 1, 1, 12, tzinfo=OSLO)
    new = datetime.datetime(2026, 6, 1, 12, tzinfo=OSLO)
    assert list_verified_at([new, old]) == old
    assert list_verified_at([new, None]) is None
    assert list_verified_at([]) is None
    assert list_is_overdue([new, old], 100, DAY)
    assert not list_is_overdue([new], 100, DAY)
    assert list_is_overdue([new, None], 100, DAY)
    assert not list_is_overdue([], 100, DAY), "an empty list has nothing to confirm"


def test_active_on_includes_both_ends_and_open_ends():
    assert is_active_on(D(2026, 1, 1), D(2026, 12, 31), D(2026, 1, 1))
    assert is_active_on(D(2026, 1, 1), D(2026, 12, 31), D(2026, 12, 31))
    assert not is_active_on(D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1))
    assert not is_active_on(D(2026, 1, 2), None, D(2026, 1, 1))
    assert is_active_on(None, None, DAY)


STARTS = [DAY - datetime.timedelta(days=1), DAY, DAY + datetime.timedelta(days=1)]
ENDS = [None, DAY - datetime.timedelta(days=1), DAY, DAY + datetime.timedelta(days=1)]


@pytest.mark.django_db
def test_the_sql_forms_select_exactly_the_rows_the_python_forms_accept():
    group = FaggruppePageFactory(parent=make_index())
    memberships = [
        MembershipFactory(group=group, start_date=start, end_date=end)
        for start, end in itertools.product(STARTS, ENDS)
        if end is None or end >= start
    ]
    organisations = [
        OrganisationFactory(slug=f"org-{i}", member_from=start, member_to=end)
        for i, (start, end) in enumerate(itertools.product([None, *STARTS], ENDS))
        if end is None or start is None or end >= start
    ]
    active = {m.pk for m in memberships if is_active_on(m.start_date, m.end_date, DAY)}
    assert set(Membership.objects.filter(active_on_q(DAY)).values_list("pk", flat=True)) == active
    assert set(Membership.objects.active_on(DAY).values_list("pk", flat=True)) == active
    assert {m.pk for m in memberships if m.is_active_on(DAY)} == active
    not_ended = {m.pk for m in memberships if m.end_date is None or m.end_date >= DAY}
    assert set(Membership.objects.filter(not_ended_q(DAY)).values_list("pk", flat=True)) == not_ended
    taking_part = {o.pk for o in organisations if is_active_on(o.member_from, o.member_to, DAY)}
    ours = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    assert set(ours.participants_on(DAY).values_list("pk", flat=True)) == taking_part
    assert {o.pk for o in organisations if o.participates_on(DAY)} == taking_part
    assert 0 < len(active) < len(memberships) and 0 < len(taking_part) < len(organisations)
