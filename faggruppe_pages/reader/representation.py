"""Where is one organisation represented ("Hvor er Molde representert?"): its seats, gaps and coming seats.

Read light, like the matrix page (overview.py, ``build_matrix``): the groups and the organisation's seats as
``values()`` (no Page, Membership or Person object per row), so that a municipality with a seat in each of 900
groups is a page in under 0.1 s (tests/perf/large_pages.py). The counts, the gaps, the surplus and the terms
ending soon cover every group; the table of seats holds one page of them (``Paging``: per fagområde,
``MATRIX_PAGE_SIZE`` faggrupper a page, from ``AREA_SECTIONS_FROM`` faggrupper with an entry on).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from faggruppe_pages.models import Membership, OrganisationKind, Role
from faggruppe_pages.models.memberships import ENDING_SOON_DAYS, ROLE_RANK
from faggruppe_pages.predicates import FILLING_ROLES, ends_within, is_overdue
from faggruppe_pages.reader.overview import PagedList, Paging, _families, active_group_rows, seats_below
from faggruppe_pages.upkeep.seat_rules import rules_for
from faggruppe_pages.wiring import subpage_address

#: What the page reads of each seat.
SEAT_VALUES = (
    "group_id",
    "role",
    "start_date",
    "end_date",
    "last_verified_at",
    "person_id",
    "person__name",
    "person__anonymised_at",
)


@dataclass(slots=True)
class Seat:
    """One current or coming seat of the organisation."""

    group: object
    role: str
    start_date: datetime.date
    end_date: datetime.date | None
    last_verified_at: datetime.datetime | None
    person_name: str
    #: The person's page ("" when anonymised: no page).
    person_url: str
    role_label: str
    overdue: bool = False
    ends_soon: bool = False


@dataclass(slots=True)
class Entry:
    """One group where the organisation has a seat, a gap or a coming seat."""

    group: object
    seats: list
    upcoming: list
    #: Seats missing compared with what the mandate expects of the organisation (0: none).
    gap: int
    #: Seats that count towards the mandate (a union representative's included).
    filled: int
    surplus: bool


@dataclass
class Representation(PagedList):
    """Its ``sections`` hold this page's Entries per fagområde."""

    organisation: object
    today: datetime.date
    #: Every group where the organisation has an entry, in the overview's order.
    entries: list

    @property
    def seats(self):
        return [seat for entry in self.entries for seat in entry.seats]

    @property
    def gaps(self):
        return [entry for entry in self.entries if entry.gap]

    @property
    def surplus(self):
        return [entry for entry in self.entries if entry.surplus]

    @property
    def group_count(self):
        return sum(1 for entry in self.entries if entry.seats)

    @property
    def overdue_count(self):
        return sum(1 for seat in self.seats if seat.overdue)

    @property
    def ending(self):
        return [seat for seat in self.seats if seat.ends_soon]


def representation(root, organisation, page=1, request=None, day=None):
    """Where ``organisation`` sits below ``root`` on ``day`` (today): every group with its seats, gaps or coming
    seats, and page ``page`` of them to show. A fixed number of queries whatever the size: the groups, the rules
    hook's, the seats (current and coming, only the columns shown)."""
    day = day or timezone.localdate()
    groups = active_group_rows(root, request)
    rules = rules_for(groups, day)
    rows = seats_below(root).filter(represents=organisation).not_ended(day).values(*SEAT_VALUES)
    role_rank = {role: i for i, role in enumerate(ROLE_RANK)}
    # As ``for_display`` orders one organisation's seats: by role (the leader first), then by name.
    rows = sorted(rows, key=lambda r: (role_rank.get(r["role"], len(ROLE_RANK)), r["person__name"]))
    by_group = {}
    for row in rows:
        by_group.setdefault(row["group_id"], []).append(row)
    person_url = subpage_address(root, "person_page", root.get_url(request) or "")
    labels = _role_labels(organisation)
    # A union's seats are the unions' together, and a former participant is expected in nothing: no gaps.
    expects_seats = organisation.kind != OrganisationKind.UNION and organisation.participates_on(day)

    entries, entry_of = [], {}
    for g in groups:
        held = by_group.get(g.pk, ())
        group_rules = rules[g.pk]
        seats, coming = [], []
        for row in held:
            seat = Seat(
                group=g,
                role=row["role"],
                start_date=row["start_date"],
                end_date=row["end_date"],
                last_verified_at=row["last_verified_at"],
                person_name=row["person__name"],
                person_url=person_url(row["person_id"]) if row["person__anonymised_at"] is None else "",
                role_label=labels.get(row["role"], row["role"]),
            )
            if seat.start_date > day:
                coming.append(seat)
                continue
            seat.overdue = is_overdue(seat.last_verified_at, group_rules.review_interval_days, day)
            seat.ends_soon = ends_within(seat.end_date, day, ENDING_SOON_DAYS)
            seats.append(seat)
        coming.sort(key=lambda s: (s.start_date, s.person_name))
        expected, maximum = group_rules.expected_for(organisation.kind) if expects_seats else (0, None)
        filled = sum(1 for s in seats if s.role in FILLING_ROLES)
        gap = max(expected - filled, 0)
        if seats or coming or gap:
            entry = Entry(g, seats, coming, gap, filled, maximum is not None and filled > maximum)
            entries.append(entry)
            entry_of[g.pk] = entry

    # The table's pages: the families (a faggruppe and its arbeidsgrupper) holding an entry.
    families = [family for family in _families(groups) if any(g.pk in entry_of for g in family)]
    paging = Paging(families, page)
    for number, family in enumerate(families):
        if paging.holds(number):
            for g in family:
                if g.pk in entry_of:
                    paging.add(family, entry_of[g.pk])
    return Representation(organisation=organisation, today=day, entries=entries, **paging.page())


def _role_labels(organisation):
    """Each role's label as ``Membership.role_label`` gives it for a seat of ``organisation``."""
    labels = {role: str(label) for role, label in Role.choices}
    union_rep = Membership(role=Role.UNION_REP, represents=organisation)
    labels[Role.UNION_REP] = str(union_rep.role_label)
    return labels
