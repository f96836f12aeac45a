"""Staff's "Kataloggrupper" (Innstillinger): which directory group gives which rights at single sign-on login.

Staff only (``StaffOnlyPolicy``, and the staff-only URL list as a second lock): a representative who could add a
mapping could make themselves staff.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from faggruppe_pages.models import Organisation
from faggruppe_pages.models.organisations import OrganisationKind
from intranet.oidc.models import DirectoryGroupMapping

VIEWSET_NAME = "kataloggrupper"


class DirectoryGroupMappingForm(WagtailAdminModelForm):
    class Meta:
        model = DirectoryGroupMapping
        fields = ["directory_group_id", "description", "target", "organisation"]
        widgets = {"organisation": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.UNION]
        ).order_by("name")


class DirectoryGroupViewSet(ModelViewSet):
    model = DirectoryGroupMapping
    name = VIEWSET_NAME
    icon = "group"
    menu_label = _("Directory groups")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column("directory_group_id", label=_("Directory group id")),
        Column("description", label=_("Description")),
        Column("target_label", label=_("Gives")),
    ]

    def get_form_class(self, for_update=False):
        return DirectoryGroupMappingForm

    def get_permissions_to_register(self):
        # StaffOnlyPolicy decides, not Django permissions: offer none in the group editor.
        return Permission.objects.none()


@hooks.register("register_admin_viewset")
def register_directory_groups():
    return DirectoryGroupViewSet()


@hooks.register("faggruppe_pages_staff_only_admin_views")
def directory_groups_are_staff_only():
    return [f"{VIEWSET_NAME}:*"]
