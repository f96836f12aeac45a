"""Who may open governance's admin views: staff, by URL name (faggruppe_pages' staff-only slot) and by permission."""

from django.contrib.auth.models import Permission
from wagtail.permission_policies import ModelPermissionPolicy

from governance.models import REPORT_PERMISSION, Mandate


def can_see_report(user):
    """The compliance report and the dashboard panel: the permission ``governance.view_compliance_mandate``."""
    return ModelPermissionPolicy(Mandate).user_has_permission(user, REPORT_PERMISSION)


def staff_only_views():
    """Mandates (drafts included), bodies (their history too) and the report are for staff only:
    refused by URL name before Wagtail's views run, whatever those views check themselves."""
    return [
        "wagtailsnippets_governance_*",
        "wagtailsnippetchoosers_governance_*",
        # Not "governance_*": governance's reader pages (governance_meeting, …) are every employee's.
        "governance_governingbody:*",
        "governance_compliance_report*",
        "/admin/bulk/governance/*",
    ]


def report_permissions():
    """The report permission, offered on the group edit screen with the model permissions."""
    return Permission.objects.filter(content_type__app_label="governance", codename=f"{REPORT_PERMISSION}_mandate")
