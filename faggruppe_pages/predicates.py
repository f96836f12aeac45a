"""The rules about dates, written once: who is active on a day, when a confirmation falls due.

Pure functions of their arguments (no database, no settings), so the models, the overview, the
reminders, the admin filters and governance's rule engine all ask the same question the same
way. Each has a Python form for loaded rows and, where lists are filtered in SQL, a ``Q`` form
that must agree with it (tests/faggruppe_pages/test_predicates.py holds them to each other).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

#: Membership roles that fill an organisation's seat; substitutes, secretaries and observers do not.
SEAT_ROLES = frozenset({"leder", "nestleder", "medlem", "radgiver"})
#: Roles that count towards what a mandate expects of a column of the member overview: the seat roles, and a
#: union representative, who fills the unions' shared seat.
FILLING_ROLES = SEAT_ROLES | {"tillitsvalgt"}


# -- active on a day: a membership's term, an organisation's participation ------------------------------------


def is_active_on(start, end, day):
    """Within [start, end] on ``day``: an open start or end (None) has no limit on that side."""
    return (start is None or start <= day) and (end is None or end >= day)


def active_on_q(day, start="start_date", end="end_date", open_start=False):
    """The ``Q`` form of ``is_active_on`` for rows whose fields are named ``start`` and ``end``.

    ``open_start``: the start may be empty (an organisation's ``member_from``); a membership's
    start date is required, so its form needs no test for NULL there.
    """
    starts = Q(**{f"{start}__lte": day})
    if open_start:
        starts |= Q(**{f"{start}__isnull": True})
    return starts & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def ends_within(end, today, days):
    """A term ending on ``end`` ends within ``days`` of ``today`` and has not ended yet (an open end never does)."""
    return end is not None and today <= end <= today + datetime.timedelta(days)


def not_ended_q(day, end="end_date"):
    """Rows still running on ``day`` or later: active now, or starting later (the ``Q`` form of end ≥ day)."""
    return Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})


# -- confirmation of a member list ------------------------------------------------------------------------------


def local_date(moment):
    """The local date of a timestamp (a date stays as it is, None stays None)."""
    if moment is None or not isinstance(moment, datetime.datetime):
        return moment
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def due_on(verified_at, interval_days):
    """The last day on which a confirmation made at ``verified_at`` still counts; None if never confirmed."""
    day = local_date(verified_at)
    return day + datetime.timedelta(days=interval_days) if day else None


def is_overdue(verified_at, interval_days, today):
    """Never confirmed, or not confirmed within the interval: the day after ``due_on`` is overdue."""
    due = due_on(verified_at, interval_days)
    return due is None or due < today


def list_verified_at(verified_ats):
    """When a whole list was last confirmed: its stalest entry, or None if any entry never was (or it is empty)."""
    verified_ats = list(verified_ats)
    if not verified_ats or any(moment is None for moment in verified_ats):
        return None
    return min(verified_ats)


def list_is_overdue(verified_ats, interval_days, today):
    """A non-empty list whose stalest entry is overdue; an empty list has nothing to confirm."""
    verified_ats = list(verified_ats)
    return bool(verified_ats) and is_overdue(list_verified_at(verified_ats), interval_days, today)
