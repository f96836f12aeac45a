"""Many app servers (issue 16): two gunicorn instances on one PostgreSQL database and one Redis.

Both servers run as docs/deploy.md says (``gunicorn -c site/gunicorn.conf.py``, ``intranet.settings.production``)
with the same ``DATABASE_URL``, ``SECRET_KEY`` and ``CACHE_URL=redis://…`` (a redis-server this module starts on a
free port of 127.0.0.1). A reader logs in through server A and reads through server B (the session is in the
database, so no sticky sessions are needed); data is then changed, in the database directly (as a bulk update or
another app server would: no signal reaches either server) and through server A's admin, and the next request to
B shows the change, and A and B show the same page. The page cache must be shared through Redis: an entry one
server wrote is what the other serves (no second entry for the same page and data version).

The servers need committed data, which pytest-django's test database is not (each test's data is rolled back):
the module works on a copy of the migrated test database (``CREATE DATABASE … TEMPLATE``), fills it with a
few rows in a subprocess and drops it at the end. PostgreSQL only, like tests/ops/test_backup_roundtrip.py; on
SQLite it is skipped. Without redis-server it is skipped on a developer's machine and fails in CI (CI set).
"""

import json
import os
import re
import time
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connections

from tests.production.servers import (
    Gunicorn,
    Redis,
    Visitor,
    collectstatic,
    manage,
    production_env,
    redis_available,
)

#: pytest-django sets up the test database (the copy's template) only for a run with tests marked for it.
pytestmark = pytest.mark.django_db

DATABASE = settings.DATABASES["default"]
ON_POSTGRES = DATABASE["ENGINE"] == "django.db.backends.postgresql"
PASSWORD = "demo"
#: The one host name a load balancer passes to every app server (the page cache's key holds the host).
HOST = "127.0.0.1"

#: Run in the copy with the servers' settings: a reader, a superuser, a group page with one member.
MAKE_DATA = """
import json
from tests.factories import FaggruppePageFactory, MembershipFactory, PersonFactory, UserFactory, make_index

UserFactory(username="leser", first_name="Lise", last_name="Leser")
UserFactory(username="admin", is_staff=True, is_superuser=True)
index = make_index()
group = FaggruppePageFactory(parent=index, title="Teknisk samarbeid", slug="teknisk-samarbeid")
member = MembershipFactory(group=group, person=PersonFactory(name="Kari Nordmann"))
print(json.dumps({"group_url": group.url, "person_id": member.person_id}))
"""


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
    from urllib.parse import quote

    user = quote(DATABASE.get("USER") or "", safe="")
    password = f":{quote(DATABASE['PASSWORD'], safe='')}" if DATABASE.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = DATABASE.get("HOST") or "localhost"
    port = f":{DATABASE['PORT']}" if DATABASE.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{name}"


