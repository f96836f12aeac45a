"""The mandate's composition rules (governance.rules): pure functions, no database.

The cast: ROR-IKT's owner municipalities Molde, Rauma and Hustadvika (which joined on 2020-01-01),
Midsund (merged into Molde on 2020-01-01), the cooperation ROR-IKT itself and the union Fagforbundet.
Most checks run on 2020-06-01, after the merger.
"""

import datetime
import zoneinfo

import pytest
from django.test import override_settings
from django.utils import translation

from governance import rules
from governance.rules import (
    ADVISER,
    ANYONE,
    COOPERATION,
    DEPUTY,
    ERROR,
    INFO,
    LEADER,
    MEMBER,
    MUNICIPALITIES,
    MUNICIPALITY,
    OBSERVER,
    OWNER_MUNICIPALITIES,
    SECRETARY,
    SUBSTITUTE,
    UNION,
    UNION_REP,
    WARNING,
    Finding,
    Group,
    Organisation,
    RuleSet,
    Seat,
    check_group,
    describe_changes,
    describe_rules,
    effective_review_interval,
    summarise,
)

D = datetime.date
ON = D(2020, 6, 1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# -- rule sets: the two mandate versions for faggruppene ---------------------------------------

RULES_2019 = RuleSet(
    min_reps_per_municipality=1,
    max_reps_per_municipality=1,
    cooperation_seat_required=True,
    union_seats_min=1,
    union_seats_max=1,
    leader_required=True,
    leader_eligibility=OWNER_MUNICIPALITIES,
    meetings_per_year_min=6,
    meetings_per_year_max=8,
    review_interval_days=180,
)
RULES_LATER = RuleSet(
    min_reps_per_municipality=1,
    max_reps_per_municipality=None,
    cooperation_seat_required=True,
    union_seats_min=1,
    union_seats_max=1,
    leader_required=True,
    leader_eligibility=MUNICIPALITIES,
    meetings_per_year_min=None,
    meetings_per_year_max=None,
    review_interval_days=180,
)


def rules_2019(**changes):
    """The 2019 rules with some rules changed."""
    return RuleSet(**{**RULES_2019.__dict__, **changes})


# -- organisations ------------------------------------------------------------------------------


def municipality(id, name, *, owner=True, member_from=None, member_to=None, merged_into=""):
    return Organisation(
        id=id,
        name=name,
        kind=MUNICIPALITY,
        is_owner=owner,
        member_from=member_from,
        member_to=member_to,
        merged_into=merged_into,
    )


MOLDE = municipality(1, "Molde")
RAUMA = municipality(2, "Rauma")
HUSTADVIKA = municipality(3, "Hustadvika", member_from=D(2020, 1, 1))
MIDSUND = municipality(4, "Midsund", member_to=D(2019, 12, 31), merged_into="Molde")
SUNNDAL = municipality(5, "Sunndal", owner=False)  # takes part, but owns no share of the cooperation
ROR_IKT = Organisation(id=10, name="ROR-IKT", kind=COOPERATION)
FAGFORBUNDET = Organisation(id=20, name="Fagforbundet", kind=UNION)

ORGANISATIONS = [MOLDE, RAUMA, HUSTADVIKA, MIDSUND, ROR_IKT, FAGFORBUNDET]


# -- seats, groups and meetings -----------------------------------------------------------------


SEATED = D(2019, 1, 1)  # when a seat starts unless told
VERIFIED = D(2020, 5, 1)  # when a seat was last confirmed unless told


def seat(person, role, organisation, *, start=SEATED, end=None, verified_at=VERIFIED):
    return Seat(person=person, role=role, organisation=organisation, start=start, end=end, verified_at=verified_at)


def complete_seats():
    """A group that meets the 2019 mandate on ``ON``: one seat per municipality, ROR-IKT, one union rep."""
    return [
        seat("Kari Molde", LEADER, MOLDE),
        seat("Ola Rauma", MEMBER, RAUMA),
        seat("Siri Hustadvika", MEMBER, HUSTADVIKA, start=D(2020, 1, 1)),
        seat("Rune Rådgiver", ADVISER, ROR_IKT),
        seat("Tora Tillitsvalgt", UNION_REP, FAGFORBUNDET),
    ]


def without(seats, person):
    assert person in {s.person for s in seats}, person
    return [s for s in seats if s.person != person]


def replaced(seats, person, **changes):
    """``seats`` with ``person``'s seat changed (role, organisation, dates...)."""
    assert person in {s.person for s in seats}, person
    return [Seat(**{**s.__dict__, **changes}) if s.person == person else s for s in seats]


GROUP = Group(id=7, title="Oppvekst og utdanning")


def meetings_before(on, count, *, every_days=30):
    """``count`` meeting dates, the latest on ``on`` and then every ``every_days`` days back."""
    return [on - datetime.timedelta(days=i * every_days) for i in range(count)]


def check(rules=RULES_2019, seats=None, organisations=ORGANISATIONS, on=ON, meetings=None, group=GROUP):
    return check_group(rules, group, complete_seats() if seats is None else seats, organisations, on, meetings)


def outcome(findings):
    """What the tests compare: (code, severity, organisation id) per finding, in the order given."""
    return [(f.code, f.severity, f.organisation_id) for f in findings]


# -- a group that meets its mandate -------------------------------------------------------------


def test_complete_group_has_no_findings_under_2019_rules():
    assert check(meetings=meetings_before(ON, 7)) == []


def test_complete_group_has_no_findings_under_later_rules():
    assert check(RULES_LATER, meetings=[]) == []


def test_findings_carry_the_group():
    [finding] = check(seats=without(complete_seats(), "Ola Rauma"))
    assert (finding.group_id, finding.group_title) == (7, "Oppvekst og utdanning")
    assert (finding.organisation_id, finding.organisation_name) == (RAUMA.id, "Rauma")


# -- representatives per municipality -----------------------------------------------------------


def test_missing_municipality_is_an_error():
    [finding] = check(seats=without(complete_seats(), "Siri Hustadvika"))
    assert outcome([finding]) == [("municipality_missing", ERROR, HUSTADVIKA.id)]
    assert finding.message == "Hustadvika has no representative"
    assert finding.details == {"count": 0}


def test_fewer_than_the_minimum_is_an_error():
    findings = check(rules_2019(min_reps_per_municipality=2, max_reps_per_municipality=None))
    assert outcome(findings) == [
        ("municipality_missing", ERROR, HUSTADVIKA.id),
        ("municipality_missing", ERROR, MOLDE.id),
        ("municipality_missing", ERROR, RAUMA.id),
    ]
    assert findings[0].message == "Hustadvika has 1 representative; the mandate requires at least 2"
    assert findings[0].details == {"count": 1}


def test_the_minimum_is_met_with_two_representatives():
    seats = [*complete_seats(), seat("Per Rauma", DEPUTY, RAUMA)]
    findings = check(rules_2019(min_reps_per_municipality=2, max_reps_per_municipality=None), seats)
    assert outcome(findings) == [
        ("municipality_missing", ERROR, HUSTADVIKA.id),
        ("municipality_missing", ERROR, MOLDE.id),
    ]


def test_more_than_the_maximum_is_a_warning():
    [finding] = check(seats=[*complete_seats(), seat("Per Rauma", MEMBER, RAUMA)])
    assert outcome([finding]) == [("municipality_surplus", WARNING, RAUMA.id)]
    assert finding.message == "Rauma has 2 representatives; the mandate allows 1"
    assert finding.details == {"count": 2}


def test_no_surplus_without_a_maximum():
    seats = [*complete_seats(), seat("Per Rauma", MEMBER, RAUMA), seat("Pål Rauma", DEPUTY, RAUMA)]
    assert check(RULES_LATER, seats) == []


def test_no_municipal_rule_when_minimum_and_maximum_are_none():
    rules = rules_2019(min_reps_per_municipality=None, max_reps_per_municipality=None)
    seats = [*without(complete_seats(), "Ola Rauma"), seat("Per Molde", MEMBER, MOLDE)]
    assert check(rules, seats) == []


@pytest.mark.parametrize("role", [SUBSTITUTE, OBSERVER, SECRETARY])
def test_roles_that_hold_no_seat_leave_the_municipality_missing(role):
    findings = check(seats=replaced(complete_seats(), "Ola Rauma", role=role))
    assert outcome(findings) == [("municipality_missing", ERROR, RAUMA.id)]


@pytest.mark.parametrize("role", [MEMBER, DEPUTY, ADVISER])
def test_roles_that_hold_a_seat_fill_it(role):
    assert check(seats=replaced(complete_seats(), "Ola Rauma", role=role)) == []


def test_a_substitute_does_not_count_towards_the_maximum():
    seats = [*complete_seats(), seat("Vera Vara", SUBSTITUTE, RAUMA)]
    assert check(seats=seats) == []


def test_a_union_representative_does_not_fill_a_municipal_seat():
    # Rauma's only person is the union representative: Rauma is missing, and there are two union reps.
    findings = check(seats=replaced(complete_seats(), "Ola Rauma", role=UNION_REP))
    assert outcome(findings) == [
        ("municipality_missing", ERROR, RAUMA.id),
        ("union_surplus", WARNING, None),
    ]


# -- memberships active on the check date -------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, counts",
    [
        pytest.param(D(2019, 1, 1), ON - DAY, False, id="ended the day before"),
        pytest.param(D(2019, 1, 1), ON, True, id="ends on the check date"),
        pytest.param(D(2019, 1, 1), ON + DAY, True, id="ends the day after"),
        pytest.param(ON, None, True, id="starts on the check date"),
        pytest.param(ON + DAY, None, False, id="starts the day after"),
    ],
)
def test_only_memberships_active_on_the_check_date_count(start, end, counts):
    findings = check(seats=replaced(complete_seats(), "Ola Rauma", start=start, end=end))
    assert outcome(findings) == ([] if counts else [("municipality_missing", ERROR, RAUMA.id)])


