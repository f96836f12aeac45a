"""The member overview as data: every live, active group × the organisations that sit or should sit in it.

One builder serves the matrix page, the PDF, CSV and XLSX exports and the per-organisation page,
so every output shows the same thing. It runs a fixed number of queries however many groups
and members there are (tests assert it): the groups, their active seats, the organisations and
whatever the group-rules hook needs.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from faggruppe_pages.models import (
    ArbeidsgruppePage,
    GroupPage,
    GroupStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from faggruppe_pages.models.memberships import KIND_RANK, ROLE_RANK
from faggruppe_pages.predicates import SEAT_ROLES, due_on, is_overdue, list_is_overdue, list_verified_at
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


#: From this many faggrupper on, the overview pages group them per fagområde (``GroupPage.area``): /faggrupper/ in
#: collapsed sections, the member overview in pages (``MATRIX_PAGE_SIZE`` faggrupper each) ordered by fagområde.
#: Below it both look as they always did: one list by title.
AREA_SECTIONS_FROM = 30
#: Faggrupper (each with its arbeidsgrupper) on one page of the member overview when it is paged.
MATRIX_PAGE_SIZE = 40


@dataclass
class AreaSection:
    label: str
    groups: list
    #: Unique within the page, for ids and anchors.
    key: str = ""


def area_key(group):
    """Sort key of a faggruppe's fagområde: by name (case-insensitive), groups without one last."""
    area = (group.area or "").strip()
    return (not area, area.casefold())


def area_sections(groups):
    """``groups`` (faggrupper) per fagområde, each section by title, sections by name, those without one last."""
    sections = {}
    for group in sorted(groups, key=lambda g: (area_key(g), g.title.casefold())):
        area = (group.area or "").strip()
        sections.setdefault(area.casefold(), AreaSection(label=area or _("Without a professional area"), groups=[]))
        sections[area.casefold()].groups.append(group)
    result = list(sections.values())
    for number, section in enumerate(result, start=1):
        section.key = f"omrade-{number}"
    return result


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
    columns = _columns(organisations, {m.represents_id for held in seats.values() for m in held}, day, organisation)
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


def _columns(organisations, seated, day, only=None):
    """Participating municipalities and the cooperation, anyone else still holding a seat (``seated``: the ids of
    the organisations that hold one), and the unions."""
    participating = {o.pk for o in organisations if o.participates_on(day)}
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


# -- the matrix page: the same overview, light and paged -------------------------------------------------------
#
# The page shows a few strings per cell, so it fetches only those columns (no Membership, Person or Organisation
# object per seat) and renders each cell's HTML once, here: the template only places ready strings. The exports
# keep ``build_overview`` (whole objects: they show contact details, periods and roles in full).


@dataclass
class MatrixCell:
    label: str
    css: str
    html: str


@dataclass
class MatrixRow:
    group: GroupPage
    is_arbeidsgruppe: bool
    kind_label: str
    cells: list
    has_members: bool
    verified_at: datetime.datetime | None
    overdue: bool


@dataclass
class MatrixPage:
    today: datetime.date
    generated_at: datetime.datetime
    columns: list
    #: This page's rows per fagområde (AreaSection.groups holds MatrixRows); one unlabelled section if not paged.
    sections: list
    #: Counts over the whole overview, not only this page.
    group_count: int
    member_count: int
    gap_count: int
    overdue_count: int
    number: int = 1
    page_count: int = 1
    #: The page asked for is past the last one: this is the last page instead.
    past_last: bool = False
    #: Each fagområde and the page it starts on: [(AreaSection without rows, page number)] (paged only).
    area_pages: list = field(default_factory=list)

    @property
    def rows(self):
        return [row for section in self.sections for row in section.groups]

    @property
    def paged(self):
        return self.page_count > 1

    @property
    def page_numbers(self):
        return range(1, self.page_count + 1)


def _families(groups):
    """``live_groups``' order cut into families: [[faggruppe, its arbeidsgrupper, ...], ...]."""
    families, paths = [], set()
    for g in groups:
        if families and g.path[: -GroupPage.steplen] in paths:
            families[-1].append(g)
        else:
            families.append([g])
        paths.add(g.path)
    return families


