"""Calmer group pages (issue 15, item 3): the mandate as a summary with its stamp and a link, compliance as one
status line for readers (every finding for staff, the page's editors and the representatives involved),
freshness said once per list, arbeidsgruppe texts said once, and /faggrupper/ with its arbeidsgrupper and the
mandate in force (never a copy)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import FaggruppePage, Membership, Organisation
from faggruppe_pages.texts import distinct_texts, overlaps
from governance.models import GoverningBody, Mandate
from tests.demo_snapshot import load_demo
from tests.factories import ArbeidsgruppePageFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

#: A sentence of the 2019 mandate far below its first paragraph, and one of its tasks.
DEEP_2019 = "Kommunens representant har ansvar for å sørge for koordinering"
TASK_2019 = "Gi faglige innspill til Bestillerutvalget"
OPENING_2019 = "Hovedformålet med faggruppene er å bidra til fremtidsrettet bruk"
OPENING_LATER = "Faggruppene skal bidra faglig til nye og forbedrede tjenester"


@pytest.fixture
def demo(db):
    load_demo()


def user(name):
    return get_user_model().objects.get(username=name)


def get(client, username, address):
    client.force_login(user(username))
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def member_table(body):
    """The current members' table (the first member table on the page)."""
    start = body.index('<table class="member-table">')
    return body[start : body.index("</table>", start)]


def publish_later_mandate():
    """Approve the demo's Porteføljeråd draft with its stamp, as the approval does (Mandate.publish)."""
    mandate = Mandate.objects.get(version="Porteføljerådet")
    mandate.approved_by = GoverningBody.objects.get(name="Samarbeidsrådet")
    mandate.approved_on = datetime.date(2020, 12, 10)
    mandate.case_number = "SR 7/20"
    mandate.save()
    mandate.save_revision(user=user("redaksjon")).publish(user=user("redaksjon"))
    mandate.refresh_from_db()
    assert mandate.live
    return mandate


# -- the mandate: a summary with its stamp and a link, not the whole text ------------------------------------


def test_group_page_summarises_the_mandate_with_its_stamp_and_links_the_full_text(demo, client):
    in_force = Mandate.objects.get(version="2019")
    body = get(client, "leser", "/faggrupper/teknisk/")
    assert "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in body
    assert OPENING_2019 in body  # the opening words
    assert f'<a href="/mandater/{in_force.pk}/">Les hele mandatet</a>' in body
    assert DEEP_2019 not in body and TASK_2019 not in body  # the rest is on the mandate's own page


def test_a_draft_mandate_is_never_shown_to_readers(demo, client):
    draft = Mandate.objects.get(version="Porteføljerådet")
    assert not draft.live
    for address in ("/faggrupper/", "/faggrupper/teknisk/"):
        body = get(client, "leser", address)
        assert "Porteføljerådet" not in body and OPENING_LATER not in body
    assert client.get(f"/mandater/{draft.pk}/").status_code == 404


# -- compliance: a status line for readers, the findings for those who act on them --------------------------


def test_reader_gets_one_neutral_status_line_with_the_details_one_click_away(demo, client):
    body = get(client, "leser", "/faggrupper/teknisk/")
    summary = re.search(r"<summary>(.*?)</summary>", body[body.index("compliance-status") :], re.S).group(1)
    assert re.fullmatch(r"\d+ avvik fra mandatet – se detaljer", summary.strip())
    assert "Hustadvika mangler representant" in body  # inside the closed <details>
    assert "error-summary" not in body and "Oppfyller gruppen mandatet?" not in body
    assert "Nei: 2 regler i mandatet er ikke oppfylt." not in body


def test_reader_sees_that_a_group_meets_its_mandate_in_one_line(demo, client):
    body = get(client, "leser", "/faggrupper/dokumentasjonsforvaltning/")
    assert "Gruppen oppfyller mandatet" in body
    assert '<details class="compliance-details">' not in body


@pytest.mark.parametrize("username", ["redaksjon", "rep-molde"])
def test_staff_and_a_representative_involved_see_every_finding(demo, client, username):
    body = get(client, username, "/faggrupper/teknisk/")
    assert "Oppfyller gruppen mandatet?" in body and "error-summary" in body
    assert "Nei: 2 regler i mandatet er ikke oppfylt." in body
    assert "Hustadvika mangler representant" in body
    assert "compliance-details" not in body


def test_a_representative_of_an_organisation_not_involved_gets_the_status_line(demo, client):
    group = FaggruppePage.objects.get(slug="okonomi")
    fagforbundet = Organisation.objects.get(slug="fagforbundet")
    assert not Membership.objects.filter(group=group, represents=fagforbundet).exists()
    body = get(client, "rep-fagforbundet", "/faggrupper/okonomi/")
    assert "Oppfyller gruppen mandatet?" not in body and "compliance-status" in body


