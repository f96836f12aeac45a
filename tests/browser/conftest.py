"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

One Chromium (a persistent context on a fresh, throwaway profile) serves the whole
session; every test gets a new tab with no cookies. Chromium comes from Debian
(``/usr/bin/chromium``, or ``CHROMIUM_PATH``); never ``playwright install``.
Without Chromium the tests are skipped loudly, and fail when ``CI`` is set.
"""

import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOGIN_PATH = "/logg-inn/"
#: Playwright's default of 30 s only hides a hang; every page here renders in well under a second.
TIMEOUT_MS = 10_000

BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test in this directory ``browser`` (before ``-m`` selects on it)."""
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def serialized_db_contents(django_db_setup):
    """The test database's serialized contents, taken before Playwright starts.

    Django keeps one connection object per context (asgiref's Local is built on
    contextvars), and Playwright's sync API runs the test in another context. So the
    connection a browser test sees is a new object without ``_test_serialized_contents``,
    and ``django_db_serialized_rollback`` would silently restore nothing once any
    ordinary database test has run first: Wagtail's root page and site would be gone.
    """
    return {conn.alias: getattr(conn, "_test_serialized_contents", None) for conn in connections.all()}


@pytest.fixture(scope="session")
def drained_live_server(live_server):
    """The live server, stopped only after the requests Chromium left open have been answered.

    Closing Chromium ends its keep-alive connections; the server threads serving them
    still close their database connection. If the server stopped first, those threads
    would fail on SQLite's shared in-memory connection.
    """
    yield live_server
    deadline = time.monotonic() + 10
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory, serialized_db_contents, drained_live_server):
    """One headless Chromium for the session, on a fresh profile directory."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium); the browser tests cannot run."
        if os.environ.get("CI"):
            pytest.fail(message + " In CI they must run.", pytrace=False)
        pytest.skip("SKIPPING BROWSER TESTS: " + message)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=tmp_path_factory.mktemp("chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            locale="nb-NO",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Now that Playwright runs, this context has new connection objects (see serialized_db_contents).
        for conn in connections.all():
            if serialized_db_contents.get(conn.alias) is not None:
                conn._test_serialized_contents = serialized_db_contents[conn.alias]
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context, live_server, transactional_db, django_db_serialized_rollback):
    """A fresh tab with no cookies, on a live server that sees every committed ORM write.

    ``transactional_db`` commits what the test creates so the live server's threads see
    it. The flush after each test would also wipe Wagtail's root page and default site
    (created by migrations), so ``django_db_serialized_rollback`` restores them first.
    """
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        # Leave the page first, so that requests it fires on unload (Wagtail's editor
        # releases its editing session) are answered while the server still runs.
        tab.goto("about:blank")
        tab.close()
        browser_context.clear_cookies()
        # Otherwise PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()


@pytest.fixture
def url(live_server):
    """Absolute URL on the live server for a site path: ``url("/faggrupper/")``."""

    def build(path):
        return live_server.url + path

    return build


@pytest.fixture
def log_in(url):
    """Log in through the real login form, as a person would; returns the page after the redirect."""

    def submit(page, username, password="demo"):
        page.goto(url(LOGIN_PATH))
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        # Match the submit button by role and type, not by its (translated) text.
        with page.expect_navigation():
            page.locator("form.stacked-form button[type=submit]").click()
        assert urlsplit(page.url).path != LOGIN_PATH, f"login as {username!r} failed; still on {page.url}"
        return page

    return submit


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    """The demo profile: every kind of group, seat, finding and list state a reader page can show."""
    from tests.demo_snapshot import load_demo

    load_demo()
