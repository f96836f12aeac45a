"""A reader's measures, benefit chart, proposals and yearly report in a real browser, in Bokmål and in Nynorsk;
axe finds no violations on any of them."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from faggruppe_pages.models import Role
from governance.models import (
    Benefit,
    BenefitTarget,
    GoverningBody,
    Measure,
    MeasureKind,
    MeasureStatus,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Realisation,
    StatusReport,
)
from tests.browser.helpers import PHONE, assert_no_violations, open_page
from tests.factories import FaggruppePageFactory, MembershipFactory, OrganisationFactory, PersonFactory, make_index

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
D = datetime.date


@pytest.fixture
def work(transactional_db, reader):
    index = make_index()
    group = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde")
    rauma = OrganisationFactory(name="Rauma kommune", short_name="Rauma", slug="rauma")
    leader = PersonFactory(name="Kari Leder", employer=molde)
    MembershipFactory(person=leader, group=group, represents=molde, role=Role.LEADER, start_date=D(LAST_YEAR, 2, 1))
    measure = Measure.objects.create(
        group=group,
        title="Felles plattform for byggesak",
        kind=MeasureKind.ROLLOUT,
        owner=leader,
        start_date=D(LAST_YEAR, 1, 15),
        planned_end=D(TODAY.year + 1, 6, 30),
        published_at=timezone.now(),
    )
    measure.organisations.add(molde, rauma)
    measure.save()
    StatusReport.objects.create(
        measure=measure,
        date=D(LAST_YEAR, 3, 1),
        status=MeasureStatus.ONGOING,
        progress="Anskaffelsen er i gang.",
        reported_by_name="Kari Leder",
    )
    StatusReport.objects.create(
        measure=measure,
        date=D(LAST_YEAR, 11, 1),
        status=MeasureStatus.DELAYED,
        progress="Leverandøren er forsinket.",
        reported_by_name="Kari Leder",
    )
    benefit = Benefit.objects.create(
        measure=measure,
        description="Kortere saksbehandlingstid",
        kind="efficiency",
        indicator="Dager per byggesak",
        method="Uttrekk fra fagsystemet",
        unit="dager",
        owner=leader,
        baseline_value=Decimal("42"),
        baseline_date=D(LAST_YEAR, 1, 1),
        target_value=Decimal("21"),
        target_date=D(TODAY.year + 1, 12, 31),
        approved_at=timezone.now(),
    )
    BenefitTarget.objects.create(
        benefit=benefit,
        organisation=rauma,
        sub_owner=PersonFactory(name="Rune Rauma", employer=rauma),
        baseline_value=40,
        target_value=20,
        target_date=D(TODAY.year + 1, 12, 31),
    )
    Realisation.objects.create(benefit=benefit, date=D(LAST_YEAR, 9, 1), value=Decimal("35"), comment="Første måling")
    Realisation.objects.create(benefit=benefit, date=D(LAST_YEAR, 12, 1), value=Decimal("30"))
    styret = GoverningBody.objects.create(name="Styret")
    proposal = Proposal.objects.create(
        group=group,
        title="Felles e-signatur for kommunene",
        text="Faggruppa foreslår en felles løsning for e-signatur.",
        to_body=styret,
        status=ProposalStatus.ADOPTED,
        submitted_on=D(LAST_YEAR, 4, 2),
        decision_case_number="ST 4/25",
        decision_date=D(LAST_YEAR, 5, 6),
    )
    attachment = ProposalAttachment(proposal=proposal, title="Utredning")
    attachment.file.save("utredning.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"group": group, "measure": measure, "proposal": proposal}


def choose_language(page, code):
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator("form.language-form button[type=submit]").click()


def test_reader_walks_measures_chart_proposals_and_yearly_report(page, axe, log_in, url, work):
    measure, group = work["measure"], work["group"]
    log_in(page, "leser")

    open_page(page, url("/tiltak/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiltak")
    expect(page.get_by_role("table", name="Tiltak i Teknisk")).to_contain_text("Forsinket")
    expect(page.get_by_role("table", name="Gevinstoversikt per gruppe")).to_contain_text("Teknisk")
    assert_no_violations(axe, page)

    page.get_by_role("link", name="Felles plattform for byggesak").click()
    expect(page).to_have_url(url(f"/tiltak/{measure.pk}/"))
    open_page(page, url(f"/tiltak/{measure.pk}/"))
    chart = page.get_by_role("img", name="Gevinst: nullpunkt, mål og realisert")
    expect(chart).to_be_visible()
    assert chart.get_attribute("aria-labelledby")
    expect(page.locator("figcaption")).to_have_text(
        f"Nullpunkt 42 dager 01.01.{LAST_YEAR}, mål 21 dager 31.12.{TODAY.year + 1}, "
        f"sist målt 30 dager 01.12.{LAST_YEAR}"
    )
    table = page.get_by_role("table", name="Nullpunkt, mål og realiseringer: Kortere saksbehandlingstid")
    expect(table).to_contain_text("35 dager")
    expect(table).to_contain_text("Første måling")
    expect(page.get_by_role("table", name="Statusrapporter, nyeste først").locator("tbody tr")).to_have_count(2)
    assert_no_violations(axe, page)

    open_page(page, url("/forslag/"))
    expect(page.get_by_role("heading", level=2)).to_have_text("Styret")
    expect(page.get_by_role("table", name="Forslag sendt til Styret")).to_contain_text("Vedtatt")
    assert_no_violations(axe, page)

    open_page(page, url(f"/arsrapport/{LAST_YEAR}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årsrapport {LAST_YEAR} – faggruppene")
    expect(page.locator("main")).to_contain_text("Leverandøren er forsinket.")
    expect(page.locator("main")).to_contain_text(f"30 dager (01.12.{LAST_YEAR})")
    assert_no_violations(axe, page)

    # The group page's section leads here too.
    open_page(page, url(group.url))
    expect(page.get_by_role("heading", name="Tiltak og gevinster")).to_be_visible()
    assert_no_violations(axe, page)

    # Nynorsk, chosen in the menu at the bottom of the page.
    choose_language(page, "nn")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", name="Tiltak og gevinstar")).to_be_visible()
    for address, heading in (
        ("/tiltak/", "Tiltak"),
        (f"/tiltak/{measure.pk}/", "Felles plattform for byggesak"),
        ("/forslag/", "Forslag til styringsorgana"),
        (f"/arsrapport/{LAST_YEAR}/", f"Årsrapport {LAST_YEAR} – faggruppene"),
        ("/arsrapport/", "Årsrapportar"),
    ):
        open_page(page, url(address))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_violations(axe, page)
    open_page(page, url(f"/tiltak/{measure.pk}/"))
    expect(page.locator("main")).to_contain_text("Forseinka")
    expect(page.locator("main")).to_contain_text("Gevinstansvarleg")


def test_measure_page_on_a_phone_has_no_violations(page, axe, log_in, url, work):
    page.set_viewport_size(PHONE)
    log_in(page, "leser")
    open_page(page, url(f"/tiltak/{work['measure'].pk}/"))
    assert_no_violations(axe, page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the measure page is {width}px wide on a phone"
