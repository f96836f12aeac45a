"""Field validators with Norwegian messages (through gettext)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_CHARS = re.compile(r"[\s\-().\u00a0/]")
_NORWEGIAN = re.compile(r"[0-9]{8}")
_FOREIGN = re.compile(r"\+[0-9]{8,15}")


def normalise_phone(value):
    """How a phone number is stored: a Norwegian number as its 8 digits ("+47 712 34 567", "0047 71234567"
    and "71 23 45 67" are all "71234567"), any other as "+" and digits. Input that is no phone number is
    returned compacted, for the validator to refuse."""
    compact = _PHONE_CHARS.sub("", value or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+47") and _NORWEGIAN.fullmatch(compact[3:]):
        compact = compact[3:]
    return compact


def is_valid_phone(value):
    compact = normalise_phone(value)
    return bool(_NORWEGIAN.fullmatch(compact) or (_FOREIGN.fullmatch(compact) and not compact.startswith("+47")))


def format_phone(value):
    """For reading: a Norwegian mobile (4xx, 9xx) as "912 34 567", a landline as "71 23 45 67"."""
    compact = normalise_phone(value)
    if not _NORWEGIAN.fullmatch(compact):
        return value or ""
    if compact[0] in "49":
        return f"{compact[:3]} {compact[3:5]} {compact[5:]}"
    return " ".join(compact[i : i + 2] for i in range(0, 8, 2))


def phone_uri(value):
    compact = normalise_phone(value)
    return f"tel:+47{compact}" if _NORWEGIAN.fullmatch(compact) else f"tel:{compact}"


def validate_phone(value):
    if value and not is_valid_phone(value):
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
