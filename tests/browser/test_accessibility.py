"""axe-core finds no accessibility violations on the reader pages, on a desktop and on a phone.

The pages are filled with the demo profile, so they show everything a real group page
can: a leader, advisers, union representatives, substitutes, former members behind a
disclosure, working groups, the mandate, and a closed working group's notice.
No axe rule is disabled: a violation is fixed in the templates or the CSS.
"""

import pytest

from faggruppe_pages.models import Membership
from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page

pytestmark = pytest.mark.browser


GROUP = "/faggrupper/oppvekst-og-utdanning/"
#: The longest group name: "informasjonssikkerhet" alone is wider than a phone at the h1's desktop size.
LONG_NAME_GROUP = "/faggrupper/personvern-og-informasjonssikkerhet/"
CLOSED_WORKING_GROUP = "/faggrupper/microsoft-365-forvaltning/windows-11-utrulling/"
#: From WCAG 1.4.10's 320 CSS pixels up to a laptop, across the member table's breakpoint (72rem).
REFLOW_WIDTHS = [320, 375, 768, 1024, 1152, 1153, 1280]


@pytest.mark.parametrize(
    "path, viewport",
    [
        pytest.param("/faggrupper/", DESKTOP, id="overview"),
        pytest.param(GROUP, DESKTOP, id="group"),
        pytest.param(GROUP, PHONE, id="group-phone"),
        pytest.param(CLOSED_WORKING_GROUP, DESKTOP, id="closed-working-group"),
        # Breaks several rules of its mandate: the compliance summary lists errors and warnings.
        pytest.param("/faggrupper/teknisk/", DESKTOP, id="group-with-findings"),
        # Has a mandate of its own (governance): the mandate section on an arbeidsgruppe page.
        pytest.param(
            "/faggrupper/oppvekst-og-utdanning/skoleadministrativt-system/", PHONE, id="project-group-mandate"
        ),
    ],
)
def test_reader_page_has_no_violations(page, axe, demo, log_in, url, path, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    open_page(page, url(path))
    assert_no_violations(axe, page)


def test_reader_pages_reflow_without_sideways_scrolling(page, demo, log_in, url):
    """WCAG 1.4.10: nothing scrolls sideways, even long e-mail addresses and group names (axe cannot see this)."""
    log_in(page, "leser")
    too_wide = []
    for width in REFLOW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/faggrupper/", GROUP, LONG_NAME_GROUP, CLOSED_WORKING_GROUP):
            open_page(page, url(path))
            content_width = page.evaluate("document.documentElement.scrollWidth")
            if content_width > width:
                too_wide.append(f"{path} at {width}px is {content_width}px wide")
    assert not too_wide, "pages scroll sideways:\n" + "\n".join(too_wide)


def test_member_list_on_a_phone_is_still_a_table_for_screen_readers(page, demo, log_in, url):
    """On a phone each member is shown as a card, but Chromium still exposes a table to assistive technology."""
    page.set_viewport_size(PHONE)
    log_in(page, "leser")
    open_page(page, url(GROUP))
    assert page.locator("table").first.evaluate("table => getComputedStyle(table).display") == "block"

    # Chromium's own accessibility tree (what a screen reader gets), not Playwright's reading of the HTML.
    cdp = page.context.new_cdp_session(page)
    nodes = [node for node in cdp.send("Accessibility.getFullAXTree")["nodes"] if not node.get("ignored")]
    cdp.detach()
    roles = [node["role"]["value"].lower() for node in nodes]
    row_headers = {node.get("name", {}).get("value") for node in nodes if node["role"]["value"].lower() == "rowheader"}
    current = Membership.objects.filter(group__slug="oppvekst-og-utdanning").active_on()
    assert "table" in roles and roles.count("columnheader") >= 6
    assert set(current.values_list("person__name", flat=True)) <= row_headers


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_login_page_has_no_violations(page, axe, url, viewport):
    page.set_viewport_size(viewport)
    page.goto(url("/logg-inn/"))
    assert_no_violations(axe, page)


def test_failed_login_message_has_no_violations(page, axe, demo, url):
    page.goto(url("/logg-inn/"))
    page.locator("#id_username").fill("leser")
    page.locator("#id_password").fill("wrong password")
    page.locator("form.stacked-form button[type=submit]").click()
    page.get_by_role("alert").wait_for()
    assert_no_violations(axe, page)
