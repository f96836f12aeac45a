"""The compliance report (Rapporter → Samsvar med mandatene): every finding, filtered, exported as CSV/XLSX."""

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from faggruppe_pages.models import GroupPage, Organisation
from faggruppe_pages.spreadsheets import SafeSpreadsheetExportMixin
from governance import compliance, rules
from governance.admin.access import can_see_report
from governance.models import REPORT_PERMISSION, Mandate


class FindingFilterSet(WagtailFilterSet):
    """Filters a list of findings (not a queryset): the report is computed, not stored."""

    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=GroupPage.objects.live().order_by("path"), empty_label=_("All groups")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), empty_label=_("All organisations")
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"),
        choices=[(key, _(label)) for key, label in rules.SEVERITY_LABELS.items()],
        empty_label=_("All severities"),
        widget=forms.RadioSelect,
    )

    class Meta:
        # django-filter builds a default queryset from a model; the findings list replaces it in filter_queryset.
        model = GroupPage
        fields = []

    def filter_queryset(self, findings):
        data = self.form.cleaned_data
        if data.get("group"):
            findings = [f for f in findings if f.group_id == data["group"].pk]
        if data.get("organisation"):
            findings = [f for f in findings if f.organisation_id == data["organisation"].pk]
        if data.get("severity"):
            findings = [f for f in findings if f.severity == data["severity"]]
        return findings


class ComplianceReportView(SafeSpreadsheetExportMixin, ReportView):
    page_title = _("Compliance with the mandates")
    header_icon = "warning"
    index_url_name = "governance_compliance_report"
    index_results_url_name = "governance_compliance_report_results"
    filterset_class = FindingFilterSet
    permission_policy = ModelPermissionPolicy(Mandate)
    permission_required = REPORT_PERMISSION
    paginate_by = 100
    verbose_name = _("finding")
    verbose_name_plural = _("findings")
    columns = [
        Column("severity_label", label=_("Severity")),
        Column("group_title", label=_("Group")),
        Column("organisation_name", label=_("Organisation")),
        Column("message", label=_("Finding")),
    ]
    list_export = ["severity_label", "group_title", "organisation_name", "message", "code"]
    export_headings = {
        "severity_label": _("Severity"),
        "group_title": _("Group"),
        "organisation_name": _("Organisation"),
        "message": _("Finding"),
        "code": _("Code"),
    }

    @cached_property
    def day(self):
        return timezone.localdate()

    def get_filename(self):
        return f"samsvar-{self.day:%Y-%m-%d}"

    def get_queryset(self):
        # ReportView filters this list through FindingFilterSet.filter_queryset.
        return compliance.all_findings(compliance.check_all(self.day))

    def get_page_subtitle(self):
        return _("Checked %(date)s") % {"date": self.day.strftime("%d.%m.%Y")}


def report_urls():
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


def report_menu_item():
    return ComplianceReportMenuItem(
        _("Compliance with the mandates"), reverse("governance_compliance_report"), icon_name="warning", order=50
    )
