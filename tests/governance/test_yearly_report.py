"""The yearly report (årsrapport): what it says about a year, as a page and as a PDF, for one group and for all;
bad years are 404; the number of queries does not grow with the groups, meetings, measures and benefits."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faggruppe_pages.models import Role
from governance import compliance
from governance.models import (
    Benefit,
    GoverningBody,
    Mandate,
    MandateScope,
    Measure,
    MeasureStatus,
    Meeting,
    MeetingKind,
    Proposal,
    ProposalStatus,
    Realisation,
    StatusReport,
)
from governance.reader.yearly_report import build_yearly_report
from tests.factories import ArbeidsgruppePageFactory, FaggruppePageFactory, MembershipFactory, PersonFactory

D = datetime.date
YEAR = 2025
pytestmark = pytest.mark.django_db


def at(day, hour=13):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(group, day, kind=MeetingKind.ORDINARY, notice=True, place="Rådhuset"):
    return Meeting.objects.create(
        group=group,
        kind=kind,
        starts_at=at(day),
        place=place,
        notice_sent_at=at(day - datetime.timedelta(days=14)) if notice else None,
    )


def measure(group, title, start=None, published=True):
    return Measure.objects.create(
        group=group,
        title=title,
        start_date=start or D(YEAR, 1, 1),
        published_at=timezone.now() if published else None,
    )


def status(m, day, value, progress=""):
    return StatusReport.objects.create(measure=m, date=day, status=value, progress=progress, reported_by_name="Kari")


@pytest.fixture
def year_data(group, molde, rauma):
    Mandate.objects.create(
        title="Mandat 2019",
        version="2019",
        scope=MandateScope.FAGGRUPPER,
        valid_from=D(2019, 2, 13),
        live=True,
        meetings_per_year_min=6,
        meetings_per_year_max=8,
    )
    MembershipFactory(
        group=group, person=PersonFactory(name="Anne Fast", employer=molde), represents=molde, start_date=D(2023, 1, 1)
    )
    MembershipFactory(
        group=group,
        person=PersonFactory(name="Berit Ny", employer=rauma),
        represents=rauma,
        role=Role.LEADER,
        start_date=D(YEAR, 3, 1),
    )
    MembershipFactory(
        group=group,
        person=PersonFactory(name="Carl Slutter", employer=rauma),
        represents=rauma,
        start_date=D(2022, 1, 1),
        end_date=D(YEAR, 6, 30),
    )
    MembershipFactory(
        group=group,
        person=PersonFactory(name="Dag Senere", employer=molde),
        represents=molde,
        start_date=D(YEAR + 1, 2, 1),
    )
    meeting(group, D(YEAR, 2, 10))
    meeting(group, D(YEAR, 5, 12), place="Teams")
    meeting(group, D(YEAR, 9, 8), kind=MeetingKind.EXTRAORDINARY)
    meeting(group, D(YEAR, 10, 1), kind=MeetingKind.URGENT)  # handled by e-mail: not held
    meeting(group, D(YEAR, 11, 3), notice=False)  # no notice sent: readers do not see it
    meeting(group, D(YEAR - 1, 11, 3))

    m = measure(group, "Felles skoleplattform")
    status(m, D(YEAR, 3, 1), MeasureStatus.ONGOING, "Anskaffelse startet")
    status(m, D(YEAR, 11, 1), MeasureStatus.DELAYED, "Leverandøren er forsinket")
    status(m, D(YEAR + 1, 2, 1), MeasureStatus.COMPLETED, "Ferdig i år etter")
    done = measure(group, "Ferdig før året", start=D(YEAR - 2, 1, 1))
    status(done, D(YEAR - 1, 6, 1), MeasureStatus.COMPLETED)
    measure(group, "Upublisert tiltak", published=False)

    b = Benefit.objects.create(
        measure=m,
        description="Mindre tid til manuell registrering",
        unit="timer",
        baseline_value=Decimal("120"),
        baseline_date=D(YEAR, 1, 1),
        target_value=Decimal("60"),
        target_date=D(YEAR + 1, 12, 31),
        approved_at=timezone.now(),
    )
    Realisation.objects.create(benefit=b, date=D(YEAR, 6, 1), value=Decimal("100"))
    Realisation.objects.create(benefit=b, date=D(YEAR, 10, 1), value=Decimal("90"))
    Realisation.objects.create(benefit=b, date=D(YEAR + 1, 3, 1), value=Decimal("70"))

    styret = GoverningBody.objects.create(name="Styret")
    Proposal.objects.create(
        group=group,
        title="Felles e-signatur",
        text="x",
        to_body=styret,
        status=ProposalStatus.ADOPTED,
        submitted_on=D(YEAR, 4, 1),
        decision_case_number="ST 4/25",
        decision_date=D(YEAR, 5, 2),
    )
    Proposal.objects.create(group=group, title="Utkast til forslag", text="x")
    Proposal.objects.create(
        group=group,
        title="Forslag fra året før",
        text="x",
        to_body=styret,
        status=ProposalStatus.REJECTED,
        submitted_on=D(YEAR - 1, 4, 1),
    )
    return group


def test_the_data_for_a_year(year_data):
    report = build_yearly_report(YEAR)
    [g] = report.groups
    assert report.as_of == D(YEAR, 12, 31) and not report.is_current
    assert sorted(m.person.name for m in g.members) == ["Anne Fast", "Berit Ny"]
    assert [m.person.name for m in g.joined] == ["Berit Ny"]
    assert [m.person.name for m in g.left] == ["Carl Slutter"]
    assert g.meetings_held == 3 and (g.meetings_min, g.meetings_max) == (6, 8)
    assert g.meetings_verdict == "below"
    assert [(r.measure.title, r.status.status) for r in g.measures] == [
        ("Felles skoleplattform", MeasureStatus.DELAYED)
    ]
    [benefit] = g.benefits
    assert benefit.in_year.value == Decimal("90") and benefit.realised_text == "90 timer"
    assert [p.title for p in g.proposals] == ["Felles e-signatur"]
    assert [f.message for f in g.findings] == [
        f.message
        for f in sorted(compliance.check_all(D(YEAR, 12, 31), groups=[year_data])[0].findings, key=lambda f: f.sort_key)
    ]


def test_the_page_says_it_in_norwegian(reader_client, year_data):
    response = reader_client.get(reverse("governance_yearly_report", args=[YEAR]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Årsrapport 2025 – faggruppene" in text
    assert "Situasjonen ved årets slutt (31.12.2025)." in text
    assert "2 medlemmer ved årets slutt." in text
    assert "Anne Fast" in text and "Berit Ny" in text and "Carl Slutter" in text and "Dag Senere" not in text
    assert "Kom inn" in text and "Gikk ut" in text and "30.06.2025" in text
    assert "3 møter holdt (ordinære og ekstraordinære)." in text
    assert "Mandatet krever 6–8 møter i året:" in text and "færre enn mandatet krever." in text
    assert text.count('class="meeting"') == 3
    assert reverse("governance_meeting", args=[Meeting.objects.filter(kind=MeetingKind.EXTRAORDINARY).get().pk]) in text
    assert "Felles skoleplattform" in text and 'status-delayed">Forsinket' in text
    assert "Leverandøren er forsinket" in text and "Ferdig i år etter" not in text
    assert "Ferdig før året" not in text and "Upublisert tiltak" not in text
    assert "Mindre tid til manuell registrering" in text and "90 timer (01.10.2025)" in text
    assert "120 timer (01.01.2025)" in text and "60 timer (31.12.2026)" in text
    assert "Felles e-signatur" in text and "Vedtatt (Sak ST 4/25, 02.05.2025)" in text
    assert "Utkast til forslag" not in text and "Forslag fra året før" not in text
    assert "Samsvar med mandatet ved årets slutt" in text
    findings = compliance.check_all(D(YEAR, 12, 31), groups=[year_data])[0].findings
    assert findings, "the group should break some rule at the year's end"
    for finding in findings:
        assert str(finding.message).replace("'", "&#x27;").replace('"', "&quot;") in text


def test_the_group_decides_when_no_mandate_says(reader_client, group):
    meeting(group, D(YEAR, 2, 10))
    text = reader_client.get(reverse("governance_group_yearly_report", args=[YEAR, group.pk])).content.decode()
    assert "Årsrapport 2025 – Oppvekst og utdanning" in text
    assert "1 møte holdt (ordinære og ekstraordinære)." in text
    assert "gruppen bestemmer selv" in text


def test_the_pdf_holds_the_same(reader_client, year_data):
    from pypdf import PdfReader

    for url in (
        reverse("governance_yearly_report_pdf", args=[YEAR]),
        reverse("governance_group_yearly_report_pdf", args=[YEAR, year_data.pk]),
    ):
        response = reader_client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="arsrapport-2025')
        assert response["Cache-Control"] == "private, no-store"
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        for expected in (
            "Årsrapport 2025",
            "Oppvekst og utdanning",
            "3 møter holdt",
            "færre enn mandatet krever",
            "Berit Ny",
            "Carl Slutter",
            "Felles skoleplattform",
            "Forsinket",
            "90 timer",
            "Felles e-signatur",
            "Vedtatt",
            "Side 1 av",
        ):
            assert expected in text, f"{expected!r} not in the PDF of {url}"
        assert "Ferdig i år etter" not in text


def test_the_all_groups_pdf_has_contents_and_a_page_per_group(reader_client, year_data, index_page):
    from pypdf import PdfReader

    FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk")
    response = reader_client.get(reverse("governance_yearly_report_pdf", args=[YEAR]))
    reader = PdfReader(io.BytesIO(response.content))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Innhold" in first and "Oppvekst og utdanning" in first and "Teknisk" in first
    assert len(reader.pages) >= 3


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_years_outside_the_range_are_404(reader_client, group, year):
    for name, args in (
        ("governance_yearly_report", [year]),
        ("governance_yearly_report_pdf", [year]),
        ("governance_group_yearly_report", [year, group.pk]),
        ("governance_group_yearly_report_pdf", [year, group.pk]),
    ):
        assert reader_client.get(reverse(name, args=args)).status_code == 404
    with pytest.raises(Exception):  # noqa: B017 - Http404
        build_yearly_report(year)


def test_unknown_or_unpublished_group_is_404(reader_client, group):
    assert reader_client.get(reverse("governance_group_yearly_report", args=[YEAR, 999999])).status_code == 404
    group.live = False
    group.save()
    assert reader_client.get(reverse("governance_group_yearly_report", args=[YEAR, group.pk])).status_code == 404


def test_the_index_offers_last_year_and_this_year_and_any_year(reader_client, group):
    this_year = timezone.localdate().year
    text = reader_client.get(reverse("governance_yearly_reports")).content.decode()
    assert reverse("governance_yearly_report", args=[this_year]) in text
    assert reverse("governance_yearly_report", args=[this_year - 1]) in text
    assert reverse("governance_group_yearly_report", args=[this_year - 1, group.pk]) in text
    response = reader_client.get(reverse("governance_yearly_reports"), {"ar": "2021"})
    assert response.status_code == 302 and response["Location"] == reverse("governance_yearly_report", args=[2021])
    text = reader_client.get(reverse("governance_yearly_reports"), {"ar": "1850"}).content.decode()
    assert "Skriv et årstall mellom 2000 og 2100." in text


def test_the_current_year_is_reported_as_of_today(reader_client, group):
    today = timezone.localdate()
    report = build_yearly_report(today.year)
    assert report.as_of == today and report.is_current
    text = reader_client.get(reverse("governance_yearly_report", args=[today.year])).content.decode()
    assert f"Året er ikke over: rapporten viser situasjonen {today:%d.%m.%Y}." in text


def test_queries_do_not_grow_with_groups_meetings_measures_and_benefits(reader_client, year_data, index_page, molde):
    def grow(group, n):
        for i in range(n):
            MembershipFactory(
                group=group, person=PersonFactory(employer=molde), represents=molde, start_date=D(YEAR, 2, 1)
            )
            meeting(group, D(YEAR, 3, 1 + i))
            m = measure(group, f"Tiltak {group.pk}-{i}")
            status(m, D(YEAR, 4, 1), MeasureStatus.ONGOING)
            b = Benefit.objects.create(measure=m, description="G", target_value=10, approved_at=timezone.now())
            Realisation.objects.create(benefit=b, date=D(YEAR, 5, 1), value=5)
            Proposal.objects.create(
                group=group, title="F", text="x", status=ProposalStatus.SENT, submitted_on=D(YEAR, 6, 1)
            )

    def count(call):
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    url = reverse("governance_yearly_report", args=[YEAR])
    before = count(lambda: build_yearly_report(YEAR)), count(lambda: reader_client.get(url))
    grow(year_data, 3)
    for slug in ("teknisk", "okonomi"):
        grow(FaggruppePageFactory(parent=index_page, title=slug.title(), slug=slug), 4)
    after = count(lambda: build_yearly_report(YEAR)), count(lambda: reader_client.get(url))
    assert after == before
    print("yearly report queries (build, page):", before)


# -- the yearly report of all groups as a stored download (issue 16; reader/exports/background.py) ----------------


def stored_reports():
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "eksport" / "arsrapport"
    return sorted(p.name for p in folder.glob("*.pdf"))


def report_jobs():
    from django_tasks_db.models import DBTaskResult

    from faggruppe_pages.reader.exports import background

    return DBTaskResult.objects.filter(
        task_path=background.build_export.module_path, args_kwargs__kwargs__kind="arsrapport"
    )


def pdf_text(content):
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_all_groups_pdf_is_stored_and_served_again_until_the_data_changes(reader_client, year_data):
    url = reverse("governance_yearly_report_pdf", args=[YEAR])
    first = reader_client.get(url)
    assert first.status_code == 200 and not first.streaming  # small data: built in the request
    assert len(stored_reports()) == 1 and not report_jobs().exists()
    second = reader_client.get(url)
    assert second.streaming  # the stored file, not a new rendering
    assert second.getvalue() == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Cache-Control"] == "private, no-store"

    meeting(year_data, D(YEAR, 11, 20), place="Nytt møterom")
    third = reader_client.get(url)
    assert not third.streaming  # another data version: built again, showing the new meeting
    assert "20.11.2025" in pdf_text(third.content)
    assert "20.11.2025" not in pdf_text(first.content)
    assert len(stored_reports()) == 1  # the older version's file was removed


def test_a_large_all_groups_pdf_is_made_by_the_task_worker(reader_client, year_data, settings):
    from faggruppe_pages.reader.exports import background

    settings.FAGGRUPPE_EXPORT_INLINE_MAX_SEATS = 0
    url = reverse("governance_yearly_report_pdf", args=[YEAR])
    waiting = reader_client.get(url)
    assert waiting.status_code == 202 and waiting["X-Export-State"] == "pending"
    assert waiting["Cache-Control"] == "private, no-store"
    html = waiting.content.decode()
    assert "Filen lages nå" in html
    assert "Årsrapporten for 2025 som PDF er stor og lages derfor i bakgrunnen." in html
    assert f'href="{reverse("governance_yearly_report", args=[YEAR])}">Tilbake til årsrapporten</a>' in html
    assert f'href="{reverse("governance_yearly_reports")}">Årsrapporter</a>' in html  # the breadcrumb
    assert "medlemsoversikt" not in html.lower()  # nothing of the overview's page is left in the text
    reader_client.get(url)
    assert report_jobs().count() == 1 and stored_reports() == []  # a reload queues nothing more

    background.run_queued_exports("test-worker")
    assert report_jobs().get().status == "SUCCESSFUL"
    response = reader_client.get(url)
    assert response.streaming and "X-Export-State" not in response
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="arsrapport-2025.pdf"'
    text = pdf_text(response.getvalue())
    assert "Årsrapport 2025 – faggruppene" in text and "Oppvekst og utdanning" in text and "3 møter holdt" in text


def test_the_task_makes_the_yearly_report_in_nynorsk_when_asked_in_nynorsk(reader_client, year_data, settings):
    from faggruppe_pages.reader.exports import background

    settings.FAGGRUPPE_EXPORT_INLINE_MAX_SEATS = 0
    reader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    url = reverse("governance_yearly_report_pdf", args=[YEAR])
    html = reader_client.get(url).content.decode()
    assert "Fila vert laga no" in html
    assert "Årsrapporten for 2025 som PDF er stor og vert difor laga i bakgrunnen." in html
    background.run_queued_exports("test-worker")
    text = pdf_text(reader_client.get(url).getvalue())
    assert "3 møte haldne" in text, text[:400]
    assert stored_reports()[0].split("-")[4] == "nn"


def test_a_failed_yearly_report_build_says_so_in_its_own_words(reader_client, year_data, settings, monkeypatch):
    from faggruppe_pages.reader.exports import background
    from governance.reader import yearly_report

    settings.FAGGRUPPE_EXPORT_INLINE_MAX_SEATS = 0
    url = reverse("governance_yearly_report_pdf", args=[YEAR])
    reader_client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(yearly_report, "build_yearly_report", lambda *a, **k: 1 / 0)
        background.run_queued_exports("test-worker")
    response = reader_client.get(url)
    assert response.status_code == 200 and response["X-Export-State"] == "failed"
    html = response.content.decode()
    assert "Noe gikk galt da årsrapporten for 2025 skulle lages som PDF." in html
    assert f'href="{url}?igjen=1"' in html


# -- many faggrupper: the all-groups page is the contents per fagområde ---------------------------------------


@pytest.mark.parametrize(
    "language, covers, sections",
    [
        (
            "nb",
            "Rapporten omfatter 4 grupper.",
            ["Arkiv (1 faggruppe)", "Oppvekst (1 faggruppe)", "Uten fagområde (1 faggruppe)"],
        ),
        (
            "nn",
            "Rapporten omfattar 4 grupper.",
            ["Arkiv (1 faggruppe)", "Oppvekst (1 faggruppe)", "Utan fagområde (1 faggruppe)"],
        ),
    ],
)
def test_with_many_faggrupper_the_report_page_is_its_contents_per_fagomrade(
    reader_client, index_page, molde, monkeypatch, language, covers, sections
):
    """Past ``AREA_SECTIONS_FROM`` faggrupper (as /faggrupper/ groups them) the page lists every group per
    fagområde, each linked to its own report page, arbeidsgrupper under their faggruppe; the report itself is not
    built (at 900 groups that took seconds), the whole is the PDF; its queries do not grow with the groups."""
    from governance.reader import yearly_report

    monkeypatch.setattr(yearly_report, "AREA_SECTIONS_FROM", 2)
    arkiv = FaggruppePageFactory(parent=index_page, title="Arkiv 1", area="Arkiv")
    barnehage = FaggruppePageFactory(parent=index_page, title="Barnehage", area="Oppvekst")
    drift = FaggruppePageFactory(parent=index_page, title="Drift")
    skanning = ArbeidsgruppePageFactory(parent=arkiv, title="Skanning")
    MembershipFactory(group=arkiv, represents=molde, person=PersonFactory(name="Kari Medlem", employer=molde))
    reader_client.cookies["django_language"] = language
    url = reverse("governance_yearly_report", args=[YEAR])
    with CaptureQueriesContext(connection) as few:
        html = reader_client.get(url).content.decode()
    assert covers in html
    summaries = re.findall(r'<details class="area-section">\s*<summary>(.*?)</summary>', html, re.S)
    assert [" ".join(re.sub(r"<[^>]+>", "", s).split()) for s in summaries] == [
        label if "(" in label else f"{label} (1 faggruppe)" for label in sections
    ]
    for group in (arkiv, barnehage, drift, skanning):
        assert html.count(f'href="{reverse("governance_group_yearly_report", args=[YEAR, group.pk])}"') == 1
    nested = html[html.index(">Arkiv 1</a>") : html.index(">Barnehage</a>")]
    assert "<ul><li>" in nested and ">Skanning</a>" in nested  # the arbeidsgruppe under its faggruppe
    assert "Kari Medlem" not in html  # no group's report is built here
    assert reverse("governance_yearly_report_pdf", args=[YEAR]) in html
    for n in range(6):
        FaggruppePageFactory(parent=index_page, title=f"Mer {n}", area="Arkiv")
    with CaptureQueriesContext(connection) as many:
        html = reader_client.get(url).content.decode()
    assert ">Mer 5</a>" in html
    assert len(many) == len(few)
