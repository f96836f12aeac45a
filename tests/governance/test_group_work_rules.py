"""The mandate is approved, not just published (its stamp), and the rules on the group's own work: R13 counts the
meetings held, task 7 the measures' status reports, task 5 the benefits' realisations. Compliance follows the
data: adding or removing a meeting changes the verdict on the group page, in the report and in check_compliance."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import FaggruppePage
from governance import compliance, rules
from governance.models import (
    AgendaItem,
    Benefit,
    GoverningBody,
    Mandate,
    MandateScope,
    Measure,
    MeasureStatus,
    Meeting,
    MeetingKind,
    Realisation,
    StatusReport,
    case_number_matches,
    format_case_number,
)
from tests.demo_snapshot import load_demo
from tests.factories import FaggruppePageFactory, UserFactory, make_index
from tests.security.forms import as_dict, form_fields, replaced, stream_pairs

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at(day, hour=13):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(group, days_ago, kind=MeetingKind.ORDINARY, noticed=True):
    day = TODAY - datetime.timedelta(days=days_ago)
    return Meeting.objects.create(
        group=group, kind=kind, starts_at=at(day), notice_sent_at=at(day) if noticed else None
    )


@pytest.fixture
def body():
    return GoverningBody.objects.create(name="Styret for ROR-IKT", short_name="Styret", case_prefix="ST")


@pytest.fixture
def group(body):
    """A faggruppe under a mandate of 6–8 meetings a year, status every 120 days, benefits followed up."""
    Mandate.objects.create(
        title="Mandat",
        version="2019",
        scope=MandateScope.FAGGRUPPER,
        valid_from=datetime.date(2019, 2, 13),
        approved_by=body,
        approved_on=datetime.date(2019, 2, 13),
        case_number="ST 4/19",
        live=True,
        meetings_per_year_min=6,
        meetings_per_year_max=8,
        min_reps_per_municipality=None,
        cooperation_seat_required=False,
        leader_required=False,
        union_seats_min=None,
    )
    return FaggruppePageFactory(parent=make_index(), title="Teknisk", slug="teknisk")


def codes(group, day=TODAY):
    return sorted(f.code for f in compliance.check_group(group, day).findings)


# -- the approval stamp --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, number, ok",
    [
        ("ST", "ST 4/19", True),
        ("ST", "ST 04/2019", True),
        ("ST", "st 12/25", True),
        ("ST", "ST-4/19", True),
        ("ST", "4/19", False),
        ("ST", "BU 4/19", False),
        ("ST", "ST 4", False),
        ("ST", "ST 4/19 og 5/19", False),
        ("", "4/19", True),
        ("", "1-24", True),
        ("", "sak fire", False),
    ],
)
def test_case_numbers_follow_the_bodys_format(prefix, number, ok):
    assert case_number_matches(prefix, number) is ok


def test_agenda_items_are_numbered_per_group_and_year_in_the_configured_format(group, settings):
    first = meeting(group, 30)
    items = [AgendaItem.objects.create(meeting=first, title=f"Sak {n}") for n in range(3)]
    assert [i.case_number for i in items] == [f"{n}/{first.day.year % 100:02d}" for n in (1, 2, 3)]
    # Numbering goes on across the group's meetings of the year, and a second group starts from 1.
    later = AgendaItem.objects.create(meeting=meeting(group, 20), title="Neste")
    assert later.case_number == f"4/{later.meeting.day.year % 100:02d}" or later.meeting.day.year != first.day.year
    other = FaggruppePageFactory(parent=group.get_parent(), title="Økonomi", slug="okonomi")
    assert AgendaItem.objects.create(meeting=meeting(other, 30), title="Første").case_number.startswith("1/")
    settings.GOVERNANCE_CASE_NUMBER_FORMAT = "{number:03d}-{year}"
    assert format_case_number(7, 2026) == "007-2026"


def mandate_draft():
    mandate = Mandate(
        title="Mandat for faggruppene", version="2027", scope=MandateScope.FAGGRUPPER, valid_from=TODAY, live=False
    )
    mandate.save()
    mandate.save_revision()
    return mandate


def test_publishing_a_mandate_in_the_admin_needs_its_stamp(client, body):
    staff = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(staff)
    mandate = mandate_draft()
    url = f"/admin/snippets/governance/mandate/edit/{mandate.pk}/"
    data = form_fields(client.get(url).content.decode()) + stream_pairs(mandate, ["text"])

    # Without body, date and case number: three Norwegian messages, nothing published.
    response = client.post(url, as_dict(data) | {"action-publish": "action-publish"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Oppgi hvilket organ som godkjente mandatet før det publiseres." in page
    assert "Oppgi godkjenningsdatoen før mandatet publiseres." in page
    assert "Oppgi saksnummeret for godkjenningen før mandatet publiseres." in page
    mandate.refresh_from_db()
    assert not mandate.live

    # A case number not in the body's format.
    data = replaced(data, "approved_by", str(body.pk))
    data = replaced(data, "approved_on", "13.02.2019")
    data = replaced(data, "case_number", "4/19")
    page = client.post(url, as_dict(data) | {"action-publish": "action-publish"}).content.decode()
    assert "Skriv saksnummeret slik Styret for ROR-IKT gjør, for eksempel «ST 4/19»" in page
    assert "4/19" in page  # what was typed is kept
    mandate.refresh_from_db()
    assert not mandate.live

    # Saving a draft needs no stamp; sending it for approval does.
    data = replaced(data, "case_number", "")
    assert client.post(url, as_dict(data)).status_code == 302
    # (A saved form is stale: read it again, as the browser does after saving.)
    mandate.refresh_from_db()
    data = form_fields(client.get(url).content.decode()) + stream_pairs(mandate, ["text"])
    page = client.post(url, as_dict(data) | {"action-submit": "action-submit"}).content.decode()
    assert "Oppgi saksnummeret for godkjenningen før mandatet publiseres." in page

    # The whole stamp: published, and the reader's approval line says so.
    data = replaced(data, "case_number", "ST 9/26")
    response = client.post(url, as_dict(data) | {"action-publish": "action-publish"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.live
    assert mandate.approval_stamp == "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 9/26"


def test_no_other_way_publishes_a_mandate_without_its_stamp(body):
    mandate = mandate_draft()
    with pytest.raises(ValidationError) as refused:
        mandate.latest_revision.publish()
    assert set(refused.value.message_dict) == {"approved_by", "approved_on", "case_number"}
    mandate.refresh_from_db()
    assert not mandate.live
    mandate.approved_by, mandate.approved_on, mandate.case_number = body, TODAY, "ST 1/27"
    mandate.save()
    mandate.save_revision().publish()
    mandate.refresh_from_db()
    assert mandate.live


# -- R13: meetings held ------------------------------------------------------------------------------------------


def test_r13_counts_meetings_held_in_the_last_12_months(group):
    for days in (20, 80, 140, 200, 260):
        meeting(group, days)
    meeting(group, 400)  # older than 12 months
    meeting(group, 30, kind=MeetingKind.URGENT)  # an e-mail round is no meeting
    meeting(group, 50, noticed=False)  # never announced: not held
    meeting(group, -10)  # coming
    assert "meetings_too_few" in codes(group)
    [finding] = [f for f in compliance.check_group(group, TODAY).findings if f.code == "meetings_too_few"]
    assert finding.message == "5 møter de siste 12 månedene; mandatet forutsetter minst 6"

    added = meeting(group, 100, kind=MeetingKind.EXTRAORDINARY)
    assert "meetings_too_few" not in codes(group)
    added.delete()
    assert "meetings_too_few" in codes(group)


def test_urgent_matters_are_noted_only_where_the_mandate_does_not_provide_for_them(group):
    meeting(group, 30, kind=MeetingKind.URGENT)
    assert "urgent_not_provided" in codes(group)
    Mandate.objects.update(urgent_matters_between_meetings=True)
    assert "urgent_not_provided" not in codes(group)


def test_meetings_change_the_group_page_and_check_compliance(group, client, capsys):
    for days in range(20, 200, 40):
        meeting(group, days)
    reader = UserFactory()
    client.force_login(reader)
    assert "5 møter de siste 12 månedene; mandatet forutsetter minst 6" in client.get(group.url).content.decode()
    call_command("check_compliance")
    assert "5 møter de siste 12 månedene" in capsys.readouterr().out
    meeting(group, 10)
    assert "møter de siste 12 månedene" not in client.get(group.url).content.decode()
    call_command("check_compliance")
    assert "møter de siste 12 månedene" not in capsys.readouterr().out


# -- tasks 5 and 7: measures report, benefits are followed up -------------------------------------------------


def measure(group, started_days_ago, published=True):
    return Measure.objects.create(
        group=group,
        title="Felles kartløsning",
        start_date=TODAY - datetime.timedelta(days=started_days_ago),
        published_at=timezone.now() if published else None,
    )


def report(m, days_ago, status=MeasureStatus.ONGOING):
    return StatusReport.objects.create(measure=m, date=TODAY - datetime.timedelta(days=days_ago), status=status)


def test_a_measure_without_a_recent_status_report_is_a_finding(group):
    for days in range(20, 300, 45):
        meeting(group, days)
    m = measure(group, 200)
    [finding] = compliance.check_group(group, TODAY).findings
    assert finding.code == "measure_status_overdue"
    assert "Tiltaket «Felles kartløsning» har ikke hatt statusrapport siden" in finding.message
    report(m, 140)
    assert "rapporterte sist status" in compliance.check_group(group, TODAY).findings[0].message
    report(m, 10)
    assert codes(group) == []
    # As of a day before that report, it was overdue.
    assert codes(group, TODAY - datetime.timedelta(days=11)) == ["measure_status_overdue"]
    # A completed measure reports no more; a draft is not judged.
    report(m, 5, MeasureStatus.COMPLETED)
    assert codes(group, TODAY + datetime.timedelta(days=400)) == ["meetings_too_few"]
    measure(group, 400, published=False)
    assert "measure_status_overdue" not in codes(group)
    Mandate.objects.update(status_report_interval_days=None)
    measure(group, 400)
    assert "measure_status_overdue" not in codes(group)


def test_a_benefit_past_its_target_without_a_realisation_is_a_finding(group):
    for days in range(20, 300, 45):
        meeting(group, days)
    m = measure(group, 30)
    report(m, 5)
    benefit = Benefit.objects.create(
        measure=m,
        description="Lavere lisenskostnader",
        target_date=TODAY - datetime.timedelta(days=1),
        target_value=Decimal(600000),
        approved_at=timezone.now(),
    )
    [finding] = compliance.check_group(group, TODAY).findings
    assert finding.code == "benefit_not_followed_up"
    assert finding.message.startswith("Gevinsten «Lavere lisenskostnader» (Felles kartløsning) passerte måldatoen")
    Realisation.objects.create(benefit=benefit, date=TODAY, value=Decimal(700000))
    assert codes(group) == []
    # On a day between the target date and that realisation (a yearly report's year end), it was missing.
    Benefit.objects.update(target_date=TODAY - datetime.timedelta(days=10))
    assert codes(group, TODAY - datetime.timedelta(days=5)) == ["benefit_not_followed_up"]
    Benefit.objects.update(approved_at=None)  # an unapproved benefit is not judged
    Realisation.objects.all().delete()
    assert codes(group) == []


def test_compliance_runs_a_fixed_number_of_queries_whatever_the_amount_of_work(group):
    other = FaggruppePageFactory(parent=group.get_parent(), title="Økonomi", slug="okonomi")

    def grow(n):
        for g in (group, other):
            for k in range(n):
                meeting(g, 10 + 30 * k)
                m = measure(g, 100)
                report(m, 5)
                Benefit.objects.create(measure=m, description="b", target_date=TODAY, approved_at=timezone.now())

    grow(1)
    with CaptureQueriesContext(connection) as small:
        compliance.check_all(TODAY)
    grow(6)
    with CaptureQueriesContext(connection) as large:
        compliance.check_all(TODAY)
    assert len(small) == len(large) == 7


def test_the_demo_breaks_r13_and_the_work_rules_where_it_should(db):
    load_demo()
    results = {r.group.slug: sorted(f.code for f in r.findings) for r in compliance.check_all(TODAY)}
    for slug in ("okonomi", "microsoft-365-forvaltning", "lonn-og-personal"):
        assert "meetings_too_few" in results[slug], slug
    for slug in ("teknisk", "dokumentasjonsforvaltning", "helse-og-velferd", "oppvekst-og-utdanning"):
        assert "meetings_too_few" not in results[slug], slug
    assert "measure_status_overdue" in results["helse-og-velferd"]
    assert "benefit_not_followed_up" in results["teknisk"]
    assert "urgent_not_provided" in results["teknisk"]
    assert results["dokumentasjonsforvaltning"] == []
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    assert Meeting.objects.filter(group=teknisk, kind=MeetingKind.ORDINARY).count() >= 10  # 18 months
    assert rules.MEETING_WINDOW_DAYS == 365


def test_the_rule_counts_no_meeting_after_the_check_date():
    """The pure rule, whoever calls it: meetings planned after the day are not held on it."""
    on = datetime.date(2026, 6, 30)
    held = [on - datetime.timedelta(days=30 * k) for k in range(5)]
    planned = [on + datetime.timedelta(days=k) for k in (1, 30, 60)]
    finding = rules.finder(rules.Group(id=1, title="Teknisk"))
    ruleset = rules.RuleSet(meetings_per_year_min=6, meetings_per_year_max=8)
    [too_few] = rules.check_meetings(ruleset, held + planned, on, finding)
    assert too_few.code == "meetings_too_few" and too_few.details["count"] == 5
