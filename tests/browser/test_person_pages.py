"""A reader clicks a member's name on a group page and reads that person's page (groups, contact details, vCard);
axe finds no violation on the person page, on a desktop and on a phone, in Bokmål and Nynorsk."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from faggruppe_pages.models import GroupPage, Membership, Person
from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page, set_language
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser

GROUP = "/faggrupper/oppvekst-og-utdanning/"
TEXTS = {
    "nb": {"current": "Nåværende grupper", "vcard": "som kontakt (vCard)"},
    "nn": {"current": "Noverande grupper", "vcard": "som kontakt (vCard)"},
}


def someone_with_earlier_groups():
    """A demo former member of Oppvekst og utdanning, given a current seat in Teknisk: the page shows both tables."""
    former = (
        Membership.objects.filter(group__slug="oppvekst-og-utdanning", end_date__lt=timezone.localdate())
        .select_related("person")
        .first()
        .person
    )
    MembershipFactory(person=former, group=GroupPage.objects.get(slug="teknisk"), represents=former.employer)
    return former


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_reader_clicks_a_members_name_and_sees_their_groups(page, demo, log_in, url, language):
    set_language(page, url, language)
    log_in(page, "leser")
    open_page(page, url(GROUP))
    first = page.locator("table.member-table tbody th[scope=row] a").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    person = Person.objects.get(name=name)
    assert page.url == url(f"/faggrupper/personer/{person.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(name)
    current = page.locator("section[aria-labelledby=current-heading]")
    expect(current.locator("h2")).to_have_text(TEXTS[language]["current"])
    expect(current.get_by_role("link", name="Oppvekst og utdanning", exact=True)).to_be_visible()
    for m in Membership.objects.filter(person=person, group__live=True).active_on().select_related("group"):
        expect(current.get_by_role("link", name=m.group.title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=person.employer.name, exact=True)).to_be_visible()
    expect(page.get_by_text(TEXTS[language]["vcard"])).to_be_visible()

    # Back to the group through the person's own list of groups.
    with page.expect_navigation():
        current.get_by_role("link", name="Oppvekst og utdanning", exact=True).click()
    assert page.url == url(GROUP)


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_person_page_has_no_violations(page, axe, demo, log_in, url, language, viewport):
    person = someone_with_earlier_groups()
    set_language(page, url, language)
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    open_page(page, url(f"/faggrupper/personer/{person.pk}/"))
    expect(page.locator("#current-heading")).to_be_visible()
    expect(page.locator("#former-heading")).to_be_visible()
    assert_no_violations(axe, page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the person page scrolls sideways: {width}px"
