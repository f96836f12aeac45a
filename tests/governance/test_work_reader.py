"""Readers' pages of the group's work: measures, status history, benefit plans with their chart, proposals and
their attachments, and the group page's work section. Drafts are never shown; query counts stay constant."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    Benefit,
    BenefitTarget,
    GoverningBody,
    Measure,
    MeasureStatus,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Realisation,
    StatusReport,
)
from governance.reader import charts, work
from tests.factories import FaggruppePageFactory, PersonFactory

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.django_db


def published(group, title, **kwargs):
    return Measure.objects.create(group=group, title=title, published_at=timezone.now(), **kwargs)


def report(measure, day, status, progress="", name="Kari Nordmann"):
    return StatusReport.objects.create(
        measure=measure, date=day, status=status, progress=progress, reported_by_name=name
    )


def approved_benefit(measure, description="Mindre tid til manuell registrering", **kwargs):
    values = {
        "unit": "timer",
        "baseline_value": Decimal("120"),
        "baseline_date": D(2025, 1, 1),
        "target_value": Decimal("60"),
        "target_date": D(2026, 12, 31),
        "approved_at": timezone.now(),
    }
    values.update(kwargs)
    return Benefit.objects.create(measure=measure, description=description, **values)


def body(name="Styret"):
    return GoverningBody.objects.get_or_create(name=name)[0]


def sent_proposal(group, title, status=ProposalStatus.SENT, **kwargs):
    values = {"to_body": body(), "submitted_on": D(2025, 3, 1), "text": "Forslagets tekst."}
    values.update(kwargs)
    return Proposal.objects.create(group=group, title=title, status=status, **values)


def text_of(response):
    return response.content.decode()


# -- measures ------------------------------------------------------------------------------------------------
def test_measures_list_shows_published_measures_by_group_with_latest_status(reader_client, group, molde):
    owner = PersonFactory(name="Ola Eier", employer=molde)
    m = published(group, "Felles skoleplattform", owner=owner, start_date=D(2025, 1, 1), planned_end=D(2026, 6, 30))
    m.organisations.add(molde)
    m.save()  # a ParentalManyToManyField is written on save
    report(m, D(2025, 3, 1), MeasureStatus.ONGOING)
    report(m, D(2025, 9, 1), MeasureStatus.DELAYED)
    Measure.objects.create(group=group, title="Hemmelig utkast")
    response = reader_client.get(reverse("governance_measures"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Felles skoleplattform" in text
    assert "Ola Eier" in text
    assert "Molde" in text
    assert "01.01.2025–30.06.2026" in text
    assert 'class="status-mark status-delayed">Forsinket</span>' in text
    assert "Oppvekst og utdanning" in text
    assert "Hemmelig utkast" not in text


def test_measures_filter_by_status_and_group(reader_client, group, index_page):
    other = FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk")
    a = published(group, "Tiltak A")
    report(a, D(2025, 1, 1), MeasureStatus.COMPLETED)
    b = published(other, "Tiltak B")
    report(b, D(2025, 1, 1), MeasureStatus.ONGOING)
    published(other, "Tiltak C")
    text = text_of(reader_client.get(reverse("governance_measures"), {"status": "completed"}))
    assert "Tiltak A" in text and "Tiltak B" not in text
    text = text_of(reader_client.get(reverse("governance_measures"), {"gruppe": other.pk}))
    assert "Tiltak A" not in text and "Tiltak B" in text and "Tiltak C" in text
    text = text_of(reader_client.get(reverse("governance_measures"), {"status": "none"}))
    assert "Tiltak C" in text and "Tiltak B" not in text
    assert "Ingen statusrapport ennå" in text
    response = reader_client.get(reverse("governance_measures"), {"gruppe": "999999"})
    assert response.status_code == 200


def test_unpublished_measure_is_404_and_unknown_too(reader_client, group):
    draft = Measure.objects.create(group=group, title="Utkast")
    assert reader_client.get(reverse("governance_measure", args=[draft.pk])).status_code == 404
    assert reader_client.get(reverse("governance_measure", args=[999999])).status_code == 404


def test_measure_of_an_unpublished_group_is_404(reader_client, group):
    m = published(group, "Tiltak")
    group.live = False
    group.save()
    assert reader_client.get(reverse("governance_measure", args=[m.pk])).status_code == 404


def test_status_history_newest_first_with_who_reported(reader_client, group):
    m = published(group, "Tiltak")
    report(m, D(2025, 2, 1), MeasureStatus.NOT_STARTED, "Planlegging", name="Første Rapportør")
    report(m, D(2025, 8, 1), MeasureStatus.COMPLETED, "Ferdig", name="Tredje Rapportør")
    report(m, D(2025, 5, 1), MeasureStatus.ONGOING, "I gang", name="Andre Rapportør")
    text = text_of(reader_client.get(reverse("governance_measure", args=[m.pk])))
    positions = [text.index(d) for d in ("01.08.2025", "01.05.2025", "01.02.2025")]
    assert positions == sorted(positions)
    assert "Statushistorikk" in text
    assert "Tredje Rapportør" in text and "I gang" in text
    assert "Siste status:" in text and 'status-completed">Fullført' in text


def test_benefit_plan_chart_and_table(reader_client, group, molde, rauma):
    m = published(group, "Digital søknad")
    owner = PersonFactory(name="Gerd Gevinst", employer=molde)
    sub = PersonFactory(name="Siv Underansvarlig", employer=rauma)
    b = approved_benefit(m, owner=owner, indicator="Timer brukt per måned", method="Timeregistrering", priced=False)
    BenefitTarget.objects.create(
        benefit=b, organisation=rauma, sub_owner=sub, baseline_value=50, target_value=25, target_date=D(2026, 12, 31)
    )
    Realisation.objects.create(benefit=b, date=D(2026, 10, 1), value=Decimal("85"), comment="Høstmåling")
    Realisation.objects.create(benefit=b, date=D(2026, 4, 1), value=Decimal("100"))
    Realisation.objects.create(benefit=b, date=D(2026, 5, 1), value=Decimal("40"), organisation=rauma)
    approved_benefit(m, description="Ikke godkjent gevinst", approved_at=None)
    response = reader_client.get(reverse("governance_measure", args=[m.pk]))
    text = text_of(response)
    assert "Gevinstplan" in text
    assert "Mindre tid til manuell registrering" in text
    assert "Ikke godkjent gevinst" not in text
    assert "Gerd Gevinst" in text and "Siv Underansvarlig" in text and "Timeregistrering" in text
    assert "Effektivisering" in text  # the kind, from the model's choices

    start = text.index("<svg")
    svg = text[start : text.index("</svg>", start) + len("</svg>")]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert desc.text == "Nullpunkt 120 timer 01.01.2025, mål 60 timer 31.12.2026, sist målt 85 timer 01.10.2026"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert len(root.findall(f"{SVG}circle[@class='realisation']")) == 2  # the totals, not Rauma's own
    assert root.find(f"{SVG}rect[@class='target']") is not None
    assert root.find(f"{SVG}circle[@class='baseline']") is not None

    table_start = text.index('class="member-table data-table"')
    table = text[table_start : text.index("</table>", table_start)]
    for expected in ("01.04.2026", "100 timer", "01.10.2026", "85 timer", "Høstmåling", "40 timer", "Rauma"):
        assert expected in table
    assert "<details>" in text


def test_a_benefit_past_its_target_date_without_realisation_is_marked(reader_client, group):
    m = published(group, "Tiltak")
    approved_benefit(m, target_date=D(2020, 6, 30))
    text = text_of(reader_client.get(reverse("governance_measure", args=[m.pk])))
    assert "Måldatoen 30.06.2020 er passert, og ingen realisering er registrert." in text
    assert "ikke målt ennå" in text


def test_a_benefit_before_its_target_date_is_not_marked(reader_client, group):
    m = published(group, "Tiltak")
    approved_benefit(m, target_date=timezone.localdate() + datetime.timedelta(days=30))
    text = text_of(reader_client.get(reverse("governance_measure", args=[m.pk])))
    assert "er passert" not in text


def test_benefit_summary_sums_kroner_only_for_priced_benefits(group):
    m = published(group, "Tiltak")
    priced = approved_benefit(
        m, description="Lisenser", priced=True, unit="kr", baseline_value=0, target_value=Decimal("400000")
    )
    Realisation.objects.create(benefit=priced, date=D(2025, 6, 1), value=Decimal("150000"))
    hours = approved_benefit(m, description="Timer")
    Realisation.objects.create(benefit=hours, date=D(2025, 6, 1), value=Decimal("55"))
    summaries = work.benefit_summaries({"measure__group": group}, D(2025, 7, 1))
    s = summaries[group.pk]
    assert (s.count, s.measured, s.reached, s.priced) == (2, 2, 1, 1)
    assert s.priced_realised == Decimal("150000") and s.priced_target == Decimal("400000")
    assert s.priced_realised_text == "150\u00a0000 kr"


def test_group_measures_page(reader_client, group):
    m = published(group, "Tiltak for gruppen")
    approved_benefit(m)
    text = text_of(reader_client.get(reverse("governance_group_measures", args=[group.pk])))
    assert "Tiltak i Oppvekst og utdanning" in text and "Tiltak for gruppen" in text
    assert "1 gevinst" in text
    assert reader_client.get(reverse("governance_group_measures", args=[999999])).status_code == 404


def test_measure_pages_run_constant_queries(reader_client, group, index_page, molde):
    def grow(n, g):
        for i in range(n):
            m = published(g, f"Tiltak {g.pk}-{i}", owner=PersonFactory(employer=molde))
            m.organisations.add(molde)
            m.save()
            report(m, D(2025, 1, 1), MeasureStatus.ONGOING)
            report(m, D(2025, 6, 1), MeasureStatus.DELAYED)
            b = approved_benefit(m)
            BenefitTarget.objects.create(benefit=b, organisation=molde, sub_owner=PersonFactory(employer=molde))
            Realisation.objects.create(benefit=b, date=D(2025, 5, 1), value=90, organisation=molde)
            Realisation.objects.create(benefit=b, date=D(2025, 6, 1), value=80)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert reader_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(1, group)
    first = published(group, "Første")
    approved_benefit(first)
    urls = [
        reverse("governance_measures"),
        reverse("governance_group_measures", args=[group.pk]),
        reverse("governance_measure", args=[first.pk]),
    ]
    for url in urls:  # Wagtail fills its cache of the sites' root paths at the first request of a run
        count(url)
    before = [count(u) for u in urls]
    grow(4, group)
    grow(3, FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk"))
    for _ in range(3):
        b = approved_benefit(first)
        Realisation.objects.create(benefit=b, date=D(2025, 6, 1), value=80)
        BenefitTarget.objects.create(benefit=b, organisation=molde, sub_owner=PersonFactory(employer=molde))
        report(first, D(2025, 7, 1), MeasureStatus.ONGOING)
    assert [count(u) for u in urls] == before


# -- proposals -----------------------------------------------------------------------------------------------
def test_proposals_by_body_without_drafts(reader_client, group):
    sent_proposal(
        group,
        "Felles e-signatur",
        status=ProposalStatus.ADOPTED,
        decision_case_number="ST 4/25",
        decision_date=D(2025, 4, 10),
    )
    sent_proposal(group, "Nytt fagsystem", to_body=body("Porteføljerådet"), status=ProposalStatus.IN_CONSIDERATION)
    Proposal.objects.create(group=group, title="Hemmelig utkast", text="x")
    text = text_of(reader_client.get(reverse("governance_proposals")))
    assert "Felles e-signatur" in text and "Nytt fagsystem" in text
    assert "Hemmelig utkast" not in text
    assert "Styret" in text and "Porteføljerådet" in text
    assert "Vedtatt" in text and "Sak ST 4/25, 10.04.2025" in text
    text = text_of(reader_client.get(reverse("governance_proposals"), {"organ": body("Porteføljerådet").pk}))
    assert "Nytt fagsystem" in text and "Felles e-signatur" not in text
    text = text_of(reader_client.get(reverse("governance_proposals"), {"status": "adopted"}))
    assert "Nytt fagsystem" not in text and "Felles e-signatur" in text
    assert reader_client.get(reverse("governance_proposals"), {"status": "draft"}).status_code == 200


def test_proposal_page_and_attachment_download(reader_client, group):
    p = sent_proposal(group, "Felles e-signatur", decision_note="Styret slutter seg til forslaget.")
    a = ProposalAttachment(proposal=p, title="Utredning om e-signatur")
    a.file.save("utredning.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    text = text_of(reader_client.get(reverse("governance_proposal", args=[p.pk])))
    assert "Forslagets tekst." in text and "Styret slutter seg til forslaget." in text
    url = reverse("governance_proposal_attachment", args=[p.pk, a.pk])
    assert url in text
    response = reader_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="utredning-om-e-signatur.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_drafts_and_foreign_attachments_are_404(reader_client, group):
    draft = Proposal.objects.create(group=group, title="Utkast", text="x")
    secret = ProposalAttachment(proposal=draft, title="Hemmelig")
    secret.file.save("hemmelig.pdf", ContentFile(b"secret"), save=True)
    sent = sent_proposal(group, "Sendt")
    assert reader_client.get(reverse("governance_proposal", args=[draft.pk])).status_code == 404
    assert reader_client.get(reverse("governance_proposal_attachment", args=[draft.pk, secret.pk])).status_code == 404
    # The draft's attachment through a visible proposal: it does not belong to it.
    assert reader_client.get(reverse("governance_proposal_attachment", args=[sent.pk, secret.pk])).status_code == 404
    assert reader_client.get(reverse("governance_proposal_attachment", args=[sent.pk, 999999])).status_code == 404


def test_reader_pages_need_a_login(client, group):
    m = published(group, "Tiltak")
    for url in (
        reverse("governance_measures"),
        reverse("governance_measure", args=[m.pk]),
        reverse("governance_proposals"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_reader_pages_answer_get_only(reader_client):
    assert reader_client.post(reverse("governance_measures")).status_code == 405


# -- the group page's section -----------------------------------------------------------------------------------
def section(group, today=None):
    request = RequestFactory().get("/")
    return work.group_section(group, request, {"today": today or timezone.localdate(), "members": []})


def test_group_section_is_empty_without_measures_or_proposals(group):
    Measure.objects.create(group=group, title="Utkast")
    Proposal.objects.create(group=group, title="Utkast", text="x")
    assert section(group) == ""


def test_group_section_lists_measures_benefits_proposals_and_the_yearly_report(group):
    for i in range(7):
        m = published(group, f"Tiltak nr {i}", start_date=D(2025, 1, 1 + i))
        report(m, D(2025, 2, 1), MeasureStatus.ONGOING)
    approved_benefit(Measure.objects.filter(group=group).first())
    for i in range(4):
        sent_proposal(group, f"Forslag nr {i}", submitted_on=D(2025, 3, 1 + i))
    html = section(group, D(2026, 2, 1))
    assert "Tiltak og gevinster" in html
    assert html.count('href="/tiltak/') >= 5
    assert "Alle gruppens tiltak (7)" in html
    assert "Tiltak nr 6" in html and "Tiltak nr 0" not in html  # the newest five
    assert "Forslag nr 3" in html and "Forslag nr 0" not in html  # the latest three
    assert "1 gevinst" in html
    assert reverse("governance_group_yearly_report", args=[2025, group.pk]) in html
    assert "Gruppens årsrapport for 2025" in html


def test_group_section_runs_constant_queries(group):
    def grow(n):
        for _ in range(n):
            m = published(group, f"T{Measure.objects.count()}")
            report(m, D(2025, 2, 1), MeasureStatus.ONGOING)
            b = approved_benefit(m)
            Realisation.objects.create(benefit=b, date=D(2025, 6, 1), value=80)
            sent_proposal(group, f"F{Proposal.objects.count()}")

    grow(1)
    with CaptureQueriesContext(connection) as first:
        section(group)
    grow(6)
    with CaptureQueriesContext(connection) as second:
        section(group)
    assert len(first.captured_queries) == len(second.captured_queries) <= 6


def test_group_page_shows_the_section(reader_client, group):
    published(group, "Synlig tiltak")
    text = text_of(reader_client.get(group.url))
    assert "Tiltak og gevinster" in text and "Synlig tiltak" in text


# -- the chart on its own ------------------------------------------------------------------------------------------
def test_chart_numbers_are_norwegian_and_the_svg_is_well_formed():
    benefit = Benefit(
        description="Kroner",
        unit="kr",
        baseline_value=Decimal("1234567.50"),
        baseline_date=D(2025, 1, 1),
        target_value=Decimal("2000000"),
        target_date=D(2027, 1, 1),
    )
    chart = charts.benefit_chart(benefit, [], "b-1")
    root = ET.fromstring(str(chart.svg))
    assert root.find(f"{SVG}desc").text == (
        "Nullpunkt 1\u00a0234\u00a0567,5 kr 01.01.2025, mål 2\u00a0000\u00a0000 kr 01.01.2027, ikke målt ennå"
    )
    assert root.find(f"{SVG}polyline") is None
    assert charts.benefit_chart(Benefit(description="Tom"), [], "b-2") is None


def test_chart_escapes_the_unit():
    benefit = Benefit(description="x", unit='<script>"', baseline_value=1, baseline_date=D(2025, 1, 1))
    chart = charts.benefit_chart(benefit, [], "b-3")
    assert "<script>" not in str(chart.svg)
    ET.fromstring(str(chart.svg))
