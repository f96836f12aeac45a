"""Admin viewsets for organisations, people and memberships (registered in wagtail_hooks)."""

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from faggruppe_pages.admin.choosers import PER_PAGE, GroupChooserWidget, PersonChooserViewSet
from faggruppe_pages.admin.filters import MembershipFilterSet, OrganisationFilterSet, PersonFilterSet
from faggruppe_pages.admin.forms import MembershipAdminForm, OrganisationAdminForm, PersonAdminForm
from faggruppe_pages.admin.guards import (
    GuardedCreateView,
    GuardedEditView,
    GuardedHistoryView,
    GuardedSnippetViewSet,
    NoCreateChooserViewSet,
    QueryPrefillMixin,
    SafeExportIndexView,
)
from faggruppe_pages.admin.withdrawals import WithdrawMembershipView
from faggruppe_pages.models import Membership, Organisation, Person
from faggruppe_pages.permissions import can_withdraw
from faggruppe_pages.upkeep.confirmation import VERIFY_BY_SAVING_ACTION, stamp_saved


class OrganisationViewSet(SnippetViewSet):
    """Organisations belong to staff (plain model permissions)."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    index_view_class = SafeExportIndexView
    chooser_viewset_class = NoCreateChooserViewSet
    copy_view_enabled = False
    list_display = ["name", "kind", "municipality_number", "member_from", "member_to"]
    list_export = ["name", "short_name", "kind", "municipality_number", "is_owner", "member_from", "member_to"]
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "short_name", "municipality_number"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("slug"),
            FieldPanel("kind"),
            FieldPanel("municipality_number"),
            FieldPanel("is_owner"),
            FieldRowPanel([FieldPanel("member_from"), FieldPanel("member_to")]),
            FieldPanel("merged_into", widget=forms.Select),
        ],
        base_form_class=OrganisationAdminForm,
    )


class PersonViewSet(GuardedSnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "job_title", "employer", "email"]
    list_export = ["name", "job_title", "employer", "unit", "email", "phone", "show_phone"]
    list_select_related = ("employer",)
    chooser_viewset_class = PersonChooserViewSet
    chooser_per_page = PER_PAGE
    filterset_class = PersonFilterSet
    search_fields = ["name", "email", "job_title", "unit"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("job_title"),
            FieldRowPanel([FieldPanel("employer", widget=forms.Select), FieldPanel("unit")]),
            MultiFieldPanel(
                [FieldPanel("email"), FieldRowPanel([FieldPanel("phone"), FieldPanel("show_phone")])],
                heading=_("Work contact details"),
            ),
            FieldPanel("user"),
        ],
        base_form_class=PersonAdminForm,
    )


class ConfirmBySavingMixin:
    """Saving an entry through its form counts as confirming it (last verified = now, by the user); the
    history records the confirmation next to Wagtail's own "created"/"edited" entry."""

    def save_instance(self):
        stamp_saved(self.form.instance, self.request.user)
        instance = super().save_instance()
        log(instance, VERIFY_BY_SAVING_ACTION, user=self.request.user, data={"organisation": instance.represents_id})
        return instance


class MembershipCreateView(ConfirmBySavingMixin, QueryPrefillMixin, GuardedCreateView):
    """Pre-select the group (and person, organisation) from the query string, as linked from a group
    page's editor and the start page's gaps."""

    prefill_fields = ("group", "person", "represents")


WITHDRAW_LABEL = _("Registered in error")


class MembershipIndexView(SafeExportIndexView):
    """The listing offers "Registrert ved en feil" (withdraw) where the user may, instead of "Delete"."""

    def get_delete_url(self, instance):
        if can_withdraw(self.request.user, instance):
            return reverse(self.delete_url_name, args=[instance.pk])
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for button in buttons:
            if button.icon_name == "bin":  # Wagtail's "Delete": here it withdraws
                button.label = WITHDRAW_LABEL
        return buttons


class MembershipEditView(ConfirmBySavingMixin, GuardedEditView):
    delete_item_label = WITHDRAW_LABEL

    @cached_property
    def can_delete(self):
        return can_withdraw(self.request.user, self.object)


class MembershipHistoryView(GuardedHistoryView):
    """A withdrawn entry keeps its history (staff reach it from "Tilbaketrukne oppføringer")."""

    def get_base_object_queryset(self):
        return Membership.all_objects.all()


class MembershipViewSet(GuardedSnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    add_view_class = MembershipCreateView
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    history_view_class = MembershipHistoryView

    @property
    def delete_view(self):
        """Memberships are never deleted here: "delete" is withdrawing one registered in error."""
        return WithdrawMembershipView.as_view()

    list_display = ["person", "group", "represents", "role", "start_date", "end_date", "last_verified_at"]
    list_export = [
        "person",
        "group",
        "represents",
        "role",
        "start_date",
        "end_date",
        "appointed_by",
        "appointment_reference",
        "last_verified_at",
    ]
    list_select_related = ("person", "group", "represents")
    filterset_class = MembershipFilterSet
    search_fields = ["person__name", "group__title", "represents__name", "note"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("person"),
            FieldPanel("group", widget=GroupChooserWidget, icon="group"),
            FieldRowPanel([FieldPanel("represents", widget=forms.Select), FieldPanel("role")]),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldRowPanel([FieldPanel("appointed_by"), FieldPanel("appointment_reference")]),
            FieldPanel("note"),
        ],
        base_form_class=MembershipAdminForm,
    )


class MembersAdminGroup(SnippetViewSetGroup):
    menu_label = _("Members")
    menu_icon = "group"
    menu_order = 250
    items = (MembershipViewSet, PersonViewSet, OrganisationViewSet)
