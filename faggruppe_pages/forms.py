"""Admin forms of the add-on. Which rows a field may point at is decided in ``boundary.py``."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .boundary import BoundaryFormMixin
from .permissions import is_staff_for

# -- input that cannot be read is a validation error, never a server error ---------------------------------

UNREADABLE = object()
UNREADABLE_MESSAGE = _("This content could not be read. Reload the page and try again; nothing was saved.")


class SafeInputFormMixin:
    """A StreamField posts its structure as bookkeeping fields (``body-count``, ``body-0-deleted``,
    ``body-0-type``). Wagtail reads them with ``int(data[...])``, so a missing or non-numeric one
    raises KeyError or ValueError: a 500. Here such a field gets a clear error and the form is
    shown again with everything else the user typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "block"):  # wagtail.blocks.BlockField: a StreamField's form field
                _guard_widget(field)


def _guard_widget(field):
    read = field.widget.value_from_datadict
    clean = field.clean

    def safe_read(data, files, name):
        try:
            return read(data, files, name)
        except (KeyError, ValueError, TypeError, OverflowError, AttributeError):
            return UNREADABLE

    def safe_clean(value):
        if value is UNREADABLE:
            from django.core.exceptions import ValidationError

            raise ValidationError(UNREADABLE_MESSAGE, code="unreadable")
        return clean(value)

    field.widget.value_from_datadict = safe_read
    field.clean = safe_clean


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


class GroupPageForm(SafeInputFormMixin, BoundaryFormMixin, WagtailAdminPageForm):
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


class SafeAdminModelForm(SafeInputFormMixin, WagtailAdminModelForm):
    """For staff-only models with StreamFields (mandates)."""


class SafeAdminPageForm(SafeInputFormMixin, WagtailAdminPageForm):
    """For the overview page (its common mandate is a StreamField)."""
