"""Backups: scripts/backup_roundtrip.sh against the test run's PostgreSQL server, and compare_sites' verdicts.

The round trip needs a database with committed demo data, which pytest-django's test database is not (each
test's data is rolled back, the browser tests flush it): a module fixture creates a scratch database on the
same server, migrates it and loads the demo in subprocesses, as the CI step does, and drops it at the end.
The comparison itself (scripts/compare_sites.py's ``compare`` and ``normalise``) is tested on any database.
"""

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "backup_roundtrip.sh"
DATABASE = settings.DATABASES["default"]
ON_POSTGRES = DATABASE["ENGINE"] == "django.db.backends.postgresql"
#: Each subprocess (migrate, load_demo, one round trip) gets this long before the test fails.
STEP_TIMEOUT = 600

spec = importlib.util.spec_from_file_location("compare_sites", REPO / "scripts" / "compare_sites.py")
compare_sites = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_sites)


# -- the whole round trip, on PostgreSQL ------------------------------------------------------------------------
def server_connection(dbname):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        host=DATABASE.get("HOST") or None,
        port=DATABASE.get("PORT") or None,
        user=DATABASE.get("USER") or None,
        password=DATABASE.get("PASSWORD") or None,
        autocommit=True,
    )


def database_url(name):
    user = quote(DATABASE.get("USER") or "", safe="")
    password = f":{quote(DATABASE['PASSWORD'], safe='')}" if DATABASE.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = DATABASE.get("HOST") or "localhost"
    port = f":{DATABASE['PORT']}" if DATABASE.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{name}"


def databases_named(prefix):
    with server_connection("postgres") as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]).fetchall()
    return sorted(name for (name,) in rows)


