"""Mutants of who may do what: the permission policy, the input boundary, the admin forms."""

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
        "represented_organisation_ids",
    ),
    M(
        "org-ids-global-perm-superuser",
        P,
        "accept_global_perms=False, with_superuser=False",
        "accept_global_perms=True, with_superuser=True",
        "a model-wide manage_entries permission (honoured by guardian) makes a user act for every organisation",
        "represented_organisation_ids",
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
        "return bool(self._representative_actions(actions)) and bool(represented_organisation_ids(user))",
        "return bool(represented_organisation_ids(user))",
        "per model, a representative may do any action (delete included)",
        "OrganisationEntryPolicy.user_has_any_permission",
    ),
    M(
        "model-level-ignores-orgs",
        P,
        "return bool(self._representative_actions(actions)) and bool(represented_organisation_ids(user))",
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
    # -- admin/boundary.py ---------------------------------------------------------------------------------------
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
    # -- admin/forms.py ------------------------------------------------------------------------------------------
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
]
