"""The mandate's composition rules as pure functions: (rule set, group, seats, organisations, date) -> findings.

No ORM here: every input is a plain, frozen value, so each rule can be tested on its own and run
over any date. ``governance.compliance`` turns database rows into these values. One module per
rule family; this package runs them all (``check_group``) and names everything callers use:

- ``base``: the values (``RuleSet``, ``Organisation``, ``Seat``, ``Group``, ``Finding``), kinds,
  roles, severities (the lowest layer: the models import it, nothing else of the engine);
- ``seats``: municipal, cooperation and union seats, the leader, former participants;
- ``review``: the member list confirmed within the review interval (and the portal default);
- ``meetings``: meetings per year, urgent matters between meetings;
- ``work``: measures report their status, benefits are followed up (tasks 5 and 7);
- ``describe``: a rule set, and the changes between two, in words.
"""

from django.utils.translation import gettext as _

from governance.rules.base import (
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
    SEAT_ROLES,
    SECRETARY,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    SUBSTITUTE,
    UNION,
    UNION_REP,
    WARNING,
    Finding,
    Group,
    Organisation,
    RuleSet,
    Seat,
    finder,
    severity_label,
    summarise,
)
from governance.rules.describe import describe_changes, describe_rules
from governance.rules.meetings import MEETING_WINDOW_DAYS, check_meetings, check_urgent_matters
from governance.rules.review import check_review, effective_review_interval
from governance.rules.seats import (
    check_cooperation_seat,
    check_former_participants,
    check_leader,
    check_municipal_seats,
    check_union_seats,
    leader_is_eligible,
)
from governance.rules.work import Benefit, Measure, check_benefits, check_measures

__all__ = [
    "ADVISER",
    "ANYONE",
    "Benefit",
    "COOPERATION",
    "DEPUTY",
    "ERROR",
    "INFO",
    "LEADER",
    "MEETING_WINDOW_DAYS",
    "MEMBER",
    "Measure",
    "MUNICIPALITIES",
    "MUNICIPALITY",
    "OBSERVER",
    "OWNER_MUNICIPALITIES",
    "SEAT_ROLES",
    "SECRETARY",
    "SEVERITY_LABELS",
    "SEVERITY_ORDER",
    "SUBSTITUTE",
    "UNION",
    "UNION_REP",
    "WARNING",
    "Finding",
    "Group",
    "Organisation",
    "RuleSet",
    "Seat",
    "check_benefits",
    "check_cooperation_seat",
    "check_former_participants",
    "check_group",
    "check_leader",
    "check_measures",
    "check_meetings",
    "check_municipal_seats",
    "check_review",
    "check_union_seats",
    "check_urgent_matters",
    "describe_changes",
    "describe_rules",
    "effective_review_interval",
    "finder",
    "leader_is_eligible",
    "severity_label",
    "summarise",
]


def check_group(rules, group, seats, organisations, on, meetings=None, urgent=None, measures=None, benefits=None):
    """Every finding for ``group`` on the date ``on``, errors first.

    ``rules`` is the RuleSet of the mandate in force, with its effective review interval
    (``governance.compliance.effective_rules``); None: no mandate applies.
    ``seats`` are the group's memberships (any period; only those active on ``on`` count).
    ``organisations`` are every organisation that could be expected to sit in the group;
    which municipalities count is decided by their participation on ``on``.
    ``meetings`` are the dates of the group's meetings held, ``urgent`` of its urgent matters handled by
    e-mail, ``measures`` and ``benefits`` its published measures and approved benefits (``rules.Measure``,
    ``rules.Benefit``); each None while not recorded (no finding).
    """
    if group.closed:
        return []
    finding = finder(group)
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
        *check_urgent_matters(rules, urgent, on, finding),
        *check_measures(rules, measures, on, finding),
        *check_benefits(rules, benefits, on, finding),
    ]
    return sorted(findings, key=lambda f: f.sort_key)
