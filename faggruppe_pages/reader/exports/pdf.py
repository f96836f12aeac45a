"""The overview as an A4 PDF, rendered by WeasyPrint from a template.

A large overview is rendered in parts (``render_pdf_in_parts``), so the memory a build needs does not grow with
the data: docs/pdf-memory.md, "Large overviews in parts".
"""

import gc
import queue
import re
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from faggruppe_pages import conf
from faggruppe_pages.reader.exports.titles import export_title

#: Every PDF of the portal is tagged PDF/UA-1: a structure tree for screen readers, with the <title> and
#: <html lang> as the document's title and language.
PDF_VARIANT = "pdf/ua-1"
OVERVIEW_TEMPLATE = "faggruppe_pages/reader/pdf/member_overview.html"


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
    """A4, Norwegian, title, when it was generated, “Side x av y”, leaders marked. WeasyPrint renders it.

    With more groups than ``conf.pdf_part_groups()`` it is rendered in parts: the matrix, then the lists of so many
    groups at a time (``render_pdf_in_parts``); each part of the lists starts on a new page."""
    context = {
        "overview": overview,
        "title": export_title(overview),
        "generated": timezone.localtime(overview.generated_at),
        "page_counter": page_counter_css(),
        "title_css": css_string(export_title(overview)),
    }
    rows = overview.rows
    size = conf.pdf_part_groups()
    if len(rows) <= size or overview.group is not None:
        whole = {"matrix": True, "lists": True, "lists_start": True, "rows": rows, "legend": True}
        return render_pdf(OVERVIEW_TEMPLATE, {**context, "part": whole}, request)
    parts = [{"matrix": True, "lists": False}]
    for start in range(0, len(rows), size):
        parts.append(
            {
                "matrix": False,
                "lists": True,
                "lists_start": start == 0,
                "rows": rows[start : start + size],
                "legend": start + size >= len(rows),
            }
        )
    return render_pdf_in_parts(OVERVIEW_TEMPLATE, context, parts, request)


def render_pdf(template_name, context, request=None):
    """Any template as an A4 PDF (the portal's one way to WeasyPrint). The context gets ``page_counter``
    (“Side 1 av 3” as a CSS ``content`` value) unless it has one; titles for ``@page`` margin boxes go
    through ``css_string``. Other add-ons render their PDFs here too (governance: minutes, yearly report)."""
    from weasyprint import HTML

    context = {"page_counter": page_counter_css(), **context}
    html = render_to_string(template_name, context, request=request)
    font_config = _take_font_config()
    try:
        return HTML(string=html, base_url=None).write_pdf(font_config=font_config, pdf_variant=PDF_VARIANT)
    finally:
        _idle_font_configs.put(font_config)


def render_pdf_in_parts(template_name, context, parts, request=None):
    """One PDF from a template rendered once per part (``context["part"]`` is each of ``parts`` in turn), in far
    less memory than ``render_pdf`` of the whole: WeasyPrint keeps the layout of every page of a document until
    it is written, so each part is laid out, written to a temporary file and let go before the next.

    What the reader sees is the one document: the parts' pages in order, the title and date at the top of every
    page as usual, and "Side x av y" counted over the whole. The page numbers are drawn afterwards (the total
    is known only when the last part is laid out): the parts are rendered without them, then a document of
    empty pages of the same sizes with only the page numbers (the same ``@page`` rules of ``template_name``),
    whose pages are laid over the parts' pages (pdf_parts.join). One structure tree for screen readers.
    """
    from weasyprint import HTML

    from faggruppe_pages.reader.exports import pdf_parts

    context = {"page_counter": page_counter_css(), **context}
    with tempfile.TemporaryDirectory(prefix="faggruppe-pdf-") as folder:
        files, sizes = [], []
        for number, part in enumerate(parts):
            html = render_to_string(template_name, {**context, "part": part, "page_counter": "none"}, request=request)
            font_config = _take_font_config()
            try:
                document = HTML(string=html, base_url=None).render(font_config=font_config, pdf_variant=PDF_VARIANT)
                sizes.extend((page.width, page.height) for page in document.pages)
                files.append(Path(folder) / f"part-{number}.pdf")
                document.write_pdf(files[-1], pdf_variant=PDF_VARIANT)
            finally:
                _idle_font_configs.put(font_config)
            # The layout is a graph with cycles: collected now, not at some later part's peak.
            del document, html
            gc.collect()
        numbers = page_numbers_pdf(template_name, context, sizes, request)
        return pdf_parts.join(files, numbers)


def page_numbers_pdf(template_name, context, sizes, request=None):
    """A PDF of empty pages of ``sizes`` (CSS pixels) with only "Side x av y", as ``template_name`` places it."""
    from weasyprint import HTML

    distinct = list(dict.fromkeys(sizes))
    page_sizes = [f"{width!r}px {height!r}px" for width, height in distinct]
    numbers = [distinct.index(size) for size in sizes]
    html = render_to_string(
        template_name, {**context, "page_sizes": page_sizes, "page_numbers_only": numbers}, request=request
    )
    font_config = _take_font_config()
    try:
        # Untagged: its text is laid over the parts' pages as an artifact (pdf_parts.join), as page numbers are.
        return HTML(string=html, base_url=None).write_pdf(font_config=font_config)
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
