#!/usr/bin/env python
"""Benchmark of the reader pages: `make bench` (or `python tests/perf/bench.py --help`).

What it measures, in one process and against a throwaway database (a temporary
SQLite file, or a temporary "<name>_bench" database when DATABASE_URL points at
PostgreSQL; created and dropped with Django's test-database machinery):

* the faggruppe overview ``/faggrupper/``,
* a group page with exactly 30 active members (``/faggrupper/benchmark-30/``),
* the member matrix (all organisations, and filtered to Molde), "where is Molde represented",
* the exports of the whole overview (CSV, XLSX, PDF) and one group's PDF (fewer timed runs: --runs / 10),
* reviewing a 1,000-row spreadsheet upload of Molde's entries as ``rep-molde`` ("Våre oppføringer" ->
  "Oppdater fra regneark"): the upload POST (reading the XLSX, the review, storing it) and the review page,
  which computes the review again from the stored rows (both with fewer timed runs: --runs / 10),
* the group's work: the Teknisk group page with its meetings section, a meeting page, the group's meeting
  archive, and the yearly report as a page and as an A4 PDF for all groups (a stored download like the whole
  overview's: its first request is reported apart) and for Teknisk; Teknisk gets
  24 more held meetings (three agenda items and attendance each) per scale step, so these grow with the data,
* a trivial Django view that returns ``HttpResponse("ok")``,

the HTML reader pages first with the reader-page cache off (``FAGGRUPPE_READER_CACHE_SECONDS=0``: the work a
page does), then the cached ones (overview, group, matrix, representation, person page) again with it on,

at each demo-data scale (``--scales``, default 1 and 10; the demo loader is
idempotent, so each larger scale is loaded on top of the previous one). For every
URL it reports the median and p95 wall time of a request through Django's test
client, the number of database queries per request, and the ratio of the median
to the median of the trivial view, requested after each of the page's timed requests (paired, so a
machine whose load changes during the run moves both alike; the bulk upload, which takes seconds, is
set against the trivial view's own series). It then shows how the query count
and the median of each page grow from the smallest scale to each larger one.

Why the trivial view is the floor: it is served by the same process, through the
same test client, URL resolver and full middleware stack (session lookup, user
lookup, the intranet's login requirement, language, messages, clickjacking ...),
by the same logged-in user, but does no work of its own. Whatever a page costs
above it is the page's own work: its queries, its Python and its templates. A
ratio is therefore comparable between machines and engines where absolute
milliseconds are not. Performance is proven here, not in timed tests.

Timed requests are not wrapped in CaptureQueriesContext (recording every query
costs time too); queries are counted in separate requests after the timed ones.
The garbage collector stays enabled, as in a real worker: a page that keeps many
objects alive during a request triggers full collections, and p95 shows those
pauses. Each series starts after an explicit gc.collect(), so no series pays for
the garbage of the previous one.
Django's test environment (setup_test_environment) is deliberately not installed:
it instruments every template render with a signal, which would inflate the
pages' times but not the trivial view's.

`bench.py --http` measures over HTTP instead (gunicorn with production settings, PostgreSQL, Redis and
wrk; req/s as a share of a trivial view, cold and cached): tests/perf/http_bench.py.

This module has no test_ functions and runs nothing on import: pytest never
collects it (benchmarks are not timed tests).
"""

import argparse
import datetime
import gc
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "intranet.settings.test"
BENCH_URLCONF = "tests.perf.urls"
DEFAULT_JSON = REPO_ROOT / "bench-results" / "bench.json"

READER_USERNAME = "leser"
BENCH_GROUP_SLUG = "benchmark-30"
BENCH_GROUP_TITLE = "Benchmark 30"
BENCH_GROUP_SIZE = 30
#: Requests used to count queries, after the timed ones.
QUERY_COUNT_RUNS = 3
#: The spreadsheet update: rows of the uploaded file, and who uploads it.
BULK_ROWS = 1000
BULK_USERNAME = "rep-molde"
BULK_ORGANISATION = "molde"


