"""The ORM edge of the rule engine: database rows in, ``rules`` values out, findings back.

Every entry point runs a fixed number of queries, whatever the number of groups, members, meetings,
measures and benefits: the organisations, the approved mandates, the groups, their seats, meetings,
measures and benefits are each fetched once and matched in Python (tests/governance asserts seven
queries for ``check_all``).

What the work rules count (``work_facts``): meetings held are ordinary and extraordinary meetings whose
notice was sent (a meeting never announced was not held), dated in the 12 months up to the check date;
urgent matters are the e-mail rounds of the same window; measures are the published ones, with their
latest status report on or before the check date; benefits are the approved ones of published measures,
realised when a realisation is dated on or before the check date. So a check of an earlier day (the
yearly report's year end) sees what was known on that day.

The mandate's rule set goes to the engine with its *effective* review interval (``effective_rules``):
a mandate without one is judged by the portal default, here and in faggruppe_pages' overview and
reminders alike (``seat_rules_for`` fills their slot from the same rule set).
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from faggruppe_pages.models import GroupPage, GroupStatus, Membership, Organisation, OrganisationKind
from faggruppe_pages.prepared import prepared
from faggruppe_pages.upkeep.seat_rules import SeatRules
from faggruppe_pages.versioned import versioned
from governance import rules
from governance.models import (
    HELD_KINDS,
    Benefit,
    Mandate,
    MandateScope,
    Measure,
    MeetingKind,
    Realisation,
    StatusReport,
    group_kind,
    pick_mandate,
)
from governance.models.mandates import mandate_in_force
from governance.models.meetings import Meeting


@dataclass
class GroupCompliance:
    group: GroupPage
    mandate: Mandate | None
    findings: list = field(default_factory=list)

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == rules.ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == rules.WARNING]

    @property
    def counts(self):
        return rules.summarise(self.findings)

    @property
    def meets_mandate(self):
        return self.mandate is not None and not self.errors


def effective_rules(mandate):
    """The mandate's rule set as it is checked: an empty review interval is the portal default's."""
    rule_set = mandate.rule_set()
    return dataclasses.replace(
        rule_set, review_interval_days=rules.effective_review_interval(rule_set.review_interval_days)
    )


def organisation_facts():
    """Every municipality, cooperation and union as ``rules.Organisation`` values, by id (one query; none in a
    reader request whose data version has them already: ``versioned.versioned``). Do not change the dict."""
    return versioned("governance_organisation_facts", _organisation_facts)


@prepared
def _organisation_rows():
    return Organisation.objects.values(
        "id", "name", "short_name", "kind", "is_owner", "member_from", "member_to", "merged_into_id"
    )


def _organisation_facts():
    rows = _organisation_rows()
    names = {row["id"]: row["short_name"] or row["name"] for row in rows}
    return {
        row["id"]: rules.Organisation(
            id=row["id"],
            name=names[row["id"]],
            kind=row["kind"],
            is_owner=row["is_owner"],
            member_from=row["member_from"],
            member_to=row["member_to"],
            merged_into=names.get(row["merged_into_id"], ""),
        )
        for row in rows
    }


def seat_fact(membership, organisations):
    m = membership
    return seat_fact_of(
        m.person.name,
        m.role,
        m.represents_id,
        m.start_date,
        m.end_date,
        m.last_verified_at,
        organisations=organisations,
    )


#: A membership's values that make its seat fact (after its group id), in ``seat_fact_of``'s order.
SEAT_FACT_VALUES = ("group_id", "person__name", "role", "represents_id", "start_date", "end_date", "last_verified_at")


def seat_fact_of(person, role, organisation_id, start, end, verified_at, *, organisations):
    return rules.Seat(
        person=person,
        role=role,
        organisation=organisations[organisation_id],
        start=start,
        end=end,
        # A timestamp: the engine reads its local date (faggruppe_pages.predicates.local_date).
        verified_at=verified_at,
    )


def group_fact(group):
    return rules.Group(id=group.pk, title=group.title, closed=group.status == GroupStatus.CLOSED)


def expected_organisations(organisations):
    """Those the seat rules look at; unions are counted as seats, not expected one by one."""
    return [org for org in organisations.values() if org.kind in (OrganisationKind.MUNICIPALITY, rules.COOPERATION)]


@dataclass
class WorkFacts:
    """One group's meetings, urgent matters, measures and benefits as the rule engine reads them."""

    meetings: list = field(default_factory=list)
    urgent: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    benefits: list = field(default_factory=list)


