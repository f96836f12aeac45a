"""Where is one organisation represented ("Hvor er Molde representert?"): its seats, gaps and coming seats."""

from dataclasses import dataclass, field

from faggruppe_pages.models import Membership
from faggruppe_pages.reader.overview import build_overview


@dataclass
class Seat:
    membership: Membership
    group: object
    overdue: bool
    ends_soon: bool


@dataclass
class Entry:
    """One group where the organisation has a seat, a gap or a coming seat."""

    row: object
    cell: object
    seats: list
    upcoming: list = field(default_factory=list)


@dataclass
class Representation:
    organisation: object
    overview: object
    entries: list

    @property
    def seats(self):
        return [seat for entry in self.entries for seat in entry.seats]

    @property
    def gaps(self):
        return [entry for entry in self.entries if entry.cell.gap]

    @property
    def surplus(self):
        return [entry for entry in self.entries if entry.cell.surplus]

    @property
    def group_count(self):
        return sum(1 for entry in self.entries if entry.seats)

    @property
    def overdue_count(self):
        return sum(1 for seat in self.seats if seat.overdue)

    @property
    def ending(self):
        return [seat for seat in self.seats if seat.ends_soon]


def representation(root, organisation):
    """Where ``organisation`` sits below ``root`` today: groups with its seats, gaps or coming seats."""
    # The page names the seats' people, their roles and terms: no contact details. Current and coming seats in
    # one query.
    overview = build_overview(root=root, organisation=organisation, contacts=False, upcoming=True)
    today = overview.today
    upcoming = overview.upcoming
    entries = []
    for row in overview.rows:
        cell = row.cells[0]
        coming = upcoming.get(row.group.pk, [])
        if not cell.seats and not cell.gap and not coming:
            continue
        seats = [Seat(m, row.group, row.member_is_overdue(m), m.ends_soon(today)) for m in cell.seats]
        entries.append(Entry(row, cell, seats, coming))
    return Representation(organisation, overview, entries)
