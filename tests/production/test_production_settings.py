"""Production settings: `check --deploy` is clean, errors reach stderr and ADMINS, headers from the environment."""

import importlib
import logging
import logging.config
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils.log import configure_logging

ROOT = Path(__file__).resolve().parents[2]

#: The environment docs/deploy.md documents for production (secrets made up here).
DEPLOY_ENV = {
    "DJANGO_SETTINGS_MODULE": "intranet.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters
    "ALLOWED_HOSTS": "intranett.ror-ikt.no",
    "CSRF_TRUSTED_ORIGINS": "https://intranett.ror-ikt.no",
    "WAGTAILADMIN_BASE_URL": "https://intranett.ror-ikt.no",
    "DATABASE_URL": "postgres://intranet:hemmelig@db.internal:5432/intranet",
    "EMAIL_HOST": "smtp.ror-ikt.no",
    "ADMINS": "Drift ROR-IKT <drift@ror-ikt.no>",
}


def run_manage(*args, **env):
    # Only what a server's environment has besides the documented variables (not the test run's own).
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **DEPLOY_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_when_hsts_is_switched_off():
    """The check above is real: without HSTS it warns, and the warning fails it."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout


# -- the production settings module, loaded with a given environment ----------------------------------------------
@pytest.fixture
def production(monkeypatch):
    """Import intranet.settings.production under the environment set by ``load(**env)``."""

    def load(**env):
        for key in (
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "ADMINS",
            "FAGGRUPPE_PROXY_COUNT",
        ):
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("SECRET_KEY", DEPLOY_ENV["SECRET_KEY"])
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        module = importlib.import_module("intranet.settings.production")
        return importlib.reload(module)

    return load


def test_https_and_hsts_are_on_by_default_and_configurable(production):
    on = production()
    assert on.SECURE_SSL_REDIRECT is True
    assert on.SECURE_HSTS_SECONDS == 31536000
    assert on.SECURE_HSTS_INCLUDE_SUBDOMAINS is True and on.SECURE_HSTS_PRELOAD is True
    off = production(
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="no",
        SECURE_HSTS_PRELOAD="0",
    )
    assert off.SECURE_SSL_REDIRECT is False and off.SECURE_HSTS_SECONDS == 3600
    assert off.SECURE_HSTS_INCLUDE_SUBDOMAINS is False and off.SECURE_HSTS_PRELOAD is False


def test_admins_come_from_the_environment(production):
    settings = production(ADMINS="Kari Nordmann <kari@molde.kommune.no>, drift@ror-ikt.no,  ")
    assert settings.ADMINS == [("Kari Nordmann", "kari@molde.kommune.no"), ("drift@ror-ikt.no", "drift@ror-ikt.no")]
    assert production().ADMINS == []


def test_production_expects_one_proxy_in_front(production):
    assert production().AXES_IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    assert production().AXES_IPWARE_PROXY_COUNT == 0
    direct = production(FAGGRUPPE_PROXY_COUNT="0")
    assert direct.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)


# -- unhandled exceptions: stderr (gunicorn's error log) and mail to ADMINS ------------------------------------------
def boom(request):
    raise RuntimeError("Feil med vilje i testen")


urlpatterns = [__import__("django.urls").urls.path("boom/", boom)]


@pytest.fixture
def production_logging(production, settings):
    """``apply()`` configures logging with the production LOGGING; the test settings' is restored after.

    Applied inside the test, so that its stderr handler writes to the stderr pytest captures for the test.
    """
    config = production().LOGGING
    yield lambda: logging.config.dictConfig(config)
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@override_settings(ROOT_URLCONF=__name__, ADMINS=[("Drift", "drift@ror-ikt.no")], DEBUG=False)
def test_an_unhandled_exception_is_logged_with_traceback_and_mailed(db, production_logging, capsys, admin_user):
    production_logging()
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    keep = Keep()
    logging.getLogger("django.request").addHandler(keep)
    try:
        response = client.get("/boom/")
    finally:
        logging.getLogger("django.request").removeHandler(keep)
    assert response.status_code == 500

    # One record on django.request, with the exception attached ...
    [record] = [r for r in records if r.levelno >= logging.ERROR]
    assert record.exc_info and record.exc_info[0] is RuntimeError
    # ... written by the stderr handler with its traceback ...
    err = capsys.readouterr().err
    assert "ERROR [django.request] Internal Server Error: /boom/" in err
    assert "Traceback (most recent call last)" in err and "RuntimeError: Feil med vilje i testen" in err
    # ... and mailed to ADMINS, traceback included.
    [message] = mail.outbox
    assert message.to == ["drift@ror-ikt.no"]
    assert "Internal Server Error: /boom/" in message.subject
    assert "RuntimeError at /boom/\nFeil med vilje i testen" in message.body
    assert "Traceback" in message.body and 'raise RuntimeError("Feil med vilje i testen")' in message.body


@override_settings(ROOT_URLCONF=__name__, ADMINS=[], DEBUG=False)
def test_without_admins_the_exception_is_still_logged(db, production_logging, capsys, admin_user):
    production_logging()
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    assert client.get("/boom/").status_code == 500
    assert "RuntimeError: Feil med vilje i testen" in capsys.readouterr().err
    assert mail.outbox == []


def test_the_stderr_handler_writes_to_stderr(production):
    handler = production().LOGGING["handlers"]["stderr"]
    assert handler["class"] == "logging.StreamHandler" and handler["stream"] == "ext://sys.stderr"
