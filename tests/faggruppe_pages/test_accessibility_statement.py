"""The accessibility statement (tilgjengelighetserklæring, issue 15 item 7) at /tilgjengelighet/.

Open without login (public bodies publish it openly), linked from every page's footer and the login page,
with what a Norwegian public body must publish: what it covers, the status against WCAG 2.1 AA, the known
deviations, how to report a problem, the complaint route to Tilsynet (uutilsynet.no) and its dates.
Staff edit it as a Wagtail site setting; representatives and readers cannot.
"""

import datetime
import json

import pytest
from django.test import Client
from wagtail.models import Site

from faggruppe_pages.models import AccessibilityStatement
from faggruppe_pages.upkeep.setup import ensure_staff_group
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/tilgjengelighet/"
#: An empty rich-text field as the admin's editor (Draftail) sends it.
EMPTY_RICH_TEXT = json.dumps({"blocks": [], "entityMap": {}})


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


def edit_url(site):
    return f"/admin/settings/faggruppe_pages/accessibilitystatement/{site.pk}/"


@pytest.fixture
def staff_client(client):
    user = UserFactory(username="redaksjon")
    user.groups.add(ensure_staff_group())
    client.force_login(user)
    return client


@pytest.fixture
def rep_client(db):
    """A representative: admin access through their organisation's group, nothing else."""
    from faggruppe_pages.upkeep.sync import sync_all

    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde", municipality_number="1506")
    sync_all()
    molde.refresh_from_db()
    user = UserFactory(username="rep-molde")
    user.groups.add(molde.representatives_group)
    client = Client()
    client.force_login(user)
    return client


def body(response):
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_reads_the_statement_without_logging_in(client, site):
    page = body(client.get(URL))
    assert "<h1>Tilgjengelighetserklæring</h1>" in page
    for heading in ("Hva erklæringen gjelder", "Status", "Kjente avvik", "Meld fra om problemer", "Klage", "Datoer"):
        assert f"<h2>{heading}</h2>" in page, heading
    assert "forskrift om universell utforming av IKT-løsninger krever WCAG 2.1 på nivå AA" in page
    assert '<a href="https://www.uutilsynet.no/">uutilsynet.no</a>' in page
    assert "Tilsynet for universell utforming av ikt" in page
    assert 'class="site-header"' in page and "Logg ut" not in page


def test_the_built_in_texts_fill_an_empty_statement(client, site):
    OrganisationFactory(
        name="Vertskommunesamarbeidet ROR-IKT", slug="ror-ikt", kind="cooperation", municipality_number=""
    )
    page = body(client.get(URL))
    assert "Vertskommunesamarbeidet ROR-IKT er ansvarlig for dette intranettet." in page
    assert "Intranettet oppfyller kravene i WCAG 2.1 AA delvis." in page
    assert "PDF-nedlastinger" in page and "publiseringsverktøyet Wagtail" in page
    assert 'href="mailto:faggrupper@ror-ikt.no"' in page  # the site's sender address
    assert "Erklæringen er ikke datert ennå." in page


def test_what_staff_wrote_is_shown(client, site):
    statement = AccessibilityStatement.for_site(site)
    statement.responsible = "Molde kommune"
    statement.conformance = "full"
    statement.scope = "<p>Bare lesersidene.</p>"
    statement.deviations = "<ul><li>Kartet mangler tekstalternativ.</li></ul>"
    statement.contact_email = "uu@molde.kommune.no"
    statement.feedback = "<p>Vi svarer innen fem virkedager.</p>"
    statement.made_on = datetime.date(2025, 9, 1)
    statement.reviewed_on = datetime.date(2026, 3, 1)
    statement.save()
    page = body(client.get(URL))
    for text in (
        "Molde kommune er ansvarlig for dette intranettet.",
        "<p>Bare lesersidene.</p>",
        "<li>Kartet mangler tekstalternativ.</li>",
        "Intranettet oppfyller alle kravene i WCAG 2.1 AA som gjelder for det.",
        '<a href="mailto:uu@molde.kommune.no">uu@molde.kommune.no</a>',
        "<p>Vi svarer innen fem virkedager.</p>",
        "Erklæringen ble laget 01.09.2025.",
        "Den ble sist gjennomgått 01.03.2026.",
    ):
        assert text in page, text
    assert "PDF-nedlastinger" not in page  # staff's list replaces the built-in one


def test_the_statement_speaks_nynorsk(client, site):
    client.cookies["django_language"] = "nn"
    page = body(client.get(URL))
    assert "<h1>Tilgjengelegheitserklæring</h1>" in page and "<h2>Kjende avvik</h2>" in page
    assert "Dersom du ikkje får svar frå oss" in page


def test_every_page_links_the_statement_in_its_footer(client, reader_client, index_page):
    for response in (client.get("/logg-inn/"), reader_client.get("/faggrupper/"), client.get(URL)):
        assert '<a href="/tilgjengelighet/">Tilgjengelighetserklæring</a>' in body(response)


def test_the_statement_answers_get_only(client, site):
    assert client.post(URL).status_code in (403, 405)  # CSRF refuses a foreign POST first
    assert Client(enforce_csrf_checks=False).post(URL).status_code == 405


def test_the_statement_reads_a_constant_number_of_queries(client, site, django_assert_max_num_queries):
    client.get(URL)  # the empty statement is created on first use
    with django_assert_max_num_queries(4):
        body(client.get(URL))


# -- editing: staff only ---------------------------------------------------------------------------------------


def test_staff_edit_the_statement_in_the_admin(staff_client, site):
    assert staff_client.get(edit_url(site)).status_code == 200
    response = staff_client.post(
        edit_url(site),
        {
            "responsible": "ROR-IKT",
            "conformance": "partial",
            "scope": EMPTY_RICH_TEXT,
            "deviations": EMPTY_RICH_TEXT,
            "contact_email": "uu@ror-ikt.no",
            "feedback": EMPTY_RICH_TEXT,
            "made_on": "01.09.2025",
            "reviewed_on": "01.03.2026",
        },
    )
    assert response.status_code == 302
    statement = AccessibilityStatement.objects.get(site=site)
    assert statement.contact_email == "uu@ror-ikt.no" and statement.reviewed_on == datetime.date(2026, 3, 1)
    page = body(staff_client.get(URL))
    assert f'<a href="{edit_url(site)}">Rediger tilgjengelighetserklæringen</a>' in page


@pytest.mark.parametrize("who", ["rep", "reader"])
def test_representatives_and_readers_cannot_edit_it(who, rep_client, reader_client, site):
    client = rep_client if who == "rep" else reader_client
    statement = AccessibilityStatement.for_site(site)
    response = client.get(edit_url(site))
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(edit_url(site))
    client.post(edit_url(site), {"responsible": "Overtatt", "conformance": "full", "contact_email": "x@y.no"})
    statement.refresh_from_db()
    assert statement.responsible == "" and statement.conformance == "partial"
    assert "Rediger tilgjengelighetserklæringen" not in body(client.get(URL))


def test_anonymous_visitors_are_sent_to_log_in_from_the_edit_view(client, site):
    response = client.get(edit_url(site))
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


def test_the_demo_fills_the_statement(db):
    from tests.demo_snapshot import load_demo

    load_demo()
    page = body(Client().get(URL))
    assert 'href="mailto:tilgjengelighet@ror-ikt.no"' in page
    assert "Erklæringen ble laget 01.09.2025." in page and "Den ble sist gjennomgått 01.03.2026." in page
    assert "Vertskommunesamarbeidet ROR-IKT er ansvarlig for dette intranettet." in page