def test_the_page_editors_see_every_finding(demo, client):
    """A member with an account edits the group page (its editors group), and so sees the findings."""
    group = FaggruppePage.objects.get(slug="teknisk")
    editor = next(u for u in group.editors_group.user_set.all() if not u.is_superuser)
    client.force_login(editor)
    body = client.get("/faggrupper/teknisk/").content.decode()
    assert "Oppfyller gruppen mandatet?" in body


# -- freshness: once per list, a row's own date only where it is overdue --------------------------------------


def test_freshness_is_said_once_and_only_overdue_rows_show_their_date(reader_client, group, molde, rauma):
    now = timezone.now()
    fresh, stale = now - datetime.timedelta(days=3), now - datetime.timedelta(days=400)
    MembershipFactory(group=group, represents=molde, person=PersonFactory(employer=molde), last_verified_at=fresh)
    MembershipFactory(group=group, represents=rauma, person=PersonFactory(employer=rauma), last_verified_at=stale)
    body = reader_client.get("/faggrupper/oppvekst-og-utdanning/").content.decode()
    stale_day = timezone.localtime(stale).strftime("%d.%m.%Y")
    fresh_day = timezone.localtime(fresh).strftime("%d.%m.%Y")
    assert body.count(f"Medlemslisten ble sist bekreftet {stale_day}") == 1
    table = member_table(body)
    assert table.count(stale_day) == 1 and table.count("Forfalt") == 1  # the overdue row
    assert fresh_day not in table  # the row confirmed in time says nothing
    assert '<span class="visually-hidden">Bekreftet innen fristen</span>' in table  # but tells a screen reader
    assert "Sist bekreftet … Forfalt" not in table


def test_no_confirmation_column_when_no_row_is_overdue(reader_client, group, molde):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    MembershipFactory(group=group, represents=molde, person=PersonFactory(employer=molde), last_verified_at=yesterday)
    body = reader_client.get("/faggrupper/oppvekst-og-utdanning/").content.decode()
    assert "Medlemslisten ble sist bekreftet" in body
    assert "Sist bekreftet" not in member_table(body) and "Forfalt" not in body


def test_freshness_names_who_confirmed(reader_client, group, molde):
    confirmer = get_user_model().objects.create(username="rita", first_name="Rita", last_name="Representant")
    stamp = timezone.now() - datetime.timedelta(days=2)
    MembershipFactory(
        group=group, represents=molde, person__employer=molde, last_verified_at=stamp, last_verified_by=confirmer
    )
    body = reader_client.get("/faggrupper/oppvekst-og-utdanning/").content.decode()
    day = timezone.localtime(stamp).strftime("%d.%m.%Y")
    assert f"Medlemslisten ble sist bekreftet {day} av Rita Representant." in body


# -- arbeidsgrupper: each text once -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "assignment", "shown", "hidden"),
    [
        ("Kartlegge behovet.", "Kartlegge behovet.", ["Formål"], ["Oppdrag"]),
        ("Kartlegge behovet", "Kartlegge behovet og foreslå en plattform.", ["Oppdrag"], ["Formål"]),
        ("Kartlegge behovet og foreslå en plattform.", "kartlegge  behovet", ["Formål"], ["Oppdrag"]),
        ("Kartlegge behovet.", "Foreslå en plattform.", ["Formål", "Oppdrag"], []),
    ],
)
def test_arbeidsgruppe_page_says_purpose_and_assignment_once(reader_client, group, purpose, assignment, shown, hidden):
    ArbeidsgruppePageFactory(parent=group, title="AG", slug="ag", purpose=purpose, assignment=assignment)
    body = reader_client.get("/faggrupper/oppvekst-og-utdanning/ag/").content.decode()
    for heading in shown:
        assert f">{heading}</h2>" in body, heading
    for heading in hidden:
        assert f">{heading}</h2>" not in body, heading


def test_arbeidsgruppe_mandate_summary_does_not_repeat_the_assignment(demo, client):
    address = "/faggrupper/oppvekst-og-utdanning/skoleadministrativt-system/"
    body = get(client, "leser", address)
    text = "Forberede anskaffelse og innføring av nytt skoleadministrativt system."
    assert body.count(text) == 1  # purpose, assignment and the mandate's opening say the same: once
    assert "Godkjent av Bestillerutvalget 10.01.2025 – sak BU 3/25" in body and "Les hele mandatet" in body


def test_text_comparison():
    assert distinct_texts("A b.", "a  B") == [True, False]
    assert distinct_texts("a", "a b") == [False, True]
    assert distinct_texts("", "x") == [False, True]
    assert overlaps("<p>Kartlegge behovet.</p>", ["kartlegge behovet og mer"])
    assert not overlaps("noe annet", ["kartlegge"])


# -- /faggrupper/: arbeidsgrupper listed, the mandate in force ------------------------------------------------


