"""The mandate's composition rules as pure functions: (rule set, group, seats, organisations, date) -> findings.

No ORM here: every input is a plain, frozen value, so each rule can be tested on its own
and run over any date. ``governance.compliance`` turns database rows into these values.

Findings are warnings, never blocks (DESIGN §4): member lists lag behind reality, and
the groups are advisory. ``ERROR`` means the group does not meet its mandate (and makes
``check_compliance`` exit non-zero); ``WARNING`` means something needs looking at;
``INFO`` is for facts a reader may want, such as "no mandate applies".
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

# The values of faggruppe_pages' OrganisationKind and Role, as plain strings (a test keeps them in step).
MUNICIPALITY, COOPERATION, UNION = "municipality", "cooperation", "union"
LEADER, DEPUTY, MEMBER, SUBSTITUTE = "leder", "nestleder", "medlem", "vara"
UNION_REP, ADVISER, SECRETARY, OBSERVER = "tillitsvalgt", "radgiver", "sekretaer", "observator"

#: Roles that fill an organisation's seat. Substitutes, secretaries and observers do not.
SEAT_ROLES = frozenset({LEADER, DEPUTY, MEMBER, ADVISER})

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# Who may lead (RuleSet.leader_eligibility).
OWNER_MUNICIPALITIES, MUNICIPALITIES, ANYONE = "owner_municipalities", "municipalities", "anyone"

#: Meetings are counted over this many days up to the check date.
MEETING_WINDOW_DAYS = 365


@dataclass(frozen=True)
class RuleSet:
    """The checkable rules of one mandate version. ``None`` means "the mandate sets no rule here"."""

    min_reps_per_municipality: int | None = 1
    max_reps_per_municipality: int | None = None
    cooperation_seat_required: bool = True
    union_seats_min: int | None = 1
    union_seats_max: int | None = 1
    leader_required: bool = True
    leader_eligibility: str = MUNICIPALITIES
    meetings_per_year_min: int | None = None
    meetings_per_year_max: int | None = None
    review_interval_days: int | None = 180


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    kind: str
    is_owner: bool = False
    member_from: datetime.date | None = None
    member_to: datetime.date | None = None
    merged_into: str = ""

    def participates_on(self, day):
        return (self.member_from is None or self.member_from <= day) and (
            self.member_to is None or self.member_to >= day
        )


@dataclass(frozen=True)
class Seat:
    person: str
    role: str
    organisation: Organisation
    start: datetime.date
    end: datetime.date | None = None
    #: When the entry was last confirmed as correct (a date or datetime), or None if never.
    verified_at: datetime.date | None = None

    def active_on(self, day):
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class Group:
    id: int
    title: str
    closed: bool = False


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    group_id: int
    group_title: str
    organisation_id: int | None = None
    organisation_name: str = ""
    details: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity_label(self):
        return severity_label(self.severity)

    @property
    def sort_key(self):
        return (SEVERITY_ORDER[self.severity], self.group_title, self.organisation_name, self.code)


def check_group(rules, group, seats, organisations, on, meetings=None):
    """Every finding for ``group`` on the date ``on``.

    ``rules`` is the RuleSet of the mandate in force (None: no mandate applies).
    ``seats`` are the group's memberships (any period; only those active on ``on`` count).
    ``organisations`` are every organisation that could be expected to sit in the group;
    which municipalities count is decided by their participation on ``on``.
    ``meetings`` are the dates of the group's meetings, or None while meetings are not recorded.
    """
    if group.closed:
        return []
    finding = _finder(group)
    if rules is None:
        return [finding("no_mandate", INFO, _("No approved mandate applies to this group."))]
    active = [seat for seat in seats if seat.active_on(on)]
    findings = [
        *check_municipal_seats(rules, active, organisations, on, finding),
        *check_cooperation_seat(rules, active, organisations, on, finding),
        *check_union_seats(rules, active, finding),
        *check_leader(rules, active, on, finding),
        *check_former_participants(active, on, finding),
        *check_review(rules, active, on, finding),
        *check_meetings(rules, meetings, on, finding),
    ]
    return sorted(findings, key=lambda f: f.sort_key)


def _finder(group):
    def finding(code, severity, message, organisation=None, **details):
        return Finding(
            code=code,
            severity=severity,
            message=message,
            group_id=group.id,
            group_title=group.title,
            organisation_id=organisation.id if organisation else None,
            organisation_name=organisation.name if organisation else "",
            details=details,
        )

    return finding


def _seat_counts(seats, kind):
    return Counter(seat.organisation.id for seat in seats if seat.role in SEAT_ROLES and seat.organisation.kind == kind)


def check_municipal_seats(rules, seats, organisations, on, finding):
    """R4/R5: each participating municipality has between min and max representatives."""
    counts = _seat_counts(seats, MUNICIPALITY)
    for org in sorted(organisations, key=lambda o: o.name):
        if org.kind != MUNICIPALITY or not org.participates_on(on):
            continue
        n = counts.get(org.id, 0)
        if rules.min_reps_per_municipality and n < rules.min_reps_per_municipality:
            if n == 0:
                message = _("%(org)s has no representative") % {"org": org.name}
            else:
                message = ngettext(
                    "%(org)s has %(n)d representative; the mandate requires at least %(min)d",
                    "%(org)s has %(n)d representatives; the mandate requires at least %(min)d",
                    n,
                ) % {"org": org.name, "n": n, "min": rules.min_reps_per_municipality}
            yield finding("municipality_missing", ERROR, message, org, count=n)
        elif rules.max_reps_per_municipality is not None and n > rules.max_reps_per_municipality:
            message = ngettext(
                "%(org)s has %(n)d representative; the mandate allows %(max)d",
                "%(org)s has %(n)d representatives; the mandate allows %(max)d",
                n,
            ) % {
                "org": org.name,
                "n": n,
                "max": rules.max_reps_per_municipality,
            }
            yield finding("municipality_surplus", WARNING, message, org, count=n)


def check_cooperation_seat(rules, seats, organisations, on, finding):
    """R4: the cooperation itself has a representative (an adviser) in every group."""
    if not rules.cooperation_seat_required:
        return
    counts = _seat_counts(seats, COOPERATION)
    for org in organisations:
        if org.kind == COOPERATION and org.participates_on(on) and not counts.get(org.id):
            yield finding("cooperation_missing", ERROR, _("%(org)s has no representative") % {"org": org.name}, org)


def check_union_seats(rules, seats, finding):
    """R7: one union representative (tillitsvalgt), chosen by the unions."""
    # A tillitsvalgt elected leader holds the union's seat as leader (role "leder", representing the union).
    n = sum(
        1 for seat in seats if seat.role == UNION_REP or (seat.role in SEAT_ROLES and seat.organisation.kind == UNION)
    )
    if rules.union_seats_min and n < rules.union_seats_min:
        if n == 0:
            message = _("No union representative")
        else:
            message = ngettext(
                "%(n)d union representative; the mandate requires at least %(min)d",
                "%(n)d union representatives; the mandate requires at least %(min)d",
                n,
            ) % {"n": n, "min": rules.union_seats_min}
        yield finding("union_missing", ERROR, message, count=n)
    elif rules.union_seats_max is not None and n > rules.union_seats_max:
        message = ngettext(
            "%(n)d union representative; the mandate allows %(max)d",
            "%(n)d union representatives; the mandate allows %(max)d",
            n,
        ) % {"n": n, "max": rules.union_seats_max}
        yield finding("union_surplus", WARNING, message, count=n)


def leader_is_eligible(rules, organisation, on):
    if rules.leader_eligibility == ANYONE:
        return True
    if organisation.kind != MUNICIPALITY or not organisation.participates_on(on):
        return False
    return rules.leader_eligibility != OWNER_MUNICIPALITIES or organisation.is_owner


def check_leader(rules, seats, on, finding):
    """R6: exactly one leader, elected from among the (owner) municipalities' representatives."""
    leaders = sorted((seat for seat in seats if seat.role == LEADER), key=lambda s: s.person)
    if not leaders:
        if rules.leader_required:
            yield finding("leader_missing", ERROR, _("No leader"))
        return
    if len(leaders) > 1:
        names = ", ".join(f"{seat.person} ({seat.organisation.name})" for seat in leaders)
        yield finding("leader_multiple", ERROR, _("More than one leader: %(names)s") % {"names": names})
    for seat in leaders:
        if leader_is_eligible(rules, seat.organisation, on):
            continue
        if rules.leader_eligibility == OWNER_MUNICIPALITIES:
            rule = _("the leader is elected from among the owner municipalities' representatives")
        else:
            rule = _("the leader is elected from among the municipalities' representatives")
        message = _("The leader %(person)s represents %(org)s; %(rule)s") % {
            "person": seat.person,
            "org": seat.organisation.name,
            "rule": rule,
        }
        yield finding("leader_ineligible", ERROR, message, seat.organisation)


