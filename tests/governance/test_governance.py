"""Governance on the demo data: the mandate in force, its findings, approval of a new version, and who sees what."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from intranet.demo.loader import DemoLoader
from wagtail import hooks
from wagtail.models import Workflow

from faggruppe_pages.models import FaggruppePage, Membership, Organisation, Role
from faggruppe_pages.models.pages import GROUP_PAGE_SUMMARY_HOOK
from faggruppe_pages.upkeep.setup import WORKFLOW_NAME
from governance import compliance, rules
from governance.models import GoverningBody, Mandate, MandateScope, MandateStatus, ReportingLine
from tests.demo_snapshot import load_demo
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def demo(db):
    load_demo()


def user(name):
    return get_user_model().objects.get(username=name)


def codes(results, group_slug):
    result = next(r for r in results if r.group.slug == group_slug)
    return sorted((f.code, f.organisation_name) for f in result.findings)


def approve(mandate, by):
    """Stamp the version (the form refuses to send it for approval without), send the latest revision through
    the staff workflow and approve it, as the admin does."""
    if not mandate.approved_by_id:
        mandate.approved_by = GoverningBody.objects.get(name="Samarbeidsrådet")
        mandate.approved_on = datetime.date(2020, 12, 10)
        mandate.case_number = "SR 7/20"
        mandate.save()
        mandate.save_revision(user=by)
    workflow = mandate.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME
    state = workflow.start(mandate, by)
    state.current_task_state.approve(user=by)
    mandate.refresh_from_db()
    return mandate


# -- the demo and the rules in force --------------------------------------------------------------------


def test_demo_has_the_2019_mandate_in_force_and_the_later_one_as_a_draft(demo):
    group = FaggruppePage.objects.get(slug="teknisk")
    in_force = Mandate.objects.in_force_for(group, TODAY)
    assert (in_force.version, in_force.case_number, in_force.approved_on) == (
        "2019",
        "ST 4/19",
        datetime.date(2019, 2, 13),
    )
    assert in_force.approved_by.name == "Styret for ROR-IKT" and in_force.reports_to.name == "Bestillerutvalget"
    draft = Mandate.objects.get(version="Porteføljerådet")
    assert not draft.live and draft.status_on(TODAY) == MandateStatus.DRAFT
    assert in_force.status_on(TODAY) == MandateStatus.IN_FORCE


def test_demo_breaks_several_rules_under_the_2019_mandate(demo):
    results = compliance.check_all(TODAY)
    assert ("municipality_missing", "Hustadvika") in codes(results, "teknisk")
    assert ("leader_ineligible", "ROR-IKT") in codes(results, "teknisk")
    assert ("municipality_surplus", "Molde") in codes(results, "helse-og-velferd")
    assert ("union_missing", "") in codes(results, "okonomi")
    assert ("leader_missing", "") in codes(results, "microsoft-365-forvaltning")
    assert ("municipality_missing", "Aukra") in codes(results, "lonn-og-personal")
    assert codes(results, "dokumentasjonsforvaltning") == []


def test_approving_the_later_version_changes_the_findings_without_code(demo):
    before = compliance.check_all(TODAY)
    draft = Mandate.objects.get(version="Porteføljerådet")
    approve(draft, user("redaksjon"))
    assert draft.live and draft.status_on(TODAY) == MandateStatus.IN_FORCE
    old = Mandate.objects.get(version="2019")
    assert old.status_on(TODAY) == MandateStatus.SUPERSEDED

    after = compliance.check_all(TODAY)
    # "At least one" representative: Molde's second seat is no longer a surplus.
    assert ("municipality_surplus", "Molde") in codes(before, "helse-og-velferd")
    assert ("municipality_surplus", "Molde") not in codes(after, "helse-og-velferd")
    # The group's own measure that stopped reporting is still a finding (task 7 in both versions).
    assert codes(after, "helse-og-velferd") == [("measure_status_overdue", "")]
    # "The group decides" how often it meets: Økonomi's four meetings a year are no longer too few.
    assert ("meetings_too_few", "") in codes(before, "okonomi")
    assert ("meetings_too_few", "") not in codes(after, "okonomi")
    # ROR-IKT still cannot lead; a missing municipality is still missing.
    assert ("leader_ineligible", "ROR-IKT") in codes(after, "teknisk")
    assert ("municipality_missing", "Hustadvika") in codes(after, "teknisk")
    group = FaggruppePage.objects.get(slug="teknisk")
    assert Mandate.objects.in_force_for(group, TODAY).reports_to.name == "Porteføljerådet"
    # As of a date before the new version applied, the 2019 version still judges.
    assert Mandate.objects.in_force_for(group, datetime.date(2020, 12, 31)).version == "2019"
    assert compliance.check_group(group, datetime.date(2020, 12, 31)).mandate.version == "2019"


def test_an_owner_flag_matters_only_under_the_2019_rules(demo):
    """A leader from a participating, non-owner municipality: ineligible in 2019, eligible later (R6)."""
    hustadvika = Organisation.objects.get(slug="hustadvika")
    hustadvika.is_owner = False
    hustadvika.save()
    group = FaggruppePage.objects.get(slug="microsoft-365-forvaltning")
    # The group has no leader; Hustadvika's representative is elected.
    leader = Membership.objects.select_related("person").get(group=group, represents=hustadvika)
    Membership.objects.filter(pk=leader.pk).update(role=Role.LEADER)
    with translation.override("nb"):
        [finding] = [f for f in compliance.check_group(group, TODAY).findings if f.code.startswith("leader")]
    assert (finding.code, finding.organisation_name) == ("leader_ineligible", "Hustadvika")
    assert finding.message == (
        f"Lederen {leader.person.name} representerer Hustadvika; "
        "lederen skal velges blant eierkommunenes representanter"
    )
    approve(Mandate.objects.get(version="Porteføljerådet"), user("redaksjon"))
    assert codes(compliance.check_all(TODAY), "microsoft-365-forvaltning") == []


def test_a_group_specific_mandate_beats_the_one_for_its_kind(demo):
    project = Mandate.objects.get(scope=MandateScope.GROUP).group
    assert Mandate.objects.in_force_for(project, TODAY).scope == MandateScope.GROUP
    other = FaggruppePage.objects.get(slug="okonomi").get_children().first()
    assert Mandate.objects.in_force_for(other, TODAY) is None
    # An arbeidsgruppe without a mandate of its own has nothing to report.
    result = compliance.check_group(other.specific, TODAY)
    assert result.mandate is None and result.findings == []


def test_check_all_runs_a_fixed_number_of_queries(demo):
    with CaptureQueriesContext(connection) as small:
        compliance.check_all(TODAY)
    DemoLoader(scale=3).run()
    with CaptureQueriesContext(connection) as large:
        results = compliance.check_all(TODAY)
    assert len(results) > 30
    assert len(small) == len(large) == 7


# -- bodies ------------------------------------------------------------------------------------------------


def test_the_body_a_group_reports_to_is_known_for_any_date(demo):
    bu = GoverningBody.objects.get(name="Bestillerutvalget")
    assert [b.name for b in bu.chain_on(TODAY)] == ["Bestillerutvalget", "Styret for ROR-IKT"]
    assert bu.chain_on(datetime.date(2016, 6, 1)) == [bu]  # the reporting line started in 2017
    line = ReportingLine.objects.get(body=bu)
    line.valid_to = datetime.date(2020, 12, 31)
    line.save()
    assert bu.reports_to_on(datetime.date(2020, 12, 31)).name == "Styret for ROR-IKT"
    assert bu.reports_to_on(datetime.date(2021, 1, 1)) is None


def test_model_validation_messages_are_norwegian(demo):
    from django.core.exceptions import ValidationError

    bu = GoverningBody.objects.get(name="Bestillerutvalget")
    with translation.override("nb"):
        with pytest.raises(ValidationError) as error:
            ReportingLine(body=bu, reports_to=bu, valid_from=TODAY).full_clean()
        assert error.value.message_dict["reports_to"] == ["Et organ kan ikke rapportere til seg selv."]
        mandate = Mandate(
            title="M",
            version="1",
            scope=MandateScope.GROUP,
            valid_from=TODAY,
            min_reps_per_municipality=2,
            max_reps_per_municipality=1,
        )
        with pytest.raises(ValidationError) as error:
            mandate.full_clean()
        assert error.value.message_dict["group"] == ["Velg gruppen mandatet gjelder for."]
        assert error.value.message_dict["max_reps_per_municipality"] == [
            "Høyeste antall kan ikke være lavere enn laveste."
        ]


# -- where findings show -------------------------------------------------------------------------------


def test_reader_sees_mandate_stamp_body_earlier_versions_and_findings(demo, client):
    # The group page summarises the mandate in force; its own page (/mandater/<pk>/) has the whole text, the
    # earlier versions and the rule changes (tests/governance/test_mandate_page.py). Staff see every finding.
    new = approve(Mandate.objects.get(version="Porteføljerådet"), user("redaksjon"))
    client.force_login(user("leser"))
    body = client.get("/faggrupper/teknisk/").content.decode()
    assert "Mandat for faggruppene, versjon Porteføljerådet" in body
    assert "Gruppen rapporterer til Porteføljerådet (som rapporterer til Samarbeidsrådet)" in body
    assert f'href="/mandater/{new.pk}/"' in body
    full = client.get(f"/mandater/{new.pk}/").content.decode()
    assert "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in full  # the earlier version's stamp
    assert "Representanter per kommune: nøyaktig 1 → minst 1" in full
    client.force_login(user("redaksjon"))
    body = client.get("/faggrupper/teknisk/").content.decode()
    assert "Hustadvika mangler representant" in body
    assert "Nei: 2 regler i mandatet er ikke oppfylt." in body


def test_reader_sees_that_a_group_meets_its_mandate(demo, client):
    client.force_login(user("leser"))
    body = client.get("/faggrupper/dokumentasjonsforvaltning/").content.decode()
    assert "Gruppen oppfyller mandatet" in body
    assert "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in body
    assert "Gruppen rapporterer til Bestillerutvalget (som rapporterer til Styret for ROR-IKT)" in body
    okonomi = client.get("/faggrupper/okonomi/").content.decode()
    assert "Ingen tillitsvalgt" in okonomi


def test_group_page_query_count_does_not_grow_with_members(demo, client, settings):
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0  # the page's own work (a cache hit: test_reader_cache.py)
    client.force_login(user("leser"))
    group = FaggruppePage.objects.get(slug="okonomi")
    client.get("/faggrupper/okonomi/")  # warm the caches (site root paths, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/faggrupper/okonomi/").status_code == 200
    vestnes = Organisation.objects.get(slug="vestnes")
    for _ in range(40):
        MembershipFactory(group=group, represents=vestnes, person=PersonFactory(employer=vestnes))
    with CaptureQueriesContext(connection) as many:
        body = client.get("/faggrupper/okonomi/").content.decode()
    assert "Vestnes har 41 representanter; mandatet tillater 1" in body
    assert len(few) == len(many)


def test_faggruppe_pages_offers_named_slots_and_never_imports_governance(demo, client):
    for path in (REPO / "faggruppe_pages").rglob("*.py"):
        text = path.read_text()
        assert "import governance" not in text and "from governance" not in text, path
    client.force_login(user("leser"))

    def banner(page, request, context):
        return f"<p>Slot for {page.title} with {len(context['members'])} members</p>"

    with hooks.register_temporarily(GROUP_PAGE_SUMMARY_HOOK, banner):
        body = client.get("/faggrupper/okonomi/").content.decode()
    assert "Slot for Økonomi with" in body
    assert body.index("Slot for Økonomi") < body.index('id="members-heading"')


# -- staff: report, dashboard, admin; everybody else refused ---------------------------------------------


def test_staff_report_filters_and_exports(demo, client):
    client.force_login(user("redaksjon"))
    page = client.get("/admin/reports/samsvar/").content.decode()
    assert "Hustadvika mangler representant" in page and "Ingen tillitsvalgt" in page
    hustadvika = Organisation.objects.get(slug="hustadvika")
    filtered = client.get(f"/admin/reports/samsvar/?organisation={hustadvika.pk}").content.decode()
    assert "Hustadvika mangler representant" in filtered and "Ingen tillitsvalgt" not in filtered
    warnings_only = client.get("/admin/reports/samsvar/?severity=warning").content.decode()
    assert "Molde har 2 representanter" in warnings_only and "Ingen tillitsvalgt" not in warnings_only
    export = client.get("/admin/reports/samsvar/?export=csv&severity=error")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Alvorlighet", "Gruppe", "Organisasjon", "Avvik", "Kode"]
    assert ["Feil", "Økonomi", "", "Ingen tillitsvalgt", "union_missing"] in rows
    assert all(row[0] == "Feil" for row in rows[1:])


def test_staff_dashboard_shows_the_groups_with_findings(demo, client):
    client.force_login(user("redaksjon"))
    body = client.get("/admin/").content.decode()
    assert "Samsvar med mandatene" in body and "Teknisk" in body


@pytest.mark.parametrize("username", ["rep-molde", "leser", "rep-fagforbundet"])
def test_others_cannot_see_the_report_or_touch_mandates_and_bodies(demo, client, username):
    client.force_login(user(username))
    mandate = Mandate.objects.get(version="Porteføljerådet")
    body = GoverningBody.objects.get(name="Bestillerutvalget")
    before = (Mandate.objects.values().get(pk=mandate.pk), GoverningBody.objects.values().get(pk=body.pk))
    for url in (
        "/admin/reports/samsvar/",
        "/admin/reports/samsvar/?export=csv",
        "/admin/snippets/governance/mandate/",
        f"/admin/snippets/governance/mandate/edit/{mandate.pk}/",
        f"/admin/snippets/governance/mandate/inspect/{mandate.pk}/",
        f"/admin/snippets/governance/mandate/history/{mandate.pk}/",
        "/admin/governance/governingbody/",
        f"/admin/governance/governingbody/edit/{body.pk}/",
        f"/admin/governance/governingbody/inspect/{body.pk}/",
        f"/admin/governance/governingbody/history/{body.pk}/",
        f"/admin/governance/governingbody/delete/{body.pk}/",
        "/admin/governance/governingbody/?export=csv",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] in ("/admin/", f"/logg-inn/?next={url.replace('?', '%3F').replace('=', '%3D')}")
    client.post(f"/admin/snippets/governance/mandate/edit/{mandate.pk}/", {"title": "Hacked", "action-publish": "1"})
    client.post(f"/admin/governance/governingbody/edit/{body.pk}/", {"name": "Hacked"})
    client.post("/admin/governance/governingbody/new/", {"name": "Nytt organ"})
    assert (Mandate.objects.values().get(pk=mandate.pk), GoverningBody.objects.values().get(pk=body.pk)) == before
    assert not GoverningBody.objects.filter(name="Nytt organ").exists()
    assert "Samsvar med mandatene" not in client.get("/admin/").content.decode()


def test_staff_manage_governing_bodies_in_the_admin(demo, client):
    """Wagtail's ModelViewSet at the addresses modeladmin used: listing, search, export, create, delete."""
    client.force_login(user("redaksjon"))
    dashboard = client.get("/admin/").content.decode()
    assert '"label": "Styringsorganer", "icon_name": "group"' in dashboard  # the sidebar menu
    assert '"url": "/admin/governance/governingbody/"' in dashboard
    listing = client.get("/admin/governance/governingbody/").content.decode()
    assert "Bestillerutvalget" in listing and "Porteføljerådet" in listing
    found = client.get("/admin/governance/governingbody/?q=porteføl").content.decode()
    assert "Porteføljerådet" in found and "Bestillerutvalget" not in found
    # A name typed like a formula stays text in the download.
    GoverningBody.objects.create(name='=HYPERLINK("http://x.example","Klikk")', short_name="@SUM(1)")
    export = client.get("/admin/governance/governingbody/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert ['\'=HYPERLINK("http://x.example","Klikk")', "'@SUM(1)", "", "", "", ""] in rows
    # A new body with its reporting line, from the form.
    styret = GoverningBody.objects.get(name="Styret for ROR-IKT")
    response = client.post(
        "/admin/governance/governingbody/new/",
        {
            "name": "Nytt organ",
            "short_name": "NO",
            "description": "",
            "case_prefix": "",
            "reporting_lines-TOTAL_FORMS": "1",
            "reporting_lines-INITIAL_FORMS": "0",
            "reporting_lines-MIN_NUM_FORMS": "0",
            "reporting_lines-MAX_NUM_FORMS": "1000",
            "reporting_lines-0-reports_to": str(styret.pk),
            "reporting_lines-0-valid_from": "2026-01-01",
            "reporting_lines-0-valid_to": "",
            "reporting_lines-0-ORDER": "",
            "reporting_lines-0-id": "",
            "reporting_lines-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = GoverningBody.objects.get(name="Nytt organ")
    assert new.reports_to_on(TODAY) == styret
    # A body that approved mandates or has bodies reporting to it stays (refused, no server error).
    response = client.post(f"/admin/governance/governingbody/delete/{styret.pk}/")
    assert response.status_code == 302 and GoverningBody.objects.filter(pk=styret.pk).exists()
    response = client.post(f"/admin/governance/governingbody/delete/{new.pk}/")
    assert response.status_code == 302 and not GoverningBody.objects.filter(pk=new.pk).exists()


def test_staff_can_draft_a_version_and_it_goes_to_the_approval_workflow(demo, client):
    client.force_login(user("redaksjon"))
    edit = client.get(f"/admin/snippets/governance/mandate/edit/{Mandate.objects.get(version='Porteføljerådet').pk}/")
    assert edit.status_code == 200 and 'name="action-submit"' in edit.content.decode()
    assert (
        Workflow.objects.get(name=WORKFLOW_NAME).workflow_content_types.filter(content_type__model="mandate").exists()
    )


# -- the command -------------------------------------------------------------------------------------------


def test_check_compliance_prints_findings_and_fails_on_errors(demo, capsys):
    with pytest.raises(SystemExit) as exit_status:
        call_command("check_compliance")
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert "Teknisk\n  Feil: Hustadvika mangler representant" in out
    assert "feil" in out.splitlines()[-1]


def test_check_compliance_json(demo, capsys):
    with pytest.raises(SystemExit):
        call_command("check_compliance", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["counts"]["error"] == sum(1 for f in payload["findings"] if f["severity"] == rules.ERROR) > 0
    teknisk = [f for f in payload["findings"] if f["group"] == "Teknisk"]
    assert {"code": "municipality_missing", "organisation": "Hustadvika"}.items() <= teknisk[0].items()


def test_check_compliance_exits_zero_without_errors(demo, capsys):
    # Fix every error-level finding of the demo: only warnings remain.
    approve(Mandate.objects.get(version="Porteføljerådet"), user("redaksjon"))
    Mandate.objects.filter(live=True).update(
        min_reps_per_municipality=None,
        cooperation_seat_required=False,
        union_seats_min=None,
        leader_required=False,
        leader_eligibility=rules.ANYONE,
    )
    call_command("check_compliance")  # no SystemExit
    assert "0 feil" in capsys.readouterr().out


def test_check_compliance_rejects_a_bad_date(demo):
    with pytest.raises(CommandError, match="--date"):
        call_command("check_compliance", "--date", "24.11.2026")


def test_mandate_listing_runs_a_fixed_number_of_queries(demo, client):
    """Status (draft, in force, superseded) and scope come with the rows, not one query per row."""
    client.force_login(user("redaksjon"))
    client.get("/admin/snippets/governance/mandate/")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/snippets/governance/mandate/").status_code == 200
    template = Mandate.objects.get(version="Porteføljerådet")
    for n in range(10):
        extra = Mandate.objects.get(pk=template.pk)
        extra.pk = extra.id = None
        extra.version = f"utkast {n}"
        extra.live = n % 2 == 0
        extra.save()
    with CaptureQueriesContext(connection) as many:
        body = client.get("/admin/snippets/governance/mandate/").content.decode()
    assert "utkast 9" in body and "Utkast" in body and "Erstattet" in body
    assert len(few) == len(many)


def test_report_with_nonsense_filters_is_not_an_error(demo, client):
    client.force_login(user("redaksjon"))
    response = client.get("/admin/reports/samsvar/?group=999999&organisation=abc&severity=worst")
    assert response.status_code == 200
    assert "Hustadvika mangler representant" in response.content.decode()
