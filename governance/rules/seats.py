"""The composition rules: municipal seats, the cooperation's seat, union seats, the leader, former participants.

Each ``check_*`` takes the rule set, the seats active on the check date and a ``finding`` maker
(``base.finder``), and yields findings. Pure: plain values in, no database.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.rules.base import (
    ANYONE,
    COOPERATION,
    ERROR,
    LEADER,
    MUNICIPALITY,
    OWNER_MUNICIPALITIES,
    SEAT_ROLES,
    UNION,
    UNION_REP,
    WARNING,
)


def _seat_counts(seats, kind):
    return Counter(seat.organisation.id for seat in seats if seat.role in SEAT_ROLES and seat.organisation.kind == kind)


def check_municipal_seats(rules, seats, organisations, on, finding):
    """R4/R5: each participating municipality has between min and max representatives."""
    counts = _seat_counts(seats, MUNICIPALITY)
    for org in sorted(organisations, key=lambda o: o.name):
        if org.kind != MUNICIPALITY or not org.participates_on(on):
            continue
        n = counts.get(org.id, 0)
        if rules.min_reps_per_municipality and n < rules.min_reps_per_municipality:
            if n == 0:
                message = _("%(org)s has no representative") % {"org": org.name}
            else:
                message = ngettext(
                    "%(org)s has %(n)d representative; the mandate requires at least %(min)d",
                    "%(org)s has %(n)d representatives; the mandate requires at least %(min)d",
                    n,
                ) % {"org": org.name, "n": n, "min": rules.min_reps_per_municipality}
            yield finding("municipality_missing", ERROR, message, org, count=n)
        elif rules.max_reps_per_municipality is not None and n > rules.max_reps_per_municipality:
            message = ngettext(
                "%(org)s has %(n)d representative; the mandate allows %(max)d",
                "%(org)s has %(n)d representatives; the mandate allows %(max)d",
                n,
            ) % {
                "org": org.name,
                "n": n,
                "max": rules.max_reps_per_municipality,
            }
            yield finding("municipality_surplus", WARNING, message, org, count=n)


def check_cooperation_seat(rules, seats, organisations, on, finding):
    """R4: the cooperation itself has a representative (an adviser) in every group."""
    if not rules.cooperation_seat_required:
        return
    counts = _seat_counts(seats, COOPERATION)
    for org in organisations:
        if org.kind == COOPERATION and org.participates_on(on) and not counts.get(org.id):
            yield finding("cooperation_missing", ERROR, _("%(org)s has no representative") % {"org": org.name}, org)


def check_union_seats(rules, seats, finding):
    """R7: one union representative (tillitsvalgt), chosen by the unions."""
    # A tillitsvalgt elected leader holds the union's seat as leader (role "leder", representing the union).
    n = sum(
        1 for seat in seats if seat.role == UNION_REP or (seat.role in SEAT_ROLES and seat.organisation.kind == UNION)
    )
    if rules.union_seats_min and n < rules.union_seats_min:
        if n == 0:
            message = _("No union representative")
        else:
            message = ngettext(
                "%(n)d union representative; the mandate requires at least %(min)d",
                "%(n)d union representatives; the mandate requires at least %(min)d",
                n,
            ) % {"n": n, "min": rules.union_seats_min}
        yield finding("union_missing", ERROR, message, count=n)
    elif rules.union_seats_max is not None and n > rules.union_seats_max:
        message = ngettext(
            "%(n)d union representative; the mandate allows %(max)d",
            "%(n)d union representatives; the mandate allows %(max)d",
            n,
        ) % {"n": n, "max": rules.union_seats_max}
        yield finding("union_surplus", WARNING, message, count=n)


def leader_is_eligible(rules, organisation, on):
    if rules.leader_eligibility == ANYONE:
        return True
    if organisation.kind != MUNICIPALITY or not organisation.participates_on(on):
        return False
    return rules.leader_eligibility != OWNER_MUNICIPALITIES or organisation.is_owner


def check_leader(rules, seats, on, finding):
    """R6: exactly one leader, elected from among the (owner) municipalities' representatives."""
    leaders = sorted((seat for seat in seats if seat.role == LEADER), key=lambda s: s.person)
    if not leaders:
        if rules.leader_required:
            yield finding("leader_missing", ERROR, _("No leader"))
        return
    if len(leaders) > 1:
        names = ", ".join(f"{seat.person} ({seat.organisation.name})" for seat in leaders)
        yield finding("leader_multiple", ERROR, _("More than one leader: %(names)s") % {"names": names})
    for seat in leaders:
        if leader_is_eligible(rules, seat.organisation, on):
            continue
        if rules.leader_eligibility == OWNER_MUNICIPALITIES:
            rule = _("the leader is elected from among the owner municipalities' representatives")
        else:
            rule = _("the leader is elected from among the municipalities' representatives")
        message = _("The leader %(person)s represents %(org)s; %(rule)s") % {
            "person": seat.person,
            "org": seat.organisation.name,
            "rule": rule,
        }
        yield finding("leader_ineligible", ERROR, message, seat.organisation)


def check_former_participants(seats, on, finding):
    """A seat held for a municipality that has left or merged (Midsund into Molde in 2020) should be moved or ended."""
    for seat in sorted(seats, key=lambda s: (s.organisation.name, s.person)):
        org = seat.organisation
        if org.kind != MUNICIPALITY or org.participates_on(on):
            continue
        if org.merged_into:
            message = _("%(person)s represents %(org)s, which has merged into %(successor)s") % {
                "person": seat.person,
                "org": org.name,
                "successor": org.merged_into,
            }
        else:
            message = _("%(person)s represents %(org)s, which does not take part in the cooperation on this date") % {
                "person": seat.person,
                "org": org.name,
            }
        yield finding("former_participant", WARNING, message, org, person=seat.person)