def meeting_window(day):
    """[since, until): the moments whose meetings count on ``day`` (the 12 months up to and including it)."""
    since = timezone.make_aware(
        datetime.datetime.combine(day - datetime.timedelta(days=rules.MEETING_WINDOW_DAYS), datetime.time())
    )
    until = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
    return since, until


def work_facts_from(day, meetings, measures, benefits):
    """One group's WorkFacts from rows already loaded for its page, the same as ``work_facts`` finds: its
    meetings with the notice sent (any; those outside the window are left out here), newest first; its
    published measures with every status report prefetched (``status_reports``, newest first); the approved
    benefits of those measures with their ``realisations`` prefetched. No query."""
    facts = WorkFacts()
    since, until = meeting_window(day)
    for meeting in meetings:
        if meeting.notice_sent_at is None or not since <= meeting.starts_at < until:
            continue
        local_day = timezone.localdate(meeting.starts_at)
        if meeting.kind in HELD_KINDS:
            facts.meetings.append(local_day)
        elif meeting.kind == MeetingKind.URGENT:
            facts.urgent.append(local_day)
    for measure in measures:
        last = next((r for r in measure.status_reports.all() if r.date <= day), None)
        since_day = measure.start_date or timezone.localdate(measure.published_at)
        facts.measures.append(
            rules.Measure(
                measure.pk,
                measure.title,
                since_day,
                last_report=last.date if last else None,
                last_status=(last.status if last else "") or "",
            )
        )
    for benefit in benefits:
        realised = any(r.date <= day for r in benefit.realisations.all())
        facts.benefits.append(
            rules.Benefit(benefit.pk, benefit.description, benefit.measure.title, benefit.target_date, realised)
        )
    return facts


def work_facts(group_ids, day):
    """{group id: WorkFacts} for ``group_ids`` on ``day``, in three queries whatever the amounts."""
    facts = {pk: WorkFacts() for pk in group_ids}
    since, until = meeting_window(day)
    meetings = Meeting.objects.filter(
        group_id__in=group_ids, notice_sent_at__isnull=False, starts_at__gte=since, starts_at__lt=until
    ).values_list("group_id", "kind", "starts_at")
    for group_id, kind, starts_at in meetings:
        local_day = timezone.localdate(starts_at)
        if kind in HELD_KINDS:
            facts[group_id].meetings.append(local_day)
        elif kind == MeetingKind.URGENT:
            facts[group_id].urgent.append(local_day)
    reports = StatusReport.objects.filter(measure=OuterRef("pk"), date__lte=day).order_by("-date", "-pk")
    measures = (
        Measure.objects.filter(group_id__in=group_ids, published_at__isnull=False)
        .annotate(
            last_report=Max("status_reports__date", filter=Q(status_reports__date__lte=day)),
            last_status=Subquery(reports.values("status")[:1]),
        )
        .values_list("pk", "group_id", "title", "start_date", "published_at", "last_report", "last_status")
    )
    for pk, group_id, title, start, published_at, last_report, last_status in measures:
        since_day = start or timezone.localdate(published_at)
        facts[group_id].measures.append(
            rules.Measure(pk, title, since_day, last_report=last_report, last_status=last_status or "")
        )
    realised = Realisation.objects.filter(benefit=OuterRef("pk"), date__lte=day)
    benefits = (
        Benefit.objects.filter(
            measure__group_id__in=group_ids, approved_at__isnull=False, measure__published_at__isnull=False
        )
        .annotate(realised=Exists(realised))
        .values_list("pk", "measure__group_id", "description", "measure__title", "target_date", "realised")
    )
    for pk, group_id, description, measure_title, target_date, is_realised in benefits:
        facts[group_id].benefits.append(rules.Benefit(pk, description, measure_title, target_date, is_realised))
    return facts


#: "Look it up": a mandate argument of None means that no mandate applies.
LOOK_UP = object()


