"""The list-confirmation rule: a group's member list is confirmed as correct at least once per review interval.

Written once for the portal. The dates are ``faggruppe_pages.predicates``' (the local date of a
confirmation, the day it falls due, when it is overdue, when a whole list was last confirmed), the
same functions the member overview and the reminders use, so a list is overdue in the compliance
report exactly when it is overdue there.

A mandate that sets no interval (empty, or 0) is judged by the portal default
(``FAGGRUPPE_REVIEW_INTERVAL_DAYS``, ``faggruppe_pages.conf``): ``effective_review_interval`` is
that decision, used where the engine's rule set and faggruppe_pages' seat rules are built
(``governance.compliance``) and where the rules are described to readers (``describe``).
"""

from django.utils.formats import date_format
from django.utils.translation import ngettext

from faggruppe_pages import conf
from faggruppe_pages.predicates import due_on, is_overdue, list_verified_at, local_date
from governance.rules.base import WARNING


def effective_review_interval(days):
    """The interval a mandate's ``review_interval_days`` stands for: its own, or the portal default when empty."""
    return days or conf.review_interval_days()


def check_review(rules, seats, on, finding):
    """The member list (the seats active on ``on``) is confirmed at least once per review interval.

    ``rules.review_interval_days`` is the effective interval (``effective_review_interval``); ``None``
    is refused rather than read as "no rule".
    """
    interval = rules.review_interval_days
    if interval is None:
        raise ValueError("check_review needs the effective review interval (rules.effective_review_interval)")
    if not seats:
        return
    confirmed = [local_date(seat.verified_at) for seat in seats]
    never = sum(1 for day in confirmed if day is None)
    if never:
        message = ngettext(
            "%(n)d entry on the member list has never been confirmed",
            "%(n)d entries on the member list have never been confirmed",
            never,
        ) % {"n": never}
        yield finding("list_never_verified", WARNING, message, count=never)
        return
    oldest = list_verified_at(confirmed)
    if is_overdue(oldest, interval, on):
        message = ngettext(
            "The member list was last confirmed %(date)s, more than %(days)d day ago",
            "The member list was last confirmed %(date)s, more than %(days)d days ago",
            interval,
        ) % {"date": date_format(oldest, "SHORT_DATE_FORMAT"), "days": interval}
        yield finding("list_not_verified", WARNING, message, verified_on=oldest, due_on=due_on(oldest, interval))
