"""Admin forms of the add-on. Which rows a field may point at is decided in ``boundary.py``."""

import re

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.rich_text import DraftailRichTextArea

from faggruppe_pages.admin.boundary import NOT_ALLOWED, BoundaryFormMixin, parse_id
from faggruppe_pages.admin.conflicts import ConflictGuardFormMixin
from faggruppe_pages.models import Person
from faggruppe_pages.models.pages import reserved_slugs
from faggruppe_pages.permissions import is_staff_for

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
    - A rich-text field (Wagtail's Draftail editor) posts its content as JSON; text that is no such JSON
      made the widget fail while reading the form. The field gets the "could not be read" error instead.
    Everything else the user typed is shown again.
    """

    def __init__(self, *args, **kwargs):
        # Formset counts are read before this form's own fields exist (modelcluster builds the
        # inline formsets in __init__), so they are checked on the way in.
        if args and hasattr(args[0], "getlist"):
            args = (_sane_management_counts(args[0]), *args[1:])
        elif hasattr(kwargs.get("data"), "getlist"):
            kwargs["data"] = _sane_management_counts(kwargs["data"])
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "block"):  # wagtail.blocks.BlockField: a StreamField's form field
                _guard_widget(field)
            elif isinstance(field.widget, DraftailRichTextArea):
                _guard_widget(field, check=lambda value: None)
        self._malformed_choices = self._drop_malformed_ids()

    def _drop_malformed_ids(self):
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return []
        from django.forms import ModelChoiceField, ModelMultipleChoiceField

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

        for name in self._malformed_choices:
            self._errors[name] = self.error_class([NOT_ALLOWED])
            cleaned_data.pop(name, None)
        return cleaned_data


#: A formset's management fields: a count of forms, in ASCII digits, of a size a person could fill in.
_MANAGEMENT_FIELD = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
_SANE_COUNT = re.compile(r"[0-9]{1,3}")


def _sane_management_counts(data):
    """A formset count that is no small ASCII number ("١٢", "2**63", "abc") becomes empty, which Django
    reports as "ManagementForm data is missing or has been tampered with" instead of failing on it."""
    bad = [key for key in data if _MANAGEMENT_FIELD.search(key) and not _SANE_COUNT.fullmatch(data.get(key) or "")]
    if not bad:
        return data
    data = data.copy()
    for key in bad:
        data.setlist(key, [""])
    return data


def _guard_widget(field, check=None):
    """``check(value)``: what showing the form again needs (a block's form state); raises if it cannot."""
    read = field.widget.value_from_datadict
    clean, bound_data, has_changed = field.clean, field.bound_data, field.has_changed
    check = check or field.block.get_form_state

    def safe_read(data, files, name):
        try:
            value = read(data, files, name)
            check(value)
            return value
        except Exception:  # noqa: BLE001 - any failure to read posted blocks is the sender's, not ours
            return UNREADABLE

    field.bound_data = lambda data, initial: initial if data is UNREADABLE else bound_data(data, initial)
    field.has_changed = lambda initial, data: data is not UNREADABLE and has_changed(initial, data)

    def safe_clean(value):
        if value is UNREADABLE:
            from django.core.exceptions import ValidationError

            raise ValidationError(UNREADABLE_MESSAGE, code="unreadable")
        return clean(value)

    field.widget.value_from_datadict = safe_read
    field.clean = safe_clean


class MembershipAdminForm(ConflictGuardFormMixin, SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
    pass


class PersonAdminForm(ConflictGuardFormMixin, SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        self._staff = is_staff_for(for_user, Person)
        super().__init__(*args, for_user=for_user, **kwargs)

    def apply_boundary(self, user):
        if not self._staff and "user" in self.fields:
            # Linking a user account grants page rights: only staff may do it.
            self.fields["user"].disabled = True
            self.fields["user"].help_text = _("Only staff can link a user account.")
        super().apply_boundary(user)


class OrganisationAdminForm(ConflictGuardFormMixin, SafeInputFormMixin, BoundaryFormMixin, WagtailAdminModelForm):
    pass


class GroupPageForm(ConflictGuardFormMixin, SafeInputFormMixin, BoundaryFormMixin, WagtailAdminPageForm):
    """Group pages: the successor is limited by the boundary; slugs that the parent's routes use are refused."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        if slug:
            if slug in reserved_slugs():
                self.add_error(
                    "slug",
                    _("The address “%(slug)s” is used by the portal itself. Choose another one.") % {"slug": slug},
                )
        return cleaned_data


class SafeAdminModelForm(ConflictGuardFormMixin, SafeInputFormMixin, WagtailAdminModelForm):
    """For staff-only models with StreamFields (mandates)."""


class SafeAdminPageForm(ConflictGuardFormMixin, SafeInputFormMixin, WagtailAdminPageForm):
    """For the overview page (its common mandate is a StreamField)."""


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's admin login form, with the password field's label translated (Wagtail redefines the field
    without a label, so Django builds an English "Password" from its name). The site names it in
    ``WAGTAILADMIN_USER_LOGIN_FORM``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
