"""A reader asks for the whole overview as PDF when it is large: "Filen lages nå" (axe: no violation, nb and nn),
the task worker builds it, and the page's script starts the download by itself, without reloading the page. A
failed build shows "Filen kunne ikke lages" with "Prøv igjen", which queues it again."""

import pytest
from playwright.sync_api import expect

from faggruppe_pages.reader.exports import background
from tests.browser.helpers import PHONE, assert_no_violations, set_language
from tests.faggruppe_pages.test_exports_background import run_worker

pytestmark = pytest.mark.browser

PDF = "/faggrupper/medlemsoversikt/pdf/"
TEXTS = {
    "nb": {"pending": "Filen lages nå", "ready": "Filen er klar og lastes ned.", "failed": "Filen kunne ikke lages"},
    "nn": {
        "pending": "Fila vert laga no",
        "ready": "Fila er klar og vert lasta ned.",
        "failed": "Fila kunne ikkje lagast",
    },
}


@pytest.fixture
def large(settings):
    settings.FAGGRUPPE_EXPORT_INLINE_MAX_SEATS = 0


def work_offline(page):
    """The worker, while the page cannot ask (SQLite's shared in-memory test database locks whole tables: the
    worker's exclusive transaction and the live server answering the page's question would collide). The page's
    script asks again a little later."""
    page.context.set_offline(True)
    try:
        run_worker()
    finally:
        page.context.set_offline(False)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_large_pdf_is_prepared_and_then_downloads_by_itself(page, demo, log_in, url, axe, large, language):
    set_language(page, url, language)
    log_in(page, "leser")
    response = page.goto(url(PDF))
    assert response.status == 202
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS[language]["pending"])
    assert_no_violations(axe, page)
    page.set_viewport_size(PHONE)
    assert_no_violations(axe, page)

    with page.expect_download(timeout=30_000) as download:
        work_offline(page)
    assert download.value.suggested_filename.startswith("medlemsoversikt-")
    assert download.value.suggested_filename.endswith(".pdf")
    expect(page.get_by_role("status")).to_have_text(TEXTS[language]["ready"])
    assert page.url == url(PDF)  # the same page: no reload moved the reader


def test_a_failed_build_can_be_retried(page, demo, log_in, url, axe, large, monkeypatch):
    log_in(page, "leser")
    page.goto(url(PDF))
    with monkeypatch.context() as patch:
        patch.setattr(background, "build", lambda *a, **k: 1 / 0)
        work_offline(page)
    # The waiting page's script sees the failure and shows it.
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS["nb"]["failed"], timeout=30_000)
    assert_no_violations(axe, page)
    page.get_by_role("link", name="Prøv igjen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS["nb"]["pending"])
    assert page.url == url(PDF)
    with page.expect_download(timeout=30_000) as download:
        work_offline(page)
    assert download.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_yearly_report_of_all_groups_is_prepared_and_downloads_by_itself(
    page, demo, log_in, url, axe, large, language
):
    """From the yearly report's page, "Last ned som PDF" with large data: the waiting page names the yearly report
    and leads back to it; the worker builds it and the download starts."""
    import datetime

    year = datetime.date.today().year
    set_language(page, url, language)
    log_in(page, "leser")
    page.goto(url(f"/arsrapport/{year}/"))
    page.get_by_role("link", name="Last ned som PDF").click()  # the same words in nb and nn
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS[language]["pending"])
    expect(page.get_by_text(f"Årsrapporten for {year} som PDF er stor")).to_be_visible()
    back = page.get_by_role("link", name="Tilbake til årsrapporten")
    expect(back).to_have_attribute("href", f"/arsrapport/{year}/")
    assert_no_violations(axe, page)
    with page.expect_download(timeout=30_000) as download:
        work_offline(page)
    assert download.value.suggested_filename == f"arsrapport-{year}.pdf"
    expect(page.get_by_role("status")).to_have_text(TEXTS[language]["ready"])
