"""The downloads as documents: the overview PDF is the page's matrix and then the lists, every PDF is tagged for
screen readers, e-mail addresses wrap only at sensible points, and file names keep (or spell out) Norwegian letters."""

import io
import re
import subprocess

import pikepdf
import pytest
import vobject
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from faggruppe_pages.reader.exports import content_disposition, overview_pdf, vcard_filename
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
    # About 30 one-line rows fit on a landscape page: 45 more groups make at least two.
    for n in range(45):
        group = FaggruppePageFactory(parent=world["index"], title=f"Gruppe {n:02d}")
        MembershipFactory(group=group, person=PersonFactory(employer=world["molde"]), represents=world["molde"])
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
    rendered = Template("{% load faggruppe_text %}{{ a|email_wrap_pdf }}|{{ b|email_wrap_pdf }}|{{ c|email_wrap_pdf }}")
    rendered = rendered.render(Context({"a": "hakon.myklebust@vestnes.kommune.no", "b": "<b>x</b>@y.no", "c": None}))
    zwsp = "\u200b"
    expected = f"hakon{zwsp}.myklebust{zwsp}@vestnes{zwsp}.kommune{zwsp}.no|&lt;b&gt;x&lt;/b&gt;{zwsp}@y{zwsp}.no|"
    assert rendered == expected


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
    # The places to break are zero-width spaces in the layout (email_wrap_pdf), never characters of the PDF's text:
    # an address copied from the PDF is whole.
    assert "\u200b" not in text


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


# -- a large overview, rendered in parts (reader/exports/pdf.py, render_pdf_in_parts) ------------------------------


def pdftotext(content, path):
    """poppler-utils' pdftotext of a PDF, one text per page, each row of a table on one line (``-layout``)."""
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout.split("\f")[:-1]


#: What is on every page, whatever is on it: the title and date at the top, "Side x av y" at the bottom; and the
#: header row the matrix and a list repeat when they go on to the next page (or the next part).
PAGE_FURNITURE = re.compile(
    r"Side \d+ av \d+|Medlemsoversikt \d\d\.\d\d\.\d{4}|Representerer Navn Rolle Stilling E-post Telefon"
    r"|Gruppe (?:[\w-]+ )+Sist bekreftet"
)


def reading(pages):
    """The lines a reader reads in order (spacing aside), without what every page repeats."""
    lines = (" ".join(line.split()) for page in pages for line in page.splitlines())
    return [line for line in lines if line and not PAGE_FURNITURE.fullmatch(line)]


def test_a_large_overview_in_parts_reads_as_one_document_with_its_pages_numbered(world, settings, tmp_path):  # noqa: F811
    organisations = [world["molde"], world["rauma"], world["hustadvika"]]
    for n in range(13):
        group = FaggruppePageFactory(parent=world["index"], title=f"Gruppe {n:02d}")
        for seat in range(3 + n % 4):
            organisation = organisations[seat % 3]
            person = PersonFactory(name=f"Medlem {n:02d}-{seat}", employer=organisation)
            MembershipFactory(group=group, person=person, represents=organisation)
    with translation.override("nb"):
        overview = build_overview(root=world["index"])
        settings.FAGGRUPPE_PDF_PART_GROUPS = 1000
        whole = overview_pdf(overview)
        settings.FAGGRUPPE_PDF_PART_GROUPS = 4
        settings.FAGGRUPPE_PDF_PROCESSES = 2  # the parts laid out side by side, in processes of their own
        in_parts = overview_pdf(overview)
    whole_pages = pdftotext(whole, tmp_path / "whole.pdf")
    pages = pdftotext(in_parts, tmp_path / "parts.pdf")
    # The matrix in four parts of rows, then four parts of lists (16 groups), each part from a new page.
    assert len(pages) >= 8 and len(pages) >= len(whole_pages)
    for number, text in enumerate(pages, start=1):
        assert re.findall(r"Side \d+ av \d+", text) == [f"Side {number} av {len(pages)}"], number
        assert "Medlemsoversikt" in text  # the title at the top of every page
    # The same text in the same order: the matrix, every group's list, the legend.
    assert reading(pages) == reading(whole_pages)
    assert "Medlem 12-2" in pages[-1] and "★ markerer" in pages[-1]

    # The joined file is written object by object (reader/exports/pdf_parts.py): qpdf finds nothing wrong in it.
    with pikepdf.open(io.BytesIO(in_parts)) as checked:
        assert checked.check_pdf_syntax() == []
    pdf = PdfReader(io.BytesIO(in_parts))
    assert_tagged(pdf, "Medlemsoversikt")
    # The matrix in parts of 4 rows (landscape), then the lists (portrait).
    sizes = [size(page) for page in pdf.pages]
    matrix_pages = sizes.count((842, 595))
    assert matrix_pages >= 4 and sizes == [(842, 595)] * matrix_pages + [(595, 842)] * (len(sizes) - matrix_pages)
    # One structure tree: every page's marked content is mapped, every element's page is a page of the document.
    tree = pdf.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    keys = [nums[i] for i in range(0, len(nums), 2)]
    assert sorted(page["/StructParents"] for page in pdf.pages) == list(range(len(pdf.pages)))
    assert set(range(len(pdf.pages))) <= set(keys) and len(keys) == len(set(keys))
    page_ids = {page.indirect_reference.idnum for page in pdf.pages}
    document = tree["/K"][0].get_object()
    elements, seen_pages = list(document["/K"]), set()
    while elements:
        element = elements.pop().get_object()
        if hasattr(element, "get") and "/S" in element:
            if "/Pg" in element:
                seen_pages.add(element.raw_get("/Pg").idnum)
            kids = element.get("/K")
            elements.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    assert seen_pages == page_ids
