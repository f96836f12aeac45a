"""Single sign-on in a real browser (issue 17): the login page's button, the provider's login form (a real
OpenID Connect provider, tests/oidc_provider), back on /faggrupper/; then "Logg ut" ends both sessions."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation
from intranet.oidc.provider import login_label
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.oidc_provider.fixtures import PASSWORD, configure_portal, running_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_oidc(tmp_path_factory, drained_live_server):
    with running_provider(tmp_path_factory.mktemp("oidc-browser"), [drained_live_server.url]) as provider:
        yield provider


def nb(text):
    with translation.override("nb"):
        return str(text)


def test_log_in_with_the_municipality_account_and_out_of_both(page, url, browser_oidc, settings, axe, index_page):
    browser_oidc.reset()
    configure_portal(settings, browser_oidc)
    page.goto(url("/logg-inn/?next=/faggrupper/"))
    button = page.get_by_role("link", name=nb(login_label()))
    expect(button).to_be_visible()
    assert_no_violations(axe, page)

    button.click()
    page.wait_for_url(f"{browser_oidc.issuer}/interaction/**")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord").fill(PASSWORD)
    with page.expect_navigation(url=url("/faggrupper/")):
        page.get_by_role("button", name="Logg inn hos leverandøren").click()
    assert urlsplit(page.url).path == "/faggrupper/"
    expect(page.locator(".site-header form.inline-form button")).to_contain_text("Kari Nordmann")

    # "Logg ut" (a POST) ends the portal's session, then the provider's (its logout page), and back to the login.
    page.locator(".site-header form.inline-form button").click()
    page.wait_for_url(f"{browser_oidc.issuer}/session/end**")
    page.get_by_role("button", name="Ja, logg ut").click()
    page.wait_for_url(url("/logg-inn/"))
    assert page.locator("#sso-login").count() == 1
    # Both sessions are gone: the portal asks for a login, and the provider shows its login form again.
    page.goto(url("/faggrupper/"))
    assert urlsplit(page.url).path == "/logg-inn/"
    page.locator("#sso-login").click()
    page.wait_for_url(f"{browser_oidc.issuer}/interaction/**")
    expect(page.get_by_label("Brukernavn")).to_be_visible()