def check_former_participants(seats, on, finding):
    """A seat held for a municipality that has left or merged (Midsund into Molde in 2020) should be moved or ended."""
    for seat in sorted(seats, key=lambda s: (s.organisation.name, s.person)):
        org = seat.organisation
        if org.kind != MUNICIPALITY or org.participates_on(on):
            continue
        if org.merged_into:
            message = _("%(person)s represents %(org)s, which has merged into %(successor)s") % {
                "person": seat.person,
                "org": org.name,
                "successor": org.merged_into,
            }
        else:
            message = _("%(person)s represents %(org)s, which does not take part in the cooperation on this date") % {
                "person": seat.person,
                "org": org.name,
            }
        yield finding("former_participant", WARNING, message, org, person=seat.person)


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def check_review(rules, seats, on, finding):
    """The member list is confirmed as correct at least once per review interval."""
    if not rules.review_interval_days or not seats:
        return
    never = sorted(seat.person for seat in seats if seat.verified_at is None)
    if never:
        message = ngettext(
            "%(n)d entry on the member list has never been confirmed",
            "%(n)d entries on the member list have never been confirmed",
            len(never),
        ) % {"n": len(never)}
        yield finding("list_never_verified", WARNING, message, count=len(never))
        return
    oldest = min(_as_date(seat.verified_at) for seat in seats)
    due = oldest + datetime.timedelta(days=rules.review_interval_days)
    if due < on:
        message = ngettext(
            "The member list was last confirmed %(date)s, more than %(days)d day ago",
            "The member list was last confirmed %(date)s, more than %(days)d days ago",
            rules.review_interval_days,
        ) % {"date": date_format(oldest, "SHORT_DATE_FORMAT"), "days": rules.review_interval_days}
        yield finding("list_not_verified", WARNING, message, verified_on=oldest, due_on=due)