def test_an_ended_leader_is_no_leader():
    findings = check(seats=replaced(complete_seats(), "Kari Molde", end=ON - DAY))
    assert outcome(findings) == [
        ("leader_missing", ERROR, None),
        ("municipality_missing", ERROR, MOLDE.id),
    ]


# -- which municipalities are expected on the date ----------------------------------------------


@pytest.mark.parametrize(
    "member_from, member_to, expected",
    [
        pytest.param(None, ON - DAY, False, id="left the day before"),
        pytest.param(None, ON, True, id="leaves on the check date"),
        pytest.param(ON + DAY, None, False, id="joins the day after"),
        pytest.param(ON, None, True, id="joins on the check date"),
        pytest.param(D(2019, 1, 1), D(2021, 12, 31), True, id="takes part"),
    ],
)
def test_a_municipality_is_expected_only_while_it_takes_part(member_from, member_to, expected):
    newcomer = municipality(30, "Aukra", member_from=member_from, member_to=member_to)
    findings = check(organisations=[*ORGANISATIONS, newcomer])
    assert outcome(findings) == ([("municipality_missing", ERROR, newcomer.id)] if expected else [])


def test_hustadvika_is_expected_from_the_day_it_joined():
    seats = without(complete_seats(), "Siri Hustadvika")
    assert outcome(check(seats=seats, on=D(2019, 12, 31))) == [("municipality_missing", ERROR, MIDSUND.id)]
    assert outcome(check(seats=seats + [seat("Mona Midsund", MEMBER, MIDSUND)], on=D(2019, 12, 31))) == []
    assert outcome(check(seats=seats, on=D(2020, 1, 1))) == [("municipality_missing", ERROR, HUSTADVIKA.id)]


