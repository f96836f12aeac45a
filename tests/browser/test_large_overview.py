"""The overview pages with many groups, in a real browser (issue 16): /faggrupper/ per fagområde in collapsed
sections, the member overview and "Hvor er Molde representert?" in pages.

On the demo plus 35 faggrupper spread over the demo's fagområder (44 in all: past the point where the pages
group per fagområde, and two pages of the member overview), a reader checks in Bokmål that

* axe-core finds no violations on /faggrupper/ with every area section opened, and on the member overview's
  second page with its page navigation, on a desktop and a phone;
* a closed section opens on a click and shows its groups, linked;
* the page navigation names the current page (aria-current) and moves to the previous page, keeping the filter;
* neither page scrolls sideways at WCAG 1.4.10's 320 CSS pixels.

and, in Bokmål and Nynorsk, that Molde's seats (a leader in each of the 35) are in pages per fagområde with no
axe violation on a desktop and a phone, and that a fagområde's link leads to its seats and the page navigation
back.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page, set_language

pytestmark = pytest.mark.browser

INDEX = "/faggrupper/"
OVERVIEW = "/faggrupper/medlemsoversikt/"
REPRESENTATION = "/faggrupper/representert/molde/"
#: The seats' page navigation and fagområde links, named in each language.
SEAT_NAVIGATION = {
    "nb": ("Sider med plasser", "Fagområder blant plassene"),
    "nn": ("Sider med plassar", "Fagområde blant plassane"),
}


@pytest.fixture
def many_groups(demo):
    from faggruppe_pages.models import FaggruppeIndexPage, FaggruppePage, Organisation, Role
    from tests.factories import FaggruppePageFactory, MembershipFactory, PersonFactory

    index = FaggruppeIndexPage.objects.get(slug="faggrupper")
    areas = list(FaggruppePage.objects.child_of(index).values_list("area", flat=True).distinct())
    molde, rauma = Organisation.objects.get(slug="molde"), Organisation.objects.get(slug="rauma")
    for k in range(35):
        group = FaggruppePageFactory(parent=index, title=f"Ekstra gruppe {k:02d}", area=areas[k % len(areas)])
        MembershipFactory(
            group=group, person=PersonFactory(name=f"Leder {k:02d}", employer=molde), represents=molde, role=Role.LEADER
        )
        MembershipFactory(group=group, person=PersonFactory(name=f"Medlem {k:02d}", employer=rauma), represents=rauma)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_index_in_area_sections_has_no_violations(page, axe, many_groups, log_in, url, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    open_page(page, url(INDEX))  # opens every section
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("details.area-section").first).to_be_visible()
    expect(page.locator("details.area-section table.area-groups tbody th[scope=row] a").first).to_be_visible()
    assert page.locator("details.area-section").count() == 9  # the demo's nine fagområder
    assert_no_violations(axe, page)


def test_a_closed_section_opens_and_links_its_groups(page, many_groups, log_in, url):
    log_in(page, "leser")
    page.goto(url(INDEX))
    section = page.locator("details.area-section").first
    expect(section).not_to_have_attribute("open", "")
    links = section.locator("table.area-groups th[scope=row] a")
    expect(links.first).to_be_hidden()
    section.locator("summary").click()
    expect(links.first).to_be_visible()
    first_title = links.first.inner_text()
    links.first.click()
    expect(page.locator("h1")).to_have_text(first_title)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_paged_member_overview_has_no_violations(page, axe, many_groups, log_in, url, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    open_page(page, url(OVERVIEW + "?side=2"))
    nav = page.locator("nav.pagination")
    expect(nav).to_have_attribute("aria-label", "Sider i medlemsoversikten")
    expect(nav.locator("a[aria-current=page]")).to_contain_text("2")
    expect(page.locator("table.matrix tr.area-row th[scope=rowgroup]").first).to_be_visible()
    expect(page.locator("table.matrix .gap-mark").first).to_be_visible()
    assert_no_violations(axe, page)


def test_page_navigation_keeps_the_filter(page, many_groups, log_in, url):
    log_in(page, "leser")
    page.goto(url(OVERVIEW + "?organisasjon=molde&side=2"))
    nav = page.locator("nav.pagination")
    with page.expect_navigation():
        nav.locator("a[rel=prev]").click()
    assert page.url == url(OVERVIEW + "?organisasjon=molde&side=1"), page.url
    expect(nav.locator("a[aria-current=page]")).to_contain_text("1")
    expect(page.locator("table.matrix thead th")).to_have_count(3)  # group, Molde, last confirmed
    # Jumping to a fagområde lands on its heading row.
    area = page.locator("nav.area-links a").last
    target = area.get_attribute("href").split("#")[1]
    with page.expect_navigation():
        area.click()
    expect(page.locator(f"#{target}")).to_be_visible()


@pytest.mark.parametrize("path", [INDEX, OVERVIEW + "?side=2"])
def test_large_overview_pages_do_not_scroll_sideways(page, many_groups, log_in, url, path):
    log_in(page, "leser")
    page.set_viewport_size({"width": 320, "height": 800})
    open_page(page, url(path))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_paged_representation_has_no_violations(page, axe, many_groups, log_in, url, language, viewport):
    set_language(page, url, language)
    page.set_viewport_size(viewport)
    log_in(page, "leser")
    open_page(page, url(REPRESENTATION + "?side=2"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    pages_label, areas_label = SEAT_NAVIGATION[language]
    nav = page.locator("nav.pagination")
    expect(nav).to_have_attribute("aria-label", pages_label)
    expect(nav.locator("a[aria-current=page]")).to_contain_text("2")
    expect(page.locator("nav.area-links")).to_have_attribute("aria-label", areas_label)
    expect(page.locator("table.member-table tr.area-row th[scope=rowgroup]").first).to_be_visible()
    expect(page.locator("table.member-table tbody th[scope=row] a").first).to_be_visible()
    assert_no_violations(axe, page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the representation page scrolls sideways: {width}px"


def test_a_fagomrade_link_leads_to_its_seats_and_the_pages_lead_back(page, many_groups, log_in, url):
    log_in(page, "leser")
    page.goto(url(REPRESENTATION))
    area = page.locator("nav.area-links a").last  # the last fagområde: on the last page
    label, href = area.inner_text(), area.get_attribute("href")
    with page.expect_navigation():
        area.click()
    assert page.url == url(REPRESENTATION + href), page.url
    heading = page.locator(f"#{href.split('#')[1]}")
    expect(heading).to_have_text(label)
    expect(heading).to_be_in_viewport()
    # The page ends with its seats: a group, linked.
    row = page.locator("table.member-table tbody tr:not(.area-row)").last
    expect(row.locator("th[scope=row] a")).to_be_visible()
    nav = page.locator("nav.pagination")
    with page.expect_navigation():
        nav.locator("a[rel=prev]").click()
    assert page.url == url(REPRESENTATION + "?side=1"), page.url
    expect(nav.locator("a[aria-current=page]")).to_contain_text("1")
