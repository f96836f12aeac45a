"""The member overview, “Hvor er … representert?”, “Mine grupper”, freshness, and the PDF/CSV/XLSX/vCard exports."""

import csv
import datetime
import io
import re

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from faggruppe_pages.models import Membership, Role
from faggruppe_pages.upkeep.confirmation import verify_all
from tests.factories import (
    ArbeidsgruppePageFactory,
    CooperationFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db
OVERVIEW = "/faggrupper/medlemsoversikt/"
TODAY = datetime.date.today


@pytest.fixture
def world(db):
    """Two faggrupper and an arbeidsgruppe; Molde, Rauma, Hustadvika, ROR-IKT and a union.

    Teknisk: Molde leads, Rauma member, adviser, tillitsvalgt; Hustadvika's seat is empty.
    Økonomi: only Rauma. Its arbeidsgruppe: a Molde member (arbeidsgrupper expect no seats).
    """
    index = make_index()
    teknisk = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    okonomi = FaggruppePageFactory(parent=index, title="Økonomi", slug="okonomi")
    innkjop = ArbeidsgruppePageFactory(parent=okonomi, title="Innkjøp", slug="innkjop")
    molde = OrganisationFactory(slug="molde", name="Molde kommune", short_name="Molde")
    rauma = OrganisationFactory(slug="rauma", name="Rauma kommune", short_name="Rauma")
    hustadvika = OrganisationFactory(slug="hustadvika", name="Hustadvika kommune", short_name="Hustadvika")
    ror = CooperationFactory()
    union = UnionFactory(slug="fagforbundet", name="Fagforbundet")
    # Noon today: "N days ago" stays on the same calendar date across a daylight-saving change.
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    leader = PersonFactory(name="Kari Ærlig-Østby", employer=molde, phone="71 11 11 11", show_phone=True)
    hidden = PersonFactory(name="Ola Skjult", employer=rauma, phone="99 88 77 66", show_phone=False)
    seats = {
        "leader": MembershipFactory(person=leader, group=teknisk, role=Role.LEADER, last_verified_at=now),
        "hidden": MembershipFactory(person=hidden, group=teknisk, last_verified_at=now),
        "adviser": MembershipFactory(
            person=PersonFactory(name="Siri Rådgiver", employer=ror),
            group=teknisk,
            role=Role.ADVISER,
            last_verified_at=now,
        ),
        "union": MembershipFactory(
            person=PersonFactory(name="Tor Tillitsvalgt", employer=molde),
            represents=union,
            group=teknisk,
            role=Role.UNION_REP,
            last_verified_at=now,
        ),
        "okonomi": MembershipFactory(
            person=PersonFactory(name="Rita Rauma", employer=rauma),
            group=okonomi,
            last_verified_at=now - datetime.timedelta(days=400),
        ),
        "innkjop": MembershipFactory(person=PersonFactory(name="Mons Molde", employer=molde), group=innkjop),
        "former": MembershipFactory(
            person=PersonFactory(name="Per Tidligere", employer=hustadvika),
            group=teknisk,
            start_date=datetime.date(2019, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        ),
    }
    return {
        "index": index,
        "teknisk": teknisk,
        "okonomi": okonomi,
        "innkjop": innkjop,
        "molde": molde,
        "rauma": rauma,
        "hustadvika": hustadvika,
        "ror": ror,
        "union": union,
        "seats": seats,
    }


# -- the matrix page -----------------------------------------------------------------------------------------


def test_index_page_links_to_the_three_overviews(reader_client, world):
    html = reader_client.get("/faggrupper/").content.decode()
    for href in (OVERVIEW, "/faggrupper/representert/", "/faggrupper/mine-grupper/"):
        assert f'href="{href}"' in html


def test_overview_shows_who_sits_where_and_marks_empty_seats(reader_client, world):
    response = reader_client.get(OVERVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Kari Ærlig-Østby", "Ola Skjult", "Siri Rådgiver", "Tor Tillitsvalgt", "Rita Rauma", "Mons Molde"):
        assert name in html
    assert "Per Tidligere" not in html  # former members are history, not seats
    overview = response.context["overview"]
    assert [c.label for c in overview.columns] == ["Hustadvika", "Molde", "Rauma", "ROR-IKT", "Tillitsvalgt"]
    rows = {row.group.title: row for row in overview.rows}
    assert list(rows) == ["Teknisk", "Økonomi", "Innkjøp"]  # faggrupper by title, arbeidsgruppe below its own
    gaps = {title: [c.column.label for c in row.cells if c.gap] for title, row in rows.items()}
    assert gaps == {
        "Teknisk": ["Hustadvika"],
        "Økonomi": ["Hustadvika", "Molde", "ROR-IKT", "Tillitsvalgt"],
        "Innkjøp": [],  # no seats are expected of an arbeidsgruppe without a mandate of its own
    }
    assert html.count('class="gap-mark"') == 5
    assert "Ledig plass" in html
    assert "★" in html and 'class="is-leader"' in html


def test_overview_filtered_by_municipality_shows_only_its_column(reader_client, world):
    response = reader_client.get(OVERVIEW, {"organisasjon": "molde"})
    html = response.content.decode()
    assert [c.label for c in response.context["overview"].columns] == ["Molde"]
    assert "Kari Ærlig-Østby" in html and "Mons Molde" in html
    assert "Ola Skjult" not in html and "Rita Rauma" not in html
    # The downloads carry the filter.
    assert f"{OVERVIEW}pdf/?organisasjon=molde" in html


def test_overview_with_an_unknown_municipality_says_so_in_norwegian(reader_client, world):
    response = reader_client.get(OVERVIEW, {"organisasjon": "atlantis"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finnes ingen organisasjon «atlantis» å filtrere på." in html
    assert "Kari Ærlig-Østby" in html  # the whole overview instead
    export = reader_client.get(f"{OVERVIEW}csv/", {"organisasjon": "atlantis"})
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")


def test_unknown_export_format_is_not_found(reader_client, world):
    assert reader_client.get(f"{OVERVIEW}docx/").status_code == 404


def test_overview_marks_overdue_lists(reader_client, world):
    response = reader_client.get(OVERVIEW)
    html = response.content.decode()
    rows = {row.group.title: row for row in response.context["overview"].rows}
    assert not rows["Teknisk"].overdue
    assert rows["Økonomi"].overdue  # confirmed 400 days ago; the default interval is 180 days
    assert rows["Innkjøp"].overdue  # never confirmed
    assert html.count('class="overdue-mark"') == 2


# -- freshness on group pages ----------------------------------------------------------------------------------


def test_group_page_says_once_when_the_list_was_confirmed(reader_client, world):
    html = reader_client.get("/faggrupper/teknisk/").content.decode()
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Medlemslisten ble sist bekreftet {today}" in html
    assert html.count(today) == 1  # once for the list; no row is overdue, so no row repeats the date
    assert "Forfalt" not in html


def test_overdue_list_is_marked_and_confirming_all_clears_it(reader_client, world):
    html = reader_client.get("/faggrupper/okonomi/").content.decode()
    verified = (timezone.localdate() - datetime.timedelta(days=400)).strftime("%d.%m.%Y")
    assert f"Medlemslisten ble sist bekreftet {verified}" in html
    assert "Forfalt:" in html and "is-overdue" in html
    # The representative's “Alt stemmer” moves the dates.
    verify_all(world["rauma"], UserFactory(username="rep-rauma"))
    html = reader_client.get("/faggrupper/okonomi/").content.decode()
    assert "Forfalt" not in html
    assert f"Medlemslisten ble sist bekreftet {timezone.localdate().strftime('%d.%m.%Y')}" in html


def test_review_interval_setting_is_the_default(reader_client, world, settings):
    settings.FAGGRUPPE_REVIEW_INTERVAL_DAYS = 500
    html = reader_client.get("/faggrupper/okonomi/").content.decode()
    assert "Forfalt" not in html


# -- "Hvor er Molde representert?" ---------------------------------------------------------------------------


def test_representation_page_lists_seats_and_gaps(reader_client, world):
    response = reader_client.get("/faggrupper/representert/hustadvika/")
    html = response.content.decode()
    assert "Hvor er Hustadvika representert?" in html
    assert [e.group.title for e in response.context["gaps"]] == ["Teknisk", "Økonomi"]
    response = reader_client.get("/faggrupper/representert/molde/")
    html = response.content.decode()
    assert "Hvor er Molde representert?" in html
    assert "Kari Ærlig-Østby" in html and "Mons Molde" in html and "Rita Rauma" not in html
    assert [e.group.title for e in response.context["gaps"]] == ["Økonomi"]
    assert response.context["seat_count"] == 2


def test_representation_page_announces_terms_ending_soon(reader_client, world):
    seat = world["seats"]["leader"]
    seat.end_date = timezone.localdate() + datetime.timedelta(days=10)
    seat.save()
    html = reader_client.get("/faggrupper/representert/molde/").content.decode()
    assert "Perioder som slutter innen 30 dager" in html
    assert seat.end_date.strftime("%d.%m.%Y") in html


def test_representation_of_unknown_organisation_is_not_found(reader_client, world):
    response = reader_client.get("/faggrupper/representert/atlantis/")
    assert response.status_code == 404


def test_representation_index_lists_organisations(reader_client, world):
    html = reader_client.get("/faggrupper/representert/").content.decode()
    for slug in ("molde", "rauma", "hustadvika", "fagforbundet"):
        assert f'href="/faggrupper/representert/{slug}/"' in html


# -- "Mine grupper" --------------------------------------------------------------------------------------------


def test_my_groups_lists_the_members_groups_roles_and_terms(client, world):
    user = UserFactory(username="kari")
    person = world["seats"]["leader"].person
    person.user = user
    person.save()
    MembershipFactory(
        person=person,
        group=world["okonomi"],
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    client.force_login(user)
    html = client.get("/faggrupper/mine-grupper/").content.decode()
    assert "Teknisk" in html and "Leder" in html and "Fra 01.01.2022, løpende" in html
    assert "Tidligere grupper" in html and "01.01.2018–31.12.2019" in html


def test_my_groups_explains_when_the_account_is_no_member(reader_client, world):
    html = reader_client.get("/faggrupper/mine-grupper/").content.decode()
    assert "ikke knyttet til en person" in html


# -- exports ---------------------------------------------------------------------------------------------------


def test_pdf_is_a4_norwegian_with_title_date_page_numbers_and_leaders(reader_client, world):
    # Enough groups for several pages.
    for n in range(12):
        group = FaggruppePageFactory(parent=world["index"], title=f"Gruppe {n:02d}")
        for k in range(6):
            MembershipFactory(group=group, person=PersonFactory(name=f"Medlem {n:02d}-{k}", employer=world["rauma"]))
    response = reader_client.get(f"{OVERVIEW}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="medlemsoversikt-{TODAY().isoformat()}.pdf"' in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    pages = len(pdf.pages)
    assert pages >= 2
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages]
    assert sizes[0] == (842, 595)  # the matrix: A4 landscape, in points
    assert sizes[-1] == (595, 842)  # the lists: A4 portrait
    text = "\n".join(page.extract_text() for page in pdf.pages)
    first = pdf.pages[0].extract_text()
    assert "Medlemsoversikt" in first
    assert f"Generert {timezone.localdate().strftime('%d.%m.%Y')}" in first
    assert f"Side 1 av {pages}" in first
    assert f"Side {pages} av {pages}" in pdf.pages[-1].extract_text()
    for title in ("Teknisk", "Økonomi", "Innkjøp", "Gruppe 11"):
        assert title in text
    assert re.search(r"★\s+Kari\s+Ærlig-\s*Østby", text)  # the leader is marked, Norwegian letters intact
    assert "Ledig plass" in text
    assert "99 88 77 66" not in text  # a hidden phone stays hidden


def test_pdf_of_one_group(reader_client, world):
    response = reader_client.get("/faggrupper/teknisk/medlemmer/pdf/")
    assert 'filename="medlemmer-teknisk-' in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Medlemmer i Teknisk" in text and re.search(r"Kari\s+Ærlig-\s*Østby", text)
    assert "Rita Rauma" not in text and "Økonomi" not in text


def test_csv_opens_in_excel_with_norwegian_letters(reader_client, world):
    response = reader_client.get(f"{OVERVIEW}csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Gruppe", "Type", "Representerer", "Navn", "Rolle"]
    by_name = {row[3]: row for row in rows[1:] if row[3]}
    assert by_name["Kari Ærlig-Østby"][4] == "Leder"
    assert by_name["Kari Ærlig-Østby"][7] == "71 11 11 11"
    assert by_name["Ola Skjult"][7] == ""  # hidden phone
    assert by_name["Rita Rauma"][11] == "Forfalt for bekreftelse"
    empty = [(row[0], row[2]) for row in rows[1:] if row[11] == "Ledig plass"]
    assert ("Teknisk", "Hustadvika") in empty and ("Økonomi", "Tillitsvalgt") in empty
    assert by_name["Kari Ærlig-Østby"][8] == "01.01.2022"


def test_xlsx_reads_back(reader_client, world):
    response = reader_client.get(f"{OVERVIEW}xlsx/", {"organisasjon": "molde"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Medlemmer", "Oversikt"]
    rows = list(workbook["Medlemmer"].iter_rows(values_only=True))
    assert rows[0][3] == "Navn"
    assert {row[3] for row in rows[1:] if row[3]} == {"Kari Ærlig-Østby", "Mons Molde"}
    assert [(row[0], row[11]) for row in rows[1:] if not row[3]] == [("Økonomi", "Ledig plass")]
    leader = next(row for row in rows if row[3] == "Kari Ærlig-Østby")
    assert leader[8] == datetime.datetime(2022, 1, 1)  # a real date, not text
    matrix = list(workbook["Oversikt"].iter_rows(values_only=True))
    assert matrix[0][:2] == ("Gruppe", "Molde")
    assert matrix[1][:2] == ("Teknisk", "★ Kari Ærlig-Østby (leder)")  # as the page writes it
    assert matrix[2][:2] == ("Økonomi", "Ledig plass")


def test_spreadsheets_keep_formulas_as_text(reader_client, world):
    """A name typed as a formula must not run when the download is opened (CSV/formula injection)."""
    seat = world["seats"]["hidden"]
    seat.person.name = '=HYPERLINK("http://evil.example","Klikk")'
    seat.person.save()
    rows = list(
        csv.reader(io.StringIO(reader_client.get(f"{OVERVIEW}csv/").content.decode("utf-8-sig")), delimiter=";")
    )
    assert '\'=HYPERLINK("http://evil.example","Klikk")' in [row[3] for row in rows]
    assert "71 11 11 11" in [row[7] for row in rows]  # phone numbers are left alone
    workbook = load_workbook(io.BytesIO(reader_client.get(f"{OVERVIEW}xlsx/").content))
    cell = next(c for c in workbook["Medlemmer"]["D"] if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_pdf_title_with_markup_is_text(reader_client, world):
    """An organisation's name ends up in the PDF's CSS margin boxes: it must not break out of them."""
    molde = world["molde"]
    molde.short_name = 'Molde "</style><h1>X'
    molde.save()
    response = reader_client.get(f"{OVERVIEW}pdf/", {"organisasjon": "molde"})
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    # In the heading and in the header of the page; no style sheet spilled into the text.
    assert text.count('Medlemsoversikt: Molde "</style><h1>X') == 2
    assert "font-family" not in text and "Side 1 av 2" in text  # the matrix, then the lists


def test_person_vcard_parses_back_without_hidden_phone(reader_client, world):
    hidden = world["seats"]["hidden"].person
    response = reader_client.get(f"/faggrupper/teknisk/person/{hidden.pk}/vcard/")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    card = vobject.readOne(response.content.decode())
    assert card.fn.value == "Ola Skjult"
    assert card.email.value == hidden.email
    assert card.org.value == ["Rauma kommune"]
    assert not hasattr(card, "tel")
    leader = world["seats"]["leader"].person
    card = vobject.readOne(reader_client.get(f"/faggrupper/person/{leader.pk}/vcard/").content.decode())
    assert card.tel.value == "71 11 11 11"
    assert "Leder, Teknisk" in card.note.value


def test_group_vcard_holds_every_active_member_once(reader_client, world):
    response = reader_client.get("/faggrupper/teknisk/vcard/")
    cards = list(vobject.readComponents(response.content.decode()))
    assert sorted(card.fn.value for card in cards) == [
        "Kari Ærlig-Østby",
        "Ola Skjult",
        "Siri Rådgiver",
        "Tor Tillitsvalgt",
    ]


def test_vcard_of_someone_not_on_the_lists_is_not_found(reader_client, world):
    stranger = PersonFactory(name="Ukjent")
    assert reader_client.get(f"/faggrupper/person/{stranger.pk}/vcard/").status_code == 404
    # Someone from another group is not in this group's cards.
    rita = world["seats"]["okonomi"].person
    assert reader_client.get(f"/faggrupper/teknisk/person/{rita.pk}/vcard/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        OVERVIEW,
        f"{OVERVIEW}pdf/",
        f"{OVERVIEW}csv/",
        f"{OVERVIEW}xlsx/",
        "/faggrupper/representert/",
        "/faggrupper/representert/molde/",
        "/faggrupper/mine-grupper/",
        "/faggrupper/teknisk/medlemmer/pdf/",
        "/faggrupper/teknisk/vcard/",
    ],
)
def test_anonymous_visitors_get_the_login_page_and_no_data(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")
    assert b"Kari" not in response.content


def test_reading_exports_changes_nothing(client, world):
    """A representative of another municipality may read and download everything, and changes nothing by it."""
    rep = UserFactory(username="rep-rauma")
    rep.groups.add(world["rauma"].representatives_group)
    client.force_login(rep)
    before = list(Membership.objects.order_by("pk").values())
    for path in (OVERVIEW, f"{OVERVIEW}csv/", "/faggrupper/representert/molde/", "/faggrupper/teknisk/vcard/"):
        assert client.get(path).status_code == 200
        assert client.post(path).status_code in (403, 405)  # reading only; nothing accepts a POST
    assert list(Membership.objects.order_by("pk").values()) == before


# -- constant queries as data grows ------------------------------------------------------------------------------


def grow(world, n, first=0):
    for k in range(first, first + n):
        group = FaggruppePageFactory(parent=world["index"], title=f"Vekst {k:03d}")
        ArbeidsgruppePageFactory(parent=group, title=f"Under {k:03d}")
        for org in (world["molde"], world["rauma"]):
            MembershipFactory(group=group, person=PersonFactory(employer=org), represents=org)


def shown_text(response):
    """What the reader sees in the response: the page, the CSV, the vCards, the PDF's or the workbook's text."""
    content_type = response["Content-Type"]
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    if content_type.startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.getvalue()))
        return "\n".join(str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row)
    return response.getvalue().decode("utf-8-sig")


def count_queries(client, path, **params):
    """The queries of one request, after a warm-up request of the same URL.

    The first request in a process fills per-process caches (Wagtail's site root paths, Django's
    content types), so a count taken cold depends on which tests ran before. The warm-up makes the
    count the same whether the test runs alone or in its module.
    """
    client.get(path, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries), shown_text(response)


@pytest.mark.parametrize(
    "path, params, grown",
    [
        (OVERVIEW, {}, "Vekst 021"),
        (OVERVIEW, {"organisasjon": "molde"}, "Vekst 021"),
        (f"{OVERVIEW}pdf/", {}, "Vekst 021"),
        (f"{OVERVIEW}csv/", {}, "Vekst 021"),
        (f"{OVERVIEW}xlsx/", {}, "Vekst 021"),
        ("/faggrupper/representert/molde/", {}, "Vekst 021"),
        ("/faggrupper/teknisk/", {}, "Ny Tekniker 19"),
        ("/faggrupper/teknisk/vcard/", {}, "Ny Tekniker 19"),
    ],
)
def test_query_count_does_not_grow_with_the_data(reader_client, world, path, params, grown):
    grow(world, 2)
    small, small_text = count_queries(reader_client, path, **params)
    grow(world, 20, first=2)
    for k in range(20):
        MembershipFactory(
            group=world["teknisk"], person=PersonFactory(name=f"Ny Tekniker {k:02d}", employer=world["rauma"])
        )
    large, large_text = count_queries(reader_client, path, **params)
    # The larger data is really in the response (so the count is of a page that shows it) ...
    assert grown not in small_text and grown in large_text
    # ... and costs the same number of queries.
    assert large == small, f"{path} {params}: {small} queries with the small data, {large} with the large"


def test_my_groups_query_count_does_not_grow_with_the_members_groups(client, world):
    user = UserFactory(username="kari")
    person = world["seats"]["leader"].person
    person.user = user
    person.save()
    client.force_login(user)
    small, small_text = count_queries(client, "/faggrupper/mine-grupper/")
    today = timezone.localdate()
    for k in range(12):  # current, ending soon, earlier and later groups
        group = FaggruppePageFactory(parent=world["index"], title=f"Mer {k:02d}")
        start, end = [
            (datetime.date(2022, 1, 1), None),
            (datetime.date(2022, 1, 1), today + datetime.timedelta(days=5)),
            (datetime.date(2018, 1, 1), datetime.date(2019, 12, 31)),
            (today + datetime.timedelta(days=40), None),
        ][k % 4]
        MembershipFactory(person=person, group=group, start_date=start, end_date=end)
    large, large_text = count_queries(client, "/faggrupper/mine-grupper/")
    assert "Mer 08" not in small_text and "Mer 08" in large_text  # a current group
    assert "Mer 10" not in small_text and "Mer 10" in large_text  # an earlier group
    assert large == small, f"{small} queries with one group, {large} with 13"


# -- the overview pages with many groups: per fagområde, paged, in a fixed number of queries ----------------------

AREAS = ("Arkiv og dokumentasjon", "Helse og velferd", "Økonomi og innkjøp")


def grow_areas(world, n, first=0):
    """``n`` more faggrupper spread over AREAS and none (every fourth), each with a Molde and a Rauma member, a
    leader from Molde, and an arbeidsgruppe under every fifth."""
    for k in range(first, first + n):
        area = "" if k % 4 == 3 else AREAS[k % 4]
        group = FaggruppePageFactory(parent=world["index"], title=f"Stor {k:03d}", area=area)
        if k % 5 == 0:
            ArbeidsgruppePageFactory(parent=group, title=f"Under stor {k:03d}", area=area)
        for org, role in ((world["molde"], Role.LEADER), (world["rauma"], Role.MEMBER)):
            person = PersonFactory(name=f"{org.short_name} Person {k:03d}", employer=org)
            MembershipFactory(group=group, person=person, represents=org, role=role)


def own_queries(user, index, view, *args, params=None):
    """The queries of a reader view itself and its template, after routing: the site and the page are found and
    the user's permissions read (the header asks for them), as the request pipeline leaves them. What the routing
    costs is the routing's (branch i16-queries); this is the part the overview pages control."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from wagtail.models import Site

    request = RequestFactory().get(index.url, params or {})
    request.user = user
    request.session = SessionStore()
    Site.find_for_request(request)
    index.get_url(request)
    user.get_all_permissions()
    view(index, request, *args).render()  # warm-up: content types and other per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = view(index, request, *args)
        response.render()
    assert response.status_code == 200
    return len(queries), response.content.decode()


#: Most queries the overview pages may run themselves (the rest of a request is session, user, site, routing).
OWN_QUERIES = {"faggruppe_index": 4, "member_overview": 4, "representation": 5}


@pytest.mark.parametrize(
    "name, args, params",
    [
        ("faggruppe_index", (), {}),
        ("member_overview", (), {}),
        ("member_overview", (), {"organisasjon": "molde"}),
        ("member_overview", (), {"side": "2"}),
        ("representation", ("molde",), {}),
        ("representation", ("molde",), {"side": "2"}),
    ],
)
def test_overview_pages_run_few_queries_of_their_own_whatever_the_size(reader, world, name, args, params):
    from faggruppe_pages.wiring import _page_views

    view = _page_views[name]
    small, small_html = own_queries(reader, world["index"], view, *args, params=params)
    grow_areas(world, 60)  # past AREA_SECTIONS_FROM: sections and pages
    large, large_html = own_queries(reader, world["index"], view, *args, params=params)
    assert "Stor 0" not in small_html and "Stor 0" in large_html
    assert large == small, f"{name} {params}: {small} queries with 2 groups, {large} with 62"
    assert large <= OWN_QUERIES[name], f"{name}: {large} queries of its own"


@pytest.mark.parametrize(
    "path, params",
    [
        ("/faggrupper/", {}),
        (OVERVIEW, {}),
        (OVERVIEW, {"organisasjon": "molde", "side": "2"}),
        ("/faggrupper/representert/molde/", {}),
    ],
)
def test_overview_pages_cost_the_same_from_few_groups_to_many(reader_client, world, path, params):
    small, _ = count_queries(reader_client, path, **params)
    grow_areas(world, 60)
    large, text = count_queries(reader_client, path, **params)
    assert "Stor" in text
    assert large == small, f"{path} {params}: {small} queries with 2 groups, {large} with 62"


def html_of(response):
    return response.content.decode()


def test_few_groups_look_as_always_one_list_by_title(reader_client, world):
    html = html_of(reader_client.get("/faggrupper/"))
    assert 'class="group-cards"' in html and "<details" not in html
    matrix = html_of(reader_client.get(OVERVIEW))
    assert 'aria-label="Sider i medlemsoversikten"' not in matrix and 'class="area-row"' not in matrix


def test_index_groups_many_faggrupper_per_fagomrade_in_collapsed_sections(reader_client, world):
    from faggruppe_pages.reader.overview import AREA_SECTIONS_FROM

    grow_areas(world, AREA_SECTIONS_FROM)
    html = html_of(reader_client.get("/faggrupper/"))
    assert 'class="group-cards"' not in html
    sections = re.findall(r'<details class="area-section">\s*<summary>(.*?)</summary>', html, re.S)
    labels = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", s)).strip() for s in sections]
    # Areas by name, groups without one last; the world's Teknisk and Økonomi have no area.
    assert labels == [
        "Arkiv og dokumentasjon (8 grupper)",
        "Helse og velferd (8 grupper)",
        "Økonomi og innkjøp (7 grupper)",
        "Uten fagområde (9 grupper)",
    ]
    # Every faggruppe and arbeidsgruppe is reachable, once.
    for k in range(AREA_SECTIONS_FROM):
        assert html.count(f">Stor {k:03d}</a>") == 1
    assert html.count(">Under stor 005</a>") == 1
    assert html.count(">Teknisk</a>") == 1
    # The leader with their organisation, the member count, in a table with labelled cells.
    row = html[html.index(">Stor 000</a>") :]
    row = row[: row.index("</tr>")]
    assert "Molde Person 000" in row and "(Molde)" in row and ">2</td>" in row
    assert "Faggrupper innen Arkiv og dokumentasjon" in html  # the table's caption
    assert "32 faggrupper, etter fagområde." in html


def matrix_titles(html):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def test_matrix_with_many_groups_is_paged_per_fagomrade_and_every_group_is_on_one_page(reader_client, world):
    from faggruppe_pages.reader.overview import MATRIX_PAGE_SIZE

    grow_areas(world, 60)
    first = html_of(reader_client.get(OVERVIEW))
    second = html_of(reader_client.get(OVERVIEW, {"side": "2"}))
    titles = matrix_titles(first) + matrix_titles(second)
    expected = {"Teknisk", "Økonomi", "Innkjøp"} | {f"Stor {k:03d}" for k in range(60)}
    expected |= {f"Under stor {k:03d}" for k in range(0, 60, 5)}
    assert sorted(titles) == sorted(expected)  # each once
    # Page 1: MATRIX_PAGE_SIZE faggrupper (with their arbeidsgrupper), the first areas first.
    faggrupper_first = [t for t in matrix_titles(first) if not t.startswith("Under ") and t != "Innkjøp"]
    assert len(faggrupper_first) == MATRIX_PAGE_SIZE
    assert faggrupper_first[0] == "Stor 000" and "Stor 003" not in faggrupper_first  # no area: last
    assert matrix_titles(second)[-1] in {"Teknisk", "Økonomi", "Innkjøp"}
    # Area headings over their rows, a caption that names the page, accessible page navigation in Norwegian.
    assert '<th scope="rowgroup"' in first and ">Arkiv og dokumentasjon</th>" in first
    assert "(side 1 av 2)" in first
    nav = re.search(r'<nav aria-label="Sider i medlemsoversikten" class="pagination">(.*?)</nav>', second, re.S)
    assert nav, "page navigation"
    assert 'href="?side=2" aria-current="page"' in nav.group(1)
    assert 'href="?side=1" rel="prev">Forrige side</a>' in nav.group(1)
    assert "Neste side" not in nav.group(1)
    # Jump to a fagområde: the page it starts on.
    assert 'href="?side=2#omrade-4">Uten fagområde</a>' in first
    # The summary counts the whole overview, not the page.
    assert "75 grupper" in first and "75 grupper" in second


def test_matrix_filter_and_pages_together(reader_client, world):
    grow_areas(world, 60)
    response = reader_client.get(OVERVIEW, {"organisasjon": "molde", "side": "2"})
    html = html_of(response)
    assert [c.label for c in response.context["overview"].columns] == ["Molde"]
    assert "Rauma Person" not in html and "Molde Person 003" in html  # page 2: the groups without an area
    assert 'href="?organisasjon=molde&amp;side=1" rel="prev"' in html  # the links keep the filter
    assert f"{OVERVIEW}pdf/?organisasjon=molde" in html


@pytest.mark.parametrize(
    "side, message, shown",
    [
        ("abc", "Det finnes ingen side «abc». Viser første side i stedet.", 1),
        ("0", "Det finnes ingen side «0». Viser første side i stedet.", 1),
        ("-3", "Det finnes ingen side «-3». Viser første side i stedet.", 1),
        ("99", "Det finnes bare 2 sider. Viser den siste i stedet.", 2),
        ("99999999999999999999", "Det finnes ingen side «99999999999999999999». Viser første side i stedet.", 1),
    ],
)
@pytest.mark.parametrize("path", [OVERVIEW, "/faggrupper/representert/molde/"], ids=["matrix", "representation"])
def test_paged_page_that_does_not_exist_says_so_and_shows_a_page(reader_client, world, path, side, message, shown):
    grow_areas(world, 60)
    response = reader_client.get(path, {"side": side})
    assert response.status_code == 200
    html = html_of(response)
    assert message in html
    assert f'aria-current="page"><span class="visually-hidden">Side </span>{shown}</a>' in html


def test_matrix_page_past_the_only_page_of_few_groups(reader_client, world):
    html = html_of(reader_client.get(OVERVIEW, {"side": "3"}))
    assert "Det finnes bare 1 side. Viser den i stedet." in html and "Kari Ærlig-Østby" in html


def test_matrix_pages_agree_with_the_exports_overview(reader_client, world):
    """The paged page and the exports' builder count the same seats, gaps and overdue lists, cell by cell."""
    from faggruppe_pages.reader.overview import build_matrix, build_overview

    grow_areas(world, 60)
    MembershipFactory(  # a union seat and a deputy, to cover those columns and role notes
        group=world["okonomi"],
        person=PersonFactory(name="Tove Tillitsvalgt", employer=world["rauma"]),
        represents=world["union"],
        role=Role.UNION_REP,
    )
    for organisation in (None, world["molde"], world["union"]):
        whole = build_overview(root=world["index"], organisation=organisation)
        first = build_matrix(world["index"], organisation=organisation)
        pages = [first] + [
            build_matrix(world["index"], organisation=organisation, page=n) for n in range(2, first.page_count + 1)
        ]
        assert first.member_count == whole.member_count
        assert first.gap_count == whole.gap_count
        assert first.overdue_count == len(whole.overdue_rows)
        assert first.group_count == len(whole.rows)
        expected = {
            (row.group.pk, cell.column.key): (cell.gap, len(cell.seats)) for row in whole.rows for cell in row.cells
        }
        shown = {
            (row.group.pk, cell.column.key): (cell.gap, str(cell.html).count("<li"))
            for page in pages
            for row in page.rows
            for cell in row.cells
        }
        assert shown == expected


REPRESENTATION_MOLDE = "/faggrupper/representert/molde/"


def seat_table(html):
    """The seats table of a representation page: the text of each row's group and name cells."""
    table = html[html.index('<table class="member-table">') : html.index("</table>")]
    return re.findall(
        r'<th scope="row" data-label="Gruppe"><a href="[^"]+">([^<]+)</a></th>\s*<td[^>]*>(.*?)</td>', table
    )


def test_representation_with_many_groups_is_paged_per_fagomrade_and_every_seat_is_on_one_page(reader_client, world):
    from faggruppe_pages.reader.overview import MATRIX_PAGE_SIZE

    grow_areas(world, 60)
    first = html_of(reader_client.get(REPRESENTATION_MOLDE))
    second = html_of(reader_client.get(REPRESENTATION_MOLDE, {"side": "2"}))
    rows = seat_table(first) + seat_table(second)
    # Every seat of Molde once: Teknisk's leader, Innkjøp's member and a leader in each of the 60 new groups.
    expected = {("Teknisk", "Kari Ærlig-Østby"), ("Økonomi", "Ledig plass")}  # and its empty seat in Økonomi
    expected |= {(f"Stor {k:03d}", f"Molde Person {k:03d}") for k in range(60)}
    assert {(group, re.sub(r"<[^>]+>", "", name)) for group, name in rows if group != "Innkjøp"} == expected
    assert len(rows) == len(expected) + 1 and "Innkjøp" in [group for group, _ in rows]
    assert len({group for group, _ in seat_table(first)} - {"Innkjøp"}) == MATRIX_PAGE_SIZE
    # Per fagområde, areas by name and groups without one last, with headings the table announces.
    assert '<th scope="rowgroup" colspan="5" id="omrade-1">Arkiv og dokumentasjon</th>' in first
    assert seat_table(first)[0][0] == "Stor 000" and "Stor 003" not in first
    assert "(side 1 av 2)" in first
    areas = re.search(r'<nav aria-label="Fagområder blant plassene" class="area-links">(.*?)</nav>', first, re.S)
    assert areas and 'href="?side=2#omrade-4">Uten fagområde</a>' in areas.group(1)
    nav = re.search(r'<nav aria-label="Sider med plasser" class="pagination">(.*?)</nav>', second, re.S)
    assert nav, "page navigation"
    assert 'href="?side=2" aria-current="page"' in nav.group(1)
    assert 'href="?side=1" rel="prev">Forrige side</a>' in nav.group(1)
    # The summary, the gaps and the terms ending soon cover every group on every page.
    for html in (first, second):
        assert "62 plasser" in html and "i 62 grupper" in html
    hustadvika = [html_of(reader_client.get("/faggrupper/representert/hustadvika/", {"side": n})) for n in (1, 2)]
    for html in hustadvika:
        gaps = html[html.index('id="gaps-heading"') : html.index("</section>", html.index('id="gaps-heading"'))]
        assert "Mangler representanter i 62 grupper" in gaps and gaps.count("<li>") == 62


def test_representation_of_few_groups_is_one_table_without_pages(reader_client, world):
    html = html_of(reader_client.get(REPRESENTATION_MOLDE, {"side": "2"}))
    assert "Det finnes bare 1 side. Viser den i stedet." in html
    assert 'class="pagination"' not in html and 'class="area-row"' not in html
    assert [group for group, _ in seat_table(html)] == ["Teknisk", "Økonomi", "Innkjøp"]


def test_representation_rows_escape_what_people_typed_and_link_only_who_has_a_page(reader_client, world):
    group = FaggruppePageFactory(parent=world["index"], title="<i>Gruppe</i> & co", slug="kursiv")
    typed = PersonFactory(name='Ola <b>"Fet"</b> & Co', employer=world["molde"])
    MembershipFactory(group=group, person=typed, represents=world["molde"], role=Role.LEADER)
    gone = PersonFactory(name="Borte Anonym", employer=world["molde"], anonymised_at=timezone.now())
    MembershipFactory(group=group, person=gone, represents=world["molde"])
    html = html_of(reader_client.get(REPRESENTATION_MOLDE))
    table = html[html.index('<table class="member-table">') : html.index("</table>")]
    assert "<b>" not in table and "<i>Gruppe" not in table
    assert f'<a href="{group.url}">&lt;i&gt;Gruppe&lt;/i&gt; &amp; co</a></th>' in table
    assert f'<a href="{typed.get_absolute_url()}">Ola &lt;b&gt;&quot;Fet&quot;&lt;/b&gt; &amp; Co</a>' in table
    assert '<td data-label="Navn">Borte Anonym</td>' in table  # anonymised: no page, no link
    leader = re.search(r'<tr class="is-leader">(.*?)</tr>', table[table.index("&lt;i&gt;Gruppe") - 200 :], re.S)
    assert leader and '<span aria-hidden="true">★ </span>Leder' in leader.group(1)


def test_representation_agrees_with_the_exports_overview(world):
    """The light page and the exports' builder see the same seats, coming seats, gaps, surplus and overdue
    entries, for a municipality, the cooperation and a union, with many groups and pages."""
    from faggruppe_pages.reader.overview import build_overview
    from faggruppe_pages.reader.representation import representation

    grow_areas(world, 60)
    MembershipFactory(
        group=world["okonomi"],
        person=PersonFactory(name="Tove Tillitsvalgt", employer=world["rauma"]),
        represents=world["union"],
        role=Role.UNION_REP,
    )
    MembershipFactory(  # a coming seat, the only entry of its group; and a term ending soon
        group=ArbeidsgruppePageFactory(parent=world["teknisk"], title="Snart"),
        person=PersonFactory(name="Mona Kommende", employer=world["molde"]),
        represents=world["molde"],
        start_date=TODAY() + datetime.timedelta(days=5),
    )
    world["seats"]["leader"].end_date = TODAY() + datetime.timedelta(days=3)
    world["seats"]["leader"].save()
    MembershipFactory(  # on the edges: starts and ends today; and named before the leader, who still comes first
        group=world["teknisk"],
        person=PersonFactory(name="Anne Andersen", employer=world["molde"]),
        represents=world["molde"],
        start_date=TODAY(),
        end_date=TODAY(),
    )
    for organisation in (world["molde"], world["hustadvika"], world["rauma"], world["ror"], world["union"]):
        whole = build_overview(root=world["index"], organisation=organisation, upcoming=True)
        light = representation(world["index"], organisation)
        today = whole.today
        expected = {}
        for row in whole.rows:
            cell, coming = row.cells[0], whole.upcoming.get(row.group.pk, [])
            if cell.seats or cell.gap or coming:
                expected[row.group.pk] = (
                    [(m.person.name, m.role_label, row.member_is_overdue(m), m.ends_soon(today)) for m in cell.seats],
                    [(m.person.name, m.start_date) for m in coming],
                    cell.gap,
                    cell.surplus,
                )
        shown = {
            entry.group.pk: (
                [(s.person_name, s.role_label, s.overdue, s.ends_soon) for s in entry.seats],
                [(s.person_name, s.start_date) for s in entry.upcoming],
                entry.gap,
                entry.surplus,
            )
            for entry in light.entries
        }
        assert shown == expected, organisation
        pages = [representation(world["index"], organisation, page=n) for n in range(1, light.page_count + 1)]
        on_pages = [entry.group.pk for page in pages for section in page.sections for entry in section.groups]
        assert sorted(on_pages) == sorted(expected), organisation  # every entry on one page


def test_representation_page_shows_coming_seats_read_with_the_current_ones(reader_client, world):
    start = TODAY() + datetime.timedelta(days=10)
    MembershipFactory(
        group=world["teknisk"],
        person=PersonFactory(name="Hanne Kommende", employer=world["hustadvika"]),
        represents=world["hustadvika"],
        start_date=start,
    )
    html = reader_client.get("/faggrupper/representert/hustadvika/").content.decode()
    assert "Hanne Kommende" in html
    assert start.strftime("%d.%m.%Y") in html
    # Not yet a seat: the gap stays, and the matrix does not show her.
    assert 'class="has-gap"' in html
    assert "Hanne Kommende" not in reader_client.get(OVERVIEW).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/faggrupper/",
        "/faggrupper/medlemsoversikt/",
        "/faggrupper/medlemsoversikt/?organisasjon=molde",
        "/faggrupper/representert/molde/",
        "/faggrupper/representert/",
    ],
)
def test_the_overview_pages_whole_requests_within_twelve_queries(path, settings, django_db_setup, db):
    """Issue 16: each overview page in at most 12 queries for a plain reader, uncached (the reader-page cache
    off), the whole request: session, user, site, routing and the page's own."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.demo_snapshot import load_demo

    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0
    load_demo()
    client = Client()
    client.force_login(get_user_model().objects.get(username="leser"))
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert len(captured) <= 12, [q["sql"][:80] for q in captured.captured_queries]
