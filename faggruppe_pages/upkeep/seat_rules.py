"""What a group expects of its seats and how often its list must be confirmed.

faggruppe_pages knows nothing of mandates. Another add-on (governance) supplies each group's
rules through the ``GROUP_RULES_HOOK`` slot; until one does, or when no mandate applies to a
group, the defaults below are used: the composition the 2019 mandate sets for faggrupper (one
seat per participating municipality, the cooperation's seat, one union representative), no
expected seats for arbeidsgrupper, and ``FAGGRUPPE_REVIEW_INTERVAL_DAYS`` (180) between
confirmations of a member list. Whether a list is overdue is ``faggruppe_pages.predicates``.
"""

from dataclasses import dataclass

from django.utils import timezone
from wagtail import hooks

from faggruppe_pages import conf
from faggruppe_pages.models import ArbeidsgruppePage

#: Hook: ``fn(groups, day)`` -> ``{group_id: SeatRules}`` for the groups it has rules for.
#: ``groups`` are GroupPage rows (not specific); the function must run a fixed number of
#: queries whatever ``len(groups)`` is. Groups it leaves out get ``default_rules(group)``.
GROUP_RULES_HOOK = "faggruppe_pages_group_rules"


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
    interval = conf.review_interval_days()
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
