"""The overview pages in a real browser: the member overview, "Hvor er … representert?", "Mine grupper".

Filled with the demo profile, a reader checks that

* axe-core finds no accessibility violations on each of them (desktop and phone), with the
  content they exist for on screen: the groups × organisations matrix with its empty seats,
  Molde's seats, a representative's own groups, and the explanation for a reader with no
  person record;
* none of them scrolls sideways from WCAG 1.4.10's 320 CSS pixels up to a laptop;
* a reader can go from the group list to the member overview, narrow it to Molde, and download
  a PDF that holds what the page showed: Molde's members, the group titles, and an
  "Side x av N" footer that counts the pages right; the unfiltered PDF has every group;
* an anonymous visitor asking for the PDF is sent to the login page and gets no file.

No axe rule is disabled. Texts still being translated (Norwegian or English) are not asserted
literally: the tests go by CSS classes, form names and link addresses instead.
"""

import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import DESKTOP, PHONE, assert_no_violations, open_page

pytestmark = pytest.mark.browser

#: From WCAG 1.4.10's 320 CSS pixels up to a laptop.
REFLOW_WIDTHS = [320, 375, 768, 1024, 1280]

OVERVIEW = "/faggrupper/medlemsoversikt/"
OVERVIEW_MOLDE = "/faggrupper/medlemsoversikt/?organisasjon=molde"
OVERVIEW_PDF = "/faggrupper/medlemsoversikt/pdf/"
REPRESENTATION_INDEX = "/faggrupper/representert/"
REPRESENTATION_MOLDE = "/faggrupper/representert/molde/"
MY_GROUPS = "/faggrupper/mine-grupper/"

#: The PDF's footer, "Side 1 av 3" in Norwegian ("Page 1 of 3" while translations are missing).
PAGE_FOOTER = r"(?:Side|Page) {page} (?:av|of) {total}"

#: What each page under test must show, so that axe and the reflow check look at real content.
SHOWS = {
    OVERVIEW: "table.matrix tbody th[scope=row] a",
    OVERVIEW_MOLDE: "table.matrix tbody th[scope=row] a",
    REPRESENTATION_INDEX: "ul.org-list a[href$='/representert/molde/']",
    REPRESENTATION_MOLDE: "table.member-table tbody th[scope=row] a",
}


def normalised(text):
    """PDF text with line breaks and runs of spaces folded into single spaces."""
    return " ".join(text.split())


def pdf_pages(path):
    return [normalised(pdf_page.extract_text()) for pdf_page in PdfReader(path).pages]


def assert_page_footers(pages):
    """Page 1 says "Side 1 av N", the last page "Side N av N", and N is the number of pages."""
    first = re.search(PAGE_FOOTER.format(page=1, total=r"(\d+)"), pages[0])
    assert first, f"no page-number footer on page 1:\n{pages[0][-300:]}"
    total = int(first.group(1))
    assert total == len(pages), f"the footer counts {total} pages, the PDF has {len(pages)}"
    assert re.search(PAGE_FOOTER.format(page=total, total=total), pages[-1]), (
        f"the last page does not say {total} of {total}:\n{pages[-1][-300:]}"
    )


def pdfinfo(path):
    """poppler-utils' pdfinfo of a file, with every page's size (Debian package poppler-utils, installed by CI)."""
    result = subprocess.run(["pdfinfo", "-l", "-1", str(path)], capture_output=True, text=True, check=True)
    return result.stdout


def download_pdf(page, link, tmp_path):
    """Click a download link as a reader would; return the suggested filename and the PDF's page texts."""
    # The whole overview's PDF takes a few seconds on a busy machine: more than the default 10 s timeout allows.
    with page.expect_download(timeout=60_000) as info:
        link.click()
    download = info.value
    assert download.failure() is None, f"download failed: {download.failure()}"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-"), f"{download.suggested_filename} is not a PDF"
    return download.suggested_filename, pdf_pages(saved)


