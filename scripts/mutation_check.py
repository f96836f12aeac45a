#!/usr/bin/env python
"""Mutation check of the permission code: does some test fail when a guard is broken?

Each mutant is one deliberate bug in a guard or policy (faggruppe_pages/permissions.py,
boundary.py, forms.py, views/guards.py, views/snippets.py, views/entries.py, admin_access.py,
middleware.py, signals.py, spreadsheets.py). For every mutant this script applies the change to
a private copy of the project (never the working tree), runs the tests with ``-x`` (the most
targeted and fastest first) and records whether some test failed ("killed") and which one
failed first. A mutant that survives is either an equivalent mutant (behaviour truly unchanged)
or a hole in the tests: write a test that kills it (tests/security/test_mutants.py).

Usage (from the project root, with the virtualenv's Python):

    .venv/bin/python scripts/mutation_check.py            # every mutant, full order of tests
    .venv/bin/python scripts/mutation_check.py --list     # names, guards and descriptions
    .venv/bin/python scripts/mutation_check.py --only rep-delete --only chosen-multiple-any
    .venv/bin/python scripts/mutation_check.py --quick    # only the targeted test files (faster, weaker)
    .venv/bin/python scripts/mutation_check.py --tests tests/security/test_mutants.py --only X
    .venv/bin/python scripts/mutation_check.py --baseline # first check that the unmutated tree passes

It takes a long time (the permission matrix alone is minutes per mutant); it is a developer
tool, not part of ``make test``. It runs one pytest process at a time.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The most targeted and fastest tests first; the rest of tests/ follows (browser and perf excluded).
PRIORITY = [
    # Written for the mutants that survived everything else: the most targeted of all.
    "tests/security/test_mutants.py",
    "tests/security/test_tamper.py",
    "tests/faggruppe_pages/test_permissions.py",
    "tests/security/test_access_sweep.py",
    "tests/faggruppe_pages/test_our_entries.py",
    "tests/faggruppe_pages/test_group_editing.py",
    "tests/faggruppe_pages/test_admin.py",
]
EXCLUDED_DIRS = ("tests/browser/", "tests/perf/")
PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-m", "not browser"]


@dataclass
class Mutant:
    name: str
    file: str
    #: (old, new) pairs; each old text must occur exactly once in the file.
    changes: list
    description: str
    guard: str
    result: dict = field(default_factory=dict)


def M(name, file, old, new, description, guard):
    return Mutant(name, file, [(old, new)], description, guard)


P = "faggruppe_pages/permissions.py"
B = "faggruppe_pages/boundary.py"
F = "faggruppe_pages/forms.py"
G = "faggruppe_pages/views/guards.py"
S = "faggruppe_pages/views/snippets.py"
E = "faggruppe_pages/views/entries.py"
A = "faggruppe_pages/admin_access.py"
W = "faggruppe_pages/middleware.py"
SIG = "faggruppe_pages/signals.py"
X = "faggruppe_pages/spreadsheets.py"

MUTANTS = [
    # -- permissions.py ------------------------------------------------------------------------------------
    M(
        "rep-delete",
        P,
        'REPRESENTATIVE_ACTIONS = frozenset({"add", "change", "view"})',
        'REPRESENTATIVE_ACTIONS = frozenset({"add", "change", "view", "delete"})',
        "representatives get delete on their own rows",
        "OrganisationEntryPolicy._representative_actions",
    ),
    M(
        "org-ids-global-perm",
        P,
        "accept_global_perms=False",
        "accept_global_perms=True",
        "a global (model-wide) manage_entries permission makes a user act for every organisation",
        "organisation_ids_for",
    ),
    M(
        "org-ids-global-perm-superuser",
        P,
        "accept_global_perms=False, with_superuser=False",
        "accept_global_perms=True, with_superuser=True",
        "a model-wide manage_entries permission (honoured by guardian) makes a user act for every organisation",
        "organisation_ids_for",
    ),
    M(
        "staff-needs-all-actions",
        P,
        "return any(self._staff_can(user, action) for action in actions)",
        "return all(self._staff_can(user, action) for action in actions)",
        "staff must hold every asked action instead of any (a view-only staff user sees nothing)",
        "OrganisationEntryPolicy._staff_can_any",
    ),
    M(
        "model-level-ignores-action",
        P,
        "return bool(self._representative_actions(actions)) and bool(organisation_ids_for(user))",
        "return bool(organisation_ids_for(user))",
        "per model, a representative may do any action (delete included)",
        "OrganisationEntryPolicy.user_has_any_permission",
    ),
    M(
        "model-level-ignores-orgs",
        P,
        "return bool(self._representative_actions(actions)) and bool(organisation_ids_for(user))",
        "return bool(self._representative_actions(actions))",
        "per model, any admin user may add/change/view entries without representing anybody",
        "OrganisationEntryPolicy.user_has_any_permission",
    ),
    M(
        "users-with-perm-no-reps",
        P,
        "filter(staff | Q(groups__in=rep_group_ids))",
        "filter(staff)",
        "representatives are left out of the users holding a permission",
        "OrganisationEntryPolicy.users_with_any_permission",
    ),
    M(
        "users-for-instance-unfiltered",
        P,
        "if self.user_has_any_permission_for_instance(u, actions, instance)",
        "if u.is_active",
        "every representative counts as holding a permission on every row",
        "OrganisationEntryPolicy.users_with_any_permission_for_instance",
    ),
    M(
        "instance-ignores-action",
        P,
        "        if not self._representative_actions(actions):\n            return False\n        org_ids",
        "        org_ids",
        "per instance, a representative may do any action (delete included) on their rows",
        "OrganisationEntryPolicy.user_has_any_permission_for_instance",
    ),
    M(
        "instance-ignores-organisation",
        P,
        "return bool(org_ids) and self.instance_belongs_to(instance, org_ids)",
        "return bool(org_ids)",
        "per instance, any representative may act on any row",
        "OrganisationEntryPolicy.user_has_any_permission_for_instance",
    ),
    M(
        "queryset-ignores-action",
        P,
        "if not (org_ids and self._representative_actions(actions)):",
        "if not org_ids:",
        "the permitted-rows queryset hands representatives their rows for any action (delete)",
        "OrganisationEntryPolicy.instances_user_has_any_permission_for",
    ),
    M(
        "queryset-unfiltered",
        P,
        "return manager.filter(self.q_for_organisations(org_ids))",
        "return manager.all()",
        "the permitted-rows queryset is every row",
        "OrganisationEntryPolicy.instances_user_has_any_permission_for",
    ),
    M(
        "membership-rows-by-employer",
        P,
        "return Q(represents_id__in=org_ids)",
        "return Q(represents_id__in=org_ids) | Q(person__employer_id__in=org_ids)",
        "a municipality also gets the seats its employees hold for a union",
        "MembershipPolicy.q_for_organisations",
    ),
    M(
        "membership-instance-by-employer",
        P,
        "return instance.represents_id in org_ids",
        "return instance.represents_id in org_ids or instance.person.employer_id in org_ids",
        "a municipality may open and change the seats its employees hold for a union",
        "MembershipPolicy.instance_belongs_to",
    ),
    M(
        "person-rows-by-seat",
        P,
        "return Q(employer_id__in=org_ids)",
        "return Q(employer_id__in=org_ids) | Q(memberships__represents_id__in=org_ids)",
        "registering a seat hands the person record to the represented organisation (listing)",
        "PersonPolicy.q_for_organisations",
    ),
    M(
        "person-instance-by-seat",
        P,
        "return instance.employer_id in org_ids",
        "return instance.employer_id in org_ids or instance.memberships.filter(represents_id__in=org_ids).exists()",
        "registering a seat hands the person record to the represented organisation (edit)",
        "PersonPolicy.instance_belongs_to",
    ),
    M(
        "is-staff-flag",
        P,
        'return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")',
        'return user.is_staff or user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")',
        "Django's is_staff flag (Django admin login) counts as staff",
        "is_staff_for",
    ),
    # -- boundary.py ---------------------------------------------------------------------------------------
    M(
        "parse-id-unbounded",
        B,
        '_ID = re.compile(r"[0-9]{1,18}")',
        '_ID = re.compile(r"[0-9]+")',
        "ids of any length are accepted (2**63 overflows the database lookup)",
        "parse_id",
    ),
    M(
        "person-employer-any",
        B,
        '("faggruppe_pages.person", "employer"): (_organisations(Person), NOT_YOURS)',
        '("faggruppe_pages.person", "employer"): (lambda user: _organisation_model(), NOT_YOURS)',
        "the person form offers every employer",
        "rules: person.employer",
    ),
    M(
        "people-any-municipality",
        B,
        "if Organisation.objects.filter(pk__in=org_ids, kind=OrganisationKind.UNION).exists():",
        "if Organisation.objects.filter(pk__in=org_ids).exists():",
        "a municipality's representative may choose every municipality's employees",
        "choosable_people",
    ),
    M(
        "groups-unpublished",
        B,
        "    return GroupPage.objects.live()\n",
        "    return GroupPage.objects.all()\n",
        "a representative may register a seat in an unpublished group",
        "choosable_groups",
    ),
    M(
        "nobody-but-staff-open",
        B,
        "return queryset if is_staff_for(user, model) else queryset.none()",
        "return queryset",
        "anybody may point a staff-only field (person.user, organisation.merged_into) at any row",
        "_nobody_but_staff",
    ),
    M(
        "saved-value-not-kept",
        B,
        "    if saved is not None:\n        queryset = queryset | queryset.model",
        "    if False:\n        queryset = queryset | queryset.model",
        "the value a row already holds is no longer valid for it (a person who changed jobs)",
        "allowed_choices",
    ),
    M(
        "saved-value-from-memory",
        B,
        "return type(instance)._default_manager.filter(pk=instance.pk).values_list(field.attname, flat=True).first()",
        "return getattr(instance, field.attname)",
        "the 'saved' value is read from the instance the view built (a revision), not the database",
        "saved_value",
    ),
    M(
        "disabled-lists-everything",
        B,
        "field.queryset = field.queryset.filter(pk=saved) if saved is not None else field.queryset.none()",
        "pass",
        "a disabled select lists every row (every user account's name in the person form)",
        "BoundaryFormMixin.apply_boundary",
    ),
    # -- forms.py ------------------------------------------------------------------------------------------
    M(
        "person-user-enabled",
        F,
        'if not self._staff and "user" in self.fields:',
        'if False and "user" in self.fields:',
        "PersonAdminForm no longer disables the user field for non-staff",
        "PersonAdminForm.apply_boundary",
    ),
    M(
        "reserved-slugs-allowed",
        F,
        "if slug in reserved_slugs():",
        "if slug in reserved_slugs() and False:",
        "a group page may take a slug the parent's routes use (mine-grupper, vcard)",
        "GroupPageForm.clean",
    ),
    M(
        "streamfield-input-unguarded",
        F,
        'if hasattr(field, "block"):',
        "if False:",
        "unreadable StreamField bookkeeping fields raise (500) instead of a form error",
        "SafeInputFormMixin",
    ),
    # -- views/guards.py -----------------------------------------------------------------------------------
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
    # -- views/snippets.py ---------------------------------------------------------------------------------
    M(
        "prefill-unchecked",
        S,
        "if allowed.filter(pk=pk).exists():",
        "if True:",
        "the add view pre-selects any row named in the query string",
        "MembershipCreateView.get_initial_form_instance",
    ),
    # -- views/entries.py ----------------------------------------------------------------------------------
    M(
        "entries-every-organisation",
        E,
        'return Organisation.objects.filter(pk__in=organisation_ids_for(user)).order_by("kind", "name")',
        'return Organisation.objects.filter(kind__in=["municipality", "union"]).order_by("kind", "name")',
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
        E,
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
    # -- admin_access.py, middleware.py, signals.py, spreadsheets.py ----------------------------------------
    M(
        "staff-only-for-admin-users",
        A,
        "return is_staff_for(user, Membership)",
        'return is_staff_for(user, Membership) or user.has_perm("wagtailadmin.access_admin")',
        "every admin user counts as staff for the staff-only admin views (workflow reports, site history)",
        "admin_access.is_staff / StaffOnlyAdminViewsMiddleware",
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
    # -- nothing is lost (issue 11): conflicts.py, withdrawals, closing groups, privacy -----------------------
    M(
        "conflict-never-refused",
        "faggruppe_pages/conflicts.py",
        "        if changed:\n            self._refuse(changed, loaded, key)",
        "        if False:\n            self._refuse(changed, loaded, key)",
        "a save from a form loaded before someone else's save overwrites it silently",
        "ConflictGuardFormMixin.clean",
    ),
    M(
        "conflict-adopts-everything",
        "faggruppe_pages/conflicts.py",
        "        if name not in self.cleaned_data:\n            return False",
        "        if name not in self.cleaned_data or True:\n            return True",
        "the other person's value replaces what the user typed in the same field",
        "ConflictGuardFormMixin._untouched",
    ),
    M(
        "stale-approval-allowed",
        "faggruppe_pages/conflicts.py",
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
        "faggruppe_pages/views/withdrawals.py",
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
        "faggruppe_pages/wagtail_hooks.py",
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
        "faggruppe_pages/privacy.py",
        "    return {pk for pk, last in _last_ends(list(person_ids), today).items() "
        "if last is not None and last < cutoff}",
        "    return set()",
        "former members' e-mail and phone stay visible to every employee for ever",
        "expired_contact_ids",
    ),
    M(
        "purge-active-account",
        "faggruppe_pages/privacy.py",
        "        .exclude(user__is_active=True)\n",
        "",
        "a person with an active user account is anonymised",
        "anonymisation_candidates",
    ),
]


# -- running --------------------------------------------------------------------------------------------
def project_files(root):
    """Tracked and untracked (not ignored) files: what a developer's tree holds, without .venv and caches."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout
    return [f for f in out.decode().split("\0") if f]


