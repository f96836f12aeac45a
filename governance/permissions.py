"""Who may do what with a group's work: meetings, measures, benefits and proposals. One policy answers every question.

The rights (issue 14, decided):

============================  =======================================================================
Who                           What
============================  =======================================================================
Staff                         Users holding the Django model permission (the "Redaksjon" group gets
                              add/change/delete/view on Meeting, Measure, Benefit, Proposal through
                              ``governance.setup`` and ``setup_portal``; superusers too): everything,
                              in every group. Only staff record the body's handling of a proposal.
Member of group G             An active user whose Person (``Person.user``) has a Membership in G that
                              is active today, any role. Views all of G's items in the admin (drafts
                              too); adds and changes G's measures (status reports included), benefits
                              (targets and realisations included) and proposals *while in draft*.
                              Nothing of any other group: an arbeidsgruppe's members are not members
                              of its faggruppe, and the other way round.
Officer of G                  A member of G with role leder, nestleder or sekretaer: also adds and
                              changes G's meetings (plan, agenda, send the notice, attendance,
                              decisions, minutes, send the minutes for approval).
Leader of G (role leder)      Also approves and publishes minutes, publishes a measure, approves a
                              benefit and sends a proposal to the body the group reports to today.
Delete                        Staff only, and only what never left the group: a meeting whose notice
                              was never sent, a measure never published, a benefit never approved, a
                              proposal never sent. Everything else is kept (history).
============================  =======================================================================

A published measure, an approved benefit or published minutes edited later stay as they are (the edit is
logged and revisioned); editing minutes that are *sent for approval* or *approved* puts them back to draft
(``governance.admin.work``). The policy answers *who*; whether the item is in the state a transition
needs (minutes sent before they are approved …) is the transition's own check (``governance.admin.transitions``).

Actions of the policy, per model (``ACTIONS``): Wagtail's ``add``, ``change``, ``delete``, ``view``, and
the transitions: meetings ``send_notice``, ``send_minutes`` (officers), ``approve_minutes``,
``publish_minutes`` (leader); measures ``publish`` (leader); benefits ``approve`` (leader); proposals
``send`` (leader) and ``record_decision`` (staff only). Staff hold a transition through the model's
``change`` permission.

Wagtail's generic views ask the policy per model only; ``faggruppe_pages.admin.guards`` makes every
per-object view ask it per instance and filters every listing with it. Which rows a form field may
point at (group, people, municipalities) is decided by the boundary rules (``governance.admin.work``).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy

from faggruppe_pages.models import Membership, Role
from governance.models import Benefit, Measure, Meeting, Proposal, ProposalStatus

#: Members with these roles plan and run the group's meetings.
OFFICER_ROLES = frozenset({Role.LEADER, Role.DEPUTY, Role.SECRETARY})
#: The group's leader approves and publishes.
LEADER_ROLES = frozenset({Role.LEADER})
#: Any role makes a member.
ANY_ROLE = None

MEMBER, OFFICER, LEADER, STAFF_ONLY = "member", "officer", "leader", "staff"
_ROLES_OF = {MEMBER: ANY_ROLE, OFFICER: OFFICER_ROLES, LEADER: LEADER_ROLES}


def memberships_by_group(user, day=None):
    """{group id: set of roles} of the user's memberships active on ``day`` (today), through their Person.
    Cached on the user object for the day (one query per request)."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    day = day or timezone.localdate()
    cache = getattr(user, "_governance_memberships", None)
    if cache is None or cache[0] != day:
        found = {}
        rows = Membership.objects.active_on(day).filter(person__user_id=user.pk).values_list("group_id", "role")
        for group_id, role in rows:
            found.setdefault(group_id, set()).add(role)
        cache = (day, found)
        user._governance_memberships = cache
    return cache[1]


def group_ids_for(user, level, day=None):
    """Ids of the groups in which ``user`` is a member (``level`` MEMBER), an officer or the leader."""
    if level == STAFF_ONLY:
        return frozenset()
    roles = _ROLES_OF[level]
    return frozenset(
        group_id for group_id, held in memberships_by_group(user, day).items() if roles is ANY_ROLE or held & roles
    )


def member_people_q(group_ids, day=None):
    """Q over Person: the current members of the given groups."""
    active = Membership.objects.active_on(day or timezone.localdate()).filter(group_id__in=group_ids)
    return Q(pk__in=active.values("person_id"))


