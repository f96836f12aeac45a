"""The member overview as data: every live, active group × the organisations that sit or should sit in it.

One builder serves the matrix page, the PDF, CSV and XLSX exports and the per-organisation page,
so every output shows the same thing. It runs a fixed number of queries however many groups
and members there are (tests assert it): the groups, their active seats, the organisations and
whatever the group-rules hook needs.
"""

import datetime
from dataclasses import dataclass, field
from html import escape

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
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
from faggruppe_pages.predicates import FILLING_ROLES, due_on, is_overdue, list_is_overdue, list_verified_at
from faggruppe_pages.upkeep.privacy import mark_memberships
from faggruppe_pages.upkeep.seat_rules import rules_for
from faggruppe_pages.wiring import subpage_address

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
        return sum(1 for m in self.seats if m.role in FILLING_ROLES)

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
    #: Seats that start later, {group id: [membership]} (``build_overview(upcoming=True)`` only).
    upcoming: dict = field(default_factory=dict)

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
    return tree_order(groups.order_by("path"))


def tree_order(groups):
    """``groups`` (in path order) with faggrupper by title, each followed by its arbeidsgrupper by title."""
    groups = list(groups)
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


class GroupRow:
    """A group page as the overview pages list it, read with ``values()``: no Page object per group (at 900
    groups building them costs more than the rest of the page). Has what the pages and the group-rules hook use:
    ``pk``, ``path``, ``depth``, ``title``, ``area``, ``status``, ``content_type_id``, ``specific_class``, and
    ``url``, the page's address (the overview page's address and the rest of the page's tree path)."""

    FIELDS = ("pk", "path", "depth", "title", "area", "status", "content_type_id", "url_path")

    def __init__(self, values, root, root_url):
        self.__dict__.update(values)
        self.id = self.pk
        self.url = root_url + self.url_path[len(root.url_path) :] if root_url else ""

    def __repr__(self):
        return f"<GroupRow {self.pk} {self.title!r}>"

    @property
    def specific_class(self):
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def is_closed(self):
        return self.status == GroupStatus.CLOSED


def group_rows(root, request=None, queryset=None, fields=(), order_by="path"):
    """Live groups below ``root`` as ``GroupRow`` (``queryset``: narrower or annotated; ``fields``: more values).
    ``root`` None: every live group, without addresses (the admin's work list). One query."""
    queryset = GroupPage.objects.live() if queryset is None else queryset
    if root is not None:
        queryset = queryset.descendant_of(root)
    rows = queryset.order_by(order_by).values(*GroupRow.FIELDS, *fields)
    root_url = (root.get_url(request) or "") if root is not None else ""
    return [GroupRow(values, root, root_url) for values in rows]


def build_overview(root=None, organisation=None, group=None, day=None, contacts=True, upcoming=False):
    """The overview on ``day``: rows for the groups, columns for the organisations (or just ``organisation``:
    then only its seats are read). ``contacts=False``: the caller shows no contact details, so whose details
    readers may see is not decided (privacy.py; a query saved). ``upcoming``: read the seats that start after
    ``day`` in the same query, into ``Overview.upcoming`` ({group id: [membership]} by start and name)."""
    day = day or timezone.localdate()
    groups = live_groups(root, group)
    arbeidsgruppe_type = ContentType.objects.get_for_model(ArbeidsgruppePage).pk
    rules = rules_for(groups, day)
    seats, coming = {}, {}
    if groups:
        memberships = Membership.objects.filter(group__in=[g.pk for g in groups]).active_on(day)
        if organisation is not None:
            memberships = memberships.filter(represents=organisation)  # its column is the only one
        if upcoming:
            memberships = Membership.objects.filter(group__in=[g.pk for g in groups]).not_ended(day)
            if organisation is not None:
                memberships = memberships.filter(represents=organisation)
        for m in memberships.for_display():
            if m.start_date > day:
                coming.setdefault(m.group_id, []).append(m)
            else:
                seats.setdefault(m.group_id, []).append(m)
        for held in coming.values():
            held.sort(key=lambda m: (m.start_date, m.person.name))
        if contacts:
            # Whose contact details readers may see, decided for all at once (privacy.py).
            mark_memberships([m for held in seats.values() for m in held], day)
    # Only the organisation's own column: no need for the others.
    organisations = [organisation] if organisation is not None else list(Organisation.objects.order_by("name"))
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
        today=day,
        generated_at=timezone.localtime(),
        columns=columns,
        rows=rows,
        organisation=organisation,
        group=group,
        upcoming=coming,
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
    column: Column
    #: Seats missing compared with what the rules expect (0: none).
    gap: int
    css: str
    html: str

    @property
    def label(self):
        return self.column.label


@dataclass
class MatrixRow:
    group: GroupPage
    is_arbeidsgruppe: bool
    kind_label: str
    cells: list
    has_members: bool
    verified_at: datetime.datetime | None
    overdue: bool


