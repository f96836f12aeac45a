#!/usr/bin/env python
"""The whole-overview export built by the background task: seconds and peak memory.  `python tests/perf/export_task.py
--scale 100 --format pdf`

In one process, against a throwaway database with the demo at ``--scale`` (the machinery of tests/perf/bench.py),
logged in as the reader ``leser`` through Django's test client, with the inline threshold set to 0 so the export
is "large":

1. GET /faggrupper/medlemsoversikt/<format>/: the time of the answer ("Filen lages nå"; it queues the task),
2. the task run by django-tasks-db's own worker loop (what `manage.py db_worker --backend background --batch`
   runs), timed, with the process's peak resident set size during the build (VmHWM, reset before through
   /proc/self/clear_refs) and the RSS after it (the task gives freed memory back with malloc_trim); for a PDF in
   parts, also the CPU seconds of the processes that laid out the parts (getrusage of the children; it also counts
   the short subprocesses ctypes' find_library runs, about 0.2 s) and the largest peak RSS among them (VmHWM of each
   child, read every 0.2 s while the build runs: a child lives one build, so its VmHWM is its peak),
3. GET again: the time to serve the stored file, its size and (PDF) its pages,
4. ``--repeat`` more builds (a new data version each: the person of one seat in the middle renamed, and that
   membership's ``updated_at`` touched) with the RSS after each, to show that a worker's memory does not grow from
   build to build; the PDF in parts reuses the parts kept from the build before but for the renamed person's.
   ``--cold`` empties the kept parts before every build (each build from nothing, as before they were kept).
Like bench.py this has no test_ functions: pytest never collects it.
"""

import argparse
import io
import logging
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf.bench import create_bench_db, describe_database, destroy_bench_db, load_scale, setup_django  # noqa: E402

MB = 1024 * 1024


def status(*fields):
    values = {}
    with open("/proc/self/status", encoding="ascii") as lines:
        for line in lines:
            name, _sep, rest = line.partition(":")
            if name in fields:
                values[name] = int(rest.split()[0]) * 1024
    return [values[name] for name in fields]


def load_average():
    """The machine's load over the last minute, five and fifteen minutes (timings are noisy on a shared machine)."""
    with open("/proc/loadavg", encoding="ascii") as average:
        return " ".join(average.read().split()[:3])


