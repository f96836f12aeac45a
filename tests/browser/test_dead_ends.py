"""No dead ends, in a real browser (issue 15 items 6-8): one login page for the site and the admin, logging out
from /logg-ut/, the accessibility statement from the footer while logged out, a merged municipality's page
and its successor; axe finds nothing on the new pages on a desktop and a phone, in Bokmål and Nynorsk."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page

pytestmark = pytest.mark.browser

MIDSUND = "/faggrupper/representert/midsund/"
MOLDE = "/faggrupper/representert/molde/"


def choose_language(page, url, language):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url("/")}])


def test_the_admin_uses_the_one_login_page_and_returns_to_the_admin(page, demo, url):
    page.goto(url("/admin/"))
    assert page.url == url("/logg-inn/?next=/admin/")
    expect(page.locator("header.site-header")).to_be_visible()
    page.locator("#id_username").fill("redaksjon")
    page.locator("#id_password").fill("demo")
    with page.expect_navigation():
        page.locator("form.stacked-form button[type=submit]").click()
    assert page.url == url("/admin/")
    # Wagtail's old address goes to the same page too.
    page.context.clear_cookies()
    page.goto(url("/admin/login/"))
    assert page.url == url("/logg-inn/?next=%2Fadmin%2F")


def test_logging_out_from_the_address_asks_first(page, demo, log_in, url):
    log_in(page, "leser")
    page.goto(url("/logg-ut/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vil du logge ut?")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Logg ut").click()
    assert page.url == url("/logg-inn/")
    expect(page.get_by_role("status")).to_contain_text("Du er nå logget ut.")
    page.goto(url("/faggrupper/"))
    assert page.url.startswith(url("/logg-inn/"))


def test_the_statement_opens_from_the_footer_while_logged_out(page, demo, url):
    page.goto(url("/logg-inn/"))
    with page.expect_navigation():
        page.locator("footer").get_by_role("link", name="Tilgjengelighetserklæring").click()
    assert page.url == url("/tilgjengelighet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgjengelighetserklæring")
    expect(page.get_by_role("link", name="uutilsynet.no")).to_have_attribute("href", "https://www.uutilsynet.no/")


def test_a_merged_municipality_points_to_its_successor(page, demo, log_in, url):
    log_in(page, "leser")
    open_page(page, url(MIDSUND))
    expect(page.locator(".notice")).to_contain_text("Midsund har ikke vært med i samarbeidet siden 01.01.2020.")
    with page.expect_navigation():
        page.get_by_role("link", name="Hvor er Molde representert?").click()
    assert page.url == url(MOLDE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvor er Molde representert?")


#: The new pages a reader sees (logged in as leser); the statement is checked logged out first.
READER_PAGES = ["/logg-ut/", "/finnes-ikke/", MIDSUND, "/faggrupper/representert/", "/tilgjengelighet/"]


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_the_new_pages_have_no_violations(page, axe, demo, log_in, url, viewport, language):
    page.set_viewport_size(viewport)
    choose_language(page, url, language)
    open_page(page, url("/tilgjengelighet/"))
    assert page.locator("html").get_attribute("lang") == language
    assert_no_violations(axe, page)
    log_in(page, "leser")
    choose_language(page, url, language)  # logging in sets the cookie from the (empty) profile
    for path in READER_PAGES:
        if path == "/finnes-ikke/":
            assert page.goto(url(path)).status == 404
        else:
            open_page(page, url(path))
        assert page.locator("html").get_attribute("lang") == language, path
        assert_no_violations(axe, page)
