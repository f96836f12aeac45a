"""The admin listings and forms: mandates (a snippet: drafts, revisions, the approval workflow) and governing bodies
(Wagtail's ModelViewSet: index, create, edit, inspect, delete, CSV/XLSX export). Staff only (``access``)."""

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from faggruppe_pages.admin.guards import SafeExportIndexView
from faggruppe_pages.spreadsheets import SafeSpreadsheetExportMixin
from governance.models import GoverningBody, Mandate


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


class SafeExportModelIndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    """The listing; its CSV/XLSX download neutralises formulas like every export of the portal."""


class ProtectedDeleteView(generic.DeleteView):
    """A body still named by a mandate or a reporting line is refused (as Wagtail refuses one its usage
    shows as protected), never a server error, even where the reference index has not seen the link."""

    def delete_action(self):
        try:
            super().delete_action()
        except ProtectedError as error:
            raise PermissionDenied from error


class GoverningBodyViewSet(ModelViewSet):
    model = GoverningBody
    # The addresses wagtail-modeladmin gave them: /admin/governance/governingbody/ (edit/<pk>/, inspect/<pk>/ …).
    url_prefix = "governance/governingbody"
    url_namespace = "governance_governingbody"
    index_view_class = SafeExportModelIndexView
    delete_view_class = ProtectedDeleteView
    icon = "group"
    menu_label = _("Governing bodies")
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["name", "short_name", "case_prefix", "established_on", "dissolved_on"]
    list_export = ["name", "short_name", "case_prefix", "established_on", "dissolved_on", "description"]
    # The name modeladmin gave the download.
    export_filename = "spreadsheet-export"
    search_fields = ["name", "short_name"]


def governing_bodies():
    """``register_admin_viewset``: the governing bodies' viewset."""
    return GoverningBodyViewSet()
