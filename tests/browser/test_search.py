"""Search as a reader uses it: the header's box on any page, the results page, opening a hit; axe finds no
violation on the results page on a desktop and a phone, in Bokmål and Nynorsk."""

import re

import pytest

from faggruppe_pages.models import Person
from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page

pytestmark = pytest.mark.browser

HEADINGS = {
    "nb": ("Grupper", "Personer", "treff for «lønn»", "Søk"),
    "nn": ("Grupper", "Personar", "treff for «lønn»", "Søk"),
}


def choose_language(page, url, code):
    page.goto(url("/faggrupper/"))
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").click()


def search_from_header(page, text):
    box = page.get_by_role("search", name=re.compile("intranett")).get_by_role("searchbox")
    box.fill(text)
    with page.expect_navigation():
        box.press("Enter")


def test_leser_finds_a_group_and_a_person_from_the_header(page, demo, log_in, url):
    log_in(page, "leser")
    page.goto(url("/faggrupper/teknisk/"))
    search_from_header(page, "lønn")
    assert page.url == url("/sok/?q=l%C3%B8nn")
    groups = page.locator("section.search-group", has=page.get_by_role("heading", name="Grupper", exact=True))
    assert groups.locator("mark").first.inner_text() == "Lønn"
    with page.expect_navigation():
        groups.get_by_role("link", name="Lønn og personal").click()
    assert page.url == url("/faggrupper/lonn-og-personal/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lønn og personal"

    # A person by surname: the hit names the person; after the person pages exist, it opens theirs.
    person = Person.objects.get(name="Hilde Hjelle")
    search_from_header(page, "Hjelle")
    people = page.locator("section.search-group", has=page.get_by_role("heading", name="Personer", exact=True))
    hit = people.locator("li", has_text="Hilde Hjelle")
    assert hit.count() == 1
    assert "Sitter i:" in hit.inner_text()
    if hasattr(person, "get_absolute_url"):
        with page.expect_navigation():
            hit.get_by_role("link", name="Hilde Hjelle").click()
        assert page.url == url(person.get_absolute_url())
        assert "Hilde Hjelle" in page.get_by_role("heading", level=1).inner_text()
    else:
        assert hit.get_by_role("link", name="Kontaktkort (vCard)").get_attribute("href") == (
            f"/faggrupper/person/{person.pk}/vcard/"
        )


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_results_page_has_no_violations(page, axe, demo, log_in, url, language, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    if language != "nb":
        choose_language(page, url, language)
    groups, people, summary, title = HEADINGS[language]
    open_page(page, url("/sok/?q=l%C3%B8nn"))
    assert page.get_by_role("heading", name=groups, exact=True).count() == 1
    assert page.get_by_role("heading", name=people, exact=True).count() == 1
    assert summary in page.locator(".search-summary").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert_no_violations(axe, page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The empty page and the "nothing found" page too.
    for query in ("", "?q=xyzzy"):
        open_page(page, url("/sok/" + query))
        assert_no_violations(axe, page)
