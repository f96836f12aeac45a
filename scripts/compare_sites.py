#!/usr/bin/env python
"""Does the site serve the same pages from two databases?  (A restored backup against its original.)

    scripts/compare_sites.py postgres://…/intranet postgres://…/intranet_restored

For each database, in a process of its own (DATABASE_URL set to it; the settings module is
DJANGO_SETTINGS_MODULE, or manage.py's default intranet.settings.dev), it takes a snapshot:

* the pages a staff user sees, rendered with Django's test client: the faggruppe overview, every
  published group page, the member matrix, its CSV, "Hvor er … representert?" for every organisation
  a reader can pick, "Mine grupper", and a few admin listings (members, people, organisations,
  mandates, governing bodies, users, groups, the page explorer, the compliance report);
* every table's row count and a checksum of its contents (PostgreSQL), and every sequence's value.

It then compares the two snapshots: status codes, content types and the bodies after normalising what
differs between any two renders (CSRF tokens, nonces, clock times, "3 minutes ago"), the row counts
and checksums and the sequences. It prints a summary and exits 0 when everything is identical,
1 on any difference or on a page that fails (5xx), 2 when a snapshot could not be taken.

The snapshots only read: each runs inside one transaction that is rolled back at the end, so the
login it needs (a session, last_login) is never stored, and its cache is private to the process.
``--user NAME`` picks the user (default: the first active superuser). ``--keep DIR`` keeps the
two snapshots as JSON. ``--snapshot FILE`` (internal) takes one snapshot of $DATABASE_URL.
"""

import argparse
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETTINGS = "intranet.settings.dev"
TEXT_TYPES = ("text/", "application/json", "application/javascript")

#: What legitimately differs between two renders of the same data, and what it becomes.
NORMALISE = [
    # CSRF tokens: hidden inputs, the admin's JS config, meta tags, data attributes.
    (re.compile(r'(csrfmiddlewaretoken"?\s+value=")[^"]*'), r"\1<csrf>"),
    (re.compile(r'(name="csrf-token"\s+content=")[^"]*'), r"\1<csrf>"),
    (
        re.compile(r'((?:csrfToken|csrf_token|CSRFToken|X-CSRFToken)["\']?\s*[:=]\s*(?:&quot;|["\']))[A-Za-z0-9]+'),
        r"\1<csrf>",
    ),
    (re.compile(r"\b[A-Za-z0-9]{64}\b"), "<token64>"),
    # Content-Security-Policy nonces.
    (re.compile(r'(nonce=")[^"]*'), r"\1<nonce>"),
    # Clock times (12:34, 12:34:56) and "3 minutes ago" in nb, nn and en.
    (re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?![\d.]\d)"), "<time>"),
    (
        re.compile(
            r"\b\d+(?:\s|\xa0|&nbsp;)+(?:sekund(?:er)?|minutt(?:er)?|time(?:r)?|seconds?|minutes?|hours?)"
            r"(?:(?:\s|\xa0|&nbsp;)+(?:siden|sidan|ago))?\b",
            re.IGNORECASE,
        ),
        "<elapsed>",
    ),
    # Less than a minute ago (Wagtail's "Akkurat nå"): the same moment, read a little earlier.
    (re.compile(r"\b(?:akkurat (?:nå|no)|just now)", re.IGNORECASE), "<elapsed>"),
]


def normalise(text):
    for pattern, replacement in NORMALISE:
        text = pattern.sub(replacement, text)
    return text


