"""With many faggrupper the yearly report's page is its contents per fagområde (governance/reader/yearly_report.py,
``report_contents``): a reader opens a fagområde, follows a group to its own report (axe: no violation, nb and
nn, on a wide screen and a phone)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, assert_no_violations

pytestmark = pytest.mark.browser

TEXTS = {"nb": "Rapporten omfatter", "nn": "Rapporten omfattar"}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_reader_finds_a_group_in_the_contents_and_reads_its_report(
    page, demo, log_in, url, axe, monkeypatch, language
):
    from governance.reader import yearly_report

    monkeypatch.setattr(yearly_report, "AREA_SECTIONS_FROM", 3)  # the demo's 9 faggrupper count as many
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url("/")}])
    log_in(page, "leser")
    page.goto(url(f"/arsrapport/{timezone.localdate().year}/"))
    expect(page.get_by_text(TEXTS[language])).to_be_visible()
    section = page.locator("details.area-section").first
    section.locator("summary").click()
    link = section.get_by_role("link").first
    expect(link).to_be_visible()
    assert_no_violations(axe, page)
    page.set_viewport_size(PHONE)
    assert_no_violations(axe, page)
    name = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    assert_no_violations(axe, page)
