"""Admin views of Wagtail's own (or another add-on's) that only staff may open, guarded in one place.

Wagtail's generic views decide access per model; a few of them show data across rows or
users that representatives and group members must not see (the workflow reports name every
submitter; a test error page raises on purpose). ``StaffOnlyAdminViewsMiddleware`` refuses
them, by URL name, before the view runs: the same answer Wagtail gives every refusal
(a redirect to the dashboard with a message, 403 to XHR). Other add-ons add their own names
through the ``faggruppe_pages_staff_only_admin_views`` hook (a callable returning globs).
The access sweep (tests/security/test_access_sweep.py) requests every URL pattern as every
role, so a new view that leaks shows up there.
"""

from fnmatch import fnmatchcase

from django.http import Http404
from wagtail import hooks

STAFF_ONLY_HOOK = "faggruppe_pages_staff_only_admin_views"

#: URL names (fnmatch globs, namespace included) that only staff may open.
STAFF_ONLY_ADMIN_VIEWS = (
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
)
#: Wagtail's deliberate error page (/admin/failwhale/): superusers only, a 404 for everybody else.
SUPERUSER_ONLY_ADMIN_VIEWS = ("wagtailadmin_error_test",)


def is_staff(user):
    """Staff: the "Redaksjon" group's model permissions (or a superuser)."""
    from .models import Membership
    from .permissions import is_staff_for

    return bool(user and user.is_authenticated and (user.is_superuser or is_staff_for(user, Membership)))


def staff_only_patterns():
    patterns = list(STAFF_ONLY_ADMIN_VIEWS)
    for fn in hooks.get_hooks(STAFF_ONLY_HOOK):
        patterns.extend(fn())
    return patterns


def is_staff_only(view_name):
    return any(fnmatchcase(view_name, pattern) for pattern in staff_only_patterns())


class StaffOnlyAdminViewsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.view_name:
            return None
        user = request.user
        if match.view_name in SUPERUSER_ONLY_ADMIN_VIEWS and not (user.is_authenticated and user.is_superuser):
            raise Http404
        if not user.is_authenticated or not is_staff_only(match.view_name) or is_staff(user):
            return None  # anonymous users are sent to the login page by the admin itself
        from wagtail.admin.auth import permission_denied

        return permission_denied(request)
