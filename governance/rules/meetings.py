"""The meeting rule (R13): meetings held per year, and urgent matters between meetings.

``meetings`` are the dates of the group's meetings *held* (ordinary and extraordinary; an urgent matter
handled by e-mail between meetings is not a meeting); ``urgent`` the dates of such e-mail rounds.
``None`` means "not recorded": no finding.
"""

import datetime

from django.utils.translation import ngettext

from governance.rules.base import INFO, WARNING

#: Meetings are counted over this many days up to the check date.
MEETING_WINDOW_DAYS = 365


def in_window(days, on):
    since = on - datetime.timedelta(days=MEETING_WINDOW_DAYS)
    return sum(1 for day in days if since < day <= on)


def check_meetings(rules, meetings, on, finding):
    """R13: meetings held in the last 12 months, when the mandate sets a number and meetings are recorded."""
    if meetings is None or (rules.meetings_per_year_min is None and rules.meetings_per_year_max is None):
        return
    n = in_window(meetings, on)
    values = {"n": n, "min": rules.meetings_per_year_min, "max": rules.meetings_per_year_max}
    if rules.meetings_per_year_min is not None and n < rules.meetings_per_year_min:
        message = ngettext(
            "%(n)d meeting in the last 12 months; the mandate expects at least %(min)d",
            "%(n)d meetings in the last 12 months; the mandate expects at least %(min)d",
            n,
        )
        yield finding("meetings_too_few", WARNING, message % values, count=n)
    elif rules.meetings_per_year_max is not None and n > rules.meetings_per_year_max:
        message = ngettext(
            "%(n)d meeting in the last 12 months; the mandate expects at most %(max)d",
            "%(n)d meetings in the last 12 months; the mandate expects at most %(max)d",
            n,
        )
        yield finding("meetings_too_many", INFO, message % values, count=n)


def check_urgent_matters(rules, urgent, on, finding):
    """R13 (later mandates): urgent matters may be handled between meetings. Under a mandate that does not say
    so (2019), an e-mail round in the last 12 months is worth knowing, not a breach."""
    if not urgent or rules.urgent_matters_between_meetings:
        return
    n = in_window(urgent, on)
    if n:
        message = ngettext(
            "%(n)d urgent matter was handled by e-mail between meetings; the mandate does not provide for that",
            "%(n)d urgent matters were handled by e-mail between meetings; the mandate does not provide for that",
            n,
        )
        yield finding("urgent_not_provided", INFO, message % {"n": n}, count=n)
