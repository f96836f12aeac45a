"""A real OpenID Connect provider for the tests: panva's oidc-provider (npm, pinned in package-lock.json) in a small
Node server (server.js) on a free 127.0.0.1 port, with test users and groups. No mock of the token exchange: the
portal fetches discovery, JWKS and tokens from it over HTTP.

``npm ci`` runs when node_modules is missing, so ``make test`` works on a fresh machine. Without Node the tests are
skipped loudly on a developer's machine and fail when ``CI`` is set (CI must run them; .ci/run installs Node).
"""

import contextlib
import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

PROVIDER_DIR = Path(__file__).resolve().parent
CLIENT_ID = "faggruppe-portal"
CLIENT_SECRET = "test-only-client-secret"
PASSWORD = "test"
#: The cooperation's own tenant (the allow-list in the tests) and another organisation's.
TENANT = "7f3c1d2e-ror-ikt-tenant"
OTHER_TENANT = "0a0b0c0d-other-tenant"
MOLDE_REPS_GROUP = "b4e7a1c0-molde-representanter"
STAFF_GROUP = "c9d8e7f6-redaksjon"

USERS = [
    {
        "username": "kari",
        "sub": "sub-kari-8d1f",
        "name": "Kari Nordmann",
        "email": "kari.nordmann@molde.kommune.no",
        "email_verified": True,
        "tid": TENANT,
        "groups": [MOLDE_REPS_GROUP, "d1d1d1d1-unmapped-group"],
    },
    {
        "username": "ola",
        "sub": "sub-ola-2c4e",
        "name": "Ola Uverifisert",
        "email": "ola.uverifisert@molde.kommune.no",
        "email_verified": False,
        "tid": TENANT,
        "groups": [],
    },
    {
        "username": "per",
        "sub": "sub-per-77aa",
        "name": "Per Allerede",
        "email": "per.allerede@molde.kommune.no",
        "email_verified": True,
        "tid": TENANT,
        "groups": [],
    },
    {
        "username": "utenfor",
        "sub": "sub-utenfor-13bb",
        "name": "Una Utenfor",
        "email": "una@annen.kommune.no",
        "email_verified": True,
        "tid": OTHER_TENANT,
        "groups": [MOLDE_REPS_GROUP],
    },
]


def require_node():
    """The node binary, or a loud skip (a failure when CI is set)."""
    node = shutil.which("node")
    if node:
        return node
    message = "Node.js not found (apt-get install nodejs npm): the single sign-on tests need a real OIDC provider."
    if os.environ.get("CI"):
        pytest.fail(message + " In CI they must run.", pytrace=False)
    pytest.skip("SKIPPING SINGLE SIGN-ON TESTS: " + message)


def install_packages():
    """``npm ci`` once (under a lock: parallel test workers share the directory)."""
    marker = PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json"
    if marker.exists():
        return
    npm = shutil.which("npm")
    if not npm:
        message = "npm not found (apt-get install npm): cannot install the test OIDC provider."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip("SKIPPING SINGLE SIGN-ON TESTS: " + message)
    with open(PROVIDER_DIR / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROVIDER_DIR, check=True, timeout=300
            )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FormParser(HTMLParser):
    """The forms of a page: [(action, {name: value of hidden inputs}, form id)]."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "id": attrs.get("id"), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("type") == "hidden" and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


class TestProvider:
    """A running provider: its issuer, the test controls, and a browser stand-in (``requests.Session``)."""

    __test__ = False  # not a test class for pytest

    def __init__(self, issuer, process):
        self.issuer = issuer
        self.process = process

    def control(self, path, payload=None):
        response = requests.post(f"{self.issuer}/__test__/{path}", json=payload or {}, timeout=10)
        response.raise_for_status()

    def next_token(self, mode):
        """The next token response's id_token: "tamper", "foreign-key", "expired" or "overage"."""
        self.control("next-token", {"mode": mode})

    def update_user(self, username, **claims):
        self.control(f"users/{username}", claims)

    def reset(self):
        self.control("reset")

    def authorize(self, session, url, username=None, password=PASSWORD, stop_at="http://testserver"):
        """Follow the provider's redirects from ``url`` as a browser would; submit its login form with ``username``
        when it shows one. Returns (the address outside the provider it sends the browser to, whether the login
        form was shown). With ``username`` None, a login form is not submitted: (None, True)."""
        form_shown = False
        response = session.get(url, allow_redirects=False, timeout=10)
        for _step in range(10):
            if response.status_code in (301, 302, 303, 307, 308):
                location = urljoin(response.url, response.headers["Location"])
                if not location.startswith(self.issuer):
                    return location, form_shown
                response = session.get(location, allow_redirects=False, timeout=10)
                continue
            assert response.status_code == 200, f"provider answered {response.status_code}: {response.text[:500]}"
            forms = [f for f in forms_of(response.text) if f["id"] == "provider-login"]
            assert forms, f"no login form at {response.url}: {response.text[:500]}"
            form_shown = True
            if username is None:
                return None, True
            response = session.post(
                urljoin(response.url, forms[0]["action"]),
                data={"username": username, "password": password},
                allow_redirects=False,
                timeout=10,
            )
        raise AssertionError("too many redirects at the provider")

    def confirm_logout(self, session, url):
        """Open the provider's end-session address and confirm "Ja, logg ut"; returns where it sends the browser."""
        response = session.get(url, allow_redirects=True, timeout=10)
        assert response.status_code == 200, response.text[:500]
        form = next(f for f in forms_of(response.text) if f["id"] == "op.logoutForm")
        response = session.post(
            urljoin(response.url, form["action"]),
            data={**form["fields"], "logout": "yes"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code in (302, 303), response.text[:500]
        return urljoin(response.url, response.headers["Location"])


@contextlib.contextmanager
def running_provider(tmp_dir, site_urls, users=USERS):
    """Start server.js for a portal at each of ``site_urls`` (e.g. "http://testserver"); stop it after."""
    node = require_node()
    install_packages()
    port = free_port()
    config = {
        "port": port,
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{site}/oidc/callback/" for site in site_urls],
                "post_logout_redirect_uris": [f"{site}/logg-inn/" for site in site_urls],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_post",
            }
        ],
        "users": [{**user, "password": PASSWORD} for user in users],
    }
    config_path = Path(tmp_dir) / f"oidc-provider-{port}.json"
    config_path.write_text(json.dumps(config))
    log_path = Path(tmp_dir) / f"oidc-provider-{port}.log"
    issuer = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [node, "server.js", str(config_path)], cwd=PROVIDER_DIR, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the test OIDC provider exited: {log_path.read_text()}")
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test OIDC provider did not answer: {log_path.read_text()}")
            time.sleep(0.1)
        yield TestProvider(issuer, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def configure_portal(settings, provider, **extra):
    """Point the portal's settings at ``provider`` (pytest-django's ``settings`` fixture)."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ALLOWED_TENANTS = [TENANT]
    settings.OIDC_ALLOWED_ISSUERS = []
    for name, value in extra.items():
        setattr(settings, name, value)


def query_of(url):
    return re.sub(r"^https?://[^/]+", "", url)
