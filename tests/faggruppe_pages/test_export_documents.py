"""The downloads as documents: the overview PDF is the page's matrix and then the lists, every PDF is tagged for
screen readers, e-mail addresses wrap only at sensible points, and file names keep (or spell out) Norwegian letters."""

import io
import re

import pytest
import vobject
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from faggruppe_pages.reader.exports import content_disposition, vcard_filename
from faggruppe_pages.reader.overview import build_overview
from tests.factories import FaggruppePageFactory, MembershipFactory, PersonFactory
from tests.faggruppe_pages.test_overview import OVERVIEW, world  # noqa: F401

pytestmark = pytest.mark.django_db


def pdf_of(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def size(page):
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def assert_tagged(pdf, title):
    """PDF/UA: a structure tree, marked content, the document's language and its title shown as the title."""
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nb"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert pdf.metadata.title == title


def test_overview_pdf_starts_with_the_matrix_in_landscape_then_the_lists(reader_client, world):  # noqa: F811
    pdf = pdf_of(reader_client.get(f"{OVERVIEW}pdf/"))
    assert size(pdf.pages[0]) == (842, 595)
    matrix = pdf.pages[0].extract_text()
    # The page's matrix: a column per organisation, a row per group, the empty seat marked in its cell.
    for label in ("Gruppe", "Molde", "Rauma", "Hustadvika", "Grupper og organisasjoner", "Sist bekreftet"):
        assert label in matrix, label
    assert re.search(r"Teknisk\s+Faggruppe", matrix) and "Ledig plass" in matrix
    assert re.search(r"Tor Tillitsvalgt\s*\(Fagforbundet\)", matrix)  # a union's seat, named once
    lists = "\n".join(page.extract_text() for page in pdf.pages[1:])
    assert all(size(page) == (595, 842) for page in pdf.pages[1:])
    assert "Medlemmene i hver gruppe" in lists and "Ola Skjult" in lists
    assert "99 88 77 66" not in matrix + lists


def test_the_matrix_header_row_is_repeated_on_every_matrix_page(reader_client, world):  # noqa: F811
    # About 18 rows fit on a landscape page: 24 more groups make at least two.
    for n in range(24):
        MembershipFactory(group=FaggruppePageFactory(parent=world["index"], title=f"Gruppe {n:02d}"))
    pdf = pdf_of(reader_client.get(f"{OVERVIEW}pdf/"))
    landscape = [page.extract_text() for page in pdf.pages if size(page) == (842, 595)]
    assert len(landscape) >= 2
    for text in landscape:
        assert re.search(r"Gruppe\s+Molde\s+Rauma", text) or ("Molde" in text and "Hustadvika" in text)


def test_one_groups_pdf_is_its_list_only(reader_client, world):  # noqa: F811
    pdf = pdf_of(reader_client.get("/faggrupper/teknisk/medlemmer/pdf/"))
    assert [size(page) for page in pdf.pages] == [(595, 842)] * len(pdf.pages)
    assert "Grupper og organisasjoner" not in pdf.pages[0].extract_text()


@pytest.mark.parametrize(
    "path,title",
    [
        (f"{OVERVIEW}pdf/", "Medlemsoversikt"),
        (f"{OVERVIEW}pdf/?organisasjon=molde", "Medlemsoversikt: Molde"),
        ("/faggrupper/teknisk/medlemmer/pdf/", "Medlemmer i Teknisk"),
    ],
)
def test_every_pdf_is_tagged_with_title_and_language(reader_client, world, path, title):  # noqa: F811
    assert_tagged(pdf_of(reader_client.get(path)), title)


def test_email_wrap_breaks_only_before_at_and_dots_and_escapes():
    rendered = Template("{% load faggruppe_text %}{{ a|email_wrap }}|{{ b|email_wrap }}|{{ c|email_wrap }}").render(
        Context({"a": "hakon.myklebust@vestnes.kommune.no", "b": "<b>x</b>@y.no", "c": None})
    )
    assert rendered == ("hakon<wbr>.myklebust<wbr>@vestnes<wbr>.kommune<wbr>.no|&lt;b&gt;x&lt;/b&gt;<wbr>@y<wbr>.no|")


def test_addresses_in_the_pdf_are_never_split_inside_a_word(reader_client, world):  # noqa: F811
    people = [
        PersonFactory(name=f"Person {n}", email=f"hakon.myklebust{n}@vestnes.kommune.no", employer=world["molde"])
        for n in range(6)
    ]
    for person in people:
        MembershipFactory(group=world["teknisk"], person=person)
    pdf = pdf_of(reader_client.get(f"{OVERVIEW}pdf/"))
    text = "\n".join(page.extract_text() for page in pdf.pages[1:])
    joined = re.sub(r"\s*\n\s*(?=[@.])", "", text)  # undo the breaks that are allowed: before "@" and "."
    for person in people:
        assert person.email in joined, person.email


def test_file_names_keep_norwegian_letters_or_spell_them_out():
    header = content_disposition("Lønn og personal.vcf")
    assert header == "attachment; filename=\"lonn-og-personal.vcf\"; filename*=UTF-8''L%C3%B8nn%20og%20personal.vcf"
    assert content_disposition("medlemsoversikt-2026-11-30.pdf") == (
        'attachment; filename="medlemsoversikt-2026-11-30.pdf"'
    )
    assert vcard_filename("Lønn og personal") == "lonn-og-personal.vcf"
    assert vcard_filename("Ærø Åsgård") == "aero-asgard.vcf"


def test_group_vcard_download_is_named_with_the_letters_spelled_out(reader_client, world):  # noqa: F811
    group = FaggruppePageFactory(parent=world["index"], title="Lønn og personal", slug="lonn-og-personal")
    MembershipFactory(group=group, person=PersonFactory(employer=world["molde"]))
    response = reader_client.get("/faggrupper/lonn-og-personal/vcard/")
    assert response.status_code == 200
    assert 'filename="lonn-og-personal.vcf"' in response["Content-Disposition"]


def test_the_union_is_named_once_in_the_spreadsheet_and_the_vcard(reader_client, world):  # noqa: F811
    workbook = load_workbook(io.BytesIO(reader_client.get(f"{OVERVIEW}xlsx/").content))
    cells = [c for row in workbook["Oversikt"].iter_rows(values_only=True) for c in row if c]
    union_cell = next(c for c in cells if "Tor Tillitsvalgt" in str(c))
    assert "Tor Tillitsvalgt (Fagforbundet)" in union_cell and union_cell.count("Fagforbundet") == 1
    person = world["seats"]["union"].person
    response = reader_client.get(f"/faggrupper/person/{person.pk}/vcard/")
    assert response.status_code == 200, response.status_code
    note = vobject.readOne(response.content.decode()).note.value
    assert note.count("Fagforbundet") == 1 and "Teknisk" in note


def test_the_group_type_is_translated_in_english_too(world):  # noqa: F811
    rows = build_overview(world["index"]).rows
    with translation.override("en"):
        assert {str(r.kind_label) for r in rows} == {"Professional group", "Working group"}
    with translation.override("nn"):
        assert {str(r.kind_label) for r in rows} == {"Faggruppe", "Arbeidsgruppe"}