def _seat_order(organisations):
    """Sort key of a seat like ``MembershipQuerySet.for_display``: leader first, organisation kind and name, role,
    person's name."""
    role_rank = {role: i for i, role in enumerate(ROLE_RANK)}
    kind_rank = {kind: i for i, kind in enumerate(KIND_RANK)}

    def key(seat):
        org = organisations[seat["represents_id"]]
        return (
            seat["role"] != Role.LEADER,
            kind_rank.get(org.kind, len(KIND_RANK)),
            org.name,
            role_rank.get(seat["role"], len(ROLE_RANK)),
            seat["person__name"],
        )

    return key


class _CellText:
    """The strings a cell shows, translated once per page rather than once per cell."""

    def __init__(self, organisations, person_base):
        self.organisations = organisations
        self.person_base = person_base
        self.roles = {role: str(label).lower() for role, label in Role.choices}
        self.gaps = {}
        self.surplus = format_html('<span class="meta">{}</span>', gettext("more than the mandate allows"))
        self.no_seat = format_html(
            '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>', gettext("no seat")
        )

    def gap(self, n):
        if n not in self.gaps:
            text = ngettext("Empty seat", "%(counter)s empty seats", n) % {"counter": n}
            self.gaps[n] = format_html('<span class="gap-mark">{}</span>', text)
        return self.gaps[n]

    def seat(self, seat):
        name = seat["person__name"]
        if self.person_base and seat["person__anonymised_at"] is None:
            name = format_html('<a href="{}{}/">{}</a>', self.person_base, seat["person_id"], name)
        role, note = seat["role"], ""
        if role == Role.UNION_REP:
            note = format_html(
                ' <span class="role">({})</span>', self.organisations[seat["represents_id"]].display_name
            )
        elif role not in (Role.MEMBER, Role.ADVISER):
            note = format_html(' <span class="role">({})</span>', self.roles.get(role, role))
        if role == Role.LEADER:
            return format_html('<li class="is-leader"><span aria-hidden="true">★ </span>{}{}</li>', name, note)
        return format_html("<li>{}{}</li>", name, note)

    def cell(self, held, gap, surplus):
        parts = []
        if held:
            parts.append(format_html('<ul class="seat-list">{}</ul>', mark_safe("".join(self.seat(s) for s in held))))
        if gap:
            parts.append(self.gap(gap))
        elif surplus:
            parts.append(self.surplus)
        elif not held:
            parts.append(self.no_seat)
        return mark_safe("".join(parts))


def _area_label(group):
    return (group.area or "").strip() or _("Without a professional area")


