"""`make bench` runs through: every page it measures answers, with a query count and a ratio to the trivial view.

The benchmark is not part of the suite's timing (no wall-clock assertion here); this only keeps it working. It
broke once unnoticed when the whole-overview downloads became stored files (a FileResponse has no ``content``).
One request per page at scale 1 in its own process and its own SQLite file, as `make bench` runs it (~1 minute).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_bench_runs_through_and_reports_every_page(tmp_path):
    report = tmp_path / "bench.json"
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env["MEDIA_ROOT"] = str(tmp_path / "media")  # its stored downloads, not the project's media/
    arguments = ["--scales", "1", "--runs", "1", "--warmup", "0", "--json", str(report)]
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "perf" / "bench.py"), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    rows = json.loads(report.read_text())["results"]
    pages = {row["page"]: row for row in rows}
    assert pages["trivial view /bench/trivial/"]["ratio"] == 1.0
    for name in (
        "overview /faggrupper/",
        "member matrix /faggrupper/medlemsoversikt/",
        "PDF, whole overview /faggrupper/medlemsoversikt/pdf/",
        "group, 30 members, cache miss /faggrupper/benchmark-30/",
    ):
        assert name in pages, sorted(pages)
    for row in rows:
        assert row["queries"] > 0 and row["median_ms"] > 0 and row["ratio"] > 0, row
        assert row["bytes"] > 0, row
    # Each page's ratio is against the trivial view timed between its own requests, not a floor from the start.
    group = pages["group, 30 members, cache miss /faggrupper/benchmark-30/"]
    assert group["floor_median_ms"] > 0
    assert abs(group["ratio"] - group["median_ms"] / group["floor_median_ms"]) < 0.01, group
