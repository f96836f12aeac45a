#!/usr/bin/env python
"""Benchmark over HTTP: `make bench ARGS="--http"` (or `python tests/perf/bench.py --http --help`).

What `make bench` measures in one process, measured here as a load balancer would see it: real gunicorn
workers under production settings, a real PostgreSQL and a real Redis, and a load generator (Debian's wrk)
on the same machine. It

1. starts a throwaway PostgreSQL cluster (scripts/with-postgres.sh's logic) and a redis-server, both on
   127.0.0.1 on free ports, migrates and collects the static files (whitenoise's manifest);
2. loads the demo at each scale (``--scales``, default 1 then 10, each on top of the previous one, as
   `make bench` does) plus `make bench`'s group with exactly 30 members;
3. starts gunicorn as docs/deploy.md says (``-c site/gunicorn.conf.py``, ``intranet.settings.production``,
   ``DATABASE_URL``, ``CACHE_URL=redis://…``, ``DB_CONN_MAX_AGE=60``) with 2 sync workers and worker recycling
   off (``GUNICORN_MAX_REQUESTS=0``: a restart in the middle of a round would measure Wagtail's import);
4. logs in as ``leser`` through the real login form and sends its session cookie with every request;
5. for each reader page, runs wrk (``-c4``, ``--duration`` seconds) in alternating rounds: the trivial view,
   the page, the trivial view, the page … (``--rounds``, default 3), so that both see the same machine load.
   The page's req/s is reported as a percentage of the trivial view's (the medians of its rounds);
6. does that twice: **cold**, where Redis is emptied before each round (FLUSHALL) and every request asks
   for a new address (a ``?_kald=<n>`` the pages ignore), so no request can be answered from a cache of
   pages, and **cached**, where the page was requested once before the round and every request asks for
   the same address. Redis' keyspace hits and misses during each page round are reported, so the table
   shows whether "cold" was cold and "cached" was served from the cache;
7. prints a table and writes bench-results/http.json; stops every process it started, also on errors and
   Ctrl-C.

The trivial view is ``/helse/`` (site/intranet/health.py), the production health check: it passes the
same middleware stack as every page and, requested with the reader's session cookie as here, costs three
queries (the session, the user, its own ``SELECT 1``): the in-process bench's trivial view plus one.

Not part of the test suite (no test_ functions); nothing runs on import.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
for _path in (REPO_ROOT / "site", REPO_ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from tests.production.servers import (  # noqa: E402
    Gunicorn,
    PostgresCluster,
    Redis,
    Visitor,
    production_env,
    redis_available,
)

DEFAULT_JSON = REPO_ROOT / "bench-results" / "http.json"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
READER_USERNAME = "leser"
DEMO_PASSWORD = "demo"
TRIVIAL_URL = "/helse/"
#: Seconds before wrk gives up on a response (its default, 2 s, is shorter than a cold page under load).
WRK_TIMEOUT = 30
#: wrk script for the cold rounds: every request asks for a new address (thread number and a counter).
COLD_SCRIPT = """\
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
function request()
  counter = counter + 1
  local sep = "?"
  if string.find(wrk.path, "?", 1, true) then sep = "&" end
  return wrk.format(nil, wrk.path .. sep .. "_kald=" .. tostring(tid) .. "-" .. counter)