# -- accessibility ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, viewport, username",
    [
        pytest.param(OVERVIEW, DESKTOP, "leser", id="overview"),
        pytest.param(OVERVIEW, PHONE, "leser", id="overview-phone"),
        pytest.param(OVERVIEW_MOLDE, DESKTOP, "leser", id="overview-filtered"),
        pytest.param(REPRESENTATION_MOLDE, DESKTOP, "leser", id="representation"),
        pytest.param(REPRESENTATION_MOLDE, PHONE, "leser", id="representation-phone"),
        pytest.param(REPRESENTATION_INDEX, DESKTOP, "leser", id="representation-index"),
        pytest.param(MY_GROUPS, DESKTOP, "rep-molde", id="my-groups"),
        pytest.param(MY_GROUPS, PHONE, "rep-molde", id="my-groups-phone"),
        # No person record: the page explains why it lists no groups.
        pytest.param(MY_GROUPS, DESKTOP, "leser", id="my-groups-no-person"),
    ],
)
def test_overview_page_has_no_violations(page, axe, demo, log_in, url, path, viewport, username):
    page.set_viewport_size(viewport)
    log_in(page, username)
    open_page(page, url(path))
    if path == MY_GROUPS and username == "rep-molde":
        expect(page.locator("table.member-table")).to_contain_text("Oppvekst og utdanning")
    elif path == MY_GROUPS:
        expect(page.locator("table")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    else:
        expect(page.locator(SHOWS[path]).first).to_be_visible()
    if path == OVERVIEW:
        # The empty seats are marked, so axe also checks how they look (contrast) and read.
        expect(page.locator("table.matrix .gap-mark").first).to_be_visible()
    assert_no_violations(axe, page)


# -- reflow -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, username",
    [
        pytest.param(OVERVIEW, "leser", id="overview"),
        pytest.param(REPRESENTATION_MOLDE, "leser", id="representation"),
        # Molde's representative also gets the link to update or confirm Molde's entries.
        # Only Molde's representative sees the long "Oppdater eller bekreft våre oppføringer" link.
        pytest.param(REPRESENTATION_MOLDE, "rep-molde", id="representation-as-representative"),
        pytest.param(MY_GROUPS, "rep-molde", id="my-groups"),
    ],
)
def test_overview_page_reflows_without_sideways_scrolling(page, demo, log_in, url, path, username):
    """WCAG 1.4.10: the wide matrix and the seat tables fit the window; axe cannot see this."""
    log_in(page, username)
    too_wide = []
    for width in REFLOW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        open_page(page, url(path))
        content_width = page.evaluate("document.documentElement.scrollWidth")
        if content_width > width:
            too_wide.append(f"{path} at {width}px is {content_width}px wide")
    assert not too_wide, f"{path} scrolls sideways for {username}:\n" + "\n".join(too_wide)


# -- a reader's journey to the PDF ------------------------------------------------------------------------


def seat_names(page, selector="li"):
    """The names in the matrix's seat lists, without the leader's star or the role in brackets."""
    return page.locator(f"table.matrix .seat-list {selector}").evaluate_all(
        """items => items.map(item => {
            const copy = item.cloneNode(true);
            copy.querySelectorAll('.role').forEach(role => role.remove());
            return copy.textContent.trim().replace(/^★\\s*/, '').trim();
        })"""
    )


