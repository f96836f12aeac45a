"""Mutants of keeping lists current: the date rules' boundaries, reminders, syncing editor rights, defaults."""

from mutants import M

PRED = "faggruppe_pages/predicates.py"
REM = "faggruppe_pages/upkeep/reminders.py"
SYNC = "faggruppe_pages/upkeep/sync.py"

MUTANTS = [
    # -- predicates.py: the date rules ---------------------------------------------------------------------
    M(
        "overdue-on-due-day",
        PRED,
        "    return due is None or due < today",
        "    return due is None or due <= today",
        "a list confirmed exactly one interval ago is already called overdue",
        "is_overdue",
    ),
    M(
        "never-confirmed-not-overdue",
        PRED,
        "    return due is None or due < today",
        "    return due is not None and due < today",
        "an entry never confirmed is not overdue (a new list never asks to be confirmed)",
        "is_overdue",
    ),
    M(
        "empty-list-overdue",
        PRED,
        "    return bool(verified_ats) and is_overdue(list_verified_at(verified_ats), interval_days, today)",
        "    return is_overdue(list_verified_at(verified_ats), interval_days, today)",
        "a group with nobody on its list is called overdue",
        "list_is_overdue",
    ),
    M(
        "confirmation-on-utc-day",
        PRED,
        "    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()",
        "    return moment.date()",
        "a confirmation after midnight local time counts on the day before (the UTC date)",
        "local_date",
    ),
    M(
        "active-until-day-before-end",
        PRED,
        '    return starts & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))',
        '    return starts & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))',
        "a member is gone from lists on the last day of their term (SQL form only)",
        "active_on_q",
    ),
    M(
        "substitutes-fill-seats",
        PRED,
        'SEAT_ROLES = frozenset({"leder", "nestleder", "medlem", "radgiver"})',
        'SEAT_ROLES = frozenset({"leder", "nestleder", "medlem", "radgiver", "vara"})',
        "a substitute fills an organisation's seat, hiding a gap",
        "SEAT_ROLES",
    ),
    # -- models: when a term "ends soon" --------------------------------------------------------------------
    M(
        "ending-soon-excludes-last-day",
        "faggruppe_pages/predicates.py",
        "today <= end <= today + datetime.timedelta(days)",
        "today <= end < today + datetime.timedelta(days)",
        "a term ending in exactly 30 days is not announced",
        "predicates.ends_within (Membership.ends_soon, the representation page)",
    ),
    # -- reminders.py ----------------------------------------------------------------------------------------
    M(
        "reminder-ignores-confirmation-on-notice-day",
        REM,
        "(confirmed is not None and confirmed >= notice_from)",
        "(confirmed is not None and confirmed > notice_from)",
        "an entry confirmed on the first day of the notice period is still reminded about",
        "due_items",
    ),
    M(
        "successor-must-start-before-end",
        REM,
        "if any(m.start_date < start <= m.end_date + next_day for start",
        "if any(m.start_date < start <= m.end_date for start",
        "a successor starting the day after the term ends does not count: the representative is reminded anyway",
        "_successors",
    ),
    M(
        "escalate-a-day-late",
        REM,
        "i.first_reminded is not None and i.first_reminded <= threshold",
        "i.first_reminded is not None and i.first_reminded < threshold",
        "staff are told a day after FAGGRUPPE_REMINDER_ESCALATE_AFTER_DAYS",
        "plan",
    ),
    M(
        "repeat-a-day-early",
        REM,
        "    since = day - datetime.timedelta(days=conf.reminder_repeat_days() - 1)",
        "    since = day - datetime.timedelta(days=conf.reminder_repeat_days() - 2)",
        "the same reminder is repeated after 6 days instead of 7",
        "_decide",
    ),
    # -- sync.py ------------------------------------------------------------------------------------------------
    M(
        "ended-member-keeps-page-rights",
        SYNC,
        "    if current - user_ids:\n",
        "    if False:\n",
        "a member whose term ended keeps editing the group page",
        "sync_group_page_editors",
    ),
    M(
        "coming-member-gets-page-rights",
        SYNC,
        '        .active_on(today)\n        .values_list("person__user_id", flat=True)',
        '        .not_ended(today)\n        .values_list("person__user_id", flat=True)',
        "a member whose term has not started may already edit the group page",
        "sync_group_page_editors",
    ),
    M(
        "retired-organisation-keeps-right",
        SYNC,
        "            remove_perm(MANAGE_ENTRIES_PERM, group, organisation)",
        "            pass",
        "an organisation that no longer has representatives (kind changed) keeps its group's right",
        "sync_representatives_group",
    ),
    # -- seat_rules.py and conf.py: defaults ---------------------------------------------------------------------
    M(
        "arbeidsgruppe-gets-faggruppe-seats",
        "faggruppe_pages/upkeep/seat_rules.py",
        "    if issubclass(group.specific_class or type(group), ArbeidsgruppePage):",
        "    if False:",
        "arbeidsgrupper are expected to hold a seat per municipality, showing false gaps",
        "default_rules",
    ),
    M(
        "review-interval-setting-ignored",
        "faggruppe_pages/conf.py",
        '    return int(get("FAGGRUPPE_REVIEW_INTERVAL_DAYS"))',
        "    return 180",
        "FAGGRUPPE_REVIEW_INTERVAL_DAYS is documented but not read",
        "conf.review_interval_days",
    ),
]