class Paging:
    """Families of groups (``_families``) on pages, for a page that lists them: with at least
    ``AREA_SECTIONS_FROM`` families they are ordered per fagområde (sorted here, in place) and cut into pages of
    ``MATRIX_PAGE_SIZE``; fewer stay as they were, on one page. ``page`` (1-based) past the last gives the last.
    ``add`` puts a row of a family on this page under its fagområde's heading (``sections``)."""

    def __init__(self, families, page):
        self.cut = len(families) >= AREA_SECTIONS_FROM
        self.page_count = max(1, -(-len(families) // MATRIX_PAGE_SIZE)) if self.cut else 1
        self.past_last = page > self.page_count
        self.number = min(max(page, 1), self.page_count)
        #: Each fagområde and the page it starts on: {label: (AreaSection without rows, page number)}.
        self.areas = {}
        if self.cut:
            families.sort(key=lambda family: (area_key(family[0]), family[0].title.casefold()))
            for number, family in enumerate(families):
                label = _area_label(family[0])
                if str(label) not in self.areas:
                    section = AreaSection(label=label, groups=[], key=f"omrade-{len(self.areas) + 1}")
                    self.areas[str(label)] = (section, number // MATRIX_PAGE_SIZE + 1)
        self.first, self.last = (self.number - 1) * MATRIX_PAGE_SIZE, self.number * MATRIX_PAGE_SIZE
        #: This page's rows per fagområde (AreaSection.groups); one unlabelled section when not cut.
        self.sections = []

    def holds(self, number):
        """Whether the ``number``th family (0-based, in the order above) is on this page."""
        return not self.cut or self.first <= number < self.last

    def add(self, family, row):
        """``row`` (of a group of ``family``, on this page) in this page's section of the family's fagområde."""
        label = _area_label(family[0])
        if self.cut and (not self.sections or str(self.sections[-1].label) != str(label)):
            section = self.areas[str(label)][0]
            self.sections.append(AreaSection(label=section.label, groups=[], key=section.key))
        elif not self.sections:
            self.sections.append(AreaSection(label="", groups=[]))
        self.sections[-1].groups.append(row)

    def page(self):
        """What a ``PagedList`` holds of this page, as its keyword arguments."""
        return {
            "sections": self.sections,
            "number": self.number,
            "page_count": self.page_count,
            "past_last": self.past_last,
            "area_pages": list(self.areas.values()),
        }


@dataclass(kw_only=True)
class PagedList:
    """One page of a list that ``Paging`` cut per fagområde: what the page navigation needs (views.page_links)."""

    #: This page's rows per fagområde (AreaSection.groups); one unlabelled section if not paged.
    sections: list = field(default_factory=list)
    number: int = 1
    page_count: int = 1
    #: The page asked for is past the last one: this is the last page instead.
    past_last: bool = False
    #: Each fagområde and the page it starts on: [(AreaSection without rows, page number)] (paged only).
    area_pages: list = field(default_factory=list)

    @property
    def paged(self):
        return self.page_count > 1

    @property
    def page_numbers(self):
        return range(1, self.page_count + 1)


@dataclass
class MatrixPage(PagedList):
    today: datetime.date
    generated_at: datetime.datetime
    columns: list
    #: Counts over the whole overview, not only this page.
    group_count: int
    member_count: int
    gap_count: int
    overdue_count: int

    @property
    def rows(self):
        return [row for section in self.sections for row in section.groups]


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
    """The HTML of the cells, from plain strings escaped once (``html.escape``, as Django's ``escape``); the
    fixed texts are translated once per page rather than once per cell."""

    def __init__(self, organisations, person_url):
        self.person_url = person_url
        self.roles = {role: escape(str(label).lower()) for role, label in Role.choices}
        self.unions = {pk: escape(o.display_name) for pk, o in organisations.items()}
        self.gaps = {}
        # Translated outside the f-strings: makemessages (xgettext) does not see a gettext() inside one.
        surplus, no_seat = gettext("more than the mandate allows"), gettext("no seat")
        self.surplus = f'<span class="meta">{escape(surplus)}</span>'
        self.no_seat = f'<span aria-hidden="true">–</span><span class="visually-hidden">{escape(no_seat)}</span>'

    def gap(self, n):
        if n not in self.gaps:
            text = ngettext("Empty seat", "%(counter)s empty seats", n) % {"counter": n}
            self.gaps[n] = f'<span class="gap-mark">{escape(text)}</span>'
        return self.gaps[n]

    def seat(self, seat):
        name = escape(seat["person__name"])
        if seat["person__anonymised_at"] is None:
            name = f'<a href="{escape(self.person_url(seat["person_id"]))}">{name}</a>'
        role = seat["role"]
        if role == Role.UNION_REP:
            name += f' <span class="role">({self.unions[seat["represents_id"]]})</span>'
        elif role not in (Role.MEMBER, Role.ADVISER):
            name += f' <span class="role">({self.roles.get(role) or escape(role)})</span>'
        if role == Role.LEADER:
            return f'<li class="is-leader"><span aria-hidden="true">★ </span>{name}</li>'
        return f"<li>{name}</li>"

    def cell(self, held, gap, surplus):
        html = f'<ul class="seat-list">{"".join(self.seat(s) for s in held)}</ul>' if held else ""
        if gap:
            html += self.gap(gap)
        elif surplus:
            html += self.surplus
        elif not held:
            html += self.no_seat
        return mark_safe(html)  # noqa: S308 -- every value above is escaped


def _area_label(group):
    return (group.area or "").strip() or _("Without a professional area")


def active_group_rows(root, request=None):
    """The live, active groups below ``root`` (None: all) as ``GroupRow``, faggrupper by title, each followed by
    its arbeidsgrupper (``tree_order``). One query."""
    return tree_order(group_rows(root, request, GroupPage.objects.live().filter(status=GroupStatus.ACTIVE)))


def seats_below(root):
    """Memberships in the live, active groups below ``root`` (None: anywhere), unordered (the caller narrows and
    reads them)."""
    seats = Membership.objects.filter(group__live=True, group__status=GroupStatus.ACTIVE).order_by()
    if root is None:
        return seats
    return seats.filter(group__path__startswith=root.path, group__depth__gt=root.depth)


def build_matrix(root, request=None, organisation=None, organisations=None, page=1, day=None):
    """The member overview page below ``root``: page ``page`` (1-based) of the rows, and the summary counts of
    the whole overview.

    With at least ``AREA_SECTIONS_FROM`` faggrupper the rows are ordered per fagområde and paged,
    ``MATRIX_PAGE_SIZE`` faggrupper (each with its arbeidsgrupper) to a page; a page past the last gives the last.
    ``organisations``: every organisation, if the caller has them already. Four queries whatever the size: the
    groups, the rules hook's, the seats (only the columns shown) and the organisations (unless given)."""
    day = day or timezone.localdate()
    groups = active_group_rows(root, request)
    rules = rules_for(groups, day)
    arbeidsgruppe_type = ContentType.objects.get_for_model(ArbeidsgruppePage).pk
    seats = (
        seats_below(root)
        .active_on(day)
        .values("group_id", "role", "represents_id", "person_id", "person__name", "person__anonymised_at")
        .annotate(verified_at=F("last_verified_at"))
    )
    if organisation is not None:
        seats = seats.filter(represents=organisation)  # the page shows this organisation's column only
    if organisations is None:
        organisations = list(Organisation.objects.order_by("name"))
    by_id = {o.pk: o for o in organisations}
    if organisation is not None:
        by_id.setdefault(organisation.pk, organisation)
    seats = sorted(seats, key=_seat_order(by_id))
    columns = _columns(
        sorted(by_id.values(), key=lambda o: o.name), {s["represents_id"] for s in seats}, day, organisation
    )
    # Each seat under its group and column (the unions share one column), in one pass.
    union_ids = {pk for pk, o in by_id.items() if o.kind == OrganisationKind.UNION}
    column_of = {pk: (UNIONS if pk in union_ids and organisation is None else pk) for pk in by_id}
    by_group, by_cell = {}, {}
    for seat in seats:
        by_group.setdefault(seat["group_id"], []).append(seat)
        by_cell.setdefault((seat["group_id"], column_of[seat["represents_id"]]), []).append(seat)
    column_keys = [(column, UNIONS if column.organisation is None else column.organisation.pk) for column in columns]
    text = _CellText(by_id, subpage_address(root, "person_page", root.get_url(request) or ""))
    kind_labels = {True: str(_("Working group")), False: str(_("Professional group"))}

    families = _families(groups)
    paging = Paging(families, page)

    member_count = gap_count = overdue_count = 0
    for number, family in enumerate(families):
        on_page = paging.holds(number)
        for g in family:
            held_all = by_group.get(g.pk, ())
            group_rules = rules[g.pk]
            cells = []
            for column, key in column_keys:
                held = by_cell.get((g.pk, key), ())
                expected, maximum = group_rules.expected_for(column.kind) if column.expects_seats else (0, None)
                filled = sum(1 for s in held if s["role"] in FILLING_ROLES)
                gap = max(expected - filled, 0)
                member_count += len(held)
                gap_count += gap
                if on_page:
                    surplus = maximum is not None and filled > maximum
                    css = "has-gap" if gap else ("" if held else "is-empty")
                    cells.append(MatrixCell(column=column, gap=gap, css=css, html=text.cell(held, gap, surplus)))
            verified = [s["verified_at"] for s in held_all]
            overdue = list_is_overdue(verified, group_rules.review_interval_days, day)
            overdue_count += overdue
            if not on_page:
                continue
            is_arbeidsgruppe = g.content_type_id == arbeidsgruppe_type
            paging.add(
                family,
                MatrixRow(
                    group=g,
                    is_arbeidsgruppe=is_arbeidsgruppe,
                    kind_label=kind_labels[is_arbeidsgruppe],
                    cells=cells,
                    has_members=bool(held_all),
                    verified_at=list_verified_at(verified),
                    overdue=overdue,
                ),
            )
    return MatrixPage(
        today=day,
        generated_at=timezone.localtime(),
        columns=columns,
        group_count=len(groups),
        member_count=member_count,
        gap_count=gap_count,
        overdue_count=overdue_count,
        **paging.page(),
    )
