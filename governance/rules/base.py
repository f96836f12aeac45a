"""The rule engine's vocabulary: the frozen values it reads (rule set, organisations, seats, group) and its findings.

The lowest layer of governance: the mandate model fills a ``RuleSet`` from its fields, the rule
families (``seats``, ``review``, ``meetings``) and ``describe`` read them. No ORM and no settings;
of the project it imports only ``faggruppe_pages.predicates``, so "who sits on a day" is the one
rule the whole portal uses.

Findings are warnings, never blocks (DESIGN §4): member lists lag behind reality, and the groups
are advisory. ``ERROR`` means the group does not meet its mandate (and makes ``check_compliance``
exit non-zero); ``WARNING`` means something needs looking at; ``INFO`` is for facts a reader may
want, such as "no mandate applies".
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# SEAT_ROLES: the roles that fill an organisation's seat, the portal's one set, named here for the rule families.
from faggruppe_pages.predicates import SEAT_ROLES as SEAT_ROLES
from faggruppe_pages.predicates import is_active_on

# The values of faggruppe_pages' OrganisationKind and Role, as plain strings (a test keeps them in step).
MUNICIPALITY, COOPERATION, UNION = "municipality", "cooperation", "union"
LEADER, DEPUTY, MEMBER, SUBSTITUTE = "leder", "nestleder", "medlem", "vara"
UNION_REP, ADVISER, SECRETARY, OBSERVER = "tillitsvalgt", "radgiver", "sekretaer", "observator"

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_LABELS = {ERROR: gettext_noop("Error"), WARNING: gettext_noop("Warning"), INFO: gettext_noop("Information")}

# Who may lead (RuleSet.leader_eligibility).
OWNER_MUNICIPALITIES, MUNICIPALITIES, ANYONE = "owner_municipalities", "municipalities", "anyone"


@dataclass(frozen=True)
class RuleSet:
    """The checkable rules of one mandate version. ``None`` means "the mandate sets no rule here".

    ``review_interval_days``: ``None`` (or 0) means the mandate sets no interval, so the portal default
    applies. The engine is given the effective interval: ``governance.compliance.effective_rules``
    resolves it (``rules.review.effective_review_interval``), and ``check_review`` refuses ``None``.
    """

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
    urgent_matters_between_meetings: bool = False
    status_report_interval_days: int | None = 120
    benefits_followed_up: bool = True


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
        return is_active_on(self.member_from, self.member_to, day)


@dataclass(frozen=True)
class Seat:
    person: str
    role: str
    organisation: Organisation
    start: datetime.date
    end: datetime.date | None = None
    #: When the entry was last confirmed as correct (a date, or a datetime read as its local date), or None.
    verified_at: datetime.date | None = None

    def active_on(self, day):
        return is_active_on(self.start, self.end, day)


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


def finder(group):
    """``finding(code, severity, message, organisation=None, **details)``: a Finding about ``group``."""

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


def summarise(findings):
    """Counts per severity: ``{"error": 2, "warning": 1, "info": 0}``."""
    counts = Counter(f.severity for f in findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITY_ORDER}


def severity_label(severity):
    return _(SEVERITY_LABELS[severity])