def build_matrix(root, request=None, organisation=None, organisations=None, page=1, day=None):
    """The member overview page: page ``page`` (1-based) of the rows and the summary counts of the whole overview.

    With at least ``AREA_SECTIONS_FROM`` faggrupper the rows are ordered per fagområde and paged,
    ``MATRIX_PAGE_SIZE`` faggrupper (each with its arbeidsgrupper) to a page; a page past the last gives the last.
    ``organisations``: every organisation, if the caller has them already. Four queries whatever the size: the
    groups, the rules hook's, the seats (only the columns shown) and the organisations (unless given)."""
    day = day or timezone.localdate()
    groups = live_groups(root)
    rules = rules_for(groups, day)
    arbeidsgruppe_type = ContentType.objects.get_for_model(ArbeidsgruppePage).pk
    seats = (
        Membership.objects.filter(group__live=True, group__status=GroupStatus.ACTIVE)
        .active_on(day)
        .order_by()
        .values("group_id", "role", "represents_id", "person_id", "person__name", "person__anonymised_at")
        .annotate(verified_at=F("last_verified_at"))
    )
    if root is not None:
        seats = seats.filter(group__path__startswith=root.path, group__depth__gt=root.depth)
    if organisation is not None:
        seats = seats.filter(represents=organisation)  # the page shows this organisation's column only
    if organisations is None:
        organisations = list(Organisation.objects.order_by("name"))
    by_id = {o.pk: o for o in organisations}
    if organisation is not None:
        by_id.setdefault(organisation.pk, organisation)
    seats = sorted(seats, key=_seat_order(by_id))
    by_group = {}
    for seat in seats:
        by_group.setdefault(seat["group_id"], []).append(seat)
    columns = _columns(
        sorted(by_id.values(), key=lambda o: o.name), {s["represents_id"] for s in seats}, day, organisation
    )
    union_ids = {pk for pk, o in by_id.items() if o.kind == OrganisationKind.UNION}
    person_base = ""
    if root is not None:  # ".../personer/" + id + "/"
        person_base = (root.get_url(request) or "") + root.reverse_subpage("person_page", args=[1])[: -len("1/")]
    text = _CellText(by_id, person_base)
    kind_labels = {True: str(_("Working group")), False: str(_("Professional group"))}

    families = _families(groups)
    paged = len(families) >= AREA_SECTIONS_FROM
    page_count = max(1, -(-len(families) // MATRIX_PAGE_SIZE)) if paged else 1
    past_last = page > page_count
    page = min(max(page, 1), page_count)
    area_pages = {}
    if paged:
        families.sort(key=lambda family: (area_key(family[0]), family[0].title.casefold()))
        for number, family in enumerate(families):
            label = _area_label(family[0])
            if str(label) not in area_pages:
                area_pages[str(label)] = (
                    AreaSection(label=label, groups=[], key=f"omrade-{len(area_pages) + 1}"),
                    number // MATRIX_PAGE_SIZE + 1,
                )
    first, last = (page - 1) * MATRIX_PAGE_SIZE, page * MATRIX_PAGE_SIZE

    member_count = gap_count = overdue_count = 0
    sections = []
    for number, family in enumerate(families):
        on_page = not paged or first <= number < last
        for g in family:
            held_all = by_group.get(g.pk, [])
            group_rules = rules[g.pk]
            cells = []
            for column in columns:
                if column.organisation is None:
                    held = [s for s in held_all if s["represents_id"] in union_ids]
                else:
                    held = [s for s in held_all if s["represents_id"] == column.organisation.pk]
                expected, maximum = group_rules.expected_for(column.kind) if column.expects_seats else (0, None)
                filled = sum(1 for s in held if s["role"] in SEAT_ROLES or s["role"] == Role.UNION_REP)
                gap = max(expected - filled, 0)
                member_count += len(held)
                gap_count += gap
                if on_page:
                    surplus = maximum is not None and filled > maximum
                    css = "has-gap" if gap else ("" if held else "is-empty")
                    cells.append(MatrixCell(label=column.label, css=css, html=text.cell(held, gap, surplus)))
            verified = [s["verified_at"] for s in held_all]
            overdue = list_is_overdue(verified, group_rules.review_interval_days, day)
            overdue_count += overdue
            if not on_page:
                continue
            if not sections or (paged and g is family[0] and str(sections[-1].label) != str(_area_label(g))):
                section = area_pages[str(_area_label(g))][0] if paged else AreaSection(label="", groups=[])
                sections.append(AreaSection(label=section.label, groups=[], key=section.key))
            is_arbeidsgruppe = g.content_type_id == arbeidsgruppe_type
            sections[-1].groups.append(
                MatrixRow(
                    group=g,
                    is_arbeidsgruppe=is_arbeidsgruppe,
                    kind_label=kind_labels[is_arbeidsgruppe],
                    cells=cells,
                    has_members=bool(held_all),
                    verified_at=list_verified_at(verified),
                    overdue=overdue,
                )
            )
    return MatrixPage(
        today=day,
        generated_at=timezone.localtime(),
        columns=columns,
        sections=sections,
        group_count=len(groups),
        member_count=member_count,
        gap_count=gap_count,
        overdue_count=overdue_count,
        number=page,
        page_count=page_count,
        past_last=past_last,
        area_pages=list(area_pages.values()),
    )