# -- the Midsund merger -------------------------------------------------------------------------


def test_a_seat_for_a_merged_municipality_is_a_warning_naming_its_successor():
    seats = [*complete_seats(), seat("Mona Midsund", MEMBER, MIDSUND)]
    [finding] = check(seats=seats, on=D(2020, 6, 1))
    assert outcome([finding]) == [("former_participant", WARNING, MIDSUND.id)]
    assert finding.message == "Mona Midsund represents Midsund, which has merged into Molde"
    assert finding.details == {"person": "Mona Midsund"}


def test_a_merged_municipality_is_not_reported_missing():
    assert check(on=D(2020, 6, 1)) == []


def test_before_the_merger_midsund_is_expected():
    on = D(2019, 6, 1)  # Hustadvika has not joined yet; Siri's seat has not started
    [finding] = check(on=on, meetings=meetings_before(on, 6))
    assert outcome([finding]) == [("municipality_missing", ERROR, MIDSUND.id)]
    assert finding.message == "Midsund has no representative"
    assert check(seats=[*complete_seats(), seat("Mona Midsund", MEMBER, MIDSUND)], on=on) == []


def test_a_seat_for_a_municipality_that_left_without_merging():
    gone = municipality(31, "Sandøy", member_to=D(2019, 12, 31))
    [finding] = check(
        seats=[*complete_seats(), seat("Sander Sandøy", MEMBER, gone)], organisations=[*ORGANISATIONS, gone]
    )
    assert outcome([finding]) == [("former_participant", WARNING, gone.id)]
    assert (
        finding.message == "Sander Sandøy represents Sandøy, which does not take part in the cooperation on this date"
    )


def test_a_seat_for_a_municipality_that_has_not_joined_yet():
    on = D(2019, 6, 1)
    seats = [*complete_seats(), seat("Mona Midsund", MEMBER, MIDSUND), seat("Hans Hustadvika", MEMBER, HUSTADVIKA)]
    assert outcome(check(seats=seats, on=on)) == [("former_participant", WARNING, HUSTADVIKA.id)]


# -- the cooperation's seat ---------------------------------------------------------------------


def test_missing_cooperation_seat_is_an_error():
    [finding] = check(seats=without(complete_seats(), "Rune Rådgiver"))
    assert outcome([finding]) == [("cooperation_missing", ERROR, ROR_IKT.id)]
    assert finding.message == "ROR-IKT has no representative"


