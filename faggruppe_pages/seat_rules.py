"""What a group expects of its seats and of its list's freshness, and whether a list is overdue.

faggruppe_pages knows nothing of mandates. Another add-on (governance) supplies each group's
rules through the ``GROUP_RULES_HOOK`` slot; until one does, or when no mandate applies to a
group, the defaults below are used: the composition DOMAIN.md describes for faggrupper (one
seat per participating municipality, the cooperation's seat, one union representative), no
expected seats for arbeidsgrupper, and ``FAGGRUPPE_REVIEW_INTERVAL_DAYS`` (180) between
confirmations of a member list.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from wagtail import hooks

#: Hook: ``fn(groups, day)`` -> ``{group_id: SeatRules}`` for the groups it has rules for.
#: ``groups`` are GroupPage rows (not specific); the function must run a fixed number of
#: queries whatever ``len(groups)`` is. Groups it leaves out get ``default_rules(group)``.
GROUP_RULES_HOOK = "faggruppe_pages_group_rules"

#: Roles that fill an organisation's seat; substitutes, secretaries and observers do not.
SEAT_ROLES = frozenset({"leder", "nestleder", "medlem", "radgiver"})


def default_review_interval():
    return int(getattr(settings, "FAGGRUPPE_REVIEW_INTERVAL_DAYS", 180))


@dataclass(frozen=True)
class SeatRules:
    #: Days a confirmation of an entry stays valid.
    review_interval_days: int
    #: Seats each participating municipality should hold (0: none expected) and may hold (None: no limit).
    municipality_seats_min: int = 0
    municipality_seats_max: int | None = None
    cooperation_seat: bool = False
    union_seats_min: int = 0

    def expected_for(self, kind):
        """(minimum, maximum) seats for one organisation of ``kind`` ("union" means all unions together)."""
        if kind == "municipality":
            return self.municipality_seats_min, self.municipality_seats_max
        if kind == "cooperation":
            return (1 if self.cooperation_seat else 0), None
        if kind == "union":
            return self.union_seats_min, None
        return 0, None


def default_rules(group):
    from .models import ArbeidsgruppePage

    interval = default_review_interval()
    if issubclass(group.specific_class or type(group), ArbeidsgruppePage):
        return SeatRules(review_interval_days=interval)
    return SeatRules(
        review_interval_days=interval,
        municipality_seats_min=1,
        cooperation_seat=True,
        union_seats_min=1,
    )


def rules_for(groups, day=None):
    """``{group_id: SeatRules}`` for every group in ``groups``: a hook's rules, else the defaults."""
    day = day or timezone.localdate()
    groups = list(groups)
    found = {}
    for fn in hooks.get_hooks(GROUP_RULES_HOOK):
        for group_id, group_rules in (fn(groups, day) or {}).items():
            found.setdefault(group_id, group_rules)
    return {group.pk: found.get(group.pk) or default_rules(group) for group in groups}


def verified_on(verified_at):
    """The local date of a last-verified timestamp (None stays None)."""
    return timezone.localdate(verified_at) if verified_at else None


def due_on(verified_at, interval_days):
    """The last day on which a confirmation made at ``verified_at`` still counts; None if never confirmed."""
    day = verified_on(verified_at)
    return day + datetime.timedelta(days=interval_days) if day else None


def list_is_overdue(memberships, interval_days, today=None):
    """A non-empty list whose stalest entry is overdue (an empty list has nothing to confirm)."""
    from .models import Membership

    return bool(memberships) and is_overdue(Membership.list_verified_at(memberships), interval_days, today)


def is_overdue(verified_at, interval_days, today=None):
    """Never confirmed, or not confirmed within the review interval."""
    today = today or timezone.localdate()
    due = due_on(verified_at, interval_days)
    return due is None or due < today
