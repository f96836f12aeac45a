"""The meeting rule (R13): meetings per year, once meetings are recorded (``None``: not recorded, no finding)."""

import datetime

from django.utils.translation import ngettext

from governance.rules.base import INFO, WARNING

#: Meetings are counted over this many days up to the check date.
MEETING_WINDOW_DAYS = 365


def check_meetings(rules, meetings, on, finding):
    """R13: meetings per year, when the mandate sets a number and meetings are recorded (None: not recorded)."""
    if meetings is None or (rules.meetings_per_year_min is None and rules.meetings_per_year_max is None):
        return
    since = on - datetime.timedelta(days=MEETING_WINDOW_DAYS)
    n = sum(1 for day in meetings if since < day <= on)
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