class GroupWorkPolicy(BaseDjangoAuthPermissionPolicy):
    """Base for the group's work; subclasses name their actions, the level each needs and how a row
    belongs to a group."""

    #: {action: level} for non-staff: MEMBER, OFFICER, LEADER or STAFF_ONLY.
    levels = {}
    #: The lookup from the model to its group's id.
    group_lookup = "group_id"
    #: Wagtail's own actions; staff hold them through the model permission of the same name.
    MODEL_ACTIONS = ("add", "change", "delete", "view")

    @property
    def actions(self):
        return tuple(self.levels)

    # -- staff -------------------------------------------------------------------------------------
    def _staff_permission(self, action):
        return self._get_permission_name(action if action in self.MODEL_ACTIONS else "change")

    def _staff_can(self, user, action):
        if not (user and user.is_authenticated and user.is_active):
            return False
        if action == "view" and user.has_perm(self._get_permission_name("change")):
            return True
        return user.has_perm(self._staff_permission(action))

    def _staff_can_any(self, user, actions):
        return any(self._staff_can(user, action) for action in actions)

    # -- members -------------------------------------------------------------------------------------
    def _groups_for(self, user, action):
        level = self.levels.get(action)
        if level is None:
            return frozenset()
        return group_ids_for(user, level)

    def group_id_of(self, instance):
        return instance.group_id

    def state_allows(self, action, instance):
        """Whether the row's state allows ``action`` at all (for staff and members alike)."""
        return True

    def member_state_allows(self, action, instance):
        """Whether the row's state allows a member (not staff) ``action``."""
        return True

    def state_q(self, action, staff=False):
        """The rows whose state allows ``action`` (for a listing); ``staff``: as staff see them."""
        return Q()

    # -- per model ------------------------------------------------------------------------------------
    def user_has_permission(self, user, action):
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user, actions):
        if self._staff_can_any(user, actions):
            return True
        return any(self._groups_for(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        staff = self._get_users_with_any_permission_codenames_filter(
            self._get_permission_codenames({a if a in self.MODEL_ACTIONS else "change" for a in actions})
        )
        members = Q()
        levels = {self.levels.get(a) for a in actions} - {None, STAFF_ONLY}
        if levels:
            today = timezone.localdate()
            for level in levels:
                roles = _ROLES_OF[level]
                active = Membership.objects.active_on(today).filter(person__user__isnull=False)
                if roles is not ANY_ROLE:
                    active = active.filter(role__in=roles)
                members |= Q(pk__in=active.values("person__user_id"))
        query = staff | members if levels else staff
        return get_user_model().objects.filter(is_active=True).filter(query).distinct()

    # -- per instance ------------------------------------------------------------------------------------
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        for action in actions:
            if not self.state_allows(action, instance):
                continue
            if self._staff_can(user, action):
                return True
            group_id = self.group_id_of(instance)
            if (
                group_id is not None
                and group_id in self._groups_for(user, action)
                and self.member_state_allows(action, instance)
            ):
                return True
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        query = None
        for action in actions:
            if self._staff_can(user, action):
                part = self.state_q(action, staff=True)
            else:
                groups = self._groups_for(user, action)
                if not groups:
                    continue
                part = Q(**{f"{self.group_lookup}__in": groups}) & self.state_q(action)
            query = part if query is None else query | part
        if query is None:
            return manager.none()
        return manager.filter(query)

    def users_with_any_permission_for_instance(self, actions, instance):
        return get_user_model().objects.filter(
            pk__in=[
                u.pk
                for u in self.users_with_any_permission(actions)
                if self.user_has_any_permission_for_instance(u, actions, instance)
            ]
        )


class MeetingPolicy(GroupWorkPolicy):
    levels = {
        "view": MEMBER,
        "add": OFFICER,
        "change": OFFICER,
        "delete": STAFF_ONLY,
        "send_notice": OFFICER,
        "send_minutes": OFFICER,
        "approve_minutes": LEADER,
        "publish_minutes": LEADER,
    }

    def state_allows(self, action, instance):
        if action == "delete":
            return instance.notice_sent_at is None
        return True

    def state_q(self, action, staff=False):
        return Q(notice_sent_at__isnull=True) if action == "delete" else Q()


class MeasurePolicy(GroupWorkPolicy):
    levels = {"view": MEMBER, "add": MEMBER, "change": MEMBER, "delete": STAFF_ONLY, "publish": LEADER}

    def state_allows(self, action, instance):
        if action == "delete":
            return instance.published_at is None
        return True

    def state_q(self, action, staff=False):
        return Q(published_at__isnull=True) if action == "delete" else Q()


class BenefitPolicy(GroupWorkPolicy):
    """A benefit belongs to its measure's group."""

    levels = {"view": MEMBER, "add": MEMBER, "change": MEMBER, "delete": STAFF_ONLY, "approve": LEADER}
    group_lookup = "measure__group_id"

    def group_id_of(self, instance):
        if not instance.measure_id:
            return None
        return Measure.objects.filter(pk=instance.measure_id).values_list("group_id", flat=True).first()

    def state_allows(self, action, instance):
        if action == "delete":
            return instance.approved_at is None
        return True

    def state_q(self, action, staff=False):
        return Q(approved_at__isnull=True) if action == "delete" else Q()


class ProposalPolicy(GroupWorkPolicy):
    """Members change a proposal only while it is a draft; staff always (they record the body's handling)."""

    levels = {
        "view": MEMBER,
        "add": MEMBER,
        "change": MEMBER,
        "delete": STAFF_ONLY,
        "send": LEADER,
        "record_decision": STAFF_ONLY,
    }

    def state_allows(self, action, instance):
        if action == "delete":
            return instance.status == ProposalStatus.DRAFT and instance.submitted_on is None
        return True

    def member_state_allows(self, action, instance):
        if action in ("add", "change"):
            return instance.status == ProposalStatus.DRAFT
        return True

    def state_q(self, action, staff=False):
        if action == "delete":
            return Q(status=ProposalStatus.DRAFT, submitted_on__isnull=True)
        if action in ("add", "change") and not staff:
            return Q(status=ProposalStatus.DRAFT)
        return Q()


POLICIES = {Meeting: MeetingPolicy, Measure: MeasurePolicy, Benefit: BenefitPolicy, Proposal: ProposalPolicy}


def policy_for(model):
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(model)


def is_work_staff(user, model):
    """Staff for ``model``: the Django model permission to change it (or a superuser)."""
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm(
        f"governance.change_{model._meta.model_name}"
    )
