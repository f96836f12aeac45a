"""What an organisation must do to keep its entries current: the representative's work list.

One builder serves the admin start page (counts per organisation) and "Våre oppføringer" (the rows):
each entry that is not ended, marked overdue / never confirmed / ending soon / coming, and the groups
where the organisation should sit but has nobody (gaps, from the groups' seat rules). Other add-ons
add their own findings per organisation through ``ORGANISATION_FINDINGS_HOOK``.

It runs a fixed number of queries whatever the number of organisations, groups and entries (the
groups', the seats', the entries', the rules hook's and the findings hook's). The gaps are counted as the member
overview counts them (``Cell.gap``), from the seats' group, organisation and role alone: no overview of every
organisation's seats is built for one organisation's work list (at ×100 that was 40 % of the start page).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail import hooks

from faggruppe_pages.models import ArbeidsgruppePage, Membership, OrganisationKind
from faggruppe_pages.predicates import FILLING_ROLES, is_overdue
from faggruppe_pages.reader.overview import active_group_rows, seats_below
from faggruppe_pages.upkeep.seat_rules import rules_for

#: Hook: ``fn(organisations, day)`` -> ``{organisation_id: [Finding-like objects]}``; each object has
#: ``message``, ``severity_label`` and ``group_title``. A fixed number of queries whatever the input.
ORGANISATION_FINDINGS_HOOK = "faggruppe_pages_organisation_findings"

OVERDUE, NEVER, ENDING, COMING = "overdue", "never", "ending", "coming"
#: Statuses that need a confirmation.
DUE = frozenset({OVERDUE, NEVER})


@dataclass(frozen=True)
class Entry:
    membership: Membership
    statuses: frozenset

    @property
    def due(self):
        return bool(self.statuses & DUE)


@dataclass(frozen=True)
class Gap:
    group: object
    missing: int
    is_arbeidsgruppe: bool
    #: The unions' shared seat (any union may fill it), not this organisation's own.
    shared: bool = False


@dataclass
class OrganisationWork:
    organisation: object
    entries: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    findings: list = field(default_factory=list)

    def with_status(self, status):
        return [entry for entry in self.entries if status in entry.statuses]

    @property
    def overdue(self):
        return self.with_status(OVERDUE)

    @property
    def never_confirmed(self):
        return self.with_status(NEVER)

    @property
    def ending(self):
        return self.with_status(ENDING)

    @property
    def due(self):
        return [entry for entry in self.entries if entry.due]

    @property
    def nothing_to_do(self):
        return not (self.due or self.ending or self.gaps or self.findings)


def statuses_of(membership, interval_days, today):
    """The work-list marks of one entry on ``today``."""
    if membership.start_date > today:
        return frozenset({COMING})
    marks = set()
    if membership.last_verified_at is None:
        marks.add(NEVER)
    elif is_overdue(membership.last_verified_at, interval_days, today):
        marks.add(OVERDUE)
    if membership.ends_soon(today):
        marks.add(ENDING)
    return frozenset(marks)


def organisations_work(organisations, day=None):
    """[OrganisationWork] for ``organisations`` (in their order) on ``day``."""
    day = day or timezone.localdate()
    organisations = list(organisations)
    work = {org.pk: OrganisationWork(org) for org in organisations}
    if not organisations:
        return []
    memberships = list(
        Membership.objects.filter(represents__in=list(work))
        .not_ended(day)
        .select_related("person", "group", "represents", "last_verified_by")
        .order_by("group__path", "role", "person__name", "pk")
    )
    groups = active_group_rows(None)
    rules = rules_for(groups, day)
    # The live, active groups' rules are read for the gaps; only entries in other groups (closed, unpublished)
    # need the rules hook asked again.
    intervals = {pk: group_rules.review_interval_days for pk, group_rules in rules.items()}
    others = {m.group_id: m.group for m in memberships if m.group_id not in intervals}
    intervals.update({pk: rules.review_interval_days for pk, rules in rules_for(others.values(), day).items()})
    for m in memberships:
        work[m.represents_id].entries.append(Entry(m, statuses_of(m, intervals[m.group_id], day)))
    _add_gaps(work, groups, rules, day)
    for fn in hooks.get_hooks(ORGANISATION_FINDINGS_HOOK):
        for org_id, findings in (fn(organisations, day) or {}).items():
            if org_id in work:
                work[org_id].findings.extend(findings)
    return [work[org.pk] for org in organisations]


def _add_gaps(work, groups, rules, day):
    """Each organisation's gaps in ``groups`` (live and active, in the overview's order), counted as the member
    overview counts its cells: a participating municipality or the cooperation is missing what its kind's minimum
    asks beyond its seats; the unions together fill one shared seat, which every union is told about. Seats count
    by role (``FILLING_ROLES``). One query: the seats' group, organisation and role."""
    expected = [w for w in work.values() if w.organisation.kind != OrganisationKind.UNION]
    expected = [w for w in expected if w.organisation.participates_on(day)]
    unions = [w for w in work.values() if w.organisation.kind == OrganisationKind.UNION]
    wanted = Q(represents__in=[w.organisation.pk for w in expected])
    if unions:
        wanted |= Q(represents__kind=OrganisationKind.UNION)
    seats = (
        seats_below(None)
        .filter(wanted, role__in=FILLING_ROLES)
        .active_on(day)
        .values_list("group_id", "represents_id", "represents__kind")
    )
    filled = Counter()
    for group_id, organisation_id, kind in seats:
        filled[(group_id, OrganisationKind.UNION if kind == OrganisationKind.UNION else organisation_id)] += 1
    arbeidsgruppe_type = ContentType.objects.get_for_model(ArbeidsgruppePage).pk
    for group in groups:
        group_rules = rules[group.pk]
        is_arbeidsgruppe = group.content_type_id == arbeidsgruppe_type
        for w in expected:
            missing = group_rules.expected_for(w.organisation.kind)[0] - filled[(group.pk, w.organisation.pk)]
            if missing > 0:
                w.gaps.append(Gap(group, missing, is_arbeidsgruppe))
        if unions:
            missing = group_rules.expected_for(OrganisationKind.UNION)[0] - filled[(group.pk, OrganisationKind.UNION)]
            for union in unions if missing > 0 else ():
                union.gaps.append(Gap(group, missing, is_arbeidsgruppe, shared=True))
