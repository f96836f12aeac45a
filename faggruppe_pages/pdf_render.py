"""WeasyPrint and nothing else: an HTML document to a PDF file, in this process or in processes of their own.

It imports nothing of Django, so a process started with ``spawn`` renders a part of a large PDF without loading
the site: reader/exports/pdf.py renders a large overview's parts here, side by side (docs/pdf-memory.md, "Large
overviews in parts"). Every other PDF of the portal is rendered in the process that asks for it.
"""

import contextlib
import functools
import gc
import multiprocessing
import os
import queue
from concurrent.futures import ProcessPoolExecutor

#: Every PDF of the portal is tagged PDF/UA-1: a structure tree for screen readers, with the <title> and
#: <html lang> as the document's title and language.
PDF_VARIANT = "pdf/ua-1"

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


@contextlib.contextmanager
def _font_config():
    """An idle font configuration for one render, given back after it."""
    font_config = _take_font_config()
    try:
        yield font_config
    finally:
        _idle_font_configs.put(font_config)


def render_bytes(html, variant=PDF_VARIANT):
    """``html`` as the bytes of a PDF (``variant`` None: untagged)."""
    from weasyprint import HTML

    with _font_config() as font_config:
        return HTML(string=html, base_url=None).write_pdf(font_config=font_config, pdf_variant=variant)


@contextlib.contextmanager
def _collected_once():
    """Python's automatic garbage collection paused for one layout, then one full collection.

    WeasyPrint allocates millions of objects for a part of a large overview and frees almost none until the end, so
    the automatic collections (about 1,900 for a part of 100 groups' lists) traverse a growing heap again and again
    for nothing: 2.3 of 12.5 s of CPU, against 0.6 s for the one collection at the end (docs/pdf-memory.md,
    "Garbage collection"). Paused process-wide, so only where a process lays out one part at a time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def render_file(html, path, variant=PDF_VARIANT):
    """``html`` laid out and written to the PDF file ``path``; the sizes of its pages (CSS pixels).

    The layout (a graph with cycles, tens of MB for a part of a large overview) is collected before this
    returns, not at the next part's peak; it is collected only then (``_collected_once``)."""
    from weasyprint import HTML

    with _collected_once(), _font_config() as font_config:
        document = HTML(string=html, base_url=None).render(font_config=font_config, pdf_variant=variant)
        sizes = [(page.width, page.height) for page in document.pages]
        document.write_pdf(path, pdf_variant=variant)
        del document
    return sizes


def available_cpus():
    """The CPUs this process may run on (a container's limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def renderers(processes):
    """Processes to lay out PDFs in, side by side (``render_files``, ``render_later``): ``processes`` of them, each
    started with ``spawn`` (a fresh interpreter: nothing of the caller's database connections, threads or caches
    is copied; it imports WeasyPrint once, about a second); None (render in this process) for 1 or fewer.
    WeasyPrint's layout is Python, so threads would not run side by side."""
    if processes <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        # Started now, each importing WeasyPrint and making its font configuration while the caller makes the
        # first part's HTML, rather than after it (about a second of a large overview's build).
        for _ in range(processes):
            pool.submit(_warm_up)
        yield pool


def _warm_up():
    """In a new process of ``renderers``: WeasyPrint imported and a font configuration ready for its first part."""
    _idle_font_configs.put(_take_font_config())


def render_files(jobs, pool=None):
    """Each ``(html, path)`` of ``jobs`` to its PDF file; ``{path: the sizes of its pages}``.

    ``jobs`` is read as it goes (a generator can make each HTML as the processes take them) and started in its
    order: give the longest first, so that no process is left with a long one at the end while the others wait.
    In ``pool`` (``renderers``), or in this process (None). An error in a part is raised here, after the parts
    already started have ended."""
    if pool is None:
        return {path: render_file(html, path) for html, path in jobs}
    futures = {path: pool.submit(render_file, html, path) for html, path in jobs}
    return {path: future.result() for path, future in futures.items()}


def render_later(html, pool, variant=PDF_VARIANT):
    """``render_bytes`` started in ``pool`` (``renderers``; None: rendered when asked): a function that gives the
    bytes, waiting for them. The caller does other work meanwhile (the join of a large PDF's parts, while its page
    numbers are laid out)."""
    if pool is None:
        return functools.partial(render_bytes, html, variant)
    return pool.submit(render_bytes, html, variant).result