def test_reader_filters_the_overview_to_molde_and_downloads_the_pdf(page, demo, log_in, url, tmp_path):
    log_in(page, "leser")
    page.goto(url("/faggrupper/"))
    overview_link = page.locator("a[href*='medlemsoversikt/']").first
    expect(overview_link).to_be_visible()
    overview_link.click()
    expect(page).to_have_url(url(OVERVIEW))
    all_columns = page.locator("table.matrix thead th").count()
    assert all_columns > 3, "the unfiltered overview should have a column for every organisation"

    # Choose Molde in the filter and submit it.
    page.locator("select[name=organisasjon]").select_option("molde")
    with page.expect_navigation():
        page.locator("form.filter-form button[type=submit]").click()
    assert parse_qs(urlsplit(page.url).query)["organisasjon"] == ["molde"], page.url
    expect(page.locator("select[name=organisasjon]")).to_have_value("molde")

    # Only Molde's column is left, between the group and the date the list was last verified.
    header = page.locator("table.matrix thead th")
    expect(header).to_have_count(3)
    expect(header.nth(1)).to_contain_text("Molde")
    group_titles = page.locator("table.matrix th[scope=row] a").all_inner_texts()
    names = seat_names(page)
    leaders = seat_names(page, "li.is-leader")
    assert group_titles and names and leaders, "the Molde overview shows no groups, members or leaders"

    pdf_link = page.locator("p.downloads a[href*='pdf/']")
    expect(pdf_link).to_have_attribute("download", "")
    assert "organisasjon=molde" in pdf_link.get_attribute("href")
    filename, pages = download_pdf(page, pdf_link, tmp_path)

    assert filename.endswith(".pdf") and "molde" in filename, filename
    assert any(name in pages[0] for name in names), f"none of Molde's members {names} on page 1:\n{pages[0]}"
    assert any(title in pages[0] for title in group_titles), f"no group title on page 1:\n{pages[0]}"
    # Leaders are starred in the PDF as on the page.
    text = " ".join(pages)
    assert any(f"★ {leader}" in text for leader in leaders), f"none of {leaders} is starred in the PDF"
    assert_page_footers(pages)


def test_unfiltered_pdf_has_every_group_of_the_overview(page, demo, log_in, url, tmp_path):
    log_in(page, "leser")
    open_page(page, url(OVERVIEW))
    group_titles = page.locator("table.matrix th[scope=row] a").all_inner_texts()
    assert len(group_titles) > 1, group_titles

    filename, pages = download_pdf(page, page.locator("p.downloads a[href$='pdf/']"), tmp_path)

    assert filename.endswith(".pdf") and filename.startswith("medlemsoversikt"), filename
    assert len(pages) >= 2, f"the whole overview fits on {len(pages)} page(s)?"
    text = " ".join(pages)
    missing = [title for title in group_titles if normalised(title) not in text]
    assert not missing, f"groups missing from the PDF: {missing}"
    assert_page_footers(pages)
    # poppler's pdfinfo, as someone checking the file would: tagged for screen readers, the matrix A4 landscape.
    info = pdfinfo(tmp_path / filename)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Page\s+1 size:\s+841\.89 x 595\.27\d* pts \(A4\)$", info, re.M), info
    assert re.search(rf"^Page\s+{len(pages)} size:\s+595\.27\d* x 841\.89 pts \(A4\)$", info, re.M), info


# -- anonymous visitors -----------------------------------------------------------------------------------


def test_anonymous_visitor_gets_the_login_page_not_the_pdf(page, demo, url):
    page.context.clear_cookies()
    response = page.context.request.get(url(OVERVIEW_PDF), max_redirects=0)
    assert response.status == 302, f"{OVERVIEW_PDF} answered {response.status} to an anonymous visitor"
    location = response.headers["location"]
    assert "/logg-inn/" in location, location
    assert "pdf" not in response.headers.get("content-type", ""), response.headers

    # Following the redirect, as the browser would, ends on the login form: an HTML page, no file.
    followed = page.context.request.get(url(OVERVIEW_PDF))
    assert followed.ok, followed.status
    assert urlsplit(followed.url).path == "/logg-inn/", followed.url
    assert followed.headers["content-type"].startswith("text/html"), followed.headers
    assert "attachment" not in followed.headers.get("content-disposition", "")
    assert not followed.body().startswith(b"%PDF-")