def test_cooperation_seat_not_required():
    assert check(rules_2019(cooperation_seat_required=False), without(complete_seats(), "Rune Rådgiver")) == []


@pytest.mark.parametrize(
    "role, fills",
    [(ADVISER, True), (MEMBER, True), (SECRETARY, False), (OBSERVER, False), (SUBSTITUTE, False)],
)
def test_which_roles_fill_the_cooperation_seat(role, fills):
    findings = check(seats=replaced(complete_seats(), "Rune Rådgiver", role=role))
    assert outcome(findings) == ([] if fills else [("cooperation_missing", ERROR, ROR_IKT.id)])


def test_a_cooperation_representative_does_not_count_as_a_municipality():
    # The adviser's seat belongs to ROR-IKT: Rauma is still missing.
    seats = [*without(complete_seats(), "Ola Rauma"), seat("Rita Rådgiver", ADVISER, ROR_IKT)]
    assert outcome(check(seats=seats)) == [("municipality_missing", ERROR, RAUMA.id)]


# -- union representatives ----------------------------------------------------------------------


def test_no_union_representative_is_an_error():
    [finding] = check(seats=without(complete_seats(), "Tora Tillitsvalgt"))
    assert outcome([finding]) == [("union_missing", ERROR, None)]
    assert finding.message == "No union representative"
    assert finding.details == {"count": 0}


def test_too_few_union_representatives():
    [finding] = check(rules_2019(union_seats_min=2, union_seats_max=None))
    assert outcome([finding]) == [("union_missing", ERROR, None)]
    assert finding.message == "1 union representative; the mandate requires at least 2"


def test_two_union_representatives_when_one_is_allowed_is_a_warning():
    [finding] = check(seats=[*complete_seats(), seat("Tor Tillitsvalgt", UNION_REP, FAGFORBUNDET)])
    assert outcome([finding]) == [("union_surplus", WARNING, None)]
    assert finding.message == "2 union representatives; the mandate allows 1"
    assert finding.details == {"count": 2}


@pytest.mark.parametrize("union_reps", [0, 1, 3])
def test_no_union_rule_when_minimum_and_maximum_are_none(union_reps):
    seats = without(complete_seats(), "Tora Tillitsvalgt") + [
        seat(f"Tillitsvalgt {i}", UNION_REP, FAGFORBUNDET) for i in range(union_reps)
    ]
    assert check(rules_2019(union_seats_min=None, union_seats_max=None), seats) == []


def test_a_union_substitute_is_no_union_representative():
    seats = replaced(complete_seats(), "Tora Tillitsvalgt", role=SUBSTITUTE)
    assert outcome(check(seats=seats)) == [("union_missing", ERROR, None)]


# -- the leader ---------------------------------------------------------------------------------


def test_no_leader_is_an_error():
    [finding] = check(seats=replaced(complete_seats(), "Kari Molde", role=MEMBER))
    assert outcome([finding]) == [("leader_missing", ERROR, None)]
    assert finding.message == "No leader"


def test_no_leader_when_none_is_required():
    assert check(rules_2019(leader_required=False), replaced(complete_seats(), "Kari Molde", role=MEMBER)) == []


def test_two_leaders_is_an_error_naming_both():
    findings = check(RULES_LATER, replaced(complete_seats(), "Ola Rauma", role=LEADER))
    assert outcome(findings) == [("leader_multiple", ERROR, None)]
    assert findings[0].message == "More than one leader: Kari Molde (Molde), Ola Rauma (Rauma)"


def test_a_leader_from_the_cooperation_is_ineligible():
    seats = replaced(replaced(complete_seats(), "Kari Molde", role=MEMBER), "Rune Rådgiver", role=LEADER)
    [finding] = check(seats=seats)
    assert outcome([finding]) == [("leader_ineligible", ERROR, ROR_IKT.id)]
    assert finding.message == (
        "The leader Rune Rådgiver represents ROR-IKT; "
        "the leader is elected from among the owner municipalities' representatives"
    )


def test_a_leader_from_the_cooperation_is_ineligible_under_later_rules_too():
    seats = replaced(replaced(complete_seats(), "Kari Molde", role=MEMBER), "Rune Rådgiver", role=LEADER)
    [finding] = check(RULES_LATER, seats)
    assert outcome([finding]) == [("leader_ineligible", ERROR, ROR_IKT.id)]
    assert finding.message == (
        "The leader Rune Rådgiver represents ROR-IKT; "
        "the leader is elected from among the municipalities' representatives"
    )


