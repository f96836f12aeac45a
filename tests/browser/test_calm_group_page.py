"""A calm group page, as a reader meets it (issue 15, item 3): the mandate as a summary with its stamp and a link
to the whole text, compliance as one status line whose details open on a click; axe finds nothing on the group
pages, the mandate page and the overview, on a desktop and a phone, in Bokmål and Nynorsk."""

import pytest

from governance.models import Mandate
from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page

pytestmark = pytest.mark.browser

LANGUAGE_COOKIE = "django_language"
TEKNISK = "/faggrupper/teknisk/"


def test_reader_reads_a_calm_group_page_and_follows_the_mandate_link(page, axe, demo, log_in, url):
    page.set_viewport_size(DESKTOP)
    log_in(page, "leser")
    page.goto(url(TEKNISK))
    # The mandate: a summary with its stamp, not the whole text.
    mandate = page.locator("section.mandate-summary")
    assert "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in mandate.inner_text()
    assert page.get_by_text("Kommunens representant har ansvar").count() == 0
    # Compliance: one status line; the details open on a click.
    status = page.locator(".compliance-status summary")
    assert status.inner_text().strip().endswith("avvik fra mandatet – se detaljer")
    finding = page.locator(".compliance-status li", has_text="Hustadvika mangler representant")
    assert not finding.is_visible()
    status.click()
    assert finding.is_visible()
    assert_no_violations(axe, page)
    # The link leads to the whole mandate, with its versions.
    with page.expect_navigation():
        mandate.get_by_role("link", name="Les hele mandatet").click()
    in_force = Mandate.objects.get(version="2019")
    assert page.url == url(f"/mandater/{in_force.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mandat for faggruppene"
    assert page.get_by_text("Kommunens representant har ansvar").count() == 1
    assert page.get_by_role("heading", name="Versjoner").is_visible()
    assert_no_violations(axe, page)


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_calm_pages_have_no_violations(page, axe, demo, log_in, url, live_server, language, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": live_server.url}])
    in_force = Mandate.objects.get(version="2019")
    for path in (
        "/faggrupper/",
        TEKNISK,
        "/faggrupper/dokumentasjonsforvaltning/",
        "/faggrupper/helse-og-velferd/velferdsteknologi/",
        "/faggrupper/oppvekst-og-utdanning/skoleadministrativt-system/",
        f"/mandater/{in_force.pk}/",
    ):
        open_page(page, url(path))
        assert page.locator("html").get_attribute("lang") == language
        assert_no_violations(axe, page)