# -- one snapshot (runs in its own process, against $DATABASE_URL) -------------------------------------------
def setup_django():
    for path in (REPO_ROOT / "site", REPO_ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def site_urls():
    """The fixed list: reader pages of every overview page, every published group page, admin listings."""
    from django.urls import NoReverseMatch, reverse

    from faggruppe_pages.models import ArbeidsgruppePage, FaggruppeIndexPage, FaggruppePage
    from faggruppe_pages.reader.views import reader_organisations

    urls = []
    indexes = list(FaggruppeIndexPage.objects.live().order_by("path"))
    organisations = [org.slug for org in reader_organisations()]
    for index in indexes:
        base = index.url
        urls += [base, f"{base}medlemsoversikt/", f"{base}medlemsoversikt/csv/", f"{base}representert/"]
        urls += [f"{base}representert/{slug}/" for slug in organisations]
        urls += [f"{base}mine-grupper/"]
    for model in (FaggruppePage, ArbeidsgruppePage):
        urls += [page.url for page in model.objects.live().order_by("path")]
    admin_names = [
        ("wagtailadmin_home", ()),
        ("wagtailsnippets_faggruppe_pages_membership:list", ()),
        ("wagtailsnippets_faggruppe_pages_person:list", ()),
        ("wagtailsnippets_faggruppe_pages_organisation:list", ()),
        ("wagtailsnippets_governance_mandate:list", ()),
        ("governance_governingbody:index", ()),
        ("governance_compliance_report", ()),
        ("wagtailusers_users:index", ()),
        ("wagtailusers_groups:index", ()),
        ("wagtailadmin_workflows:index", ()),
    ]
    admin_names += [("wagtailadmin_explore", (index.pk,)) for index in indexes]
    for name, args in admin_names:
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            urls.append(f"<no URL named {name}>")
    return [url for url in urls if url]


def render(client, url):
    if url.startswith("<"):
        return {"status": None, "content_type": "", "sha256": "", "body": url}
    response = client.get(url, secure=True)
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    content_type = response.get("Content-Type", "")
    if response.has_header("Location"):
        content += f"\nLocation: {response['Location']}".encode()
    if content_type.startswith(TEXT_TYPES):
        body = normalise(content.decode(response.charset or "utf-8", errors="replace"))
        digest = hashlib.sha256(body.encode()).hexdigest()
    else:
        body, digest = None, hashlib.sha256(content).hexdigest()
    return {"status": response.status_code, "content_type": content_type, "sha256": digest, "body": body}


def table_summaries():
    """{table: {"rows": n, "checksum": …}} for every table, and {sequence: last value} (PostgreSQL)."""
    from django.db import connection

    tables, sequences = {}, {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if connection.vendor == "postgresql":
                # Every row as text, in a fixed order: the same rows give the same checksum.
                cursor.execute(
                    "SELECT count(*), md5(coalesce(string_agg(ROW(r__.*)::text, E'\\n'"
                    f" ORDER BY ROW(r__.*)::text COLLATE \"C\"), '')) FROM {quote(table)} r__"
                )
                count, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT count(*) FROM {quote(table)}")
                count, checksum = cursor.fetchone()[0], None
            tables[table] = {"rows": count, "checksum": checksum}
        if connection.vendor == "postgresql":
            cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences ORDER BY 1")
            sequences = dict(cursor.fetchall())
    return tables, sequences


def pick_user(username):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if username:
        user, wanted = users.filter(username=username).first(), f"user {username!r}"
    else:
        user, wanted = users.filter(is_superuser=True).order_by("pk").first(), "superuser"
    if user is None:
        raise SystemExit(f"compare_sites: no active {wanted} to log in as")
    if not user.is_staff and not user.is_superuser:
        raise SystemExit(f"compare_sites: {user.username!r} is not staff")
    return user


def take_snapshot(username):
    setup_django()
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    # 'testserver' allowed, mail kept in memory: nothing leaves the process.
    setup_test_environment()
    private_cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "compare"}}
    database = connection.settings_dict
    with override_settings(CACHES=private_cache), transaction.atomic():
        if connection.vendor == "postgresql":
            # One consistent view of the data for the counts and every page, whatever commits meanwhile.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        tables, sequences = table_summaries()
        user = pick_user(username)
        client = Client(raise_request_exception=False)
        # Logging in would set last_login to now, which the users listing shows.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        client.force_login(user)
        pages = {url: render(client, url) for url in site_urls()}
        transaction.set_rollback(True)
    return {
        "database": f"{database.get('HOST') or 'local'}:{database.get('PORT') or ''}/{database['NAME']}",
        "vendor": connection.vendor,
        "user": user.username,
        "pages": pages,
        "tables": tables,
        "sequences": sequences,
    }


