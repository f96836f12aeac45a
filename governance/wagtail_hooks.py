"""Governance plugs into faggruppe_pages through its named hooks, and into the Wagtail admin."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.models import WorkflowContentType
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView as ModelAdminIndexView

from faggruppe_pages.admin_access import STAFF_ONLY_HOOK
from faggruppe_pages.demo import LOAD_DEMO_HOOK
from faggruppe_pages.models.pages import GROUP_PAGE_MANDATE_HOOK, GROUP_PAGE_SUMMARY_HOOK, GROUPS_WITH_HISTORY_HOOK
from faggruppe_pages.seat_rules import GROUP_RULES_HOOK
from faggruppe_pages.setup import SETUP_PORTAL_HOOK
from faggruppe_pages.spreadsheets import SafeSpreadsheetExportMixin
from faggruppe_pages.views.guards import SafeExportIndexView

from . import compliance, rules
from .demo import load_demo
from .models import GoverningBody, Mandate
from .views import REPORT_PERMISSION, CompliancePanel, ComplianceReportView, can_see_report

# -- admin: mandates (snippets: drafts, revisions, the approval workflow) and bodies (modeladmin) ---------


class MandateViewSet(SnippetViewSet):
    model = Mandate
    index_view_class = SafeExportIndexView
    icon = "doc-full"
    menu_label = _("Mandates")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        "__str__",
        Column("scope_label", label=_("Applies to")),
        DateColumn("valid_from", label=_("Valid from")),
        Column("status_label", label=_("Status")),
        Column("approval_stamp", label=_("Approval")),
    ]
    list_filter = ["scope", "live"]
    search_fields = ["title", "version", "case_number"]
    # Plain database filtering: the search index cannot search the listing's annotated queryset.
    search_backend_name = None

    def get_queryset(self, request):
        # Status, scope, stamp and the latest draft's title come with the rows (one query for the page).
        return (
            Mandate.objects.with_status(timezone.localdate())
            .select_related("approved_by", "group", "latest_revision")
            .order_by("scope", "group_id", "-valid_from")
        )


register_snippet(MandateViewSet)


class SafeExportModelAdminIndexView(SafeSpreadsheetExportMixin, ModelAdminIndexView):
    pass


class GoverningBodyAdmin(ModelAdmin):
    model = GoverningBody
    index_view_class = SafeExportModelAdminIndexView
    menu_label = _("Governing bodies")
    menu_icon = "group"
    menu_order = 260
    add_to_settings_menu = False
    inspect_view_enabled = True
    list_display = ("name", "short_name", "case_prefix", "established_on", "dissolved_on")
    list_export = ("name", "short_name", "case_prefix", "established_on", "dissolved_on", "description")
    search_fields = ("name", "short_name")


modeladmin_register(GoverningBodyAdmin)


@hooks.register(STAFF_ONLY_HOOK)
def staff_only_governance_views():
    """Mandates (drafts included), bodies (their history too) and the report are for staff only:
    refused by URL name before Wagtail's views run, whatever those views check themselves."""
    return [
        "wagtailsnippets_governance_*",
        "wagtailsnippetchoosers_governance_*",
        "governance_*",
        "/admin/bulk/governance/*",
    ]


# -- reader pages: the compliance summary and the mandate in force ------------------------------------


def _page_compliance(page, context):
    """Computed once per request and shared by both hooks (constant queries, members from the context)."""
    if "governance_compliance" not in context:
        context["governance_compliance"] = compliance.check_group(page, context["today"], members=context["members"])
    return context["governance_compliance"]


@hooks.register(GROUP_PAGE_SUMMARY_HOOK)
def compliance_summary(page, request, context):
    result = _page_compliance(page, context)
    if result.mandate is None and not result.findings:
        return ""  # an arbeidsgruppe without a mandate of its own: nothing to say
    return render_to_string(
        "governance/includes/compliance_summary.html",
        {"result": result, "counts": result.counts, "today": context["today"]},
        request=request,
    )


@hooks.register(GROUP_PAGE_MANDATE_HOOK)
def mandate_in_force(page, request, context):
    result = _page_compliance(page, context)
    mandate = result.mandate
    if mandate is None:
        return ""
    day = context["today"]
    earlier = list(mandate.earlier_versions())
    versions = [mandate, *earlier]
    # What each version changed compared with the one before it.
    history = []
    for newer, older in zip(versions, versions[1:] + [None], strict=True):
        diff = rules.describe_changes(older.rule_set(), newer.rule_set()) if older else []
        history.append({"mandate": newer, "rule_changes": diff})
    chain = mandate.reports_to.chain_on(day) if mandate.reports_to_id else []
    return render_to_string(
        "governance/includes/mandate.html",
        {
            "mandate": mandate,
            "current": history[0],
            "earlier": history[1:],
            "reports_to": chain[0] if chain else None,
            "above": chain[1:],
            "rules": rules.describe_rules(mandate.rule_set()),
            "today": day,
        },
        request=request,
    )


# Seats the overview expects and how often lists must be confirmed come from the mandate in force.
hooks.register(GROUP_RULES_HOOK, compliance.seat_rules_for)


# -- site setup and demo ---------------------------------------------------------------------------------

STAFF_PERMISSIONS = {
    Mandate: ("add", "change", "delete", "view", "publish", "lock", "unlock", REPORT_PERMISSION),
    GoverningBody: ("add", "change", "delete", "view"),
}


@hooks.register(GROUPS_WITH_HISTORY_HOOK)
def groups_with_mandates(groups):
    """A group with a mandate of its own is closed, never deleted."""
    return Mandate.objects.filter(group__in=groups).values_list("group_id", flat=True)


@hooks.register(SETUP_PORTAL_HOOK)
def setup_governance(staff_group, workflow):
    """Staff manage mandates and bodies and see the report; mandates are approved through the staff workflow."""
    for model, actions in STAFF_PERMISSIONS.items():
        content_type = ContentType.objects.get_for_model(model)
        codenames = [f"{action}_{model._meta.model_name}" for action in actions]
        staff_group.permissions.add(*Permission.objects.filter(content_type=content_type, codename__in=codenames))
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Mandate), defaults={"workflow": workflow}
    )


hooks.register(LOAD_DEMO_HOOK, load_demo)


# -- report, dashboard, permissions ----------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/samsvar/", ComplianceReportView.as_view(), name="governance_compliance_report"),
        path(
            "reports/samsvar/results/",
            ComplianceReportView.as_view(results_only=True),
            name="governance_compliance_report_results",
        ),
    ]


class ComplianceReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_report(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ComplianceReportMenuItem(
        _("Compliance with the mandates"), reverse("governance_compliance_report"), icon_name="warning", order=50
    )


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request, panels):
    if can_see_report(request.user):
        panels.append(CompliancePanel())


@hooks.register("register_permissions")
def register_report_permission():
    return Permission.objects.filter(content_type__app_label="governance", codename=f"{REPORT_PERMISSION}_mandate")