end
"""


class BenchError(Exception):
    """Something the benchmark needs is missing or did not behave (a page not 200, wrk failing ...)."""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="bench.py --http",
        description="req/s of the reader pages over HTTP (gunicorn, PostgreSQL, Redis, wrk) as % of a trivial view.",
    )
    parser.add_argument("--scales", default="1,10", help="comma-separated demo-data scales (default: 1,10)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk round (default: 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page: trivial, page, ... (default: 3)")
    parser.add_argument("--connections", type=int, default=4, help="wrk's open connections, -c (default: 4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads, -t (default: 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default: 2)")
    parser.add_argument(
        "--json",
        default=str(DEFAULT_JSON),
        metavar="PATH",
        help=f"write the results as JSON here (default: {DEFAULT_JSON.relative_to(REPO_ROOT)}; '' to skip)",
    )
    args = parser.parse_args(argv)
    from tests.perf.bench import parse_scales

    scales = parse_scales(parser, args.scales)
    if min(args.duration, args.rounds, args.connections, args.threads, args.workers) < 1:
        parser.error("--duration, --rounds, --connections, --threads and --workers must be 1 or more")
    if args.threads > args.connections:
        parser.error("--threads must not exceed --connections (wrk needs a connection per thread)")
    args.scales = scales
    return args


def check_tools():
    missing = []
    if not os.access(WRK, os.X_OK):
        missing.append("wrk (apt-get install wrk)")
    if not redis_available():
        missing.append("redis-server (apt-get install redis-server)")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not os.environ.get("PG_BIN"):
        missing.append("PostgreSQL server binaries (apt-get install postgresql)")
    if missing:
        raise BenchError("missing: " + ", ".join(missing))


# -- Django in this process (migrations, demo data, the pages' addresses) ----------------------------------------
def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def prepare_database():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def load_scale(scale):
    """The demo at ``scale`` on top of what is there, and `make bench`'s 30-member group; its pages' URLs."""
    from django.db import connections

    from tests.perf import bench

    seconds = bench.load_scale(scale)
    group = bench.ensure_bench_group()
    summary = bench.data_summary()
    from faggruppe_pages.models import Membership, Role

    leader = Membership.objects.filter(group=group, role=Role.LEADER).select_related("person").first()
    index_url = group.get_parent().url
    pages = [
        ("overview", index_url),
        (f"group, {bench.BENCH_GROUP_SIZE} members", group.url),
        ("member matrix", f"{index_url}medlemsoversikt/"),
        ("where is Molde represented", f"{index_url}representert/molde/"),
        ("person page", f"{index_url}personer/{leader.person_id}/"),
    ]
    connections.close_all()  # no connection of ours left open during the rounds
    return seconds, summary, pages


# -- wrk ------------------------------------------------------------------------------------------------------
def parse_wrk(output):
    """req/s, requests, latency percentiles (ms) and errors from wrk's --latency output."""

    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise BenchError(f"could not read wrk's output:\n{output}")
    percentiles = re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    latency = {f"p{p}_ms": round(ms(v, u), 2) for p, v, u in percentiles}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        **latency,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def run_wrk(args, url, cookie, script=None):
    # wrk's own timeout is 2 s; an uncached page on a busy machine may take longer, and a slow answer is a
    # measurement, not an error. Past WRK_TIMEOUT it counts as a socket error and aborts the benchmark.
    command = [WRK, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["--timeout", f"{WRK_TIMEOUT}s"]
    command += ["-H", f"Cookie: sessionid={cookie}"]
    if script:
        command += ["-s", script]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=args.duration + 120)
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}: {done.stdout}\n{done.stderr}")
    result = parse_wrk(done.stdout)
    if result["non_2xx"] or result["socket_errors"]:
        raise BenchError(
            f"{url}: {result['non_2xx']} responses with an error status and {result['socket_errors']} socket "
            f"errors in {result['requests']} requests"
        )
    return result


def check_page(visitor, url):
    """The page answers 200 with the reader's content, not the login form (wrk counts a 302 as success)."""
    status, _headers, body = visitor.get(url)
    if status != 200 or 'name="password"' in body:
        raise BenchError(f"{url} answered {status} {'with the login form' if status == 200 else ''}")


def measure_page(args, server, redis, visitor, cookie, url, mode, script):
    """``args.rounds`` × (trivial round, page round); the medians and the page's share of the trivial view."""
    trivial_rounds, page_rounds = [], []
    page_url = server.url(url)
    for _round in range(args.rounds):
        if mode == "cold":
            redis.flush()
        trivial_rounds.append(run_wrk(args, server.url(TRIVIAL_URL), cookie))
        if mode == "cold":
            redis.flush()
        else:
            check_page(visitor, page_url)  # and fills the cache before the round
        before = redis.stats()
        page_rounds.append(run_wrk(args, page_url, cookie, script if mode == "cold" else None))
        after = redis.stats()
        page_rounds[-1]["cache_hits"] = after["hits"] - before["hits"]
        page_rounds[-1]["cache_misses"] = after["misses"] - before["misses"]
    trivial = statistics.median(r["rps"] for r in trivial_rounds)
    page = statistics.median(r["rps"] for r in page_rounds)
    hits = sum(r["cache_hits"] for r in page_rounds)
    lookups = hits + sum(r["cache_misses"] for r in page_rounds)
    return {
        "trivial_rps": round(trivial, 1),
        "page_rps": round(page, 1),
        "percent_of_trivial": round(100 * page / trivial, 1) if trivial else None,
        "page_p50_ms": statistics.median(r.get("p50_ms", 0) for r in page_rounds),
        "page_p99_ms": statistics.median(r.get("p99_ms", 0) for r in page_rounds),
        "redis_hit_percent": round(100 * hits / lookups, 1) if lookups else None,
        "trivial_rounds": trivial_rounds,
        "page_rounds": page_rounds,
    }


