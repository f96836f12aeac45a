"""Mutants of governance: which mandate applies, the seat rules it gives faggruppe_pages, the review rule."""

from mutants import M

MAND = "governance/models/mandates.py"
COMP = "governance/compliance.py"
REV = "governance/rules/review.py"

MUTANTS = [
    # -- models/mandates.py: which version is in force ----------------------------------------------------------
    M(
        "mandate-kind-beats-group",
        MAND,
        "    return own or next((m for m in mandates if m.scope == kind and m.group_id is None), None)",
        "    return next((m for m in mandates if m.scope == kind and m.group_id is None), None) or own",
        "the version for every group of a kind wins over the group's own version",
        "pick_mandate",
    ),
    M(
        "mandate-other-groups-version",
        MAND,
        "m.scope == MandateScope.GROUP and m.group_id == group.pk), None)",
        "m.scope == MandateScope.GROUP and m.group_id is not None), None)",
        "a version for one group applies to every group (when all groups are checked at once)",
        "pick_mandate",
    ),
    M(
        "mandate-oldest-wins",
        MAND,
        '.filter(valid_from__lte=day)\n            .select_related("approved_by", "reports_to")\n'
        '            .order_by("-valid_from", "-pk")',
        '.filter(valid_from__lte=day)\n            .select_related("approved_by", "reports_to")\n'
        '            .order_by("valid_from", "-pk")',
        "of the valid versions, the oldest is in force instead of the newest",
        "MandateQuerySet.valid_on",
    ),
    M(
        "mandate-not-in-force-on-valid-from",
        MAND,
        '.filter(valid_from__lte=day)\n            .select_related("approved_by", "reports_to")',
        '.filter(valid_from__lt=day)\n            .select_related("approved_by", "reports_to")',
        "a version is in force only from the day after its valid-from date",
        "MandateQuerySet.valid_on",
    ),
    M(
        "mandate-drafts-apply",
        MAND,
        "    def approved(self):\n        return self.filter(live=True)",
        "    def approved(self):\n        return self.all()",
        "drafts (never approved) count as approved versions and can be in force",
        "MandateQuerySet.approved",
    ),
    # -- compliance.py: the mandate's rules as faggruppe_pages' seat rules (GROUP_RULES_HOOK) ---------------------
    M(
        "seat-rules-drop-union",
        COMP,
        "union_seats_min=rule_set.union_seats_min or 0,",
        "union_seats_min=0,",
        "the overview expects no union representative whatever the mandate says",
        "compliance.seat_rules_for",
    ),
    M(
        "seat-rules-municipal-off-by-one",
        COMP,
        "municipality_seats_min=rule_set.min_reps_per_municipality or 0,",
        "municipality_seats_min=(rule_set.min_reps_per_municipality or 0) + 1,",
        "the overview expects one seat more per municipality than the mandate",
        "compliance.seat_rules_for",
    ),
    M(
        "seat-rules-cooperation-always",
        COMP,
        "cooperation_seat=rule_set.cooperation_seat_required,",
        "cooperation_seat=True,",
        "the overview expects the cooperation's seat even where the mandate does not",
        "compliance.seat_rules_for",
    ),
    M(
        "seat-rules-ignore-interval",
        COMP,
        "review_interval_days=rule_set.review_interval_days,",
        "review_interval_days=rules.effective_review_interval(None),",
        "the overview and reminders use the portal default instead of the mandate's review interval",
        "compliance.seat_rules_for",
    ),
    # -- rules/review.py: the list-confirmation rule ------------------------------------------------------------
    M(
        "check-review-overdue-on-due-day",
        REV,
        "    if is_overdue(oldest, interval, on):",
        "    if due_on(oldest, interval) <= on:",
        "the report calls a list overdue on the day it falls due (a copy of the rule with <= instead of <)",
        "rules.review.check_review",
    ),
    M(
        "check-review-utc-date",
        REV,
        "    confirmed = [local_date(seat.verified_at) for seat in seats]",
        '    confirmed = [getattr(seat.verified_at, "date", lambda: seat.verified_at)() for seat in seats]',
        "a confirmation counts on its UTC date (00:30 in Oslo counts as the day before)",
        "rules.review.check_review",
    ),
    M(
        "no-interval-no-default",
        REV,
        "    return days or conf.review_interval_days()",
        "    return days",
        "a mandate without a review interval is not given the portal default",
        "rules.review.effective_review_interval",
    ),
    M(
        "no-interval-fixed-default",
        REV,
        "    return days or conf.review_interval_days()",
        "    return days or 180",
        "a mandate without a review interval gets 180 days whatever FAGGRUPPE_REVIEW_INTERVAL_DAYS says",
        "rules.review.effective_review_interval",
    ),
    M(
        "meetings-archive-only-recent",
        "governance/reader/meetings.py",
        "and not rows and not _reader_meeting_ids(page.pk):",
        "and not rows:",
        "a group whose meetings are all older than its page reads loses its meetings section and archive link",
        "meetings.group_section",
    ),
]
