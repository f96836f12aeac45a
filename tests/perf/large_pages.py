#!/usr/bin/env python
"""The overview pages at a large scale, uncached, against the trivial view: `python tests/perf/large_pages.py
--scale 100` (issue 16: `/faggrupper/` and the matrix at ×100 in < 0.3 s uncached).

In one process, against a throwaway database with the demo at ``--scale`` (tests/perf/bench.py's machinery),
logged in as ``leser`` through Django's test client: each page's median and p95 over ``--runs`` requests with the
reader-page cache off (the work the page does), then as a cache miss (the cache on, the page's entry dropped
before each request), with its query count, and the ratio to the trivial view measured in the same run,
alternating (trivial, page, trivial, page ...) so that a busy machine weighs on both alike. Like bench.py this
has no test_ functions: pytest never collects it.
"""

import argparse
import datetime
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.bench import (  # noqa: E402
    BENCH_URLCONF,
    create_bench_db,
    describe_database,
    destroy_bench_db,
    load_scale,
    setup_django,
)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="large_pages.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    setup_django()
    state = create_bench_db()
    try:
        from django.contrib.auth import get_user_model
        from django.core.cache import caches
        from django.db import connection
        from django.test import Client, override_settings
        from django.test.utils import CaptureQueriesContext
        from intranet.demo.loader import INDEX_SLUG

        from faggruppe_pages.models import FaggruppeIndexPage, FaggruppePage
        from tests.perf.urls import TRIVIAL_URL

        print(f"Database: {describe_database()}", flush=True)
        print(f"Demo data at scale {args.scale} loaded in {load_scale(args.scale):.1f} s", flush=True)
        index = FaggruppeIndexPage.objects.get(slug=INDEX_SLUG)
        group = FaggruppePage.objects.live().order_by("path").first()
        print(f"{FaggruppePage.objects.live().count()} live faggrupper", flush=True)
        pages = [
            ("/faggrupper/", index.url),
            ("member matrix", f"{index.url}medlemsoversikt/"),
            ("member matrix, page 10", f"{index.url}medlemsoversikt/?side=10"),
            ("member matrix, Molde", f"{index.url}medlemsoversikt/?organisasjon=molde"),
            ("where is Molde represented", f"{index.url}representert/molde/"),
            ("a group page", group.url),
            ("yearly report, all groups", f"/arsrapport/{datetime.date.today().year}/"),
        ]
        client = Client()
        client.force_login(get_user_model().objects.get(username="leser"))
        entries = caches["reader_pages"]

        def timed(url, before):
            before()
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            return elapsed

        def counted(url, before):
            before()
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            return len(captured)

        rows = []
        with override_settings(ROOT_URLCONF=BENCH_URLCONF):
            for mode, seconds, before in (("cache off", 0, lambda: None), ("cache miss", 300, entries.clear)):
                with override_settings(FAGGRUPPE_READER_CACHE_SECONDS=seconds):
                    for label, url in pages:
                        for _ in range(2):
                            timed(url, before), timed(TRIVIAL_URL, lambda: None)
                        gc.collect()
                        page_ms, trivial_ms = [], []
                        for _ in range(args.runs):
                            trivial_ms.append(timed(TRIVIAL_URL, lambda: None))
                            page_ms.append(timed(url, before))
                        median, trivial = statistics.median(page_ms), statistics.median(trivial_ms)
                        p95 = sorted(page_ms)[max(0, int(0.95 * len(page_ms)) - 1)]
                        rows.append((mode, label, median, p95, trivial, counted(url, before)))
                        print(
                            f"{mode:10} {label:24} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
                            f"x{median / trivial:5.1f} trivial ({trivial:.1f} ms)  {rows[-1][-1]} queries",
                            flush=True,
                        )
    finally:
        destroy_bench_db(state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