@pytest.mark.parametrize(
    "eligibility, eligible",
    [(OWNER_MUNICIPALITIES, False), (MUNICIPALITIES, True), (ANYONE, True)],
)
def test_a_leader_from_a_municipality_that_is_not_an_owner(eligibility, eligible):
    seats = [*replaced(complete_seats(), "Kari Molde", role=MEMBER), seat("Svein Sunndal", LEADER, SUNNDAL)]
    findings = check(rules_2019(leader_eligibility=eligibility), seats, organisations=[*ORGANISATIONS, SUNNDAL])
    assert outcome(findings) == ([] if eligible else [("leader_ineligible", ERROR, SUNNDAL.id)])


@pytest.mark.parametrize("eligibility", [OWNER_MUNICIPALITIES, MUNICIPALITIES])
def test_a_leader_from_a_municipality_that_no_longer_takes_part_is_ineligible(eligibility):
    seats = [*replaced(complete_seats(), "Kari Molde", role=MEMBER), seat("Mona Midsund", LEADER, MIDSUND)]
    findings = check(rules_2019(leader_eligibility=eligibility), seats, on=D(2020, 6, 1))
    assert outcome(findings) == [
        ("leader_ineligible", ERROR, MIDSUND.id),
        ("former_participant", WARNING, MIDSUND.id),
    ]


def test_anyone_may_lead_even_the_union():
    """The tillitsvalgt elected leader still holds the union's seat: no union_missing, no surplus."""
    seats = replaced(replaced(complete_seats(), "Kari Molde", role=MEMBER), "Tora Tillitsvalgt", role=LEADER)
    assert check(rules_2019(leader_eligibility=ANYONE), seats) == []
    seats = [*seats, seat("Ulla Union", UNION_REP, FAGFORBUNDET)]
    assert outcome(check(rules_2019(leader_eligibility=ANYONE), seats)) == [("union_surplus", WARNING, None)]
    seats = seats[:-1]
    assert outcome(check(RULES_2019, seats)) == [("leader_ineligible", ERROR, FAGFORBUNDET.id)]


def test_two_leaders_one_ineligible():
    seats = replaced(complete_seats(), "Rune Rådgiver", role=LEADER)
    assert outcome(check(seats=seats)) == [
        ("leader_multiple", ERROR, None),
        ("leader_ineligible", ERROR, ROR_IKT.id),
    ]


# -- confirming the member list -----------------------------------------------------------------


def test_never_verified_entries_are_a_warning_with_their_count():
    seats = replaced(replaced(complete_seats(), "Ola Rauma", verified_at=None), "Kari Molde", verified_at=None)
    [finding] = check(seats=seats)
    assert outcome([finding]) == [("list_never_verified", WARNING, None)]
    assert finding.message == "2 entries on the member list have never been confirmed"
    assert finding.details == {"count": 2}


def test_one_never_verified_entry():
    [finding] = check(seats=replaced(complete_seats(), "Ola Rauma", verified_at=None))
    assert finding.message == "1 entry on the member list has never been confirmed"


def test_a_never_verified_substitute_counts_but_an_ended_seat_does_not():
    substitute = seat("Vera Vara", SUBSTITUTE, RAUMA, verified_at=None)
    ended = seat("Erik Tidligere", MEMBER, RAUMA, end=ON - DAY, verified_at=None)
    assert outcome(check(seats=[*complete_seats(), substitute])) == [("list_never_verified", WARNING, None)]
    assert check(seats=[*complete_seats(), ended]) == []


def test_an_old_confirmation_is_a_warning():
    oldest = D(2019, 12, 1)
    [finding] = check(seats=replaced(complete_seats(), "Ola Rauma", verified_at=oldest))
    assert outcome([finding]) == [("list_not_verified", WARNING, None)]
    assert finding.message == "The member list was last confirmed 01.12.2019, more than 180 days ago"
    assert finding.details == {"verified_on": oldest, "due_on": D(2020, 5, 29)}


@pytest.mark.parametrize(
    "days_ago, overdue",
    [(179, False), (180, False), (181, True)],
    ids=["within", "due today", "a day late"],
)
def test_review_boundary(days_ago, overdue):
    seats = replaced(complete_seats(), "Ola Rauma", verified_at=ON - datetime.timedelta(days=days_ago))
    assert outcome(check(seats=seats)) == ([("list_not_verified", WARNING, None)] if overdue else [])


def test_verified_at_may_be_a_datetime():
    stamp = datetime.datetime(2019, 12, 1, 14, 30)
    [finding] = check(seats=replaced(complete_seats(), "Ola Rauma", verified_at=stamp))
    assert outcome([finding]) == [("list_not_verified", WARNING, None)]
    assert finding.details == {"verified_on": D(2019, 12, 1), "due_on": D(2020, 5, 29)}
    on_time = datetime.datetime.combine(ON - datetime.timedelta(days=180), datetime.time(23, 59))
    assert check(seats=replaced(complete_seats(), "Ola Rauma", verified_at=on_time)) == []