def test_index_lists_every_group_with_its_arbeidsgrupper(demo, client):
    body = get(client, "leser", "/faggrupper/")
    helse = body.index(">Helse og velferd</a>")
    assert body.index('href="/faggrupper/helse-og-velferd/velferdsteknologi/"') > helse
    for address in (
        "/faggrupper/oppvekst-og-utdanning/skoleadministrativt-system/",
        "/faggrupper/okonomi/innkjop-og-ehandel/",
        "/faggrupper/microsoft-365-forvaltning/windows-11-utrulling/",
    ):
        assert f'href="{address}"' in body


def test_unpublished_arbeidsgruppe_is_not_on_the_index(reader_client, group):
    ArbeidsgruppePageFactory(parent=group, title="Hemmelig utkast", slug="utkast", live=False)
    ArbeidsgruppePageFactory(parent=group, title="Synlig gruppe", slug="synlig")
    body = reader_client.get("/faggrupper/").content.decode()
    assert "Synlig gruppe" in body and "Hemmelig utkast" not in body


def test_index_mandate_comes_from_the_mandate_in_force_never_a_copy(demo, client):
    body = get(client, "leser", "/faggrupper/")
    assert OPENING_2019 in body and "Godkjent av Styret for ROR-IKT 13.02.2019 – sak ST 4/19" in body
    assert "Godkjent av styret for ROR-IKT" not in body  # the seed's copied approval line
    new = publish_later_mandate()
    body = get(client, "leser", "/faggrupper/")
    assert OPENING_LATER in body and "Godkjent av Samarbeidsrådet 10.12.2020 – sak SR 7/20" in body
    assert OPENING_2019 not in body and "underlagt Bestillerutvalget" not in body
    assert f'href="/mandater/{new.pk}/"' in body
    group_page = get(client, "leser", "/faggrupper/teknisk/")
    assert "Gruppen rapporterer til Porteføljerådet" in group_page


# -- queries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["leser", "rep-molde"])
def test_group_page_query_count_does_not_grow(demo, client, username, settings):
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0  # the page's own work (a cache hit: test_reader_cache.py)
    client.force_login(user(username))
    group = FaggruppePage.objects.get(slug="teknisk")
    client.get("/faggrupper/teknisk/")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/faggrupper/teknisk/").status_code == 200
    vestnes = Organisation.objects.get(slug="vestnes")
    confirmer = user("rep-molde")
    for _ in range(20):
        MembershipFactory(
            group=group,
            represents=vestnes,
            person=PersonFactory(employer=vestnes),
            last_verified_at=timezone.now() - datetime.timedelta(days=300),
            last_verified_by=confirmer,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get("/faggrupper/teknisk/").status_code == 200
    assert len(few) == len(many)


def test_index_query_count_does_not_grow_with_arbeidsgrupper(demo, client, settings):
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0  # the page's own work (a cache hit: test_reader_cache.py)
    client.force_login(user("leser"))
    client.get("/faggrupper/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/faggrupper/").status_code == 200
    for group in FaggruppePage.objects.all()[:4]:
        for i in range(3):
            ArbeidsgruppePageFactory(parent=group, title=f"Ny {i}", slug=f"ny-{i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get("/faggrupper/").content.decode()
    assert body.count(">Ny 2</a>") == 4
    assert len(few) == len(many)


# -- the member table's rows (built by the member_rows tag) ----------------------------------------------------


@pytest.mark.parametrize(
    "language, labels, save",
    [
        ("nb", ("Navn", "Representerer", "Rolle", "Stilling", "E-post", "Telefon"), "lagre {} som kontakt"),
        ("nn", ("Namn", "Representerer", "Rolle", "Stilling", "E-post", "Telefon"), "lagre {} som kontakt"),
    ],
)
def test_member_rows_name_their_columns_and_escape_what_people_typed(
    reader_client, group, molde, language, labels, save
):
    """Every cell names its column for small screens in the reader's language; a name, job title or address with
    markup in it is shown as text, in the link, the vCard text and the e-mail cell alike."""
    typed = 'Ola <b>"Fet"</b> & Co'
    person = PersonFactory(
        employer=molde, name=typed, job_title="<i>Leder</i>", email="ola&co@molde.kommune.no", show_phone=True
    )
    MembershipFactory(group=group, represents=molde, person=person, role="leder")
    reader_client.cookies["django_language"] = language
    table = member_table(reader_client.get("/faggrupper/oppvekst-og-utdanning/").content.decode())
    for label in labels:
        assert f'data-label="{label}"' in table
    assert "<b>" not in table and "<i>" not in table
    escaped = "Ola &lt;b&gt;&quot;Fet&quot;&lt;/b&gt; &amp; Co"
    assert f">{escaped}</a></th>" in table  # the name, linked to the person's page
    assert save.format(escaped) in table.replace("&#x27;", "'")  # the vCard link's text for screen readers
    assert "&lt;i&gt;Leder&lt;/i&gt;" in table
    assert 'href="mailto:ola&amp;co@molde.kommune.no"' in table
    assert '<tr class="is-leader">' in table
