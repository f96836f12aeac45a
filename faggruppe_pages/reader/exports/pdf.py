"""The overview as an A4 PDF, rendered by WeasyPrint from a template."""

import queue
import re

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from faggruppe_pages.reader.exports.titles import export_title


def css_string(text):
    """A Python string as a CSS string literal, safe inside a <style> element.

    Every character that could end the string or the element (quotes, backslash, newline, < and >)
    becomes a CSS escape.
    """
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\\n<>' else c for c in text)
    return f'"{escaped}"'


def page_counter_css():
    """“Side 1 av 3” as a CSS ``content`` value, from one translatable message."""
    message = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", message)
    values = []
    for part in parts:
        if part == "%(page)s":
            values.append("counter(page)")
        elif part == "%(pages)s":
            values.append("counter(pages)")
        elif part:
            values.append(css_string(part))
    return " ".join(values)


def overview_pdf(overview, request=None):
    """A4, Norwegian, title, when it was generated, “Side x av y”, leaders marked. WeasyPrint renders it."""
    context = {
        "overview": overview,
        "title": export_title(overview),
        "generated": timezone.localtime(overview.generated_at),
        "page_counter": page_counter_css(),
        "title_css": css_string(export_title(overview)),
    }
    return render_pdf("faggruppe_pages/reader/pdf/member_overview.html", context, request)


def render_pdf(template_name, context, request=None):
    """Any template as an A4 PDF (the portal's one way to WeasyPrint). The context gets ``page_counter``
    (“Side 1 av 3” as a CSS ``content`` value) unless it has one; titles for ``@page`` margin boxes go
    through ``css_string``. Other add-ons render their PDFs here too (governance: minutes, yearly report)."""
    from weasyprint import HTML

    context = {"page_counter": page_counter_css(), **context}
    html = render_to_string(template_name, context, request=request)
    font_config = _take_font_config()
    try:
        # Tagged PDF/UA-1: a structure tree for screen readers, with the <title> and <html lang> as the
        # document's title and language.
        return HTML(string=html, base_url=None).write_pdf(font_config=font_config, pdf_variant="pdf/ua-1")
    finally:
        _idle_font_configs.put(font_config)


#: WeasyPrint's font configurations, reused: without one, write_pdf() makes a new FontConfiguration per
#: document, and each leaks its fontconfig configuration (~220 KB a PDF with Debian 12's pango 1.50; see
#: docs/pdf-memory.md). One per concurrent render, never shared by two at once: at most as many as the
#: process ever rendered at the same time.
_idle_font_configs = queue.SimpleQueue()


def _take_font_config():
    try:
        return _idle_font_configs.get_nowait()
    except queue.Empty:
        from weasyprint.text.fonts import FontConfiguration

        return FontConfiguration()
