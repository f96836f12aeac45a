"""Field validators with Norwegian messages (through gettext)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_CHARS = re.compile(r"[\s\-().]")
_PHONE_DIGITS = re.compile(r"^(\+|00)?\d{8,15}$")


def normalise_phone(value):
    """Digits only, keeping a leading +; '0047' becomes '+47'."""
    compact = _PHONE_CHARS.sub("", value or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    return compact


def validate_phone(value):
    compact = _PHONE_CHARS.sub("", value or "")
    if not _PHONE_DIGITS.match(compact):
        raise ValidationError(
            _("Enter a valid phone number: 8 digits, optionally with a country code, e.g. +47 71 23 45 67."),
            code="invalid_phone",
        )


def validate_municipality_number(value):
    if not re.fullmatch(r"\d{4}", value or ""):
        raise ValidationError(
            _("A municipality number has exactly four digits, e.g. 1506."),
            code="invalid_municipality_number",
        )
