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


@register.filter
def email_wrap_pdf(address):
    """``email_wrap`` for a PDF: the same places to break, each a zero-width space instead of ``<wbr>``.

    WeasyPrint makes a box of every element: the four ``<wbr>`` of an address made a large overview's lists
    lay out and write about twice as slowly (docs/pdf-memory.md). The space is not text: it is not in the PDF's
    text, so an address copied or read aloud from the PDF is whole (tested with poppler and pypdf)."""
    if not address:
        return ""
    return _BREAK_BEFORE.sub("\u200b\\1", str(address))
