"""Admin viewsets for organisations, people and memberships (registered in wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from .filters import MembershipFilterSet, OrganisationFilterSet, PersonFilterSet
from .models import Membership, Organisation, Person


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "municipality_number", "member_from", "member_to"]
    list_export = ["name", "short_name", "kind", "municipality_number", "is_owner", "member_from", "member_to"]
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "short_name", "municipality_number"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("municipality_number"),
        FieldPanel("is_owner"),
        FieldRowPanel([FieldPanel("member_from"), FieldPanel("member_to")]),
        FieldPanel("merged_into"),
    ]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "job_title", "employer", "email"]
    list_export = ["name", "job_title", "employer", "unit", "email", "phone", "show_phone"]
    filterset_class = PersonFilterSet
    search_fields = ["name", "email", "job_title", "unit"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("job_title"),
        FieldRowPanel([FieldPanel("employer"), FieldPanel("unit")]),
        MultiFieldPanel(
            [FieldPanel("email"), FieldRowPanel([FieldPanel("phone"), FieldPanel("show_phone")])],
            heading=_("Work contact details"),
        ),
        FieldPanel("user"),
    ]

    def get_queryset(self, request):
        return Person.objects.select_related("employer")


class MembershipCreateView(CreateView):
    """Pre-fill the group (and person) from the query string, as linked from a group page's editor."""

    def get_initial_form_instance(self):
        instance = Membership()
        for field in ("group", "person", "represents"):
            value = self.request.GET.get(field, "")
            if value.isdigit():
                setattr(instance, f"{field}_id", int(value))
        return instance


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    add_view_class = MembershipCreateView
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
    filterset_class = MembershipFilterSet
    search_fields = ["person__name", "group__title", "represents__name", "note"]
    search_backend_name = None
    panels = [
        FieldPanel("person"),
        FieldPanel("group"),
        FieldRowPanel([FieldPanel("represents"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("appointed_by"), FieldPanel("appointment_reference")]),
        FieldPanel("note"),
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("person", "group", "represents")


class MembersAdminGroup(SnippetViewSetGroup):
    menu_label = _("Members")
    menu_icon = "group"
    menu_order = 250
    items = (MembershipViewSet, PersonViewSet, OrganisationViewSet)