def check_group(group, day=None, members=None, mandate=LOOK_UP, organisations=None, work=None, seats=None):
    """Compliance of one group on ``day``. Pass ``members`` (active memberships), or ``seats`` (their
    ``rules.Seat`` facts), and ``work`` (its WorkFacts) when already loaded."""
    day = day or timezone.localdate()
    if mandate is LOOK_UP:
        mandate = mandate_in_force(group, day)
    if members is None and seats is None:
        members = list(Membership.objects.filter(group=group).active_on(day).select_related("person"))
    if mandate is None and group_kind(group) == MandateScope.ARBEIDSGRUPPER:
        # Most arbeidsgrupper work from the faggruppe's assignment alone; that is not a finding.
        return GroupCompliance(group=group, mandate=None, findings=[])
    organisations = organisations if organisations is not None else organisation_facts()
    if work is None and mandate is not None:
        work = work_facts([group.pk], day)[group.pk]
    work = work or WorkFacts()
    findings = rules.check_group(
        effective_rules(mandate) if mandate else None,
        group_fact(group),
        [seat_fact(m, organisations) for m in members] if seats is None else seats,
        expected_organisations(organisations),
        day,
        meetings=work.meetings,
        urgent=work.urgent,
        measures=work.measures,
        benefits=work.benefits,
    )
    return GroupCompliance(group=group, mandate=mandate, findings=findings)


def check_all(day=None, groups=None):
    """Compliance of every live group page (or of ``groups``) on ``day``, in seven queries."""
    day = day or timezone.localdate()
    if groups is None:
        groups = list(GroupPage.objects.live().order_by("path"))
    organisations = organisation_facts()
    mandates = list(Mandate.objects.valid_on(day))
    # The seats as the rules read them, straight from their values: no Membership or Person object each (at
    # ×100, ten thousand seats: most of the start page's time).
    seats = {}
    for group_id, *values in (
        Membership.objects.filter(group__in=[g.pk for g in groups]).active_on(day).values_list(*SEAT_FACT_VALUES)
    ):
        seats.setdefault(group_id, []).append(seat_fact_of(*values, organisations=organisations))
    work = work_facts([g.pk for g in groups], day)
    return [
        check_group(
            group,
            day,
            seats=seats.get(group.pk, []),
            mandate=pick_mandate(mandates, group),
            organisations=organisations,
            work=work[group.pk],
        )
        for group in groups
    ]


def all_findings(results):
    return sorted((f for result in results for f in result.findings), key=lambda f: f.sort_key)


def seat_rules_for(groups, day):
    """faggruppe_pages' group-rules slot: each group's seat and review rules from the mandate in force (one query;
    for a single group the one ``check_group`` reads too).

    Groups no mandate applies to are left out, so faggruppe_pages uses its defaults for them.
    """
    if not groups:
        return {}
    if len(groups) == 1 and isinstance(groups[0], GroupPage):  # one group page: the mandate its sections show too
        # (asked once, mandate_in_force); the overview's light rows (reader/overview.py GroupRow) go below.
        mandates = None
    else:
        mandates = list(Mandate.objects.valid_on(day).defer("text"))
    result = {}
    for group in groups:
        mandate = mandate_in_force(group, day) if mandates is None else pick_mandate(mandates, group)
        if mandate is None:
            continue
        rule_set = effective_rules(mandate)
        result[group.pk] = SeatRules(
            review_interval_days=rule_set.review_interval_days,
            municipality_seats_min=rule_set.min_reps_per_municipality or 0,
            municipality_seats_max=rule_set.max_reps_per_municipality,
            cooperation_seat=rule_set.cooperation_seat_required,
            union_seats_min=rule_set.union_seats_min or 0,
        )
    return result


def organisation_findings(organisations, day):
    """faggruppe_pages' organisation-findings slot (the start page's work list): each organisation's own
    findings (warnings and errors naming it) in every live group, in check_all's fixed number of queries."""
    wanted = {org.pk for org in organisations}
    found = {}
    for finding in all_findings(check_all(day)):
        if finding.organisation_id in wanted and finding.severity != rules.INFO:
            found.setdefault(finding.organisation_id, []).append(finding)
    return found
