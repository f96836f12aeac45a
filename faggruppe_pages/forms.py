"""Admin forms of the add-on. Which rows a field may point at is decided in ``boundary.py``."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .boundary import BoundaryFormMixin
from .permissions import is_staff_for

# -- input that cannot be read is a validation error, never a server error ---------------------------------

UNREADABLE = object()
UNREADABLE_MESSAGE = _("This content could not be read. Reload the page and try again; nothing was saved.")


class SafeInputFormMixin:
    """Input a browser would never send is a form error, never a server error.

    - A StreamField posts its structure as bookkeeping fields (``body-count``, ``body-0-deleted``,
      ``body-0-type``). Wagtail reads them with ``int(data[...])``, so a missing or non-numeric one
      raises KeyError or ValueError. Here the field gets a clear error instead.
    - A chooser's hidden input holds a row's id. ``abc`` or ``²`` there made the chooser widget fail
      while showing the form again; such a value is dropped before anything reads it, and the field
      gets the "cannot choose this" error.
    Everything else the user typed is shown again.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "block"):  # wagtail.blocks.BlockField: a StreamField's form field
                _guard_widget(field)
        self._malformed_choices = self._drop_malformed_ids()

    def _drop_malformed_ids(self):
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return []
        from django.forms import ModelChoiceField, ModelMultipleChoiceField

        from .boundary import parse_id

        malformed, data = [], None
        for name, field in self.fields.items():
            if not isinstance(field, ModelChoiceField) or field.disabled:
                continue
            key = self.add_prefix(name)
            values = self.data.getlist(key)
            if isinstance(field, ModelMultipleChoiceField):
                kept = [v for v in values if parse_id(v) is not None]
                changed = kept != values
            else:  # Django reads the last of repeated values
                last = values[-1] if values else ""
                kept, changed = [""], last != "" and parse_id(last) is None
            if changed:
                data = data or self.data.copy()
                data.setlist(key, kept)
                malformed.append(name)
        if data is not None:
            self.data = data
        return malformed

    def clean(self):
        cleaned_data = super().clean()
        from .boundary import NOT_ALLOWED

        for name in self._malformed_choices:
            self._errors[name] = self.error_class([NOT_ALLOWED])
            cleaned_data.pop(name, None)
        return cleaned_data


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


class MembershipAdminForm(SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
    pass


class PersonAdminForm(SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
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


class OrganisationAdminForm(SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
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
