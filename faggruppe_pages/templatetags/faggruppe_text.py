"""Text helpers for reader pages and PDFs."""

import html

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
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


#: ``language_options``' answer, by the languages' codes (cleared when a setting changes: tests).
_language_options = {}


@receiver(setting_changed)
def _forget_language_options(**kwargs):
    _language_options.clear()


@register.simple_tag
def language_options():
    """[(code, name)] for every language in ``LANGUAGES``, each named in its own language ("Norsk nynorsk" under
    Bokmål too): the footer's language choice. Worked out once per process (a language switched on and off per
    option was a fifth of rendering base.html's footer); the translations do not change while it runs."""
    key = tuple(code for code, _name in settings.LANGUAGES)
    options = _language_options.get(key)
    if options is None:
        options = []
        for code, name in settings.LANGUAGES:
            with translation.override(code):
                options.append((code, str(name)))
        _language_options[key] = options
    return options