# -- comparing two snapshots ---------------------------------------------------------------------------------
def compare(a, b):
    """The differences between two snapshots, and counts of what is identical.

    Returns ``{"differences": [text, …], "identical_urls": n, "urls": n, "identical_tables": n,
    "tables": n, "identical_sequences": n, "sequences": n, "errors": [text, …]}``: any difference or
    error means the second database does not serve what the first does.
    """
    differences, errors = [], []
    urls = list(dict.fromkeys([*a["pages"], *b["pages"]]))
    identical_urls = 0
    for url in urls:
        pa, pb = a["pages"].get(url), b["pages"].get(url)
        if pa is None or pb is None:
            differences.append(f"URL {url}: only in the {'second' if pa is None else 'first'} database's list")
            continue
        for side, page in (("first", pa), ("second", pb)):
            if page["status"] is None or page["status"] >= 500:
                errors.append(f"URL {url}: {page['status'] or page['body']} from the {side} database")
        if (pa["status"], pa["content_type"], pa["sha256"]) == (pb["status"], pb["content_type"], pb["sha256"]):
            identical_urls += 1
            continue
        what = []
        if pa["status"] != pb["status"]:
            what.append(f"status {pa['status']} != {pb['status']}")
        if pa["content_type"] != pb["content_type"]:
            what.append(f"content type {pa['content_type']!r} != {pb['content_type']!r}")
        if pa["sha256"] != pb["sha256"]:
            what.append("body differs" + body_diff(pa.get("body"), pb.get("body")))
        differences.append(f"URL {url}: " + "; ".join(what))

    tables = list(dict.fromkeys([*a["tables"], *b["tables"]]))
    identical_tables = 0
    for table in tables:
        ta, tb = a["tables"].get(table), b["tables"].get(table)
        if ta is None or tb is None:
            differences.append(f"table {table}: only in the {'second' if ta is None else 'first'} database")
        elif ta["rows"] != tb["rows"]:
            differences.append(f"table {table}: {ta['rows']} rows != {tb['rows']} rows")
        elif ta["checksum"] != tb["checksum"]:
            differences.append(f"table {table}: same {ta['rows']} rows, different contents (checksum)")
        else:
            identical_tables += 1

    sequences = list(dict.fromkeys([*a["sequences"], *b["sequences"]]))
    identical_sequences = 0
    for name in sequences:
        va, vb = a["sequences"].get(name, "missing"), b["sequences"].get(name, "missing")
        if va == vb:
            identical_sequences += 1
        else:
            differences.append(f"sequence {name}: {va} != {vb}")
    return {
        "differences": differences,
        "errors": errors,
        "urls": len(urls),
        "identical_urls": identical_urls,
        "tables": len(tables),
        "identical_tables": identical_tables,
        "sequences": len(sequences),
        "identical_sequences": identical_sequences,
    }


def body_diff(first, second, lines=6):
    """The first changed lines of two normalised bodies, for the report."""
    if first is None or second is None:
        return " (binary)"
    changed = [
        line
        for line in difflib.unified_diff(first.splitlines(), second.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    shown = "\n      ".join(line[:200] for line in changed[:lines])
    more = f"\n      … {len(changed) - lines} more changed lines" if len(changed) > lines else ""
    return f":\n      {shown}{more}" if shown else ""


def report(result, a, b):
    ok = not result["differences"] and not result["errors"]
    print(f"Compared {a['database']} (first) with {b['database']} (second), logged in as {a['user']!r}:")
    print(f"  {result['identical_urls']} of {result['urls']} URLs identical (status, content type, normalised body)")
    checksums = " and contents" if a.get("vendor") == "postgresql" else ""
    print(f"  {result['identical_tables']} of {result['tables']} tables with identical row counts{checksums}")
    if result["sequences"]:
        print(f"  {result['identical_sequences']} of {result['sequences']} sequences at the same value")
    rows = sum(t["rows"] for t in a["tables"].values())
    print(f"  {rows} rows in the first database, {sum(t['rows'] for t in b['tables'].values())} in the second")
    for line in result["errors"]:
        print(f"  ERROR {line}")
    for line in result["differences"]:
        print(f"  DIFFERENT {line}")
    counts = f"{len(result['differences'])} differences, {len(result['errors'])} errors"
    print("IDENTICAL" if ok else f"NOT IDENTICAL: {counts}")
    return ok


# -- command line ---------------------------------------------------------------------------------------------
def snapshot_of(database_url, username, out):
    # A fixed hash seed: markup built from sets (class lists, …) comes out in the same order in both.
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONHASHSEED": "0"}
    command = [sys.executable, str(Path(__file__).resolve()), "--snapshot", str(out)]
    if username:
        command += ["--user", username]
    if subprocess.run(command, env=env, cwd=REPO_ROOT).returncode != 0:
        where = urlsplit(database_url)
        raise SystemExit(f"compare_sites: could not take a snapshot of {where.hostname}:{where.port}{where.path}")
    return json.loads(Path(out).read_text(encoding="utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="compare_sites.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("first", nargs="?", help="DATABASE_URL of the original")
    parser.add_argument("second", nargs="?", help="DATABASE_URL of the copy")
    parser.add_argument("--user", help="log in as this staff user (default: the first active superuser)")
    parser.add_argument("--keep", metavar="DIR", help="keep the two snapshots as JSON in DIR")
    parser.add_argument("--snapshot", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.snapshot:
        Path(args.snapshot).write_text(json.dumps(take_snapshot(args.user), ensure_ascii=False), encoding="utf-8")
        return 0
    if not args.first or not args.second:
        parser.error("give two DATABASE_URLs")
    with tempfile.TemporaryDirectory(prefix="compare-sites-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            a = snapshot_of(args.first, args.user, folder / "first.json")
            b = snapshot_of(args.second, args.user, folder / "second.json")
        except SystemExit as error:
            print(error, file=sys.stderr)
            return 2
        return 0 if report(compare(a, b), a, b) else 1


if __name__ == "__main__":
    sys.exit(main())