def make_copy(root):
    target = Path(tempfile.mkdtemp(prefix="mutation-check-"))
    for rel in project_files(root):
        src = root / rel
        if not src.is_file():
            continue  # deleted in the working tree but still in the index
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return target


def test_paths(tree, quick, explicit):
    if explicit:
        return explicit
    paths = [p for p in PRIORITY if (tree / p).exists()]
    if quick:
        return paths
    rest = sorted(
        str(p.relative_to(tree))
        for p in (tree / "tests").rglob("test_*.py")
        if not str(p.relative_to(tree)).startswith(EXCLUDED_DIRS)
    )
    return paths + [p for p in rest if p not in paths]


#: The short summary's "FAILED tests/x.py::test[id] - message" (not captured log lines such as "ERROR    django...").
_FAILED = re.compile(r"^(FAILED|ERROR) (\S+\.py(?:::.+?)?)(?: - .*)?$")


def first_failure(output):
    for line in output.splitlines():
        match = _FAILED.match(line.strip())
        if match:
            return match.group(2)
    return None


def run_pytest(tree, paths, timeout, deselect=()):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pyproject.toml names the test settings
    cmd = [sys.executable, "-m", "pytest", *paths, *PYTEST_ARGS, *(f"--deselect={node}" for node in deselect)]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", time.monotonic() - started
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started


