"""Who may manage the directory-group mappings: staff only (the portal's one definition of staff)."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import BasePermissionPolicy

STAFF_PERMISSION = "faggruppe_pages.change_membership"


class StaffOnlyPolicy(BasePermissionPolicy):
    """Staff may do everything with the model; nobody else anything (representatives must not grant rights)."""

    def user_has_permission(self, user, action):
        from faggruppe_pages.admin.access import is_staff

        return bool(user.is_authenticated and user.is_active and is_staff(user))

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.with_perm(STAFF_PERMISSION, backend="django.contrib.auth.backends.ModelBackend")
            .filter(is_active=True)
        )