# -- output ---------------------------------------------------------------------------------------------------
def print_table(rows):
    header = [
        "scale",
        "page",
        "cold req/s",
        "% trivial",
        "p50 ms",
        "cached req/s",
        "% trivial",
        "p50 ms",
        "Redis hit% cold/cached",
        "trivial req/s",
    ]
    lines = []
    for row in rows:
        cold, cached = row["cold"], row["cached"]
        hits = "/".join(
            "-" if m["redis_hit_percent"] is None else f"{m['redis_hit_percent']:.0f}" for m in (cold, cached)
        )
        lines.append(
            [
                str(row["scale"]),
                f"{row['page']} {row['url']}",
                f"{cold['page_rps']:.1f}",
                f"{cold['percent_of_trivial']:.1f}",
                f"{cold['page_p50_ms']:.1f}",
                f"{cached['page_rps']:.1f}",
                f"{cached['percent_of_trivial']:.1f}",
                f"{cached['page_p50_ms']:.1f}",
                hits,
                f"{cold['trivial_rps']:.0f} / {cached['trivial_rps']:.0f}",
            ]
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells):
        padded = (c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"

    print(fmt(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        print(fmt(line))


def write_json(path, args, meta, rows):
    import django
    import wagtail

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **meta,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "wrk": {"threads": args.threads, "connections": args.connections, "duration_s": args.duration},
        "rounds": args.rounds,
        "gunicorn_workers": args.workers,
        "trivial_url": TRIVIAL_URL,
        "results": rows,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# -- main -----------------------------------------------------------------------------------------------------
def run(args, workdir, stack):
    redis = Redis()
    stack.append(redis)
    print(f"Redis on {redis.url}", flush=True)
    cluster = PostgresCluster()
    stack.append(cluster)
    print(f"PostgreSQL {cluster.version()} on 127.0.0.1:{cluster.port}", flush=True)
    env = production_env(cluster.url, redis.url, workdir / "static", workdir)
    setup_django(env)
    print("migrating and collecting static files ...", flush=True)
    prepare_database()
    script = workdir / "cold.lua"
    script.write_text(COLD_SCRIPT)
    server = None
    rows, scales = [], {}
    for scale in args.scales:
        print(f"scale {scale}: loading demo data ...", flush=True)
        seconds, summary, pages = load_scale(scale)
        scales[scale] = {**summary, "load_seconds": round(seconds, 1)}
        print(f"scale {scale}: loaded in {seconds:.0f} s: {summary}", flush=True)
        if server is None:
            server = Gunicorn(env, workers=args.workers, max_requests=0, log_dir=workdir)
            stack.append(server)
            print(f"gunicorn with {args.workers} workers on {server.url('/')}", flush=True)
        redis.flush()
        visitor = Visitor()
        cookie = visitor.log_in(server.url(""), READER_USERNAME, DEMO_PASSWORD)
        for _label, url in pages:
            check_page(visitor, server.url(url))
        for label, url in pages:
            row = {"scale": scale, "page": label, "url": url}
            for mode in ("cold", "cached"):
                print(f"scale {scale}: {mode:6} {args.rounds} × ({TRIVIAL_URL}, {url}) ...", flush=True)
                try:
                    row[mode] = measure_page(args, server, redis, visitor, cookie, url, mode, str(script))
                except BenchError as error:
                    raise BenchError(f"{error}\ngunicorn's error log (the end):\n{server.errors()}") from None
                m = row[mode]
                print(
                    f"    {m['page_rps']:.1f} req/s = {m['percent_of_trivial']:.1f}% of {m['trivial_rps']:.0f}",
                    flush=True,
                )
            rows.append(row)
    meta = {"database": f"PostgreSQL {cluster.version()}", "cache": "Redis (CACHE_URL)", "scales": scales}
    return meta, rows


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="faggruppe-http-bench-"))
    stack = []
    try:
        check_tools()
        meta, rows = run(args, workdir, stack)
    except BenchError as error:
        print(f"\nHTTP BENCHMARK ABORTED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nHTTP BENCHMARK INTERRUPTED", file=sys.stderr)
        return 130
    finally:
        for thing in reversed(stack):
            thing.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(
        f"req/s over HTTP: gunicorn ({args.workers} sync workers, intranet.settings.production, {meta['database']}, "
        f"{meta['cache']}), wrk -t{args.threads} -c{args.connections} -d{args.duration}s, logged in as "
        f"{READER_USERNAME!r}; medians of {args.rounds} rounds alternating with the trivial view {TRIVIAL_URL}; "
        "% trivial = page / trivial view in the same rounds. cold: Redis emptied before each round and a new "
        "address per request; cached: the same address, filled before the round. Redis hit%: keyspace hits "
        "/ lookups during the page rounds (Wagtail's own cache lookups count too). trivial req/s: cold rounds / "
        "cached rounds."
    )
    print()
    print_table(rows)
    if args.json:
        write_json(args.json, args, meta, rows)
        print(f"\nResults written to {args.json}")
    print(f"Total time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
