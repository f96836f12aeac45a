"""The member overview as data: every live, active group × the organisations that sit or should sit in it.

One builder serves the matrix page, the PDF, CSV and XLSX exports and the per-organisation page,
so every output shows the same thing. It runs a fixed number of queries however many groups
and members there are (tests assert it): the groups, their active seats, the organisations and
whatever the group-rules hook needs.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faggruppe_pages.models import ArbeidsgruppePage, GroupPage, GroupStatus, Membership, Organisation, OrganisationKind
from faggruppe_pages.models.memberships import KIND_RANK
from faggruppe_pages.predicates import SEAT_ROLES, due_on, is_overdue, list_is_overdue
from faggruppe_pages.upkeep.privacy import mark_memberships
from faggruppe_pages.upkeep.seat_rules import rules_for

#: Column key of the union seat, which the unions fill together (one column for all unions together).
UNIONS = "unions"


@dataclass
class Column:
    key: str
    label: str
    kind: str
    organisation: Organisation | None = None
    #: Still sits in a group but no longer takes part in the cooperation (merged, left).
    former: bool = False
    #: Whether the rules expect seats of this column (not of a former participant, nor of one union alone:
    #: the unions share their seat).
    expects_seats: bool = True


@dataclass
class Cell:
    column: Column
    seats: list = field(default_factory=list)
    expected: int = 0
    maximum: int | None = None

    @property
    def filled(self):
        # A union representative fills the unions' seat (they only ever represent a union).
        return sum(1 for m in self.seats if m.role in SEAT_ROLES or m.role == "tillitsvalgt")

    @property
    def gap(self):
        """Seats missing compared with what the rules expect (0: none)."""
        return max(self.expected - self.filled, 0)

    @property
    def surplus(self):
        return self.maximum is not None and self.filled > self.maximum


@dataclass
class Row:
    group: GroupPage
    is_arbeidsgruppe: bool
    rules: object
    members: list
    cells: list
    today: datetime.date

    @property
    def kind_label(self):
        return _("Working group") if self.is_arbeidsgruppe else _("Professional group")

    @property
    def leader(self):
        return next((m for m in self.members if m.role == "leder"), None)

    @property
    def verified_at(self):
        return Membership.list_verified_at(self.members)

    @property
    def due_on(self):
        return due_on(self.verified_at, self.rules.review_interval_days)

    @property
    def overdue(self):
        return list_is_overdue([m.last_verified_at for m in self.members], self.rules.review_interval_days, self.today)

    @property
    def gaps(self):
        return [cell for cell in self.cells if cell.gap]

    def member_is_overdue(self, membership):
        return is_overdue(membership.last_verified_at, self.rules.review_interval_days, self.today)


@dataclass
class Overview:
    today: datetime.date
    generated_at: datetime.datetime
    columns: list
    rows: list
    organisation: Organisation | None = None
    group: GroupPage | None = None

    @property
    def gap_count(self):
        return sum(cell.gap for row in self.rows for cell in row.cells)

    @property
    def overdue_rows(self):
        return [row for row in self.rows if row.overdue]

    @property
    def member_count(self):
        return sum(len(cell.seats) for row in self.rows for cell in row.cells)


def live_groups(root=None, group=None):
    """Active live group pages below ``root`` (or one ``group``), faggrupper by title, each followed by its
    arbeidsgrupper by title. One query."""
    if group is not None:
        return [group] if group.live and group.status == GroupStatus.ACTIVE else []
    groups = GroupPage.objects.live().filter(status=GroupStatus.ACTIVE)
    if root is not None:
        groups = groups.descendant_of(root)
    groups = list(groups.order_by("path"))
    by_path = {g.path: g for g in groups}
    children = {}
    for g in groups:
        children.setdefault(g.path[: -GroupPage.steplen], []).append(g)
    ordered = []

    def visit(g):
        ordered.append(g)
        for child in sorted(children.get(g.path, []), key=lambda c: c.title.casefold()):
            visit(child)

    tops = [g for g in groups if g.path[: -GroupPage.steplen] not in by_path]
    for g in sorted(tops, key=lambda c: c.title.casefold()):
        visit(g)
    return ordered


def build_overview(root=None, organisation=None, group=None, day=None):
    """The overview on ``day``: rows for the groups, columns for the organisations (or just ``organisation``)."""
    day = day or timezone.localdate()
    groups = live_groups(root, group)
    arbeidsgruppe_type = ContentType.objects.get_for_model(ArbeidsgruppePage).pk
    rules = rules_for(groups, day)
    seats = {}
    if groups:
        for m in Membership.objects.filter(group__in=[g.pk for g in groups]).active_on(day).for_display():
            seats.setdefault(m.group_id, []).append(m)
        # Whose contact details readers may see, decided for all at once (privacy.py).
        mark_memberships([m for held in seats.values() for m in held], day)
    organisations = list(Organisation.objects.order_by("name"))
    columns = _columns(organisations, seats, day, organisation)
    rows = []
    for g in groups:
        members = seats.get(g.pk, [])
        group_rules = rules[g.pk]
        cells = []
        for column in columns:
            if column.organisation is None:
                held = [m for m in members if m.represents.kind == OrganisationKind.UNION]
            else:
                held = [m for m in members if m.represents_id == column.organisation.pk]
            expected, maximum = group_rules.expected_for(column.kind) if column.expects_seats else (0, None)
            cells.append(Cell(column=column, seats=held, expected=expected, maximum=maximum))
        shown = [m for cell in cells for m in cell.seats] if organisation else members
        rows.append(
            Row(
                group=g,
                is_arbeidsgruppe=g.content_type_id == arbeidsgruppe_type,
                rules=group_rules,
                members=shown,
                cells=cells,
                today=day,
            )
        )
    return Overview(
        today=day, generated_at=timezone.localtime(), columns=columns, rows=rows, organisation=organisation, group=group
    )


def _columns(organisations, seats, day, only=None):
    """Participating municipalities and the cooperation, anyone else still holding a seat, and the unions."""
    participating = {o.pk for o in organisations if o.participates_on(day)}
    seated = {m.represents_id for members in seats.values() for m in members}
    columns = []
    for org in sorted(organisations, key=lambda o: (KIND_RANK.index(o.kind), o.name)):
        if only is not None and org.pk != only.pk:
            continue
        if org.kind == OrganisationKind.UNION and only is None:
            continue  # the unions fill one seat together: one column below
        if org.pk in participating or org.pk in seated or only is not None:
            columns.append(
                Column(
                    key=org.slug,
                    label=org.display_name,
                    kind=org.kind,
                    organisation=org,
                    former=org.pk not in participating,
                    expects_seats=org.pk in participating and org.kind != OrganisationKind.UNION,
                )
            )
    if only is None:
        columns.append(Column(key=UNIONS, label=_("Union representative"), kind=OrganisationKind.UNION))
    return columns
