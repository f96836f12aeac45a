"""Who may do what with per-organisation entries: one policy answers every question.

Staff (Django model permissions, e.g. the "Redaksjon" group) may act on every row.
A representative holds the django-guardian object permission ``manage_entries``
on an Organisation (through that organisation's representatives group) and may
add, change (including end) and view the entries of that organisation only:
the memberships that represent it and the people it employs.
Nobody but staff may delete. The cooperation's own seats and the organisations
themselves belong to staff, because no representatives group is created for them.

Wagtail's generic views ask the policy per model only, so the admin views in
``admin/guards.py`` also ask it per instance and filter every listing with it. Which rows
a form field may *point at* is decided in ``admin/boundary.py``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user
from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy
from wagtail.permissions import policy_registry

from faggruppe_pages.models import Membership, Organisation
from faggruppe_pages.prepared import prepared

MANAGE_ENTRIES = "manage_entries"
MANAGE_ENTRIES_PERM = f"faggruppe_pages.{MANAGE_ENTRIES}"
#: What a representative may do with their own organisation's entries.
REPRESENTATIVE_ACTIONS = frozenset({"add", "change", "view"})


#: The attribute ``LoadsGrants`` puts on the user it loads for a request.
GRANTS_ANNOTATION = "_faggruppe_holds_grants"


def grants_expression():
    """For a user queryset: whether the user is in any group or holds any model or object permission of their
    own (what ``holds_no_grants`` asks, as one expression of the user's own row)."""
    from guardian.models import UserObjectPermission

    from faggruppe_pages.models.object_permissions import OrganisationUserObjectPermission

    User = get_user_model()
    own = {"user_id": OuterRef("pk")}
    return ExpressionWrapper(
        Exists(User.groups.through.objects.filter(**own))
        | Exists(User.user_permissions.through.objects.filter(**own))
        | Exists(OrganisationUserObjectPermission.objects.filter(**own))
        | Exists(UserObjectPermission.objects.filter(**own)),
        output_field=BooleanField(),
    )


@prepared
def user_with_grants(user_id):
    """The user with ``pk`` ``user_id``, annotated with ``grants_expression`` (a list of one, or empty)."""
    return get_user_model()._default_manager.annotate(**{GRANTS_ANNOTATION: grants_expression()}).filter(pk=user_id)


class LoadsGrants:
    """For an authentication backend: the request's user is loaded with ``grants_expression`` in the same
    query, so a plain reader's page asks nothing more to know it may skip every permission check
    (``holds_no_grants``). The host site's backends use it (site/intranet/auth_backends.py)."""

    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None  # not a key of this user model: nobody
        if isinstance(pk, int | str) and not isinstance(pk, bool):
            found = user_with_grants(pk)  # every request: compiled once (prepared.py)
        else:  # another kind of primary key (a UUID): Django compiles it
            found = list(user_with_grants.build(pk))
        if not found:
            return None
        (user,) = found
        can_authenticate = getattr(self, "user_can_authenticate", None)  # ModelBackend's; else: active users only
        return user if (can_authenticate(user) if can_authenticate else user.is_active) else None


def holds_no_grants(user):
    """True when ``user`` provably holds no permission at all: an active non-superuser in no group, with no
    model permission and no object permission of their own (a plain reader). Model, page, collection,
    workflow-task and organisation permissions all come through a group or one of those tables, so such a
    user's ``has_perm``, ``permissions_for_user(...).can_edit()`` and ``represented_organisation_ids`` are all
    False/empty, and a page can skip asking them (no query when the user was loaded by ``LoadsGrants``, else one
    instead of four or five; cached on the user, with
    Django's own permission caches filled as ModelBackend would fill them)."""
    if not (user and user.is_authenticated):
        return True
    if user.is_superuser or not user.is_active:
        return user.is_active is False
    cached = getattr(user, "_faggruppe_holds_no_grants", None)
    if cached is None:
        holds = getattr(user, GRANTS_ANNOTATION, None)  # loaded with the user's own row (LoadsGrants)
        if holds is None:  # a user loaded otherwise (a test's, a command's): one query
            holds = (
                get_user_model()
                .objects.filter(pk=user.pk)
                .annotate(**{GRANTS_ANNOTATION: grants_expression()})
                .values_list(GRANTS_ANNOTATION, flat=True)
                .get()
            )
        cached = not holds
        if cached:
            # What ModelBackend and represented_organisation_ids would find, without asking again (the
            # header's ``perms`` check, the sections' has_perm).
            user._user_perm_cache = set()
            user._group_perm_cache = set()
            user._perm_cache = set()
            user._faggruppe_org_ids = frozenset()
        user._faggruppe_holds_no_grants = cached
    return cached


def represented_organisation_ids(user):
    """Ids of the organisations ``user`` represents: holds ``manage_entries`` on, through their representatives
    group (cached on the user object for the request). Staff represent none by being staff; what they may act
    for is ``organisations_user_acts_for``."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_faggruppe_org_ids", None)
    if cached is None:
        cached = frozenset(
            get_objects_for_user(
                user, MANAGE_ENTRIES_PERM, klass=Organisation, accept_global_perms=False, with_superuser=False
            ).values_list("pk", flat=True)
        )
        user._faggruppe_org_ids = cached
    return cached


class OrganisationEntryPolicy(BaseDjangoAuthPermissionPolicy):
    """Base for the models whose rows belong to an organisation; subclasses say how."""

    def q_for_organisations(self, org_ids):
        raise NotImplementedError

    def instance_belongs_to(self, instance, org_ids):
        raise NotImplementedError

    # -- staff ---------------------------------------------------------------------------
    def _staff_can(self, user, action):
        return user.is_active and user.has_perm(self._get_permission_name(action))

    def _staff_can_any(self, user, actions):
        return any(self._staff_can(user, action) for action in actions)

    @staticmethod
    def _representative_actions(actions):
        return REPRESENTATIVE_ACTIONS.intersection(actions)

    # -- per model -----------------------------------------------------------------------
    def user_has_permission(self, user, action):
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user, actions):
        if self._staff_can_any(user, actions):
            return True
        return bool(self._representative_actions(actions)) and bool(represented_organisation_ids(user))

    def users_with_any_permission(self, actions):
        from guardian.utils import get_group_obj_perms_model

        staff = self._get_users_with_any_permission_codenames_filter(self._get_permission_codenames(actions))
        if not self._representative_actions(actions):
            return get_user_model().objects.filter(is_active=True).filter(staff).distinct()
        group_perms = get_group_obj_perms_model(Organisation)
        rep_group_ids = group_perms.objects.filter(permission__codename=MANAGE_ENTRIES).values("group_id")
        return get_user_model().objects.filter(is_active=True).filter(staff | Q(groups__in=rep_group_ids)).distinct()

    # -- per instance --------------------------------------------------------------------
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if self._staff_can_any(user, actions):
            return True
        if not self._representative_actions(actions):
            return False
        org_ids = represented_organisation_ids(user)
        return bool(org_ids) and self.instance_belongs_to(instance, org_ids)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if self._staff_can_any(user, actions):
            return manager.all()
        org_ids = represented_organisation_ids(user)
        if not (org_ids and self._representative_actions(actions)):
            return manager.none()
        return manager.filter(self.q_for_organisations(org_ids))

    def users_with_any_permission_for_instance(self, actions, instance):
        return get_user_model().objects.filter(
            pk__in=[
                u.pk
                for u in self.users_with_any_permission(actions)
                if self.user_has_any_permission_for_instance(u, actions, instance)
            ]
        )


class MembershipPolicy(OrganisationEntryPolicy):
    """A membership belongs to the organisation it represents."""

    def q_for_organisations(self, org_ids):
        return Q(represents_id__in=org_ids)

    def instance_belongs_to(self, instance, org_ids):
        return instance.represents_id in org_ids


class PersonPolicy(OrganisationEntryPolicy):
    """A person belongs to their employer, and only to it.

    Representing an organisation in a group never hands the person record to that
    organisation (that was a way to take over another municipality's employee). A union's
    representatives keep their tillitsvalgte's *memberships* current; the person record
    stays with the municipality that employs them (admin/boundary.py, docs/permissions.md).
    """

    def q_for_organisations(self, org_ids):
        return Q(employer_id__in=org_ids)

    def instance_belongs_to(self, instance, org_ids):
        return instance.employer_id in org_ids


def is_staff_for(user, model):
    """Staff hold the Django model permission and so act on every row of ``model``."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


def organisations_user_acts_for(user, model=Membership):
    """The one answer to "for which organisations may this user act" (on rows of ``model``).

    Staff: every organisation. A representative: the organisations they represent. Nobody else: none.
    "Våre oppføringer", the choices of a form's organisation field and the reader's "manage" link ask this.
    """
    if is_staff_for(user, model):
        return Organisation.objects.order_by("kind", "name")
    return Organisation.objects.filter(pk__in=represented_organisation_ids(user)).order_by("kind", "name")


#: How long a representative may withdraw an entry of their own as "registered in error" (older ones are ended).
WITHDRAW_WINDOW_DAYS = 14


def can_withdraw(user, membership, now=None):
    """Staff may withdraw any entry; a representative their own organisation's within WITHDRAW_WINDOW_DAYS."""
    if membership.is_withdrawn:
        return False
    policy = policy_registry.get_by_type(type(membership))
    if policy.user_has_permission_for_instance(user, "delete", membership):
        return True
    if not policy.user_has_permission_for_instance(user, "change", membership):
        return False
    return membership.created_at >= (now or timezone.now()) - datetime.timedelta(days=WITHDRAW_WINDOW_DAYS)