def run(command, env, timeout=STEP_TIMEOUT):
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo_database():
    """A scratch database with the migrated schema and the demo data, committed; dropped afterwards."""
    if not ON_POSTGRES:
        pytest.skip("the backup round trip needs PostgreSQL (pg_dump/pg_restore); this run's database is SQLite")
    name = f"roundtrip_{os.getpid()}_{int(time.time())}"
    url = database_url(name)
    env = {**os.environ, "DATABASE_URL": url}
    with server_connection("postgres") as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        for step in (["migrate", "--noinput"], ["load_demo"]):
            done = run([sys.executable, "manage.py", *step], env)
            assert done.returncode == 0, f"manage.py {' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"
        yield {"name": name, "url": url, "env": env}
    finally:
        with server_connection("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def round_trip(demo, **extra_env):
    return run(["bash", str(SCRIPT)], {**demo["env"], "PYTHON": sys.executable, **extra_env})


def test_round_trip_of_the_demo_serves_the_same_site(demo_database):
    done = round_trip(demo_database)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    out = done.stdout
    assert "IDENTICAL" in out and "== backup round trip OK" in out
    urls = next(line for line in out.splitlines() if "URLs identical" in line).split()
    assert urls[0] == urls[2] and int(urls[0]) >= 30, out  # "37 of 37 URLs identical"
    tables = next(line for line in out.splitlines() if "tables with identical" in line).split()
    assert tables[0] == tables[2] and int(tables[0]) >= 50, out
    # The restored copy is gone, the original untouched.
    assert databases_named(demo_database["name"]) == [demo_database["name"]]


def test_round_trip_fails_loudly_when_the_restored_copy_differs(demo_database):
    """One person renamed in the copy: same row counts, so only the checksum and the pages can tell."""
    done = round_trip(
        demo_database,
        ROUNDTRIP_TAMPER_SQL="UPDATE faggruppe_pages_person SET name = name || ' (endret)' "
        "WHERE id = (SELECT min(id) FROM faggruppe_pages_person)",
    )
    assert done.returncode == 1, f"{done.stdout}\n{done.stderr}"
    assert "BACKUP ROUND TRIP FAILED" in done.stderr
    assert "DIFFERENT table faggruppe_pages_person: same" in done.stdout
    assert "(endret)" in done.stdout  # the changed page line is shown
    assert "NOT IDENTICAL" in done.stdout
    assert databases_named(demo_database["name"]) == [demo_database["name"]]


def test_round_trip_refuses_a_database_that_is_not_postgresql(tmp_path):
    done = run(["bash", str(SCRIPT)], {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}, timeout=60)
    assert done.returncode == 2
    assert "not a PostgreSQL URL" in done.stderr


# -- the comparison, on any database ------------------------------------------------------------------------------
def page(body, status=200, content_type="text/html; charset=utf-8"):
    body = compare_sites.normalise(body)
    return {
        "status": status,
        "content_type": content_type,
        "sha256": compare_sites.hashlib.sha256(body.encode()).hexdigest(),
        "body": body,
    }


def snapshot(**changes):
    base = {
        "database": "db",
        "vendor": "postgresql",
        "user": "admin",
        "pages": {"/faggrupper/": page("<h1>Faggrupper</h1>\n<p>Teknisk</p>"), "/admin/": page("<h1>Admin</h1>")},
        "tables": {
            "faggruppe_pages_membership": {"rows": 88, "checksum": "a"},
            "auth_user": {"rows": 9, "checksum": "b"},
        },
        "sequences": {"public.auth_user_id_seq": 9},
    }
    for key, value in changes.items():
        base[key] = {**base[key], **value}
    return base


def test_identical_snapshots_compare_identical():
    result = compare_sites.compare(snapshot(), snapshot())
    assert result["differences"] == [] and result["errors"] == []
    assert (result["identical_urls"], result["urls"], result["identical_tables"], result["tables"]) == (2, 2, 2, 2)


def test_a_missing_row_is_a_difference():
    fewer = snapshot(tables={"faggruppe_pages_membership": {"rows": 87, "checksum": "c"}})
    result = compare_sites.compare(snapshot(), fewer)
    assert result["differences"] == ["table faggruppe_pages_membership: 88 rows != 87 rows"]


def test_a_changed_row_is_a_difference():
    result = compare_sites.compare(snapshot(), snapshot(tables={"auth_user": {"rows": 9, "checksum": "x"}}))
    assert result["differences"] == ["table auth_user: same 9 rows, different contents (checksum)"]


def test_a_changed_page_shows_the_changed_lines():
    changed = snapshot(pages={"/faggrupper/": page("<h1>Faggrupper</h1>\n<p>Økonomi</p>")})
    (difference,) = compare_sites.compare(snapshot(), changed)["differences"]
    assert difference.startswith("URL /faggrupper/: body differs")
    assert "-<p>Teknisk</p>" in difference and "+<p>Økonomi</p>" in difference


def test_status_missing_tables_sequences_and_server_errors_are_reported():
    b = snapshot(pages={"/admin/": page("Server Error", status=500)}, sequences={"public.auth_user_id_seq": 7})
    del b["tables"]["auth_user"]
    result = compare_sites.compare(snapshot(), b)
    assert "URL /admin/: status 200 != 500; body differs" in result["differences"][0]
    assert "table auth_user: only in the first database" in result["differences"]
    assert "sequence public.auth_user_id_seq: 9 != 7" in result["differences"]
    assert result["errors"] == ["URL /admin/: 500 from the second database"]


def test_normalise_removes_what_differs_between_two_renders_of_the_same_data():
    first = (
        '<input type="hidden" name="csrfmiddlewaretoken" value="AbC123">'
        '<script nonce="r4nd0m">x</script><p>Generert 24.11.2026 kl. 14:05, endret for 3\xa0minutter siden</p>'
        '<time datetime="2026-11-29T15:19:02.124325+01:00">'
    )
    second = (
        '<input type="hidden" name="csrfmiddlewaretoken" value="XyZ789">'
        '<script nonce="0th3r">x</script><p>Generert 24.11.2026 kl. 14:06, endret for 4\xa0minutter siden</p>'
        '<time datetime="2026-11-29T15:19:24.048132+01:00">'
    )
    assert compare_sites.normalise(first) == compare_sites.normalise(second)
    assert "24.11.2026" in compare_sites.normalise(first)  # dates are data, not noise
    # Read twice a minute apart (a busy machine): "just now" in one copy, "1 minute ago" in the other.
    assert compare_sites.normalise("Endret Akkurat nå") == compare_sites.normalise("Endret 1\xa0minutt siden")
    assert compare_sites.normalise("Endra akkurat no") == compare_sites.normalise("Endra 2 minutt sidan")
    assert compare_sites.normalise("Teknisk: 12 medlemmer") == "Teknisk: 12 medlemmer"
