"""Content-Security-Policy and Permissions-Policy on every response, from settings (also in dev and tests)."""

import pytest
from django.test import Client, override_settings
from intranet.middleware import permissions_policy_header

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_reader_pages_get_the_strict_policy(client):
    policy = directives(client.get("/logg-inn/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


def test_the_admin_gets_only_inline_scripts_on_top(client):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'"]
    assert all("unsafe-eval" not in value for values in policy.values() for value in values)


def test_logged_in_pages_and_errors_carry_the_policy_too(reader_client):
    for path in ("/faggrupper/finnes-ikke/", "/admin/"):
        response = reader_client.get(path)
        assert "Content-Security-Policy" in response and "Permissions-Policy" in response, path


def test_the_policy_is_enforced_not_report_only(client):
    response = client.get("/logg-inn/")
    assert "Content-Security-Policy-Report-Only" not in response


def test_permissions_policy_turns_off_features_no_page_uses(client):
    header = Client().get("/logg-inn/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header


@override_settings(PERMISSIONS_POLICY={"fullscreen": ["self"], "camera": []})
def test_permissions_policy_comes_from_settings():
    assert Client().get("/logg-inn/")["Permissions-Policy"] == "fullscreen=(self), camera=()"


def test_permissions_policy_header_format():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self", '"https://x.no"']}) == (
        'camera=(), fullscreen=(self "https://x.no")'
    )