# -- command line ---------------------------------------------------------------------------
def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="bench.py",
        description="Median/p95 render time and query count of the reader pages, next to a trivial Django view.",
    )
    parser.add_argument(
        "--scales",
        default="1,10",
        help="comma-separated demo-data scales, loaded in increasing order (default: 1,10)",
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help="measure over HTTP instead: gunicorn, PostgreSQL, Redis and wrk (`bench.py --http --help`)",
    )
    parser.add_argument("--runs", type=int, default=50, help="timed requests per URL and scale (default: 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed warm-up requests per URL (default: 5)")
    parser.add_argument(
        "--json",
        default=str(DEFAULT_JSON),
        metavar="PATH",
        help=f"write the results as JSON here (default: {DEFAULT_JSON.relative_to(REPO_ROOT)}; '' to skip)",
    )
    args = parser.parse_args(argv)
    scales = parse_scales(parser, args.scales)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be 1 or more and --warmup 0 or more")
    args.scales = scales
    return args


def parse_scales(parser, text):
    """``--scales``: comma-separated demo-data scales, each 1 or more, in increasing order (also http_bench.py)."""
    try:
        scales = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        parser.error(f"--scales must be comma-separated integers, got {text!r}")
    if not scales or scales[0] < 1:
        parser.error("--scales needs at least one scale, each 1 or more")
    return scales


class BenchError(Exception):
    """A benchmark request did not behave as it must (wrong status, ...)."""


