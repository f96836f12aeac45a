"""A rule set in words for readers: (label, value) pairs, and the changes between two versions."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.rules.base import ANYONE, MUNICIPALITIES, OWNER_MUNICIPALITIES
from governance.rules.review import effective_review_interval


def _range(low, high):
    if low is None and high is None:
        return None
    if low is not None and low == high:
        return _("exactly %(n)d") % {"n": low}
    if high is None:
        return _("at least %(n)d") % {"n": low}
    if low is None or low == 0:
        return _("at most %(n)d") % {"n": high}
    return _("%(low)d–%(high)d") % {"low": low, "high": high}


def _review(days):
    if days:
        return ngettext("at least every %(n)d day", "at least every %(n)d days", days) % {"n": days}
    # The mandate sets no interval: the portal default applies (rules.review), and readers are told so.
    days = effective_review_interval(days)
    return ngettext(
        "at least every %(n)d day (the portal's default)", "at least every %(n)d days (the portal's default)", days
    ) % {"n": days}


def describe_rules(ruleset):
    """The rule set as (label, value) pairs a reader understands, in a fixed order."""
    eligibility = {
        OWNER_MUNICIPALITIES: _("the owner municipalities' representatives"),
        MUNICIPALITIES: _("the municipalities' representatives"),
        ANYONE: _("any member"),
    }
    yes, no = _("yes"), _("no")
    return [
        (
            _("Representatives per municipality"),
            _range(ruleset.min_reps_per_municipality, ruleset.max_reps_per_municipality) or _("no rule"),
        ),
        (_("Representative from the cooperation"), yes if ruleset.cooperation_seat_required else no),
        (_("Union representatives"), _range(ruleset.union_seats_min, ruleset.union_seats_max) or _("no rule")),
        (
            _("Leader"),
            (_("required, elected from among %(who)s") % {"who": eligibility[ruleset.leader_eligibility]})
            if ruleset.leader_required
            else _("not required"),
        ),
        (
            _("Meetings per year"),
            _range(ruleset.meetings_per_year_min, ruleset.meetings_per_year_max) or _("the group decides"),
        ),
        (_("Urgent matters between meetings"), yes if ruleset.urgent_matters_between_meetings else no),
        (_("Member list confirmed"), _review(ruleset.review_interval_days)),
        (
            _("Status of measures reported"),
            ngettext("at least every %(n)d day", "at least every %(n)d days", ruleset.status_report_interval_days)
            % {"n": ruleset.status_report_interval_days}
            if ruleset.status_report_interval_days
            else _("no rule"),
        ),
        (_("Realised benefits followed up"), yes if ruleset.benefits_followed_up else no),
    ]


def describe_changes(old, new):
    """What changed from ``old`` to ``new``: ["Representatives per municipality: exactly 1 → at least 1"]."""
    return [
        f"{label}: {before} → {after}"
        for (label, before), (_same_label, after) in zip(describe_rules(old), describe_rules(new), strict=True)
        if before != after
    ]