def apply(tree, mutant):
    path = tree / mutant.file
    original = path.read_text()
    text = original
    for old, new in mutant.changes:
        count = text.count(old)
        assert count == 1, f"{mutant.name}: expected the old text once in {mutant.file}, found it {count} times"
        text = text.replace(old, new)
    path.write_text(text)
    return original


def run_mutant(tree, mutant, paths, timeout, log_dir, deselect=()):
    path = tree / mutant.file
    original = apply(tree, mutant)
    try:
        code, output, seconds = run_pytest(tree, paths, timeout, deselect)
    finally:
        path.write_text(original)
    if log_dir:
        (log_dir / f"{mutant.name}.log").write_text(output)
    if code is None:
        status, killer = "timeout", f"TIMEOUT after {timeout}s"
    elif code == 0:
        status, killer = "survived", None
    elif code == 1:
        status, killer = "killed", first_failure(output) or "(failed; no FAILED line)"
    else:
        tail = " | ".join(output.strip().splitlines()[-3:])
        status, killer = "killed", f"pytest exit {code} (collection/import error): {first_failure(output) or tail}"
    mutant.result = {"status": status, "killed_by": killer, "seconds": round(seconds)}
    return mutant.result


def markdown(mutants):
    lines = ["| mutant | guard | killed by (test node id) or SURVIVED |", "|---|---|---|"]
    for m in mutants:
        r = m.result
        if not r:
            verdict = "(not run)"
        elif r["status"] == "survived":
            verdict = "**SURVIVED**"
        else:
            verdict = f"`{r['killed_by']}`"
        lines.append(f"| `{m.name}`: {m.description} | {m.guard} | {verdict} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this mutant (repeat)")
    parser.add_argument("--quick", action="store_true", help="run only the targeted test files, not all of tests/")
    parser.add_argument("--tests", nargs="+", metavar="PATH", help="run these test paths instead (in this order)")
    parser.add_argument("--baseline", action="store_true", help="check first that the unmutated copy passes")
    parser.add_argument(
        "--deselect",
        action="append",
        default=[],
        metavar="NODEID",
        help="leave out a test that fails without any mutant (check with --baseline); repeat",
    )
    parser.add_argument("--timeout", type=int, default=None, help="seconds per mutant (default: none)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--logs", metavar="DIR", help="keep each mutant's pytest output in DIR")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    parser.add_argument(
        "--together",
        action="store_true",
        help="apply all selected mutants at once and run the tests once: a quick screen for survivors "
        "(if the tests pass, every one of them survives; mutants must not overlap)",
    )
    args = parser.parse_args(argv)

    names = {m.name for m in MUTANTS}
    assert len(names) == len(MUTANTS), "mutant names must be unique"
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:34} {m.file:36} {m.guard}\n{'':34} {m.description}")
        return 0
    unknown = set(args.only) - names
    if unknown:
        parser.error(f"unknown mutant(s): {', '.join(sorted(unknown))} (see --list)")
    selected = [m for m in MUTANTS if not args.only or m.name in args.only]

    tree = make_copy(ROOT)
    log_dir = Path(args.logs).resolve() if args.logs else None
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)
    try:
        for m in selected:  # every old text must be there exactly once before anything runs
            original = apply(tree, m)
            (tree / m.file).write_text(original)
        paths = test_paths(tree, args.quick, args.tests)
        print(f"copy: {tree}\ntests: {' '.join(paths)}", file=sys.stderr)
        if args.baseline:
            code, output, seconds = run_pytest(tree, paths, args.timeout, args.deselect)
            print(f"baseline: exit {code} in {seconds:.0f}s", file=sys.stderr)
            if code != 0:
                print(output[-3000:], file=sys.stderr)
                print("The unmutated copy fails: fix that first.", file=sys.stderr)
                return 2
        if args.together:
            originals = {}
            for m in selected:
                originals.setdefault(m.file, (tree / m.file).read_text())
                apply(tree, m)
            try:
                code, output, seconds = run_pytest(tree, paths, args.timeout, args.deselect)
            finally:
                for rel, text in originals.items():
                    (tree / rel).write_text(text)
            if log_dir:
                (log_dir / "together.log").write_text(output)
            verdict = "all survived" if code == 0 else f"killed by {first_failure(output) or f'exit {code}'}"
            print(f"{len(selected)} mutants applied together: {verdict} ({seconds:.0f}s)")
            return 0 if code == 0 else 1
        for i, m in enumerate(selected, 1):
            print(f"[{i}/{len(selected)}] {m.name} ...", end=" ", file=sys.stderr, flush=True)
            r = run_mutant(tree, m, paths, args.timeout, log_dir, args.deselect)
            print(f"{r['status']} in {r['seconds']}s {r['killed_by'] or ''}", file=sys.stderr, flush=True)
            if args.json:
                Path(args.json).write_text(
                    json.dumps([{"name": x.name, "guard": x.guard, **x.result} for x in selected], indent=1)
                )
    finally:
        if not args.keep:
            shutil.rmtree(tree, ignore_errors=True)
    print(markdown(selected))
    survivors = [m.name for m in selected if m.result.get("status") == "survived"]
    print(f"\n{len(selected) - len(survivors)} killed, {len(survivors)} survived: {', '.join(survivors) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
