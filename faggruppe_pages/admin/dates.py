"""Dates in the admin: shown and typed as dd.mm.åååå, and a date the field cannot read is refused.

Wagtail's date fields follow ``WAGTAIL_DATE_FORMAT`` (the site sets ``%d.%m.%Y``), but two things were
left to us:

- The field parses what is typed with the *active language's* input formats: under English
  ``01.12.2026`` would be refused although the widget shows dates that way. The fields accept
  dd.mm.åååå (and the ISO form) in every language.
- The date picker (xdsoft datetimepicker) replaces text it cannot parse with *today* when the field
  loses focus (``validateOnBlur``): a typo became a silent, wrong date. Here it keeps what was typed,
  and the server refuses it with a Norwegian message that shows the expected form.

``register()`` (called from ``apps.ready``, before any admin form class is built) replaces Wagtail's
built-in overrides for ``DateField`` and ``DateTimeField`` in every admin model and page form; ``date_field()``
is the same field for a plain admin form (the meetings' and proposals' transitions).
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from faggruppe_pages import conf

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
]
INVALID_DATE = _("Write the date as dd.mm.yyyy, for example 01.12.2026.")
INVALID_DATETIME = _("Write the date and time as dd.mm.yyyy hh:mm, for example 01.12.2026 14:30.")


class KeepTypedTextMixin:
    def get_config(self):
        # Never swap unreadable text for today's date; the form says what is wrong instead.
        return {**super().get_config(), "validateOnBlur": False}


class NorwegianDateInput(KeepTypedTextMixin, AdminDateInput):
    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or conf.get("WAGTAIL_DATE_FORMAT"))


class NorwegianDateTimeInput(KeepTypedTextMixin, AdminDateTimeInput):
    def __init__(self, attrs=None, format=None, time_format=None):
        super().__init__(
            attrs=attrs,
            format=format or conf.get("WAGTAIL_DATETIME_FORMAT"),
            time_format=time_format or conf.get("WAGTAIL_TIME_FORMAT"),
        )


def date_field(**kwargs):
    """A date field for a plain admin form, as ``register`` makes every model form's: Wagtail's date picker,
    dd.mm.åååå in every language, the Norwegian message for what it cannot read. The form's template must
    include ``form.media`` (the picker's script)."""
    return forms.DateField(
        widget=NorwegianDateInput, input_formats=DATE_INPUT_FORMATS, error_messages={"invalid": INVALID_DATE}, **kwargs
    )


def register():
    register_form_field_override(
        models.DateField,
        override={
            "widget": NorwegianDateInput,
            "input_formats": DATE_INPUT_FORMATS,
            "error_messages": {"invalid": INVALID_DATE},
        },
    )
    register_form_field_override(
        models.DateTimeField,
        override={
            "widget": NorwegianDateTimeInput,
            "input_formats": DATETIME_INPUT_FORMATS,
            "error_messages": {"invalid": INVALID_DATETIME},
        },
    )