def reset_peak():
    """Linux: writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


class ChildPeaks(threading.Thread):
    """The largest VmHWM of this process's children while it runs (the processes that lay out a PDF's parts)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.done = 0, threading.Event()

    def run(self):
        me = str(os.getpid())
        while not self.done.wait(0.2):
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if stat.read_text().rsplit(")", 1)[1].split()[1] != me:
                        continue
                    for line in (stat.parent / "status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak = max(self.peak, int(line.split()[1]) * 1024)
                except (OSError, IndexError):
                    continue  # gone meanwhile

    def stop(self):
        self.done.set()
        self.join()
        return self.peak


def run_worker():
    from faggruppe_pages.reader.exports.background import run_queued_exports

    run_queued_exports("export-task-bench")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="export_task.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--format", choices=["pdf", "csv", "xlsx"], default="pdf")
    parser.add_argument("--repeat", type=int, default=0, help="more builds, each of a new data version")
    parser.add_argument(
        "--part-groups",
        type=int,
        default=None,
        help="FAGGRUPPE_PDF_PART_GROUPS: groups' lists per part of a PDF rendered in parts (default: the setting's)",
    )
    parser.add_argument(
        "--cold", action="store_true", help="empty the kept PDF parts (eksport/pdf-deler/) before every build"
    )
    args = parser.parse_args(argv)
    # A PDF in parts logs how long its parts, page numbers and join took (reader/exports/pdf.py).
    logging.basicConfig(format="  %(message)s")
    logging.getLogger("faggruppe_pages.reader.exports.pdf").setLevel(logging.INFO)
    setup_django()
    from django.conf import settings

    settings.FAGGRUPPE_EXPORT_INLINE_MAX_SEATS = 0
    if args.part_groups is not None:
        settings.FAGGRUPPE_PDF_PART_GROUPS = args.part_groups
    settings.MEDIA_ROOT = Path(__import__("tempfile").mkdtemp(prefix="faggruppe-export-bench-"))
    state = create_bench_db()
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult
        from intranet.demo.loader import INDEX_SLUG

        from faggruppe_pages.models import FaggruppeIndexPage, Membership, Person
        from faggruppe_pages.reader.exports.background import seat_count

        print(f"Database: {describe_database()}", flush=True)
        print(f"Demo data at scale {args.scale} loaded in {load_scale(args.scale):.1f} s", flush=True)
        index = FaggruppeIndexPage.objects.get(slug=INDEX_SLUG)
        from faggruppe_pages import conf

        print(
            f"Active seats below the overview: {seat_count(index)}; PDF parts of {conf.pdf_part_groups()} groups",
            flush=True,
        )
        client = Client()
        client.force_login(get_user_model().objects.get(username="leser"))
        url = f"{index.url}medlemsoversikt/{args.format}/"
        client.get(f"{index.url}")  # warm Wagtail's routing caches

        for build in range(1 + args.repeat):
            if build:
                # A change a reader sees in one group: the name of the person in the middle seat (by id), so the
                # parts kept from the build before (reader/exports/pdf_cache.py) are reused but for that group's.
                seats = Membership.objects.filter(group__live=True, group__path__startswith=index.path).active_on()
                seat = seats.order_by("pk")[seats.count() // 2]
                Person.objects.filter(pk=seat.person_id).update(name=f"Endret Navn {build}")
                Membership.objects.filter(pk=seat.pk).update(updated_at=timezone.now())
                print(f"changed: the name of a person in {seat.group.title!r}", flush=True)
            if args.cold:
                import shutil

                shutil.rmtree(Path(settings.MEDIA_ROOT) / "eksport" / "pdf-deler", ignore_errors=True)
            started = time.perf_counter()
            response = client.get(url)
            asked = time.perf_counter() - started
            assert response.get("X-Export-State") == "pending", (response.status_code, response.get("Content-Type"))
            (rss_before,) = status("VmRSS")
            reset_peak()
            started, cpu = time.perf_counter(), time.process_time()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            peaks = ChildPeaks()
            peaks.start()
            run_worker()
            child_peak = peaks.stop()
            built, cpu = time.perf_counter() - started, time.process_time() - cpu
            peak, rss_after = status("VmHWM", "VmRSS")
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            children_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            children_text = ""
            if child_peak:
                children_text = f" + {children_cpu:.1f} s in part processes, their peak {child_peak / MB:.0f} MB"
            job = DBTaskResult.objects.order_by("-enqueued_at").first()
            started = time.perf_counter()
            response = client.get(url)
            content = response.getvalue()
            served = time.perf_counter() - started
            pages = ""
            if args.format == "pdf":
                from pypdf import PdfReader

                pages = f", {len(PdfReader(io.BytesIO(content)).pages)} pages"
                if build:
                    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True).stdout
                    text = b" ".join(text.split())
                    pages += f", the changed name {'in it' if f'Endret Navn {build}'.encode() in text else 'NOT in it'}"
            print(
                f"build {build + 1}: request answered 'Filen lages nå' in {asked * 1000:.0f} ms; task {job.status} in "
                f"{built:.1f} s ({cpu:.1f} s CPU{children_text}), peak RSS {peak / MB:.0f} MB "
                f"(RSS before {rss_before / MB:.0f} MB, "
                f"after {rss_after / MB:.0f} MB); the stored file served in {served * 1000:.0f} ms "
                f"({len(content) / 1024:.0f} KiB{pages}); load average {load_average()}",
                flush=True,
            )
    finally:
        destroy_bench_db(state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
