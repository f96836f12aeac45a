"""Text helpers for reader pages and PDFs."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_BREAK_BEFORE = re.compile(r"([@.])")


@register.filter
def email_wrap(address):
    """An e-mail address that may wrap only before "@" and before a dot ("ola.nordmann" / "@molde" /
    ".kommune.no"), never mid-word: ``<wbr>`` marks the places; the CSS of its cell forbids other breaks."""
    if not address:
        return ""
    return mark_safe(_BREAK_BEFORE.sub(r"<wbr>\1", str(escape(address))))