def test_dates_and_datetimes_mixed():
    seats = replaced(complete_seats(), "Ola Rauma", verified_at=datetime.datetime(2020, 5, 20, 8, 0))
    assert check(seats=seats) == []


def test_the_engine_is_given_the_effective_interval_never_none():
    """An empty interval means the portal default (compliance.effective_rules); the engine does not guess."""
    with pytest.raises(ValueError, match="effective review interval"):
        check(rules_2019(review_interval_days=None))


@pytest.mark.parametrize("interval", [None, 0])
def test_no_interval_stands_for_the_portal_default(interval):
    assert effective_review_interval(interval) == 180
    with override_settings(FAGGRUPPE_REVIEW_INTERVAL_DAYS=30):
        assert effective_review_interval(interval) == 30
    assert effective_review_interval(45) == 45


@pytest.mark.parametrize("interval", [30, 180])
def test_check_review_boundary(interval):
    """Confirmed exactly ``interval`` days ago: still on time; one day more: overdue (the day after it fell due)."""

    def confirmed(days_ago):
        return [Seat(**{**s.__dict__, "verified_at": ON - datetime.timedelta(days=days_ago)}) for s in complete_seats()]

    on_time, late = confirmed(interval), confirmed(interval + 1)
    ruleset = rules_2019(review_interval_days=interval)
    assert check(ruleset, on_time) == []
    [finding] = check(ruleset, late)
    assert finding.code == "list_not_verified"
    assert finding.details["due_on"] == ON - DAY


@pytest.mark.parametrize(
    "local_time",
    [datetime.time(23, 30), datetime.time(0, 30)],
    ids=["23:30 local (the same day in UTC)", "00:30 local (the day before in UTC)"],
)
def test_a_confirmation_counts_on_its_local_date(local_time):
    """A confirmation stored as an aware (UTC) timestamp counts on the day it was made in Oslo.

    180 days before ON is 2019-12-04: a confirmation made then is on time, one made the day before is not.
    """
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    day = ON - datetime.timedelta(days=180)
    stamp = datetime.datetime.combine(day, local_time, tzinfo=oslo).astimezone(datetime.UTC)
    assert check(seats=replaced(complete_seats(), "Ola Rauma", verified_at=stamp)) == []
    day_before = stamp - datetime.timedelta(days=1)
    [finding] = check(seats=replaced(complete_seats(), "Ola Rauma", verified_at=day_before))
    assert finding.details == {"verified_on": day - DAY, "due_on": ON - DAY}


def test_never_verified_takes_precedence_over_old_confirmations():
    seats = replaced(replaced(complete_seats(), "Ola Rauma", verified_at=None), "Kari Molde", verified_at=D(2000, 1, 1))
    assert outcome(check(seats=seats)) == [("list_never_verified", WARNING, None)]


# -- meetings -----------------------------------------------------------------------------------


def test_meetings_not_recorded_gives_no_finding():
    assert check(meetings=None) == []


@pytest.mark.parametrize(
    "count, expected",
    [
        (0, [("meetings_too_few", WARNING, None)]),
        (5, [("meetings_too_few", WARNING, None)]),
        (6, []),
        (8, []),
        (9, [("meetings_too_many", INFO, None)]),
    ],
)
def test_meetings_per_year_2019(count, expected):
    assert outcome(check(meetings=meetings_before(ON, count))) == expected


def test_too_few_meetings_message():
    [finding] = check(meetings=meetings_before(ON, 5))
    assert finding.message == "5 meetings in the last 12 months; the mandate expects at least 6"
    assert finding.details == {"count": 5}


def test_one_meeting_message():
    [finding] = check(meetings=[ON])
    assert finding.message == "1 meeting in the last 12 months; the mandate expects at least 6"


def test_too_many_meetings_message():
    [finding] = check(meetings=meetings_before(ON, 9))
    assert finding.message == "9 meetings in the last 12 months; the mandate expects at most 8"


def test_meetings_older_than_365_days_do_not_count():
    recent = meetings_before(ON, 5)
    on_the_edge = ON - datetime.timedelta(days=364)
    too_old = ON - datetime.timedelta(days=365)
    assert outcome(check(meetings=[*recent, too_old])) == [("meetings_too_few", WARNING, None)]
    assert outcome(check(meetings=[*recent, D(2018, 1, 1)])) == [("meetings_too_few", WARNING, None)]
    assert check(meetings=[*recent, on_the_edge]) == []


