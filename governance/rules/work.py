"""The group's own work (mandate tasks 5 and 7): measures report their status, benefits are followed up.

Pure functions over plain values (``Measure``, ``Benefit`` below), like every rule family: the ORM edge is
``governance.compliance``. Only published measures and approved benefits are judged: drafts are not yet the
group's commitments.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance.rules.base import WARNING

#: Latest status values after which a measure reports no more (governance.models.CLOSED_STATUSES' values).
CLOSED = ("completed", "cancelled")


@dataclass(frozen=True)
class Measure:
    id: int
    title: str
    #: From when a report is expected: the start date, or the day it was published.
    since: datetime.date
    last_report: datetime.date | None = None
    last_status: str = ""


@dataclass(frozen=True)
class Benefit:
    id: int
    description: str
    measure_title: str
    target_date: datetime.date | None = None
    realised: bool = False


def check_measures(rules, measures, on, finding):
    """Task 7: an open measure with no status report within the mandate's reporting interval."""
    interval = rules.status_report_interval_days
    if not interval or measures is None:
        return
    for measure in measures:
        if measure.last_status in CLOSED:
            continue
        last = measure.last_report or measure.since
        if last is None or last > on or (on - last).days <= interval:
            continue
        if measure.last_report is None:
            message = _("The measure “%(title)s” has had no status report since %(since)s (expected every %(n)d days)")
        else:
            message = _("The measure “%(title)s” last reported its status %(since)s (expected every %(n)d days)")
        values = {"title": measure.title, "since": date_format(last, "d.m.Y"), "n": interval}
        yield finding("measure_status_overdue", WARNING, message % values, measure=measure.id)


def check_benefits(rules, benefits, on, finding):
    """Task 5: a benefit past its target date with no realisation recorded."""
    if not rules.benefits_followed_up or benefits is None:
        return
    for benefit in benefits:
        if benefit.realised or benefit.target_date is None or benefit.target_date >= on:
            continue
        message = _("The benefit “%(benefit)s” (%(measure)s) passed its target date %(date)s with no realisation")
        values = {
            "benefit": benefit.description,
            "measure": benefit.measure_title,
            "date": date_format(benefit.target_date, "d.m.Y"),
        }
        yield finding("benefit_not_followed_up", WARNING, message % values, benefit=benefit.id)
