"""Admin forms of the add-on. Which rows a field may point at is decided in ``boundary.py``."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .boundary import BoundaryFormMixin
from .permissions import is_staff_for


class MembershipAdminForm(BoundaryFormMixin, WagtailAdminModelForm):
    pass


class PersonAdminForm(BoundaryFormMixin, WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        from .models import Person

        self._staff = is_staff_for(for_user, Person)
        super().__init__(*args, for_user=for_user, **kwargs)

    def apply_boundary(self, user):
        if not self._staff and "user" in self.fields:
            # Linking a user account grants page rights: only staff may do it.
            self.fields["user"].disabled = True
            self.fields["user"].help_text = _("Only staff can link a user account.")
        super().apply_boundary(user)


class OrganisationAdminForm(BoundaryFormMixin, WagtailAdminModelForm):
    pass


class GroupPageForm(BoundaryFormMixin, WagtailAdminPageForm):
    """Group pages: the successor is limited by the boundary; slugs that the parent's routes use are refused."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        if slug:
            from .models.pages import reserved_slugs

            if slug in reserved_slugs():
                self.add_error(
                    "slug",
                    _("The address “%(slug)s” is used by the portal itself. Choose another one.") % {"slug": slug},
                )
        return cleaned_data
