"""Who may see and lift login lockouts: staff only (the portal's one definition of staff)."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import BasePermissionPolicy

#: What staff may do with a lockout record: list it, and delete it (which unlocks the login).
STAFF_ACTIONS = {"view", "delete"}
STAFF_PERMISSION = "faggruppe_pages.change_membership"


def is_staff(user):
    from faggruppe_pages.admin.access import is_staff as portal_is_staff

    return portal_is_staff(user)


class StaffUnlockPolicy(BasePermissionPolicy):
    """Lockouts are made by failed logins only: nobody adds or edits them; staff view and delete them."""

    def user_has_permission(self, user, action):
        return action in STAFF_ACTIONS and is_staff(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not STAFF_ACTIONS & set(actions):
            return User.objects.none()
        return User.objects.with_perm(STAFF_PERMISSION, backend="intranet.auth_backends.ModelBackend").filter(
            is_active=True
        )
