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

from faggruppe_pages.admin.conflicts import refuse_stale_approval
from faggruppe_pages.models import Membership
from faggruppe_pages.permissions import is_staff_for

STAFF_ONLY_HOOK = "faggruppe_pages_staff_only_admin_views"

#: URL names (fnmatch globs, namespace included) that only staff may open.
STAFF_ONLY_ADMIN_VIEWS = (
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    # Its user filter names everyone with a log entry (workflow submitters among them). Representatives
    # see their own entries' history in "Våre oppføringer" and on each entry.
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    # Workflow tasks are configured by staff.
    "wagtailadmin_workflows:task_chooser*",
    "wagtailadmin_workflows:task_chosen",
    # Organisations are staff's; their chooser is unused by representatives' forms.
    "wagtailsnippetchoosers_faggruppe_pages_organisation:*",
    # Copying a group page is a staff task (members edit their page, they do not clone groups).
    "wagtailadmin_pages:copy",
)
#: Request paths (globs) that only staff may open, for views whose URL name is shared by every model
#: (bulk actions are one URL pattern with the app and model as arguments).
STAFF_ONLY_ADMIN_PATHS = ("/admin/bulk/faggruppe_pages/organisation/*",)
#: Wagtail's deliberate error page (/admin/failwhale/): superusers only, a 404 for everybody else.
SUPERUSER_ONLY_ADMIN_VIEWS = ("wagtailadmin_error_test",)


def is_staff(user):
    """Staff: the "Redaksjon" group's model permissions (or a superuser)."""
    return is_staff_for(user, Membership)  # a superuser holds every permission


def staff_only_patterns():
    """Globs over URL names, and over paths for those that start with "/"."""
    patterns = [*STAFF_ONLY_ADMIN_VIEWS, *STAFF_ONLY_ADMIN_PATHS]
    for fn in hooks.get_hooks(STAFF_ONLY_HOOK):
        patterns.extend(fn())
    return patterns


def is_staff_only(view_name, path=""):
    return any(
        fnmatchcase(path if pattern.startswith("/") else view_name, pattern) for pattern in staff_only_patterns()
    )


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
        if not user.is_authenticated:
            return None  # the admin sends anonymous users to its login page itself
        if match.view_name in SUPERUSER_ONLY_ADMIN_VIEWS and not user.is_superuser:
            raise Http404
        if is_staff_only(match.view_name, request.path_info) and not is_staff(user):
            from wagtail.admin.auth import permission_denied

            return permission_denied(request)
        # Approving content changed since it was sent for approval is refused (conflicts.py).
        return refuse_stale_approval(request, match)
