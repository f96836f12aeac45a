"""The search page (/sok/): what readers find (groups, people, organisations) and never find, Norwegian prefix
matching, grouping, highlighting and escaping, bad input, the index kept current, update_index, query counts and
the demo's index. Real database (SQLite's FTS5 or PostgreSQL's full text with the Norwegian configuration)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from faggruppe_pages.models import Membership, Person
from faggruppe_pages.reader import search as engine
from faggruppe_pages.upkeep.privacy import ANONYMOUS_NAME
from tests.factories import (
    ArbeidsgruppePageFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_index,
)

pytestmark = pytest.mark.django_db

SEARCH = "/sok/"


@pytest.fixture
def world(db):
    index = make_index()
    molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde")
    rauma = OrganisationFactory(name="Rauma kommune", short_name="Rauma", slug="rauma")
    lonn = FaggruppePageFactory(
        parent=index, title="Lønn og personal", slug="lonn-og-personal", purpose="Lønnssystem og HR."
    )
    helse = FaggruppePageFactory(
        parent=index,
        title="Helse og velferd",
        slug="helse-og-velferd",
        purpose="Samordne fagsystemene i helsetjenestene i kommunene.",
        area="Pleie og omsorg",
    )
    hilde = PersonFactory(name="Hilde Hjelle", job_title="Kommunalsjef", employer=molde, phone="98765432")
    hilde.show_phone = False
    hilde.email = "hemmelig.adresse@example.no"
    hilde.save()
    MembershipFactory(person=hilde, group=helse, represents=molde)
    knut = PersonFactory(name="Knut Bjørnstad", job_title="Lønnskonsulent", employer=rauma)
    MembershipFactory(person=knut, group=lonn, represents=rauma)
    return {"index": index, "molde": molde, "rauma": rauma, "lonn": lonn, "helse": helse, "hilde": hilde, "knut": knut}


@pytest.fixture
def leser(client):
    client.force_login(UserFactory(username="leser"))
    return client


def found(query, key=None):
    """{kind: [plain titles]} of a search, or the titles of one kind."""
    groups = engine.search(query, None)
    out = {g.source.key: [_plain(h["title"]) for h in g.hits] for g in groups}
    return out.get(key, []) if key else out


def _plain(html):
    return str(html).replace("<mark>", "").replace("</mark>", "").replace("&amp;", "&")


# -- the page and the header box ---------------------------------------------------------------------------------
def test_every_reader_page_has_the_search_box_in_its_header(leser, world):
    html = leser.get("/faggrupper/").content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    assert 'role="search"' in header
    assert f'action="{SEARCH}"' in header
    assert '<label for="site-search-q">Søk</label>' in header
    assert 'id="site-search-q" name="q"' in header


def test_search_requires_login(client, world):
    response = client.get(SEARCH, {"q": "lønn"})
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")


def test_search_address_redirects_to_sok_keeping_the_query(leser):
    response = leser.get("/search/?q=l%C3%B8nn&x=1")
    assert response.status_code == 301
    assert response["Location"] == "/sok/?q=l%C3%B8nn&x=1"
    assert leser.get("/search/")["Location"] == "/sok/"


def test_empty_query_gets_a_helpful_page(leser, world):
    response = leser.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Søk</h1>" in html
    assert "Skriv et ord eller starten på et ord" in html
    assert "Grupper, Personer, Organisasjoner, Mandater, Møter, Tiltak, Forslag" in html


def test_no_hits_says_so(leser, world):
    html = leser.get(SEARCH, {"q": "xyzzy"}).content.decode()
    assert "Fant ingenting for «xyzzy»." in html


# -- Norwegian prefix matching -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, title",
    [
        ("lønn", "Lønn og personal"),
        ("LØNN", "Lønn og personal"),
        ("lø", "Lønn og personal"),
        ("lønn og", "Lønn og personal"),
        ("helse", "Helse og velferd"),
        ("velf", "Helse og velferd"),
        ("pleie", "Helse og velferd"),  # the professional area
        ("helsetjenestene", "Helse og velferd"),  # a whole word of the purpose
    ],
)
def test_groups_are_found_by_prefix_and_word(world, query, title):
    assert title in found(query, "groups")


def test_a_partial_surname_finds_the_person(world):
    assert found("Hjel", "people") == ["Hilde Hjelle"]
    assert found("bjørn", "people") == ["Knut Bjørnstad"]
    assert found("kommunalsjef", "people") == ["Hilde Hjelle"]  # job title


def test_people_are_found_by_employer_and_by_the_groups_they_sit_in(world):
    assert "Hilde Hjelle" in found("molde", "people")
    assert found("velferd", "people") == ["Hilde Hjelle"]


def test_organisations_are_found_by_name_and_short_name(world):
    assert found("raum", "organisations") == ["Rauma kommune"]
    assert "Molde kommune" in found("molde", "organisations")


def test_working_groups_are_found_by_their_assignment(world):
    ArbeidsgruppePageFactory(
        parent=world["lonn"], title="Arbeidsgruppe timeregistrering", assignment="Kartlegge turnusplanlegging."
    )
    assert found("turnus", "groups") == ["Arbeidsgruppe timeregistrering"]


# -- results: grouped, linked, highlighted, escaped -------------------------------------------------------------
def test_results_are_grouped_by_kind_with_links_and_marked_words(leser, world):
    html = leser.get(SEARCH, {"q": "molde"}).content.decode()
    people = html.index('<h2 id="hits-people">Personer</h2>')
    organisations = html.index('<h2 id="hits-organisations">Organisasjoner</h2>')
    assert people < organisations
    assert "<mark>Molde</mark> kommune" in html
    assert 'href="/faggrupper/representert/molde/"' in html
    html = leser.get(SEARCH, {"q": "lønn"}).content.decode()
    assert '<h2 id="hits-groups">Grupper</h2>' in html
    assert f'<a href="{world["lonn"].url}"><mark>Lønn</mark> og personal</a>' in html
    assert "<mark>Lønnssystem</mark> og HR." in html  # the snippet
    assert "treff for «lønn»" in html


def test_a_person_links_to_their_page_or_else_their_contact_card(leser, world):
    html = leser.get(SEARCH, {"q": "hjelle"}).content.decode()
    if hasattr(Person, "get_absolute_url"):
        assert f'href="{world["hilde"].get_absolute_url()}"' in html
    else:
        assert f'href="/faggrupper/person/{world["hilde"].pk}/vcard/"' in html
        assert "Kontaktkort (vCard)" in html
    assert "Kommunalsjef, Molde kommune" in html
    assert "Sitter i: Helse og velferd" in html


def test_the_query_and_titles_with_html_are_escaped(leser, world):
    FaggruppePageFactory(parent=world["index"], title="<b>Skript</b> & <script>alert(1)</script>", slug="skript")
    response = leser.get(SEARCH, {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html  # the query, echoed in the box
    html = leser.get(SEARCH, {"q": "skript"}).content.decode()
    assert "<script>alert" not in html
    assert "<b>Skript" not in html
    assert "&lt;b&gt;<mark>Skript</mark>&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_mark_escapes_and_marks_word_starts_only():
    stems = engine._stems(["lønn"])
    assert str(engine.mark("Lønn <og> lønnsslipp, ulønnet", stems)) == (
        "<mark>Lønn</mark> &lt;og&gt; <mark>lønnsslipp</mark>, ulønnet"
    )
    assert str(engine.snippet(["a " * 200 + "lønn " + "b " * 200], stems)).startswith("…")


# -- bad input -----------------------------------------------------------------------------------------------------
def test_an_absurdly_long_query_gets_a_norwegian_message(leser, world):
    response = leser.get(SEARCH, {"q": "lønn " * 60})
    assert response.status_code == 400
    assert "Søket er for langt: skriv høyst 200 tegn." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "*",
        "lønn*",
        '"lønn',
        "NEAR(lønn helse)",
        "lønn AND OR NOT",
        "-lønn",
        "^lønn",
        "lønn:",
        "a\\b",
        "(",
        "))",
        "%",
        "_",
        "lønn & helse | !",
        "é",
        "😀",
        "1/2",
        "é" * 200,
    ],
)
def test_odd_characters_never_fail(leser, world, query):
    response = leser.get(SEARCH, {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Skriv minst én bokstav eller ett siffer å søke etter." in response.content.decode()


def test_no_letters_gets_a_norwegian_message(leser, world):
    response = leser.get(SEARCH, {"q": "!?*"})
    assert response.status_code == 400
    assert "Skriv minst én bokstav eller ett siffer å søke etter." in response.content.decode()


def test_a_post_is_refused(leser, world):
    assert leser.post(SEARCH, {"q": "lønn"}).status_code == 405


# -- what readers may not read is never found ----------------------------------------------------------------------
def test_a_draft_group_page_is_never_found(world):
    draft = FaggruppePageFactory(parent=world["index"], title="Hemmelig utkastgruppe", slug="utkast")
    draft.unpublish()
    assert found("hemmelig") == {}
    assert found("utkastgruppe") == {}


def test_hidden_phone_numbers_and_email_addresses_are_never_indexed(world):
    assert found("98765432") == {}
    assert found("98") == {}
    assert found("hemmelig") == {}
    assert found("example") == {}
    body = " ".join(IndexEntry.objects.values_list("body", flat=True)) + " ".join(
        IndexEntry.objects.values_list("autocomplete", flat=True)
    )
    assert "98765432" not in body
    assert "hemmelig" not in body


def test_people_not_on_a_published_list_and_anonymised_people_are_not_found(world):
    PersonFactory(name="Ola Utenforliste", employer=world["molde"])
    assert found("utenforliste") == {}
    hidden_group = FaggruppePageFactory(parent=world["index"], title="Upublisert", slug="upublisert")
    MembershipFactory(person=PersonFactory(name="Per Kladdemedlem", employer=world["molde"]), group=hidden_group)
    hidden_group.unpublish()
    assert found("kladdemedlem") == {}
    knut = world["knut"]
    Person.objects.filter(pk=knut.pk).update(anonymised_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert found("bjørnstad") == {}
    assert found(ANONYMOUS_NAME.split()[0]) == {}


# -- the index follows the data ----------------------------------------------------------------------------------
def test_a_renamed_group_is_found_by_its_new_name_only(world):
    page = world["lonn"]
    page.title = "Økonomi og lønn"
    page.save_revision().publish()
    assert found("økonomi", "groups") == ["Økonomi og lønn"]
    assert found("personal", "groups") == []
    # Its members' entries follow: they are found by the new name.
    assert found("økonomi", "people") == ["Knut Bjørnstad"]


def test_a_membership_change_reindexes_the_person(world):
    hilde = world["hilde"]
    assert found("personal", "people") == ["Knut Bjørnstad"]
    seat = MembershipFactory(person=hilde, group=world["lonn"], represents=world["molde"])
    assert found("personal", "people") == ["Hilde Hjelle", "Knut Bjørnstad"] or set(found("personal", "people")) == {
        "Hilde Hjelle",
        "Knut Bjørnstad",
    }
    seat.end_date = datetime.date(2023, 1, 1)
    seat.save()
    assert found("personal", "people") == ["Knut Bjørnstad"]
    Membership.objects.filter(pk=seat.pk).first().delete()
    assert found("personal", "people") == ["Knut Bjørnstad"]


def test_a_saved_person_and_organisation_are_reindexed(world):
    hilde = world["hilde"]
    hilde.name = "Hilde Vestad"
    hilde.save()
    assert found("vestad", "people") == ["Hilde Vestad"]
    assert found("hjelle", "people") == []
    rauma = world["rauma"]
    rauma.name = "Nye Rauma kommune"
    rauma.save()
    assert found("nye", "organisations") == ["Nye Rauma kommune"]


def test_update_index_rebuilds_the_index(world):
    IndexEntry.objects.all().delete()
    assert found("lønn") == {}
    call_command("update_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found("lønn", "groups") == ["Lønn og personal"]
    assert found("hjel", "people") == ["Hilde Hjelle"]
    assert found("raum", "organisations") == ["Rauma kommune"]


# -- query counts ------------------------------------------------------------------------------------------------
def _queries(client, query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_in_the_number_of_hits(leser, world):
    index, molde = world["index"], world["molde"]

    def add(n, start):
        for i in range(start, start + n):
            group = FaggruppePageFactory(parent=index, title=f"Tellegruppe {i}", slug=f"tellegruppe-{i}")
            person = PersonFactory(name=f"Telle Person{i}", employer=molde)
            MembershipFactory(person=person, group=group, represents=molde)
            MembershipFactory(person=person, group=world["lonn"], represents=molde)
            OrganisationFactory(name=f"Telleorganisasjon {i}", slug=f"telle-{i}")

    add(2, 0)
    leser.get(SEARCH, {"q": "telle"})  # warm caches (content types, site)
    few = _queries(leser, "telle")
    add(8, 2)
    many = _queries(leser, "telle")
    assert few == many, (few, many)
    assert len(found("telle", "groups")) == 10


# -- the demo ------------------------------------------------------------------------------------------------------
def _indexed(model):
    from django.contrib.contenttypes.models import ContentType

    types = [ct.pk for ct in ContentType.objects.get_for_models(model, *model.__subclasses__()).values()]
    return dict(IndexEntry.objects.filter(content_type_id__in=types).values_list("object_id", "body"))


def test_the_demo_leaves_the_index_complete_and_a_restored_demo_is_searchable():
    from tests.demo_snapshot import load_demo

    load_demo()  # the real loader the first time in this process, a restore from the snapshot after that
    load_demo()  # certainly a restore now
    for source in engine.sources():
        model = source.readable().model
        readable = {str(pk) for pk in source.readable().values_list("pk", flat=True)}
        if model.__name__ == "GroupPage":
            from faggruppe_pages.models import ArbeidsgruppePage, FaggruppePage

            indexed = set(_indexed(FaggruppePage)) | set(_indexed(ArbeidsgruppePage))
        else:
            indexed = set(_indexed(model))
        assert readable and readable <= indexed, source.key
    # Every person's entry names the groups they sit in today (found by each group's title).
    backend = get_search_backend()
    for person in engine._readable_people():
        for title in filter(None, person.current_group_titles().split(", ")):
            assert list(backend.search(title, Person.objects.filter(pk=person.pk))) == [person], (person.name, title)
    assert found("lønn", "groups") == ["Lønn og personal"]
    assert "Hilde Hjelle" in found("hjell", "people")
    assert set(found("mandat", "mandates")) >= {"Mandat for faggruppene (2019)"}
