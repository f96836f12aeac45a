"""Text helpers for reader pages and PDFs."""

import html

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _break_before_at_and_dots(text, mark):
    # str.replace rather than a regular expression: a member list asks once per row, a PDF once per seat.
    return text.replace("@", mark + "@").replace(".", mark + ".")


@register.filter
def email_wrap(address):
    """An e-mail address that may wrap only before "@" and before a dot ("ola.nordmann" / "@molde" /
    ".kommune.no"), never mid-word: ``<wbr>`` marks the places; the CSS of its cell forbids other breaks."""
    if not address:
        return ""
    return mark_safe(_break_before_at_and_dots(html.escape(str(address)), "<wbr>"))  # noqa: S308 - escaped


@register.filter
def email_wrap_pdf(address):
    """``email_wrap`` for a PDF: the same places to break, each a zero-width space instead of ``<wbr>``.

    WeasyPrint makes a box of every element: the four ``<wbr>`` of an address made a large overview's lists
    lay out and write about twice as slowly (docs/pdf-memory.md). The space is not text: it is not in the PDF's
    text, so an address copied or read aloud from the PDF is whole (tested with poppler and pypdf)."""
    if not address:
        return ""
    return _break_before_at_and_dots(str(address), "\u200b")
