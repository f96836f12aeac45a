"""The overview as an A4 PDF, rendered by WeasyPrint from a template.

A large overview is rendered in parts (``render_pdf_in_parts``), so the memory a build needs does not grow with
the data: docs/pdf-memory.md, "Large overviews in parts".
"""

import logging
import re
import tempfile
import time
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faggruppe_pages import conf, pdf_render
from faggruppe_pages.reader.exports import pdf_cache
from faggruppe_pages.reader.exports.titles import export_title, overview_scope

OVERVIEW_TEMPLATE = "faggruppe_pages/reader/pdf/member_overview.html"

logger = logging.getLogger(__name__)


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

    With more groups than ``conf.pdf_part_groups()`` it is rendered in parts of so many groups: the matrix's rows,
    then the groups' lists (``render_pdf_in_parts``); each part starts on a new page."""
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
        whole = {"matrix": True, "matrix_start": True, "matrix_rows": rows, "lists": True, "lists_start": True}
        return render_pdf(OVERVIEW_TEMPLATE, {**context, "part": {**whole, "rows": rows, "legend": True}}, request)
    # The matrix has fixed column widths (member_overview.html), so its parts line up as one table would. A part's
    # weight is its seats, what its layout takes longest over (render_pdf_in_parts starts the heaviest first); a
    # list's row per seat is more to lay out than a name in the matrix.
    matrix_parts, list_parts = [], []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        seats = sum(len(row.members) for row in chunk)
        matrix_parts.append({"matrix": True, "matrix_start": start == 0, "matrix_rows": chunk, "weight": seats})
        lists = {"lists": True, "lists_start": start == 0, "rows": chunk, "legend": start + size >= len(rows)}
        list_parts.append({**lists, "weight": 2 * seats})
    parts = matrix_parts + list_parts
    # The parts' PDFs are kept for the next build (pdf_cache.py), by document: language and filter.
    cache = f"medlemsoversikt-{translation.get_language()}-{overview_scope(overview.organisation)}"
    return render_pdf_in_parts(OVERVIEW_TEMPLATE, context, parts, request, cache=cache)


def render_pdf(template_name, context, request=None):
    """Any template as an A4 PDF (the portal's one way to WeasyPrint). The context gets ``page_counter``
    (“Side 1 av 3” as a CSS ``content`` value) unless it has one; titles for ``@page`` margin boxes go
    through ``css_string``. Other add-ons render their PDFs here too (governance: minutes, yearly report)."""
    context = {"page_counter": page_counter_css(), **context}
    return pdf_render.render_bytes(render_to_string(template_name, context, request=request))


def render_pdf_in_parts(template_name, context, parts, request=None, cache=None):
    """One PDF from a template rendered once per part (``context["part"]`` is each of ``parts`` in turn), in far
    less memory than ``render_pdf`` of the whole, and sooner: WeasyPrint keeps the layout of every page of a
    document until it is written, so each part is laid out, written to a temporary file and let go; and the
    parts are laid out side by side in ``conf.pdf_processes()`` processes (faggruppe_pages/pdf_render.py).

    What the reader sees is the one document: the parts' pages in order, the title and date at the top of every
    page as usual, and "Side x av y" counted over the whole. The page numbers are drawn afterwards (the total
    is known only when the last part is laid out): the parts are rendered without them, then a document of
    empty pages of the same sizes with only the page numbers (the same ``@page`` rules of ``template_name``),
    whose pages are laid over the parts' pages (pdf_parts.join). One structure tree for screen readers.

    ``cache`` (a name for the document, e.g. ``medlemsoversikt-nb-alle``): the parts' PDFs and the page numbers'
    are kept (pdf_cache.py), and a part whose HTML is what it was in an earlier build is not laid out again.
    """
    from faggruppe_pages.reader.exports import pdf_parts

    context = {"page_counter": page_counter_css(), **context}
    kept = pdf_cache.PartCache(cache) if cache else None
    with tempfile.TemporaryDirectory(prefix="faggruppe-pdf-") as folder:
        files = [Path(folder) / f"part-{number}.pdf" for number in range(len(parts))]
        started = time.perf_counter()
        # Each part's HTML is made here (templates, translations: Django) as the processes take them, the heaviest
        # first (a part's "weight", where it has one: the longest to lay out); the processes only lay them out. A
        # part kept from an earlier build with the same HTML is copied instead.
        order = sorted(range(len(parts)), key=lambda number: -parts[number].get("weight", 0))
        reused, keys = {}, {}

        def jobs():
            for number in order:
                part_context = {**context, "part": parts[number], "page_counter": "none"}
                html = render_to_string(template_name, part_context, request=request)
                if kept is not None:
                    keys[files[number]] = key = pdf_cache.part_key(html, pdf_render.PDF_VARIANT)
                    sizes = kept.fetch(key, files[number])
                    if sizes is not None:
                        reused[files[number]] = sizes
                        continue
                yield html, files[number]

        processes = min(conf.pdf_processes(), len(parts))
        with pdf_render.renderers(processes) as pool:
            rendered = pdf_render.render_files(jobs(), pool=pool)
            if kept is not None:
                for path, sizes in rendered.items():
                    kept.keep(keys[path], path, sizes)
            rendered.update(reused)
            sizes = [size for path in files for size in rendered[path]]
            laid_out = time.perf_counter()
            # The page numbers are laid out in one of the processes while this one joins the parts: the join
            # needs them only at its end (pdf_parts.join).
            numbers = page_numbers_pdf(template_name, context, sizes, request, kept=kept, pool=pool, folder=folder)
            joined = pdf_parts.join(files, numbers)
        if kept is not None:
            kept.clean()
        logger.info(
            "PDF of %d pages in %d parts (%d laid out in %d processes, %d reused): parts %.1f s, page numbers and "
            "join %.1f s",
            len(sizes),
            len(parts),
            len(parts) - len(reused),
            processes,
            len(reused),
            laid_out - started,
            time.perf_counter() - laid_out,
        )
        return joined


def page_numbers_pdf(template_name, context, sizes, request=None, *, kept=None, pool=None, folder=None):
    """A PDF of empty pages of ``sizes`` (CSS pixels) with only "Side x av y", as ``template_name`` places it: a
    function that gives its bytes. Laid out in ``pool`` (pdf_render.renderers) meanwhile, or when asked. With
    ``kept`` (a pdf_cache.PartCache; ``folder``: a temporary folder for its file) taken from there when the same
    sizes were numbered before, and kept there when laid out."""
    distinct = list(dict.fromkeys(sizes))
    page_sizes = [f"{width!r}px {height!r}px" for width, height in distinct]
    numbers = [distinct.index(size) for size in sizes]
    html = render_to_string(
        template_name, {**context, "page_sizes": page_sizes, "page_numbers_only": numbers}, request=request
    )
    # Untagged: its text is laid over the parts' pages as an artifact (pdf_parts.join), as page numbers are.
    if kept is None:
        return pdf_render.render_later(html, pool, variant=None)
    key = pdf_cache.part_key(html, None)
    path = Path(folder) / "numbers.pdf"
    if kept.fetch(key, path) is not None:
        return path.read_bytes
    later = pdf_render.render_later(html, pool, variant=None)

    def laid_out():
        content = later()
        path.write_bytes(content)
        kept.keep(key, path, [])
        return content

    return laid_out
