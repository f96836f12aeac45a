#!/usr/bin/env python
"""Does a worker's memory grow with every PDF?  `python tests/perf/pdf_memory.py --count 300`

In one process, against a throwaway database with the demo data (a temporary SQLite
file, or "<name>_bench" when DATABASE_URL points at PostgreSQL; the same machinery as
tests/perf/bench.py), logged in as the reader ``leser`` through Django's test client:

1. ``--warmup`` untimed requests for the whole-overview PDF (``/faggrupper/medlemsoversikt/pdf/``),
2. ``--count`` more PDFs, reporting the resident set size (VmRSS from /proc/self/status) every
   ``--every`` PDFs and at the end, with the glibc heap's bytes in use and held (mallinfo2),
3. the same for ``--count`` renders of the HTML overview page ``/faggrupper/medlemsoversikt/``,

and at the end the median and p95 time of a PDF and the RSS growth after warm-up of both series.

``--trim`` calls glibc's ``malloc_trim(0)`` before every reading and also reports the RSS after it:
memory that comes back after a trim was free in the heap (fragmentation, not a leak); memory
that stays is held by live objects (Python's or C libraries').
``--tracemalloc`` traces Python allocations (slow) and prints the allocation sites that grew most
between the first and the last reading, plus the Python object types whose counts grew.
``--renderer naive`` renders the PDF the way the project did before docs/pdf-memory.md
(``weasyprint.HTML(string=...).write_pdf()``, a new FontConfiguration per document), for a
before/after comparison in one checkout; ``project`` (default) uses faggruppe_pages.reader.exports.

``--timing N`` then times N PDFs with each renderer, alternating, so both see the same machine load.
``--max-growth-mb X`` makes the exit status 1 when the PDF series grew more than X MB after warm-up.
Like bench.py this has no test_ functions: pytest never collects it.
"""

import argparse
import collections
import ctypes
import ctypes.util
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.bench import (  # noqa: E402
    BenchError,
    create_bench_db,
    describe_database,
    destroy_bench_db,
    get_ok,
    load_scale,
    percentile,
    setup_django,
)

READER_USERNAME = "leser"
MB = 1024 * 1024


# -- memory readings ----------------------------------------------------------------------------------------
class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
_mallinfo2 = getattr(_libc, "mallinfo2", None)
if _mallinfo2 is not None:
    _mallinfo2.restype = MallInfo2
_malloc_trim = getattr(_libc, "malloc_trim", None)


def status_bytes(*fields):
    """Fields of /proc/self/status in bytes, e.g. VmRSS, RssAnon (heap, arenas), RssFile (mapped files)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _sep, rest = line.partition(":")
            if name in fields:
                values[name] = int(rest.split()[0]) * 1024
    missing = set(fields) - set(values)
    if missing:
        raise RuntimeError(f"no {', '.join(sorted(missing))} in /proc/self/status (Linux only)")
    return [values[name] for name in fields]


def rss_bytes():
    return status_bytes("VmRSS")[0]


def heap():
    """(bytes in use, bytes held) by glibc's malloc, or (None, None) without mallinfo2."""
    if _mallinfo2 is None:
        return None, None
    info = _mallinfo2()
    return info.uordblks + info.hblkhd, info.arena + info.hblkhd


def reading(label, done, trim):
    gc.collect()
    row = dict(zip(("rss", "rss_anon", "rss_file"), status_bytes("VmRSS", "RssAnon", "RssFile"), strict=True))
    row.update(label=label, done=done)
    row["heap_used"], row["heap_held"] = heap()
    if trim and _malloc_trim is not None:
        _malloc_trim(0)
        row["rss_trimmed"] = rss_bytes()
    return row


def fmt_mb(value):
    return "-" if value is None else f"{value / MB:8.1f}"