# -- Django and the throwaway database -------------------------------------------------------
def setup_django():
    """Make the project importable (as manage.py does) and configure Django with the test settings."""
    for path in (REPO_ROOT / "site", REPO_ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def create_bench_db():
    """Create and migrate the throwaway database; return what destroy_bench_db needs."""
    from django.db import connection

    settings_dict = connection.settings_dict
    tmpdir = None
    if connection.vendor == "sqlite":
        # A file, like the real site's database (Django's default test DB would be in memory).
        tmpdir = tempfile.mkdtemp(prefix="faggruppe-bench-")
        settings_dict["TEST"]["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
    else:
        settings_dict["TEST"]["NAME"] = f"{settings_dict['NAME']}_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    return old_name, tmpdir


def destroy_bench_db(state):
    from django.db import connection

    old_name, tmpdir = state
    connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    if tmpdir:
        shutil.rmtree(tmpdir, ignore_errors=True)


def describe_database():
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (temporary file {connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} (temporary database {connection.settings_dict['NAME']!r})"


# -- data -------------------------------------------------------------------------------------
def load_scale(scale):
    """Load the demo data at ``scale`` (on top of what is there) and return the seconds it took.

    Copy 1 is the real demo (``DemoLoader(scale=1)``: everything ``load_demo`` makes); copies 2 to ``scale`` are
    added by ``scale_up``, the same groups, people and seats in bulk (``load_demo --scale 100`` took 1,311 s, nearly
    all of it search indexing and signal handlers per person and seat)."""
    from intranet.demo.loader import DemoLoader

    started = time.perf_counter()
    DemoLoader(scale=1).run()
    scale_up(scale)
    return time.perf_counter() - started


def scale_up(scale):
    """The demo's copies 2 to ``scale`` of the nine faggrupper, as ``DemoLoader(scale=scale)`` makes them, fast.

    Same data as the real loader (tests/faggruppe_pages/test_bench_loader.py compares them): ``DemoLoader``'s own
    methods decide every group, person and seat; only the writing differs. The group pages are made with Wagtail's
    API (a revision, published), the people and seats of all new copies with two ``bulk_create`` calls, so no
    per-row signal runs: the people of copies 2+ are not in the search index (benchmarks of the person search
    would only find copy 1) and page rights are synced once at the end (``deferred_sync``), as the loader does.
    A copy whose groups exist already is left as it is (idempotent, like the loader)."""
    from django.db import transaction
    from intranet.demo import data

    from faggruppe_pages.models import FaggruppePage
    from faggruppe_pages.upkeep.signals import deferred_sync

    loader = _BulkCopyLoader()
    with transaction.atomic(), deferred_sync():
        loader.orgs = loader.ensure_organisations()
        loader.users = loader.ensure_users()
        loader.index = loader.ensure_index_page()
        existing = set(FaggruppePage.objects.child_of(loader.index).values_list("slug", flat=True))
        for copy in range(2, scale + 1):
            if all(f"{spec['slug']}-{copy}" in existing for spec in data.GROUPS):
                continue
            for number, spec in enumerate(data.GROUPS):
                group = loader.ensure_group(spec, copy)
                loader.ensure_group_members(group, spec, copy, number, {})
        loader.write_pending()
    return loader.created


def _bulk_copy_loader_class():
    from intranet.demo.loader import DemoLoader

    from faggruppe_pages.models import Membership, Person

    class BulkCopyLoader(DemoLoader):
        """``DemoLoader`` whose people and seats are collected and then written with ``bulk_create``."""

        BULK = (Person, Membership)

        def __init__(self):
            super().__init__(scale=1)
            self.pending = {model: {} for model in self.BULK}

        def _get_or_create(self, model, counter, defaults=None, **lookup):
            if model not in self.BULK:
                return super()._get_or_create(model, counter, defaults, **lookup)
            # Only new copies come here, whose people and seats cannot exist yet (their e-mail addresses carry the
            # copy's number): "get" is a look-up among the rows collected, as a person can sit in two groups.
            key = tuple(
                sorted((name, id(value) if hasattr(value, "_meta") else value) for name, value in lookup.items())
            )
            pending = self.pending[model]
            if key not in pending:
                pending[key] = model(**lookup, **(defaults or {}))
                self.created[counter] += 1
            return pending[key]

        def write_pending(self):
            for model in self.BULK:  # people first: the seats point at them
                model.objects.bulk_create(list(self.pending[model].values()), batch_size=500)
                self.pending[model] = {}

    return BulkCopyLoader


def _BulkCopyLoader():
    return _bulk_copy_loader_class()()


def ensure_bench_group():
    """A faggruppe with exactly BENCH_GROUP_SIZE active members; created once, checked at every scale."""
    from django.db import transaction
    from django.utils import timezone
    from intranet.demo.loader import INDEX_SLUG

    from faggruppe_pages.models import (
        FaggruppeIndexPage,
        FaggruppePage,
        Membership,
        Organisation,
        Person,
        Role,
    )

    index = FaggruppeIndexPage.objects.get(slug=INDEX_SLUG)
    with transaction.atomic():
        group = FaggruppePage.objects.child_of(index).filter(slug=BENCH_GROUP_SLUG).first()
        if group is None:
            group = FaggruppePage(
                title=BENCH_GROUP_TITLE,
                slug=BENCH_GROUP_SLUG,
                purpose="A group that exists only in the benchmark database, with exactly 30 members.",
                area="Benchmark",
                contact_email="benchmark@ror-ikt.no",
            )
            index.add_child(instance=group)
            group.save_revision().publish()
        today = timezone.localdate()
        municipalities = list(Organisation.objects.municipalities().participants_on(today).order_by("slug"))
        if not municipalities:
            raise BenchError("the demo data has no participating municipality to seat the benchmark members")
        verified_at = timezone.now() - datetime.timedelta(days=30)
        for seat in range(BENCH_GROUP_SIZE):
            org = municipalities[seat % len(municipalities)]
            person, _ = Person.objects.get_or_create(
                email=f"bench.member{seat + 1:02d}@{org.slug}.kommune.no",
                defaults={
                    "name": f"Bench Member {seat + 1:02d}",
                    "job_title": "Benchmark member",
                    "employer": org,
                    "phone": f"91 00 {seat:02d} 00",
                    "show_phone": seat % 2 == 0,
                },
            )
            Membership.objects.get_or_create(
                person=person,
                group=group,
                role=Role.LEADER if seat == 0 else Role.MEMBER,
                defaults={
                    "represents": org,
                    "start_date": datetime.date(2022, 1, 1),
                    "end_date": None,
                    "appointed_by": org.name,
                    "last_verified_at": verified_at,
                },
            )
    active = Membership.objects.filter(group=group).active_on(today).count()
    if active != BENCH_GROUP_SIZE:
        raise BenchError(f"the benchmark group has {active} active members, expected exactly {BENCH_GROUP_SIZE}")
    return group


def bulk_upload_file(rows=BULK_ROWS):
    """An XLSX of ``rows`` rows for Molde as a representative would upload it: Molde's current entries as
    the download writes them (every fifth with a changed note), then new seats of Molde's employees in the
    published groups (those overlapping a seat they hold are refused, the rest are new)."""
    import io

    from openpyxl import Workbook

    from faggruppe_pages.models import GroupPage, Organisation, Person
    from faggruppe_pages.upkeep import bulk
    from faggruppe_pages.upkeep.bulk_files import COLUMNS, HEADERS, entry_values

    molde = Organisation.objects.get(slug=BULK_ORGANISATION)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    written = 0
    for number, membership in enumerate(bulk.current_entries(molde)):
        if written == rows:
            break
        values = entry_values(membership)
        if number % 5 == 0:
            values["note"] = f"Sjekket {number}"
        sheet.append([values[c.field] for c in COLUMNS])
        written += 1
    people = list(Person.objects.filter(employer=molde).order_by("pk").values_list("name", "email"))
    groups = list(GroupPage.objects.live().order_by("path").values_list("title", flat=True))
    if not people or not groups:
        raise BenchError("the demo data has no Molde employees or no published groups for the bulk benchmark")
    for i in range(rows - written):
        name, email = people[i % len(people)]
        start = datetime.date(2030 + i // (len(people) * len(groups)), 1, 1)
        group = groups[(i // len(people)) % len(groups)]
        sheet.append(["", group, name, email, molde.name, "Medlem", start, None, "", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def measure_upload(client, url, content, runs, warmup):
    """Median/p95 of POSTing ``content`` to the upload form (each POST replaces the previous upload), and
    the address of the review it redirects to."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from faggruppe_pages.models import Organisation

    organisation = Organisation.objects.get(slug=BULK_ORGANISATION).pk

    def post():
        data = {"organisation": organisation, "file": SimpleUploadedFile("bench.xlsx", content)}
        response = client.post(url, data)
        if response.status_code != 302:
            raise BenchError(f"POST {url} returned {response.status_code}, expected a 302 to the review")
        return response

    gc.collect()
    for _ in range(warmup):
        post()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = post()
        timings.append((time.perf_counter() - started) * 1000)
    query_counts = []
    for _ in range(QUERY_COUNT_RUNS):
        with CaptureQueriesContext(connection) as captured:
            response = post()
        query_counts.append(len(captured.captured_queries))
    return summarise(timings, query_counts, len(content)), response["Location"]


def ensure_bench_meetings(scale):
    """Teknisk's meetings grow with the scale: 24 more held meetings (3 items, attendance) per scale step."""
    from django.utils import timezone

    from faggruppe_pages.models import FaggruppePage, Membership
    from governance.models import AgendaItem, Attendance, Meeting, MinutesStatus

    group = FaggruppePage.objects.get(slug="teknisk")
    wanted = 24 * scale
    have = Meeting.objects.filter(group=group, place="Benchmark").count()
    members = list(Membership.objects.filter(group=group, end_date=None).values_list("person_id", flat=True))
    for n in range(have, wanted):
        start = timezone.now() - datetime.timedelta(days=600 + 7 * n)
        meeting = Meeting.objects.create(
            group=group,
            starts_at=start,
            place="Benchmark",
            notice_sent_at=start,
            minutes_status=MinutesStatus.PUBLISHED,
            minutes_published_at=start,
        )
        AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, title=f"Sak {k}", sequence=n * 3 + k, year=start.year) for k in range(3)]
        )
        Attendance.objects.bulk_create([Attendance(meeting=meeting, person_id=p) for p in members])
    return group, Meeting.objects.for_readers().filter(group=group).order_by("-starts_at").first()


def data_summary():
    from faggruppe_pages.models import FaggruppePage, Membership, Person
    from governance.models import Meeting

    return {
        "faggrupper": FaggruppePage.objects.live().count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(),
    }


# -- measuring --------------------------------------------------------------------------------
def get_ok(client, url):
    response = client.get(url)
    if response.status_code != 200:
        where = f" -> {response['Location']}" if response.has_header("Location") else ""
        raise BenchError(f"GET {url} returned {response.status_code}{where}, expected 200")
    return response


def run_background_tasks():
    """What `manage.py db_worker --backend background --batch` does: run every queued task, then stop."""
    from faggruppe_pages.reader.exports.background import run_queued_exports

    run_queued_exports("bench-worker")


def prepare_export(client, url):
    """A whole-overview download: the first request either builds and stores it (small data) or queues the
    background task and answers 202 at once (large data: then the task runs here, timed). Returns
    (first reply ms, background build s or None)."""
    started = time.perf_counter()
    response = client.get(url)
    first_ms = (time.perf_counter() - started) * 1000
    if response.status_code == 202:
        started = time.perf_counter()
        run_background_tasks()
        return first_ms, time.perf_counter() - started
    if response.status_code != 200:
        raise BenchError(f"GET {url} returned {response.status_code}, expected 200 or 202")
    return first_ms, None


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def timed_get(client, url):
    """(milliseconds, body) of one GET that must answer 200."""
    started = time.perf_counter()
    response = client.get(url)
    # A stored download is a FileResponse: read it whole, as a browser would (getvalue() reads either kind).
    body = response.getvalue()
    response.close()
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        get_ok(client, url)  # raises with the details
        raise BenchError(f"GET {url} returned {response.status_code} during the timed runs, expected 200")
    return elapsed * 1000, body


def measure(client, url, runs, warmup, before=None, floor_url=None):
    """``before``: called (untimed) before every timed and counted request, e.g. to drop the page's cache entry.

    ``floor_url`` (the trivial view): requested right after each timed request, so the page's ratio compares it
    with the floor measured in the same moments. A shared machine's load drifts within a run (the trivial view's
    median once moved by a fifth between two scales); a floor measured once, at the start, put that drift into
    every later ratio."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    gc.collect()
    for _ in range(warmup):
        get_ok(client, url)
        if floor_url:
            get_ok(client, floor_url)
    timings, floor_timings = [], []
    for _ in range(runs):
        before()
        elapsed, body = timed_get(client, url)
        timings.append(elapsed)
        if floor_url:
            floor_timings.append(timed_get(client, floor_url)[0])
    query_counts = []
    for _ in range(QUERY_COUNT_RUNS):
        before()
        with CaptureQueriesContext(connection) as captured:
            get_ok(client, url)
        query_counts.append(len(captured.captured_queries))
    stats = summarise(timings, query_counts, len(body))
    if floor_timings:
        stats["floor_median_ms"] = statistics.median(floor_timings)
    return stats


def summarise(timings, query_counts, size):
    """One measured series: its times in milliseconds, its query counts and the response's size."""
    timings = sorted(timings)
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "min_ms": timings[0],
        "max_ms": timings[-1],
        "mean_ms": statistics.fmean(timings),
        "queries": max(query_counts),
        "queries_min": min(query_counts),
        "bytes": size,
    }


def check_login_required(url):
    """The floor is only fair if the trivial view pays for the same login check as the pages."""
    from django.test import Client

    response = Client().get(url)
    if response.status_code != 302:
        raise BenchError(
            f"anonymous GET {url} returned {response.status_code}, expected a 302 to the login page: "
            "the trivial view must pass the login-required middleware like the pages do"
        )


# -- report -----------------------------------------------------------------------------------
def format_queries(row):
    if row["queries_min"] != row["queries"]:
        return f"{row['queries_min']}-{row['queries']}"
    return str(row["queries"])


def print_table(rows):
    headers = ["scale", "page", "median ms", "p95 ms", "queries", "x trivial"]
    lines = [
        [
            str(row["scale"]),
            row["page"],
            f"{row['median_ms']:.2f}",
            f"{row['p95_ms']:.2f}",
            format_queries(row),
            f"{row['ratio']:.2f}",
        ]
        for row in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    left = {1}  # the page column is text; the rest are numbers

    def fmt(cells):
        padded = (c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return " | ".join(padded)

    print(fmt(headers))
    print("-+-".join("-" * w for w in widths))
    previous_scale = None
    for row, line in zip(rows, lines, strict=True):
        if previous_scale is not None and row["scale"] != previous_scale:
            print("-+-".join("-" * w for w in widths))
        previous_scale = row["scale"]
        print(fmt(line))


def print_growth(rows, scales):
    if len(scales) < 2:
        return
    base = scales[0]
    by_key = {(row["scale"], row["page"]): row for row in rows}
    pages = list(dict.fromkeys(row["page"] for row in rows))
    print()
    print(f"Growth from scale {base}:")
    width = max(len(page) for page in pages)
    for scale in scales[1:]:
        for page in pages:
            a, b = by_key[(base, page)], by_key[(scale, page)]
            dq = b["queries"] - a["queries"]
            print(
                f"  {page.ljust(width)}  scale {base} -> {scale}:  "
                f"queries {format_queries(a)} -> {format_queries(b)} ({dq:+d}),  "
                f"median {a['median_ms']:.2f} -> {b['median_ms']:.2f} ms (x{b['median_ms'] / a['median_ms']:.2f}),  "
                f"ratio to trivial {a['ratio']:.2f} -> {b['ratio']:.2f}"
            )


# -- main -------------------------------------------------------------------------------------
def run(args):
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.test import Client, override_settings

    from tests.perf.urls import TRIVIAL_URL

    results = {"scales": {}, "rows": []}
    with override_settings(ROOT_URLCONF=BENCH_URLCONF):
        for scale in args.scales:
            print(f"scale {scale}: loading demo data ...", flush=True)
            load_seconds = load_scale(scale)
            group = ensure_bench_group()
            teknisk, meeting = ensure_bench_meetings(scale)
            summary = data_summary()
            results["scales"][scale] = {**summary, "load_seconds": round(load_seconds, 2)}
            print(
                f"scale {scale}: loaded in {load_seconds:.1f} s: {summary['faggrupper']} faggrupper "
                f"(incl. {BENCH_GROUP_TITLE!r}), "
                f"{summary['people']} people, {summary['memberships']} memberships, {summary['meetings']} meetings",
                flush=True,
            )
            check_login_required(TRIVIAL_URL)
            client = Client()
            client.force_login(get_user_model().objects.get(username=READER_USERNAME))
            index_url = group.get_parent().url
            # Exports render every group (the PDF through WeasyPrint): fewer timed runs, same warm-up.
            export_runs = max(3, args.runs // 10)
            year = datetime.date.today().year
            pages = [
                ("trivial view", TRIVIAL_URL, args.runs),
                ("overview", index_url, args.runs),
                (f"group, {BENCH_GROUP_SIZE} members", group.url, args.runs),
                ("member matrix", f"{index_url}medlemsoversikt/", args.runs),
                ("matrix, one municipality", f"{index_url}medlemsoversikt/?organisasjon=molde", args.runs),
                ("where is Molde represented", f"{index_url}representert/molde/", args.runs),
                ("CSV, whole overview", f"{index_url}medlemsoversikt/csv/", export_runs),
                ("XLSX, whole overview", f"{index_url}medlemsoversikt/xlsx/", export_runs),
                ("PDF, whole overview", f"{index_url}medlemsoversikt/pdf/", export_runs),
                ("PDF, one group", f"{group.url}medlemmer/pdf/", export_runs),
                ("group with meetings (Teknisk)", teknisk.url, args.runs),
                ("a meeting", f"/moter/{meeting.pk}/", args.runs),
                ("meeting archive (Teknisk)", f"/moter/gruppe/{teknisk.pk}/", args.runs),
                ("yearly report, all groups", f"/arsrapport/{year}/", export_runs),
                ("yearly report PDF, Teknisk", f"/arsrapport/{year}/gruppe/{teknisk.pk}/pdf/", export_runs),
                ("yearly report PDF, all groups", f"/arsrapport/{year}/pdf/", export_runs),
            ]
            person = group.memberships.order_by("pk").first().person_id
            pages.insert(6, ("a person's page", f"{index_url}personer/{person}/", args.runs))
            scale_rows = []
            # Every page first with the reader-page cache off (the work a page does), then the cached pages
            # again with it on (docs/caching.md): what a reader gets once someone has opened the page.
            builds = results["scales"][scale]["exports"] = {}
            for label, url, _runs in pages:
                if "whole overview" in label or label == "yearly report PDF, all groups":
                    first_ms, build_s = prepare_export(client, url)
                    builds[label] = {"first_reply_ms": round(first_ms, 1), "background_build_s": build_s}
                    where = f"built in the background in {build_s:.1f} s" if build_s else "built in the request"
                    print(f"scale {scale}: {label}: first reply {first_ms:.0f} ms, {where}", flush=True)
            with override_settings(FAGGRUPPE_READER_CACHE_SECONDS=0):
                for label, url, runs in pages:
                    print(f"scale {scale}: {runs} requests to {url} ...", flush=True)
                    warmup = min(args.warmup, 2) if runs < args.runs else args.warmup
                    stats = measure(client, url, runs, warmup, floor_url=None if url == TRIVIAL_URL else TRIVIAL_URL)
                    scale_rows.append({"scale": scale, "page": f"{label} {url}", "url": url, **stats})
            for label, url, runs in pages[1:7]:
                print(f"scale {scale}: {runs} requests to {url}, cached ...", flush=True)
                stats = measure(client, url, runs, args.warmup, floor_url=TRIVIAL_URL)
                scale_rows.append({"scale": scale, "page": f"{label}, cached {url}", "url": url, **stats})
            # A miss with the cache on, as deployed: the page's entry gone (expired, or another language or
            # audience) while the data stayed; what the process keeps per data version is used
            # (faggruppe_pages/versioned.py). The first request after a write pays as with the cache off.
            page_entries = caches["reader_pages"]
            for label, url, runs in pages[1:7]:
                print(f"scale {scale}: {runs} requests to {url}, cache miss ...", flush=True)
                stats = measure(client, url, runs, args.warmup, before=page_entries.clear, floor_url=TRIVIAL_URL)
                scale_rows.append({"scale": scale, "page": f"{label}, cache miss {url}", "url": url, **stats})
            bulk_client = Client()
            bulk_client.force_login(get_user_model().objects.get(username=BULK_USERNAME))
            content = bulk_upload_file()
            upload_url = "/admin/vare-oppforinger/regneark/"
            print(f"scale {scale}: {export_runs} uploads of a {BULK_ROWS}-row XLSX to {upload_url} ...", flush=True)
            stats, review_url = measure_upload(bulk_client, upload_url, content, export_runs, min(args.warmup, 2))
            label = f"bulk update, {BULK_ROWS} rows: upload"
            scale_rows.append({"scale": scale, "page": f"{label} {upload_url}", "url": upload_url, **stats})
            print(f"scale {scale}: {export_runs} requests to {review_url} ...", flush=True)
            stats = measure(bulk_client, review_url, export_runs, min(args.warmup, 2), floor_url=TRIVIAL_URL)
            label = f"bulk update, {BULK_ROWS} rows: review {upload_url}<id>/"  # the id differs per scale
            scale_rows.append({"scale": scale, "page": label, "url": review_url, **stats})
            floor = scale_rows[0]["median_ms"]
            for row in scale_rows:  # against the trivial view timed between its own requests where there was one
                row["ratio"] = row["median_ms"] / row.get("floor_median_ms", floor)
            results["rows"].extend(scale_rows)
    return results


def write_json(path, args, database, results):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import django
    import wagtail

    payload = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "runs": args.runs,
        "warmup": args.warmup,
        "scales": {str(scale): data for scale, data in results["scales"].items()},
        "results": [
            {key: (round(value, 3) if isinstance(value, float) else value) for key, value in row.items()}
            for row in results["rows"]
        ],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--http" in argv:
        # Over HTTP: gunicorn, PostgreSQL, Redis and wrk (tests/perf/http_bench.py, with its own options).
        sys.path.insert(0, str(REPO_ROOT))
        from tests.perf import http_bench

        return http_bench.main([arg for arg in argv if arg != "--http"])
    args = parse_args(argv)
    setup_django()
    started = time.perf_counter()
    state = create_bench_db()
    try:
        database = describe_database()
        print(f"Benchmark database: {database}", flush=True)
        results = run(args)
    except BenchError as error:
        print(f"\nBENCHMARK ABORTED: {error}", file=sys.stderr)
        return 1
    finally:
        destroy_bench_db(state)

    print()
    print(
        f"Median and p95 of {args.runs} requests after {args.warmup} warm-up requests (Django test client, "
        f"logged in as {READER_USERNAME!r}); queries per request; ratio = median / the median of the trivial view "
        "requested after each of the page's requests (the trivial view's row: its own series)."
    )
    print(f"Database: {database}")
    print()
    print_table(results["rows"])
    print_growth(results["rows"], args.scales)
    print()
    print("Whole-overview downloads, first request (the timed rows above serve the stored file):")
    for scale, data in results["scales"].items():
        for label, build in data.get("exports", {}).items():
            how = (
                f"202 at once, built by the task worker in {build['background_build_s']:.1f} s"
                if build["background_build_s"]
                else "built in the request"
            )
            print(f"  scale {scale}: {label}: first reply {build['first_reply_ms']:.0f} ms, {how}")
    if args.json:
        write_json(args.json, args, database, results)
        print(f"\nResults written to {args.json}")
    print(f"Total time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