def check_meetings(rules, meetings, on, finding):
    """R13: meetings per year, when the mandate sets a number and meetings are recorded (None: not recorded)."""
    if meetings is None or (rules.meetings_per_year_min is None and rules.meetings_per_year_max is None):
        return
    since = on - datetime.timedelta(days=MEETING_WINDOW_DAYS)
    n = sum(1 for day in meetings if since < day <= on)
    values = {"n": n, "min": rules.meetings_per_year_min, "max": rules.meetings_per_year_max}
    if rules.meetings_per_year_min is not None and n < rules.meetings_per_year_min:
        message = ngettext(
            "%(n)d meeting in the last 12 months; the mandate expects at least %(min)d",
            "%(n)d meetings in the last 12 months; the mandate expects at least %(min)d",
            n,
        )
        yield finding("meetings_too_few", WARNING, message % values, count=n)
    elif rules.meetings_per_year_max is not None and n > rules.meetings_per_year_max:
        message = ngettext(
            "%(n)d meeting in the last 12 months; the mandate expects at most %(max)d",
            "%(n)d meetings in the last 12 months; the mandate expects at most %(max)d",
            n,
        )
        yield finding("meetings_too_many", INFO, message % values, count=n)


def summarise(findings):
    """Counts per severity: ``{"error": 2, "warning": 1, "info": 0}``."""
    counts = Counter(f.severity for f in findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITY_ORDER}


# -- describing rules to readers ------------------------------------------------------------
def _range(low, high):
    if low is None and high is None:
        return None
    if low is not None and low == high:
        return _("exactly %(n)d") % {"n": low}
    if high is None:
        return _("at least %(n)d") % {"n": low}
    if low is None or low == 0:
        return _("at most %(n)d") % {"n": high}
    return _("%(low)d–%(high)d") % {"low": low, "high": high}


def describe_rules(ruleset):
    """The rule set as (label, value) pairs a reader understands, in a fixed order."""
    eligibility = {
        OWNER_MUNICIPALITIES: _("the owner municipalities' representatives"),
        MUNICIPALITIES: _("the municipalities' representatives"),
        ANYONE: _("any member"),
    }
    yes, no = _("yes"), _("no")
    review = ruleset.review_interval_days
    return [
        (
            _("Representatives per municipality"),
            _range(ruleset.min_reps_per_municipality, ruleset.max_reps_per_municipality) or _("no rule"),
        ),
        (_("Representative from the cooperation"), yes if ruleset.cooperation_seat_required else no),
        (_("Union representatives"), _range(ruleset.union_seats_min, ruleset.union_seats_max) or _("no rule")),
        (
            _("Leader"),
            (_("required, elected from among %(who)s") % {"who": eligibility[ruleset.leader_eligibility]})
            if ruleset.leader_required
            else _("not required"),
        ),
        (
            _("Meetings per year"),
            _range(ruleset.meetings_per_year_min, ruleset.meetings_per_year_max) or _("the group decides"),
        ),
        (
            _("Member list confirmed"),
            (ngettext("at least every %(n)d day", "at least every %(n)d days", review) % {"n": review})
            if review
            else _("no rule"),
        ),
    ]


def describe_changes(old, new):
    """What changed from ``old`` to ``new``: ["Representatives per municipality: exactly 1 → at least 1"]."""
    return [
        f"{label}: {before} → {after}"
        for (label, before), (_same_label, after) in zip(describe_rules(old), describe_rules(new), strict=True)
        if before != after
    ]


SEVERITY_LABELS = {ERROR: gettext_noop("Error"), WARNING: gettext_noop("Warning"), INFO: gettext_noop("Information")}


def severity_label(severity):
    return _(SEVERITY_LABELS[severity])