def test_meetings_after_the_check_date_do_not_count():
    planned = [ON + datetime.timedelta(days=30 * i) for i in range(1, 4)]
    findings = check(meetings=[*meetings_before(ON, 5), *planned])
    assert outcome(findings) == [("meetings_too_few", WARNING, None)]
    assert findings[0].details == {"count": 5}


@pytest.mark.parametrize("meetings", [[], meetings_before(ON, 30, every_days=7)])
def test_the_group_decides_how_often_it_meets(meetings):
    assert check(RULES_LATER, meetings=meetings) == []


def test_only_a_minimum_number_of_meetings():
    rules = rules_2019(meetings_per_year_max=None)
    assert check(rules, meetings=meetings_before(ON, 30, every_days=7)) == []
    assert outcome(check(rules, meetings=[])) == [("meetings_too_few", WARNING, None)]


def test_only_a_maximum_number_of_meetings():
    rules = rules_2019(meetings_per_year_min=None)
    assert check(rules, meetings=[]) == []
    assert outcome(check(rules, meetings=meetings_before(ON, 9))) == [("meetings_too_many", INFO, None)]


# -- closed groups, no mandate, empty groups ----------------------------------------------------


@pytest.mark.parametrize("rules", [RULES_2019, RULES_LATER, None])
def test_a_closed_group_has_no_findings(rules):
    closed = Group(id=8, title="Nedlagt gruppe", closed=True)
    assert check(rules, seats=[], group=closed, meetings=[]) == []


def test_no_mandate_is_one_info_finding():
    assert check(None, seats=[]) == [
        Finding(
            code="no_mandate",
            severity=INFO,
            message="No approved mandate applies to this group.",
            group_id=7,
            group_title="Oppvekst og utdanning",
        )
    ]


def test_an_empty_group_under_2019_rules():
    findings = check(seats=[])
    assert outcome(findings) == [
        ("leader_missing", ERROR, None),
        ("union_missing", ERROR, None),
        ("municipality_missing", ERROR, HUSTADVIKA.id),
        ("municipality_missing", ERROR, MOLDE.id),
        ("cooperation_missing", ERROR, ROR_IKT.id),
        ("municipality_missing", ERROR, RAUMA.id),
    ]
    assert {f.organisation_name for f in findings} == {"", "Hustadvika", "Molde", "ROR-IKT", "Rauma"}


def test_only_ended_seats_is_an_empty_group():
    seats = [Seat(**{**s.__dict__, "end": ON - DAY}) for s in complete_seats()]
    assert outcome(check(seats=seats)) == outcome(check(seats=[]))


# -- ordering and summaries ---------------------------------------------------------------------


def mixed_findings():
    """One error (Rauma missing), two warnings (union surplus, never confirmed) and one info (many meetings)."""
    seats = [
        *without(complete_seats(), "Ola Rauma"),
        seat("Tor Tillitsvalgt", UNION_REP, FAGFORBUNDET, verified_at=None),
    ]
    return check(seats=seats, meetings=meetings_before(ON, 9))


def test_findings_are_sorted_errors_first():
    assert outcome(mixed_findings()) == [
        ("municipality_missing", ERROR, RAUMA.id),
        ("list_never_verified", WARNING, None),
        ("union_surplus", WARNING, None),
        ("meetings_too_many", INFO, None),
    ]


def test_within_a_severity_findings_are_sorted_by_organisation_then_code():
    seats = [*without(complete_seats(), "Kari Molde"), seat("Mona Midsund", MEMBER, MIDSUND)]
    findings = check(seats=seats)
    assert outcome(findings) == [
        ("leader_missing", ERROR, None),
        ("municipality_missing", ERROR, MOLDE.id),
        ("former_participant", WARNING, MIDSUND.id),
    ]


def test_summarise_counts_per_severity():
    assert summarise(mixed_findings()) == {ERROR: 1, WARNING: 2, INFO: 1}
    assert list(summarise(mixed_findings())) == [ERROR, WARNING, INFO]


def test_summarise_nothing():
    assert summarise([]) == {ERROR: 0, WARNING: 0, INFO: 0}


@pytest.mark.parametrize("severity, label", [(ERROR, "Error"), (WARNING, "Warning"), (INFO, "Information")])
def test_severity_labels(severity, label):
    finding = Finding(code="x", severity=severity, message="", group_id=1, group_title="G")
    assert finding.severity_label == label


def test_findings_compare_without_details():
    a = Finding(code="x", severity=ERROR, message="m", group_id=1, group_title="G", details={"count": 1})
    b = Finding(code="x", severity=ERROR, message="m", group_id=1, group_title="G", details={"count": 2})
    assert a == b
    assert hash(a) == hash(b)


