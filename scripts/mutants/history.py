"""Mutants of "nothing is lost": edit conflicts, withdrawals, groups closed not deleted, privacy."""

from mutants import M, Mutant  # noqa: F401

P = "faggruppe_pages/permissions.py"
B = "faggruppe_pages/admin/boundary.py"
F = "faggruppe_pages/admin/forms.py"
G = "faggruppe_pages/admin/guards.py"
S = "faggruppe_pages/admin/snippets.py"
E = "faggruppe_pages/admin/entries.py"
A = "faggruppe_pages/admin/access.py"
W = "faggruppe_pages/middleware.py"
SIG = "faggruppe_pages/upkeep/signals.py"
X = "faggruppe_pages/spreadsheets.py"

MUTANTS = [
    # -- nothing is lost (issue 11): conflicts.py, withdrawals, closing groups, privacy -----------------------
    M(
        "conflict-never-refused",
        "faggruppe_pages/admin/conflicts.py",
        "        if changed:\n            self._refuse(changed, loaded, key)",
        "        if False:\n            self._refuse(changed, loaded, key)",
        "a save from a form loaded before someone else's save overwrites it silently",
        "ConflictGuardFormMixin.clean",
    ),
    M(
        "conflict-adopts-everything",
        "faggruppe_pages/admin/conflicts.py",
        "        if name not in self.cleaned_data:\n            return False",
        "        if name not in self.cleaned_data or True:\n            return True",
        "the other person's value replaces what the user typed in the same field",
        "ConflictGuardFormMixin._untouched",
    ),
    M(
        "stale-approval-allowed",
        "faggruppe_pages/admin/conflicts.py",
        "    if latest is None or latest.pk == task_state.revision_id:",
        "    if True:",
        "approving from the dashboard publishes a change made after the page was sent for approval",
        "refuse_stale_approval",
    ),
    M(
        "withdraw-window-ignored",
        P,
        "    return membership.created_at >= (now or timezone.now()) - datetime.timedelta(days=WITHDRAW_WINDOW_DAYS)",
        "    return True",
        "a representative withdraws (hides) an entry that was true for years instead of ending it",
        "can_withdraw",
    ),
    M(
        "withdraw-any-organisation",
        P,
        '    if not policy.user_has_permission_for_instance(user, "change", membership):\n        return False',
        '    if False:\n        return False',
        "a representative withdraws another organisation's fresh entry",
        "can_withdraw",
    ),
    M(
        "restore-not-staff-only",
        "faggruppe_pages/admin/withdrawals.py",
        "    if not is_staff_for(user, Membership):",
        "    if False:",
        "representatives list and restore withdrawn entries",
        "_require_staff",
    ),
    M(
        "withdrawn-still-counted",
        "faggruppe_pages/models/memberships.py",
        "        return super().get_queryset().filter(withdrawn_at__isnull=True)",
        "        return super().get_queryset()",
        "a withdrawn entry stays on lists, counts, exports and compliance",
        "CurrentMembershipManager",
    ),
    M(
        "group-delete-allowed",
        "faggruppe_pages/admin/history.py",
        "    groups = _undeletable_groups([page])",
        "    groups = []",
        "a group with history can be deleted (the database then refuses with a bare error)",
        "refuse_deleting_groups_with_history",
    ),
    M(
        "bulk-membership-delete",
        "faggruppe_pages/wagtail_hooks.py",
        'hooks.register("register_bulk_action", NoBulkDelete, order=100)',
        "",
        "staff delete memberships in bulk (Wagtail's own bulk delete), revisions and all",
        "NoBulkDelete",
    ),
    M(
        "org-group-kept",
        SIG,
        "        Group.objects.filter(pk=instance.representatives_group_id).delete()",
        "        pass",
        "a deleted organisation's representatives keep admin access through its group",
        "organisation_deleted",
    ),
    M(
        "contact-never-expires",
        "faggruppe_pages/models/memberships.py",
        "            .filter(~Exists(still_open), last__lt=cutoff)\n",
        "            .filter(~Exists(still_open), last__lt=cutoff)\n            .none()\n",
        "former members' e-mail and phone stay visible to every employee for ever",
        "expired_contact_ids",
    ),
    M(
        "purge-active-account",
        "faggruppe_pages/upkeep/privacy.py",
        "        .exclude(user__is_active=True)\n",
        "",
        "a person with an active user account is anonymised",
        "anonymisation_candidates",
    ),
]
