"""Mutants of the admin's guards: generic views, viewsets, "Våre oppføringer", staff-only views, signals."""

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
    # -- admin/guards.py -----------------------------------------------------------------------------------
    M(
        "autosave-on",
        G,
        "self.autosave_enabled = False",
        "self.autosave_enabled = True",
        "entries autosave while the form is open (a row goes live before 'Lagre')",
        "NoAutosaveMixin",
    ),
    M(
        "instance-guard-off",
        G,
        "            raise PermissionDenied\n        return obj",
        "            pass\n        return obj",
        "per-object views no longer refuse another organisation's row",
        "InstanceGuardMixin.get_object",
    ),
    M(
        "history-unguarded",
        G,
        "class GuardedHistoryView(InstanceGuardMixin, snippets.HistoryView):",
        "class GuardedHistoryView(snippets.HistoryView):",
        "any representative reads any row's history",
        "GuardedHistoryView",
    ),
    M(
        "create-second-check-removed",
        G,
        '        if not policy.user_has_permission_for_instance(self.request.user, "add", form.instance):',
        "        if False:",
        "the create view's second per-instance check removed",
        "GuardedCreateView.is_valid",
    ),
    M(
        "listing-not-filtered-for-view",
        G,
        'queryset = policy.instances_user_has_any_permission_for(request.user, ["change", "view"])',
        'queryset = policy.instances_user_has_any_permission_for(request.user, ["change"])',
        "listing queryset not filtered for view (view-only staff see an empty listing)",
        "GuardedSnippetViewSet.get_queryset",
    ),
    M(
        "chooser-lists-any",
        G,
        'return policy.instances_user_has_any_permission_for(view.request.user, ["change", "view"])',
        "return view.model_class._default_manager.all()",
        "the membership chooser lists every row",
        "_permitted (GuardedChooseView, GuardedChooseResultsView)",
    ),
    M(
        "person-chooser-by-policy",
        G,
        "    if view.model_class is Person:\n",
        "    if False:\n",
        "the person chooser offers the person policy's rows, not the people the form accepts",
        "_permitted (person chooser)",
    ),
    M(
        "chosen-any",
        G,
        "return _permitted(self).get(pk=pk)",
        "return self.model_class._default_manager.get(pk=pk)",
        "the 'chosen' chooser view returns any row",
        "GuardedChosenView.get_object",
    ),
    M(
        "chosen-multiple-any",
        G,
        "return _permitted(self).filter(pk__in=",
        "return self.model_class._default_manager.filter(pk__in=",
        "the 'chosen multiple' chooser returns any rows",
        "GuardedChosenMultipleView.get_objects",
    ),
    M(
        "bulk-delete-open",
        G,
        'if not self.permission_policy.user_has_permission(request.user, "delete"):',
        "if False:",
        "bulk delete no longer refuses users without delete rights",
        "GuardedDeleteBulkAction.dispatch",
    ),
    M(
        "bulk-delete-loads-any",
        G,
        'permitted = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["delete"])',
        "permitted = model._default_manager.all()",
        "bulk delete loads every named row, permitted or not",
        "GuardedDeleteBulkAction.get_queryset",
    ),
    # -- admin/snippets.py ---------------------------------------------------------------------------------
    M(
        "prefill-unchecked",
        S,
        "if allowed.filter(pk=pk).exists():",
        "if True:",
        "the add view pre-selects any row named in the query string",
        "MembershipCreateView.get_initial_form_instance",
    ),
    # -- admin/entries.py, upkeep/confirmation.py ----------------------------------------------------------------------------------
    M(
        "entries-every-organisation",
        P,
        'return Organisation.objects.filter(pk__in=represented_organisation_ids(user)).order_by("kind", "name")',
        'return Organisation.objects.order_by("kind", "name")',
        "'Våre oppføringer' lets a representative act for every organisation",
        "organisations_user_acts_for",
    ),
    Mutant(
        "entries-post-any-organisation",
        E,
        [
            (
                'wanted = request.POST.get("organisation") or request.GET.get("organisation")',
                'wanted = request.GET.get("organisation")',
            ),
            (
                "count = verify_all(self.organisation, request.user)",
                "count = verify_all(Organisation.objects.get(pk=request.POST.get('organisation') or"
                " self.organisation.pk), request.user)",
            ),
        ],
        "Våre oppføringer accepts any organisation id on POST ('Alt stemmer' for someone else's entries)",
        "OurEntriesView.dispatch / post",
    ),
    M(
        "verify-all-organisations",
        "faggruppe_pages/upkeep/confirmation.py",
        "        Membership.objects.filter(represents=organisation)\n        .active_on(today)",
        "        Membership.objects.all()\n        .active_on(today)",
        "'Alt stemmer' stamps every organisation's current entries",
        "verify_all",
    ),
    M(
        "recent-changes-all-memberships",
        E,
        "Q(content_type=types[Membership], object_id__in=membership_ids)",
        "Q(content_type=types[Membership])",
        "'Siste endringer' shows every organisation's membership log entries",
        "OurEntriesView.recent_changes",
    ),
    # -- admin/access.py, middleware.py, upkeep/signals.py, spreadsheets.py ----------------------------------------
    M(
        "staff-only-for-admin-users",
        A,
        "return is_staff_for(user, Membership)",
        'return is_staff_for(user, Membership) or user.has_perm("wagtailadmin.access_admin")',
        "every admin user counts as staff for the staff-only admin views (workflow reports, site history)",
        "admin.access.is_staff / StaffOnlyAdminViewsMiddleware",
    ),
    M(
        "malformed-overflow-500",
        W,
        "OverflowError | ValidationError |",
        "ValidationError |",
        "an id of 2**63 in a Wagtail URL is a server error instead of 400",
        "MalformedInputMiddleware.process_exception",
    ),
    M(
        "membership-move-keeps-rights",
        SIG,
        'group_ids = {instance.group_id, getattr(instance, "_group_before_save", None)} - {None}',
        "group_ids = {instance.group_id} - {None}",
        "moving a membership to another group leaves the page rights on the old group",
        "signals.membership_changed",
    ),
    M(
        "formula-not-neutralised",
        X,
        '        return "\'" + value',
        "        return value",
        "a cell starting with = runs as a formula in the downloads",
        "spreadsheets.spreadsheet_safe",
    ),
]