# -- describing rules ---------------------------------------------------------------------------


def test_describe_the_2019_rules():
    assert describe_rules(RULES_2019) == [
        ("Representatives per municipality", "exactly 1"),
        ("Representative from the cooperation", "yes"),
        ("Union representatives", "exactly 1"),
        ("Leader", "required, elected from among the owner municipalities' representatives"),
        ("Meetings per year", "6–8"),
        ("Urgent matters between meetings", "no"),
        ("Member list confirmed", "at least every 180 days"),
        ("Status of measures reported", "at least every 120 days"),
        ("Realised benefits followed up", "yes"),
    ]


def test_describe_rules_that_set_nothing():
    nothing = RuleSet(
        min_reps_per_municipality=None,
        max_reps_per_municipality=None,
        cooperation_seat_required=False,
        union_seats_min=None,
        union_seats_max=None,
        leader_required=False,
        leader_eligibility=ANYONE,
        meetings_per_year_min=None,
        meetings_per_year_max=None,
        review_interval_days=None,
        status_report_interval_days=None,
        benefits_followed_up=False,
    )
    assert describe_rules(nothing) == [
        ("Representatives per municipality", "no rule"),
        ("Representative from the cooperation", "no"),
        ("Union representatives", "no rule"),
        ("Leader", "not required"),
        ("Meetings per year", "the group decides"),
        ("Urgent matters between meetings", "no"),
        ("Member list confirmed", "at least every 180 days (the portal's default)"),
        ("Status of measures reported", "no rule"),
        ("Realised benefits followed up", "no"),
    ]


def test_describe_a_mandate_without_an_interval_names_the_default_in_force():
    with override_settings(FAGGRUPPE_REVIEW_INTERVAL_DAYS=30):
        described = dict(describe_rules(rules_2019(review_interval_days=None)))
    assert described["Member list confirmed"] == "at least every 30 days (the portal's default)"
    with translation.override("nb"):
        described = dict(describe_rules(rules_2019(review_interval_days=None)))
    assert described["Medlemslisten bekreftes"] == "minst hver 180. dag (standard for portalen)"


@pytest.mark.parametrize(
    "low, high, text",
    [
        (1, 1, "exactly 1"),
        (2, None, "at least 2"),
        (None, 3, "at most 3"),
        (0, 3, "at most 3"),
        (2, 4, "2–4"),
    ],
)
def test_describe_ranges(low, high, text):
    described = dict(describe_rules(rules_2019(union_seats_min=low, union_seats_max=high)))
    assert described["Union representatives"] == text


def test_describe_a_one_day_review_and_anyone_leading():
    described = dict(describe_rules(rules_2019(review_interval_days=1, leader_eligibility=ANYONE)))
    assert described["Member list confirmed"] == "at least every 1 day"
    assert described["Leader"] == "required, elected from among any member"


def test_describe_changes_from_2019_to_the_later_mandate():
    assert describe_changes(RULES_2019, RULES_LATER) == [
        "Representatives per municipality: exactly 1 → at least 1",
        "Leader: required, elected from among the owner municipalities' representatives"
        " → required, elected from among the municipalities' representatives",
        "Meetings per year: 6–8 → the group decides",
    ]


@pytest.mark.parametrize("ruleset", [RULES_2019, RULES_LATER, RuleSet()])
def test_describe_changes_between_identical_rules_is_empty(ruleset):
    assert describe_changes(ruleset, RuleSet(**ruleset.__dict__)) == []


# -- the strings stay in step with the models ---------------------------------------------------


def test_kinds_and_roles_match_the_models():
    from faggruppe_pages.models import OrganisationKind, Role

    assert {MUNICIPALITY, COOPERATION, UNION} == set(OrganisationKind.values)
    assert (OrganisationKind.MUNICIPALITY, OrganisationKind.COOPERATION, OrganisationKind.UNION) == (
        MUNICIPALITY,
        COOPERATION,
        UNION,
    )
    assert {
        "LEADER": LEADER,
        "DEPUTY": DEPUTY,
        "MEMBER": MEMBER,
        "SUBSTITUTE": SUBSTITUTE,
        "UNION_REP": UNION_REP,
        "ADVISER": ADVISER,
        "SECRETARY": SECRETARY,
        "OBSERVER": OBSERVER,
    } == {member.name: member.value for member in Role}


def test_seat_roles_are_the_roles_that_fill_a_seat():
    from faggruppe_pages import predicates

    assert rules.SEAT_ROLES == {LEADER, DEPUTY, MEMBER, ADVISER}
    # The overview's empty seats and the compliance findings count the same roles: one set, not a copy.
    assert rules.SEAT_ROLES is predicates.SEAT_ROLES