@pytest.fixture(scope="module")
def redis():
    if not ON_POSTGRES:
        pytest.skip("two app servers need one shared PostgreSQL database; this run's database is SQLite")
    if not redis_available():
        message = "redis-server not found (apt-get install redis-server): the two-app-server test cannot run."
        if os.environ.get("CI"):
            pytest.fail(message + " In CI on PostgreSQL it must run.", pytrace=False)
        pytest.skip(message)
    server = Redis()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def scratch(redis, django_db_setup, django_db_blocker, tmp_path_factory):
    """A committed copy of the migrated test database with a few rows, its URL and the servers' environment."""
    template = connections["default"].settings_dict["NAME"]  # the test database (pytest-django renamed it)
    name = f"two_servers_{os.getpid()}_{int(time.time())}"
    with django_db_blocker.unblock():
        connections.close_all()  # CREATE DATABASE … TEMPLATE needs the template without connections
    with server_connection("postgres") as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        home = tmp_path_factory.mktemp("two-servers")
        env = production_env(database_url(name), redis.url, home / "static", home)
        collectstatic(env)
        made = manage(env, "shell", "-c", MAKE_DATA, timeout=300)
        data = json.loads(made.strip().splitlines()[-1])
        yield {"name": name, "env": env, "home": home, **data}
    finally:
        with server_connection("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def servers(scratch):
    """Two app servers, A and B, one worker each, on the same database and Redis."""
    started = []
    try:
        for label in ("a", "b"):
            started.append(Gunicorn(scratch["env"], workers=1, log_dir=scratch["home"] / label))
        yield started
    finally:
        for server in started:
            server.stop()


def main_part(body):
    """The page's <main> (the cached part and what the reader reads), without the per-request CSRF tokens."""
    match = re.search(r"<main\b.*?</main>", body, re.S)
    assert match, body[:2000]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", match.group(0))


def page_entries(redis):
    """The cached reader pages in Redis (faggruppe_pages/reader/cache.py's keys)."""
    return set(redis.command("--scan", "--pattern", "*fg:page:*").split())


def read(visitor, server, path):
    status, _headers, body = visitor.get(server.url(path))
    assert status == 200, (status, body[:2000], server.errors())
    assert 'name="password"' not in body, "the login form instead of the page: the session was not shared"
    return body


def test_a_session_made_through_one_server_is_valid_on_the_other(servers, scratch):
    a, b = servers
    visitor = Visitor(host=HOST)
    visitor.log_in(a.url(""), "leser", PASSWORD)
    body = read(visitor, b, scratch["group_url"])
    assert "Teknisk samarbeid" in body and "Kari Nordmann" in body
    assert "Lise Leser" in body  # the header is the user's own, also on the server that did not log them in


def test_a_change_in_the_database_is_served_by_both_servers_on_the_next_request(servers, scratch, redis):
    a, b = servers
    visitor = Visitor(host=HOST)
    visitor.log_in(a.url(""), "leser", PASSWORD)
    path = scratch["group_url"]
    redis.flush()
    before_a = read(visitor, a, path)
    entries = page_entries(redis)
    assert entries, "server A cached no reader page in Redis (is CACHE_URL read?)"
    before_b = read(visitor, b, path)
    assert page_entries(redis) == entries, "server B made its own entry instead of serving A's from Redis"
    assert main_part(before_a) == main_part(before_b) and "Kari Nordmann" in before_a

    # Renamed as a bulk update or another program would do it: no Django signal reaches either server.
    with server_connection(scratch["name"]) as conn:
        conn.execute(
            "UPDATE faggruppe_pages_person SET name = 'Kari Nordmann Vik' WHERE id = %s", [scratch["person_id"]]
        )

    after_b = read(visitor, b, path)
    assert "Kari Nordmann Vik" in after_b, "server B served the member list from before the change"
    new_entries = page_entries(redis) - entries
    assert len(new_entries) == 1, new_entries
    after_a = read(visitor, a, path)
    assert page_entries(redis) - entries == new_entries, "server A did not serve B's entry"
    assert main_part(after_a) == main_part(after_b)


class FormFields(HTMLParser):
    """The fields of the first POST form whose action contains ``action_part``, as a browser would submit them."""

    def __init__(self, action_part):
        super().__init__()
        self.action_part, self.inside, self.fields = action_part, False, {}
        self.select = self.textarea = None
        self.done = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            self.inside = self.action_part in (attrs.get("action") or "")
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[attrs["name"]] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "file", "image"):
                self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs["name"]
            self.fields.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def test_a_change_saved_through_one_server_is_served_by_the_other(servers, scratch):
    a, b = servers
    reader, editor = Visitor(host=HOST), Visitor(host=HOST)
    reader.log_in(b.url(""), "leser", PASSWORD)
    path = scratch["group_url"]
    read(reader, b, path)  # cached before the change
    read(reader, a, path)

    editor.log_in(a.url(""), "admin", PASSWORD)
    edit = a.url(f"/admin/snippets/faggruppe_pages/person/edit/{scratch['person_id']}/")
    status, _headers, form = editor.get(edit)
    assert status == 200, form[:2000]
    parser = FormFields(f"/edit/{scratch['person_id']}/")
    parser.feed(form)
    fields = parser.fields
    assert "name" in fields and "csrfmiddlewaretoken" in fields, fields
    fields["name"] = "Kari Nordmann Eide"
    status, headers, body = editor.request(edit, fields, headers={"Referer": edit})
    assert status == 302, f"the admin did not save: {status}\n{body[:3000]}"

    shown_b = read(reader, b, path)
    shown_a = read(reader, a, path)
    assert "Kari Nordmann Eide" in shown_b and "Kari Nordmann Eide" in shown_a
    assert main_part(shown_a) == main_part(shown_b)