def print_reading(row, base):
    grown = (row["rss"] - base["rss"]) / MB if base else 0.0
    trimmed = f"  rss after malloc_trim {fmt_mb(row['rss_trimmed'])} MB" if "rss_trimmed" in row else ""
    print(
        f"  {row['label']:<5} {row['done']:>5}:  rss {fmt_mb(row['rss'])} MB ({grown:+6.1f} MB; anon "
        f"{fmt_mb(row['rss_anon']).strip()}, files {fmt_mb(row['rss_file']).strip()})  "
        f"heap in use {fmt_mb(row['heap_used'])} MB  heap held {fmt_mb(row['heap_held'])} MB{trimmed}",
        flush=True,
    )


# -- renderers --------------------------------------------------------------------------------------------
def naive_overview_pdf():
    """The PDF as rendered before the fix: a fresh HTML, stylesheet and FontConfiguration per document."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from faggruppe_pages.reader import exports

    def overview_pdf(overview, request=None):
        context = {
            "overview": overview,
            "title": exports.export_title(overview),
            "generated": timezone.localtime(overview.generated_at),
            "page_counter": exports.page_counter_css(),
            "title_css": exports.css_string(exports.export_title(overview)),
        }
        html = render_to_string("faggruppe_pages/reader/pdf/member_overview.html", context, request=request)
        return HTML(string=html, base_url=None).write_pdf()

    return overview_pdf


def timing_comparison(client, url, runs):
    """Median time of ``runs`` PDFs each way, the two renderers alternating: both see the same machine load."""
    from faggruppe_pages.reader import exports

    renderers = {"naive": naive_overview_pdf(), "project": exports.overview_pdf}
    timings = {name: [] for name in renderers}
    try:
        for i in range(runs):
            for name in sorted(renderers, reverse=bool(i % 2)):
                exports.overview_pdf = renderers[name]
                started = time.perf_counter()
                get_ok(client, url)
                timings[name].append((time.perf_counter() - started) * 1000)
    finally:
        exports.overview_pdf = renderers["project"]
    return {name: sorted(values) for name, values in timings.items()}


# -- the series -------------------------------------------------------------------------------------------
def series(client, url, label, args, content_type):
    """Warm up, then ``args.count`` requests with readings; returns (readings, timings in ms)."""
    for _ in range(args.warmup):
        get_ok(client, url)
    readings = [reading(label, 0, args.trim)]
    print_reading(readings[0], None)
    snapshots = [tracemalloc.take_snapshot()] if args.tracemalloc else []
    types_before = type_counts() if args.tracemalloc else None
    timings = []
    for done in range(1, args.count + 1):
        started = time.perf_counter()
        response = get_ok(client, url)
        timings.append((time.perf_counter() - started) * 1000)
        if not response["Content-Type"].startswith(content_type):
            raise BenchError(f"GET {url} answered {response['Content-Type']}, expected {content_type}")
        if done % args.every == 0 or done == args.count:
            readings.append(reading(label, done, args.trim))
            print_reading(readings[-1], readings[0])
    if args.tracemalloc:
        snapshots.append(tracemalloc.take_snapshot())
        print_tracemalloc(label, snapshots[0], snapshots[-1])
        print_type_growth(label, types_before, type_counts())
    return readings, timings


def type_counts():
    gc.collect()
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def print_tracemalloc(label, first, last, top=12):
    ignore = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    ]
    stats = last.filter_traces(ignore).compare_to(first.filter_traces(ignore), "lineno")
    total = sum(s.size_diff for s in stats)
    print(f"  tracemalloc, {label}: Python allocations grew {total / 1024:+.1f} KiB; largest sites:")
    for stat in stats[:top]:
        frame = stat.traceback[0]
        print(f"    {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {frame.filename}:{frame.lineno}")


def print_type_growth(label, before, after, top=10):
    grown = [(name, after[name] - before.get(name, 0)) for name in after]
    grown = sorted((g for g in grown if g[1] > 0), key=lambda g: -g[1])[:top]
    print(f"  gc objects, {label}: " + (", ".join(f"{name} {n:+d}" for name, n in grown) or "no type grew"))


def growth(readings, key="rss"):
    return (readings[-1][key] - readings[0][key]) / MB


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="pdf_memory.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="PDFs (and HTML pages) after warm-up (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before the first reading (20)")
    parser.add_argument("--every", type=int, default=50, help="a reading every N requests (default 50)")
    parser.add_argument("--scale", type=int, default=1, help="demo data scale (default 1)")
    parser.add_argument("--renderer", choices=["project", "naive"], default="project")
    parser.add_argument("--trim", action="store_true", help="also report the RSS after malloc_trim(0)")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations (slow)")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML series")
    parser.add_argument(
        "--timing",
        type=int,
        default=0,
        metavar="N",
        help="then time N PDFs per renderer, naive and project alternating",
    )
    parser.add_argument("--max-growth-mb", type=float, default=None, help="exit 1 if the PDFs grew more than this")
    args = parser.parse_args(argv)
    if args.count < 1 or args.every < 1 or args.warmup < 0 or args.scale < 1:
        parser.error("--count, --every and --scale must be 1 or more, --warmup 0 or more")
    return args


def main(argv=None):
    args = parse_args(argv)
    setup_django()
    if args.tracemalloc:
        tracemalloc.start(8)
    state = create_bench_db()
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from intranet.demo.loader import INDEX_SLUG

        from faggruppe_pages.models import FaggruppeIndexPage

        print(f"Database: {describe_database()}", flush=True)
        load_seconds = load_scale(args.scale)
        print(f"Demo data at scale {args.scale} loaded in {load_seconds:.1f} s", flush=True)
        if args.renderer == "naive":
            from faggruppe_pages.reader import exports

            exports.overview_pdf = naive_overview_pdf()
        client = Client()
        client.force_login(get_user_model().objects.get(username=READER_USERNAME))
        index_url = FaggruppeIndexPage.objects.get(slug=INDEX_SLUG).url
        pdf_url, html_url = f"{index_url}medlemsoversikt/pdf/", f"{index_url}medlemsoversikt/"
        size = len(get_ok(client, pdf_url).content)
        print(
            f"\nPDF {pdf_url} ({size / 1024:.0f} KiB, renderer {args.renderer!r}): "
            f"{args.warmup} warm-up, then {args.count}",
            flush=True,
        )
        pdf_readings, pdf_times = series(client, pdf_url, "pdf", args, "application/pdf")
        html_readings = []
        if not args.no_html:
            print(f"\nHTML {html_url}: {args.warmup} warm-up, then {args.count}", flush=True)
            html_readings, html_times = series(client, html_url, "html", args, "text/html")
        if args.timing:
            print(f"\nTiming: {args.timing} PDFs with each renderer, alternating", flush=True)
            timing = timing_comparison(client, pdf_url, args.timing)
    except BenchError as error:
        print(f"\nABORTED: {error}", file=sys.stderr)
        return 1
    finally:
        destroy_bench_db(state)

    print("\nSummary")
    pdf_times.sort()
    print(
        f"  PDF  ({args.renderer}): {args.count} after {args.warmup} warm-up: RSS {growth(pdf_readings):+.1f} MB "
        f"({growth(pdf_readings) * 1024 / args.count:+.1f} KiB per PDF), heap in use "
        f"{growth(pdf_readings, 'heap_used'):+.1f} MB; median {statistics.median(pdf_times):.0f} ms, "
        f"p95 {percentile(pdf_times, 0.95):.0f} ms"
        + (f"; RSS after malloc_trim {growth(pdf_readings, 'rss_trimmed'):+.1f} MB" if args.trim else "")
    )
    if html_readings:
        html_times.sort()
        print(
            f"  HTML: {args.count} after {args.warmup} warm-up: RSS {growth(html_readings):+.1f} MB, heap in use "
            f"{growth(html_readings, 'heap_used'):+.1f} MB; median {statistics.median(html_times):.0f} ms"
        )
    if args.timing:
        for name, values in timing.items():
            print(
                f"  PDF time, {name:>7} renderer: median {statistics.median(values):.0f} ms, "
                f"p95 {percentile(values, 0.95):.0f} ms, min {values[0]:.0f} ms ({len(values)} PDFs, alternating)"
            )
    if args.max_growth_mb is not None and growth(pdf_readings) > args.max_growth_mb:
        print(f"FAIL: the PDFs grew the RSS by {growth(pdf_readings):.1f} MB, more than {args.max_growth_mb} MB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
