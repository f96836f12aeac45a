"""The membership form's choosers (admin/choosers.py): a person chooser that searches and shows what
tells people apart, and a flat group chooser instead of the page tree.

Both list only what the form accepts from the user (admin/boundary.py), in a number of queries that
does not grow with the rows; their "chosen" step returns nothing else; the form's widgets name only
what the field accepts.
"""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faggruppe_pages.admin.choosers import PER_PAGE
from faggruppe_pages.models import GroupStatus, Membership, Person, Role
from faggruppe_pages.upkeep.setup import ensure_staff_group
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

PEOPLE = "/admin/snippets/choose/faggruppe_pages/person/"
GROUPS = "/admin/velg-gruppe/"
ADD = "/admin/snippets/faggruppe_pages/membership/add/"
NOT_ALLOWED_NB = "Du kan ikke velge dette. Velg et av alternativene som tilbys."
PERSON_NOT_YOURS_NB = "Du kan bare velge personer fra organisasjoner du representerer."


@pytest.fixture
def w(db):
    """Two municipalities, the cooperation, a union; their representatives and staff; groups of every state."""

    class World:
        pass

    w = World()
    w.molde = OrganisationFactory(name="Molde kommune", short_name="Molde", slug="molde", municipality_number="1506")
    w.rauma = OrganisationFactory(name="Rauma kommune", short_name="Rauma", slug="rauma", municipality_number="1539")
    w.ror = OrganisationFactory(
        name="ROR-IKT", short_name="ROR-IKT", slug="ror-ikt", kind="cooperation", municipality_number="", is_owner=False
    )
    w.union = OrganisationFactory(
        name="Fagforbundet", slug="fagforbundet", kind="union", municipality_number="", is_owner=False
    )
    for org in (w.molde, w.rauma, w.ror, w.union):
        org.refresh_from_db()
    w.users = {
        "redaksjon": UserFactory(username="redaksjon"),
        "rep-molde": UserFactory(username="rep-molde"),
        "rep-rauma": UserFactory(username="rep-rauma"),
        "rep-fagforbundet": UserFactory(username="rep-fagforbundet"),
        "leser": UserFactory(username="leser"),
    }
    w.users["redaksjon"].groups.add(ensure_staff_group())
    w.users["rep-molde"].groups.add(w.molde.representatives_group)
    w.users["rep-rauma"].groups.add(w.rauma.representatives_group)
    w.users["rep-fagforbundet"].groups.add(w.union.representatives_group)

    w.hilde = PersonFactory(
        name="Hilde Hjelle",
        job_title="Systemansvarlig",
        employer=w.molde,
        unit="Økonomiavdelingen",
        email="hilde.hjelle@molde.kommune.no",
    )
    w.per = PersonFactory(name="Per Molstad", job_title="Rektor", employer=w.molde, email="per@molde.kommune.no")
    w.roar = PersonFactory(name="Roar Rauma", job_title="IKT-leder", employer=w.rauma, email="roar@rauma.kommune.no")
    w.rita = PersonFactory(name="Rita Rådgiver", job_title="Rådgiver", employer=w.ror, email="rita@ror-ikt.no")

    index = make_index()
    w.helse = FaggruppePageFactory(parent=index, title="Helse og velferd", slug="helse")
    w.velferd = ArbeidsgruppePageFactory(parent=w.helse, title="Arbeidsgruppe velferdsteknologi", slug="velferd")
    w.oppvekst = FaggruppePageFactory(parent=index, title="Oppvekst og utdanning", slug="oppvekst")
    w.skole = ArbeidsgruppePageFactory(parent=w.oppvekst, title="Prosjektgruppe skolesystem", slug="skole")
    w.windows = ArbeidsgruppePageFactory(
        parent=w.oppvekst,
        title="Arbeidsgruppe Windows 11",
        slug="windows",
        status=GroupStatus.CLOSED,
        closed_on=datetime.date(2024, 10, 31),
    )
    w.draft = ArbeidsgruppePageFactory(parent=w.helse, title="Upublisert gruppe", slug="upublisert", live=False)
    w.closed_seat = MembershipFactory(
        person=w.hilde, group=w.windows, represents=w.molde, end_date=datetime.date(2024, 10, 31)
    )
    return w


def as_user(client, w, username):
    client.force_login(w.users[username])
    return client


def modal_html(response):
    """The HTML of a chooser response: the modal (JSON) or the results fragment."""
    assert response.status_code == 200, response.get("Location")
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)["html"]
    return response.content.decode()


def table(html):
    """(headers, rows) of the chooser's listing; a row is the texts of its cells."""
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select_one("table")
    if found is None:
        return [], []
    headers = [th.get_text(" ", strip=True) for th in found.select("thead th")]
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in found.select("tbody tr")]
    return headers, rows


def names(html):
    return [row[0] for row in table(html)[1]]


# -- the person chooser ---------------------------------------------------------------------------------------
def test_person_chooser_shows_name_job_title_employer_and_email(client, w):
    html = modal_html(as_user(client, w, "rep-molde").get(PEOPLE))
    headers, rows = table(html)
    assert headers == ["Navn", "Stilling", "Arbeidsgiver", "E-post"]
    assert "Tittel" not in headers
    assert rows == [
        ["Hilde Hjelle", "Systemansvarlig", "Molde kommune, Økonomiavdelingen", "hilde.hjelle@molde.kommune.no"],
        ["Per Molstad", "Rektor", "Molde kommune", "per@molde.kommune.no"],
    ]
    # A search box, which Wagtail's modal searches as one types.
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("form[data-chooser-modal-search] input#id_q") is not None


@pytest.mark.parametrize(
    "query, expected",
    [
        ("hjel", ["Hilde Hjelle"]),  # part of a name
        ("HJEL", ["Hilde Hjelle"]),  # whatever the case
        ("molde", ["Hilde Hjelle", "Per Molstad"]),  # the employer (and e-mail domain)
        ("rektor", ["Per Molstad"]),  # job title
        ("per@molde", ["Per Molstad"]),  # e-mail
        ("økonomi", ["Hilde Hjelle"]),  # unit, lower case æøå against a capital Ø
        ("ØKONOMI", ["Hilde Hjelle"]),
        ("hilde systemansvarlig", ["Hilde Hjelle"]),  # every word, in any field
        ("hilde rektor", []),
        ("roar", []),  # Rauma's: not Molde's to choose
    ],
)
def test_person_search_matches_name_email_job_title_employer_and_unit(client, w, query, expected):
    client = as_user(client, w, "rep-molde")
    assert names(modal_html(client.get(PEOPLE, {"q": query}))) == expected
    assert names(modal_html(client.get(PEOPLE + "results/", {"q": query}))) == expected


def test_person_chooser_orders_by_name_and_shows_fifty_per_page(client, w):
    for n in range(PER_PAGE + 5):
        PersonFactory(name=f"Ansatt {n:03d}", employer=w.molde)
    client = as_user(client, w, "rep-molde")
    first = names(modal_html(client.get(PEOPLE)))
    assert len(first) == PER_PAGE
    assert first == sorted(first) and first[0] == "Ansatt 000"
    second = names(modal_html(client.get(PEOPLE + "results/", {"p": 2})))
    assert second == [*(f"Ansatt {n:03d}" for n in range(PER_PAGE, PER_PAGE + 5)), "Hilde Hjelle", "Per Molstad"]


@pytest.mark.parametrize(
    "username, visible",
    [
        ("rep-molde", ["Hilde Hjelle", "Per Molstad"]),
        ("rep-rauma", ["Roar Rauma"]),
        # A union chooses its tillitsvalgte among every municipality's employees, not the cooperation's staff.
        ("rep-fagforbundet", ["Hilde Hjelle", "Per Molstad", "Roar Rauma"]),
        ("redaksjon", ["Hilde Hjelle", "Per Molstad", "Rita Rådgiver", "Roar Rauma"]),
    ],
)
def test_person_chooser_lists_only_people_the_user_may_choose(client, w, username, visible):
    client = as_user(client, w, username)
    assert names(modal_html(client.get(PEOPLE))) == visible
    # A search never reaches further than the list.
    for query in ("hilde", "rita", "roar", "kommune", "@"):
        found = names(modal_html(client.get(PEOPLE + "results/", {"q": query})))
        assert set(found) <= set(visible), (query, found)


def test_another_municipalitys_representative_finds_nothing_of_moldes(client, w):
    client = as_user(client, w, "rep-rauma")
    for query in ("hilde", "hjelle", "molde", "systemansvarlig", "økonomi", "hilde.hjelle"):
        html = modal_html(client.get(PEOPLE + "results/", {"q": query}))
        assert names(html) == [], query
        assert "Hilde" not in html and "Molstad" not in html


@pytest.mark.parametrize("username", ["rep-rauma", "rep-fagforbundet"])
def test_chosen_refuses_a_person_the_user_may_not_choose(client, w, username):
    client = as_user(client, w, username)
    forbidden = w.hilde if username == "rep-rauma" else w.rita
    response = client.get(f"{PEOPLE}chosen/{forbidden.pk}/")
    assert response.status_code == 404
    assert forbidden.name not in response.content.decode()
    for junk in ("abc", "²", "9223372036854775808", "-1"):
        assert client.get(f"{PEOPLE}chosen/{junk}/").status_code == 404
    multiple = client.get(f"{PEOPLE}chosen-multiple/", {"id": [forbidden.pk]})
    assert forbidden.name not in multiple.content.decode()


def test_chosen_returns_a_person_the_user_may_choose(client, w):
    response = as_user(client, w, "rep-molde").get(f"{PEOPLE}chosen/{w.hilde.pk}/")
    assert response.status_code == 200
    assert json.loads(response.content)["result"]["string"] == "Hilde Hjelle"


def test_anonymised_people_are_not_offered(client, w):
    Person.objects.filter(pk=w.per.pk).update(name="Tidligere medlem", email="", anonymised_at="2025-01-01T00:00Z")
    assert names(modal_html(as_user(client, w, "rep-molde").get(PEOPLE))) == ["Hilde Hjelle"]


def test_a_union_sees_no_former_members_expired_email(client, w):
    """Choosing a municipality's employee is not owning the record: as for readers, a former member's e-mail
    is gone once its retention time has run out (docs/privacy.md). Molde, the employer, still sees it."""
    MembershipFactory(
        person=w.per, group=w.oppvekst, represents=w.molde, start_date="2015-01-01", end_date="2016-12-31"
    )
    union_rows = dict((r[0], r) for r in table(modal_html(as_user(client, w, "rep-fagforbundet").get(PEOPLE)))[1])
    assert union_rows["Per Molstad"][3] == ""
    assert union_rows["Roar Rauma"][3] == "roar@rauma.kommune.no"
    client.logout()
    molde_rows = dict((r[0], r) for r in table(modal_html(as_user(client, w, "rep-molde").get(PEOPLE)))[1])
    assert molde_rows["Per Molstad"][3] == "per@molde.kommune.no"


def queries(client, url, data=None):
    client.get(url, data)  # warm caches (content types, the user's organisations are per request)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["rep-molde", "rep-fagforbundet", "redaksjon"])
def test_person_chooser_queries_do_not_grow_with_the_people(client, w, username):
    client = as_user(client, w, username)
    urls = [(PEOPLE, None), (PEOPLE + "results/", {"q": "molde"}), (PEOPLE + "results/", {"q": "a", "p": 1})]
    PersonFactory.create_batch(3, employer=w.molde, name="Molde Ansatt")
    small = [queries(client, url, data) for url, data in urls]
    PersonFactory.create_batch(30, employer=w.molde, name="Molde Ansatt")
    PersonFactory.create_batch(10, employer=w.rauma)
    large = [queries(client, url, data) for url, data in urls]
    assert small == large
    assert len(names(modal_html(client.get(PEOPLE, {"q": "molde ansatt"})))) == 33


# -- the group chooser ---------------------------------------------------------------------------------------------
def test_group_chooser_is_a_flat_list_of_active_groups_with_their_faggruppe(client, w):
    html = modal_html(as_user(client, w, "rep-molde").get(GROUPS))
    headers, rows = table(html)
    assert headers == ["Gruppe", "Type", "Hører til"]
    # Each faggruppe, then its arbeidsgrupper; closed and unpublished groups are not offered.
    assert rows == [
        ["Helse og velferd", "Faggruppe", ""],
        ["Arbeidsgruppe velferdsteknologi", "Arbeidsgruppe", "Helse og velferd"],
        ["Oppvekst og utdanning", "Faggruppe", ""],
        ["Prosjektgruppe skolesystem", "Arbeidsgruppe", "Oppvekst og utdanning"],
    ]
    # No tree: no links into a group's children, every row chooses its group.
    soup = BeautifulSoup(html, "html.parser")
    links = soup.select("table a[data-chooser-modal-choice]")
    assert [a["href"] for a in links] == [f"{GROUPS}chosen/{g.pk}/" for g in (w.helse, w.velferd, w.oppvekst, w.skole)]
    assert not soup.select(".navigate-pages, [data-page-chooser-navigate]")


def test_closed_groups_on_request(client, w):
    html = modal_html(as_user(client, w, "rep-molde").get(GROUPS + "results/", {"include_closed": "on"}))
    headers, rows = table(html)
    assert headers == ["Gruppe", "Type", "Hører til", "Status"]
    assert ["Arbeidsgruppe Windows 11", "Arbeidsgruppe", "Oppvekst og utdanning", "Avsluttet"] in rows
    assert ["Helse og velferd", "Faggruppe", "", "Aktiv"] in rows
    assert "Upublisert gruppe" not in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("velferd", ["Helse og velferd", "Arbeidsgruppe velferdsteknologi"]),
        ("oppvekst", ["Oppvekst og utdanning", "Prosjektgruppe skolesystem"]),  # the faggruppe's title too
        ("SKOLE", ["Prosjektgruppe skolesystem"]),
        ("arbeidsgruppe", ["Arbeidsgruppe velferdsteknologi"]),  # the closed one only on request
        ("windows", []),
        ("upublisert", []),
        ("utdanning skole", ["Prosjektgruppe skolesystem"]),
    ],
)
def test_group_search_by_title_and_faggruppe(client, w, query, expected):
    client = as_user(client, w, "rep-rauma")
    assert names(modal_html(client.get(GROUPS, {"q": query}))) == expected
    assert names(modal_html(client.get(GROUPS + "results/", {"q": query}))) == expected


def test_staff_choose_among_every_group(client, w):
    """choosable_groups is the one rule: staff may register seats in unpublished groups too."""
    found = names(modal_html(as_user(client, w, "redaksjon").get(GROUPS)))
    assert "Upublisert gruppe" in found and "Arbeidsgruppe Windows 11" not in found


@pytest.mark.parametrize("username", ["rep-molde", "rep-fagforbundet", "redaksjon"])
def test_group_chooser_queries_do_not_grow_with_the_groups(client, w, username):
    client = as_user(client, w, username)
    urls = [(GROUPS, None), (GROUPS + "results/", {"q": "gruppe"}), (GROUPS + "results/", {"include_closed": "on"})]
    small = [queries(client, url, data) for url, data in urls]
    for n in range(8):
        faggruppe = FaggruppePageFactory(parent=w.helse.get_parent(), title=f"Faggruppe {n}")
        ArbeidsgruppePageFactory(parent=faggruppe, title=f"Arbeidsgruppe {n}")
    large = [queries(client, url, data) for url, data in urls]
    assert small == large
    unpublished = 1 if username == "redaksjon" else 0  # staff may choose the unpublished group too
    assert len(names(modal_html(client.get(GROUPS)))) == 4 + 16 + unpublished


def test_group_chosen_returns_only_groups_the_user_may_choose(client, w):
    client = as_user(client, w, "rep-molde")
    response = client.get(f"{GROUPS}chosen/{w.velferd.pk}/")
    assert response.status_code == 200
    result = json.loads(response.content)["result"]
    assert result["id"] == str(w.velferd.pk) and result["title"] == "Arbeidsgruppe velferdsteknologi"
    for forbidden in (w.draft.pk, w.helse.get_parent().pk, 1):  # unpublished; not a group; the root
        response = client.get(f"{GROUPS}chosen/{forbidden}/")
        assert response.status_code == 404
        assert "Upublisert" not in response.content.decode()
    for junk in ("abc", "²", "9223372036854775808", "-1"):
        assert client.get(f"{GROUPS}chosen/{junk}/").status_code == 404
    multiple = client.get(f"{GROUPS}chosen-multiple/", {"id": [w.draft.pk, w.velferd.pk, "x"]})
    assert [r["id"] for r in json.loads(multiple.content)["result"]] == [str(w.velferd.pk)]


def test_group_chooser_has_no_create_step(client, w):
    client = as_user(client, w, "redaksjon")
    assert client.get(f"{GROUPS}create/").status_code == 404
    assert client.post(f"{GROUPS}create/", {"title": "Ny"}).status_code == 404


@pytest.mark.parametrize("url", [GROUPS, GROUPS + "results/", PEOPLE])
def test_choosers_need_admin_access(client, w, url):
    assert client.get(url)["Location"].startswith("/logg-inn/")
    response = as_user(client, w, "leser").get(url)
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


# -- the membership form ------------------------------------------------------------------------------------------
def widget(html, name):
    """(display title, hidden value, chooser URL) of a chooser widget in a form."""
    soup = BeautifulSoup(html, "html.parser")
    chooser = soup.select_one(f"#id_{name}-chooser")
    return (
        chooser.select_one("[data-chooser-title]").get_text(strip=True),
        soup.select_one(f"input[name={name}]").get("value") or "",
        chooser.get("data-chooser-url"),
    )


def test_membership_form_uses_the_new_choosers(client, w):
    html = as_user(client, w, "rep-molde").get(ADD).content.decode()
    assert widget(html, "group") == ("", "", GROUPS)
    assert widget(html, "person") == ("", "", PEOPLE)


def test_query_string_prefills_the_group_chooser(client, w):
    client = as_user(client, w, "rep-molde")
    html = client.get(ADD, {"group": w.velferd.pk, "person": w.hilde.pk}).content.decode()
    assert widget(html, "group")[:2] == ("Arbeidsgruppe velferdsteknologi", str(w.velferd.pk))
    assert widget(html, "person")[:2] == ("Hilde Hjelle", str(w.hilde.pk))
    # Never a group or person the user may not choose.
    html = client.get(ADD, {"group": w.draft.pk, "person": w.roar.pk}).content.decode()
    assert widget(html, "group")[:2] == ("", "")
    assert widget(html, "person")[:2] == ("", "")


def test_a_seat_in_a_closed_group_keeps_showing_its_group(client, w):
    html = as_user(client, w, "rep-molde").get(f"/admin/snippets/faggruppe_pages/membership/edit/{w.closed_seat.pk}/")
    assert widget(html.content.decode(), "group")[:2] == ("Arbeidsgruppe Windows 11", str(w.windows.pk))


def post_seat(client, **overrides):
    data = {"person": "", "group": "", "represents": "", "role": Role.MEMBER, "start_date": "2026-01-01"}
    data.update({k: str(v) for k, v in overrides.items()})
    return client.post(ADD, data)


def test_a_seat_chosen_with_the_choosers_is_saved(client, w):
    client = as_user(client, w, "rep-molde")
    response = post_seat(client, person=w.per.pk, group=w.skole.pk, represents=w.molde.pk)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Membership.objects.filter(person=w.per, group=w.skole, represents=w.molde).exists()


def test_forged_group_and_person_are_refused_and_not_named(client, w):
    client = as_user(client, w, "rep-molde")
    before = Membership.objects.count()
    response = post_seat(client, person=w.per.pk, group=w.draft.pk, represents=w.molde.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["group"] == [NOT_ALLOWED_NB]
    html = response.content.decode()
    assert widget(html, "group")[0] == "" and "Upublisert gruppe" not in html
    response = post_seat(client, person=w.roar.pk, group=w.skole.pk, represents=w.molde.pk)
    assert response.context["form"].errors["person"] == [PERSON_NOT_YOURS_NB]
    html = response.content.decode()
    assert widget(html, "person")[0] == "" and "Roar Rauma" not in html
    assert widget(html, "group")[0] == "Prosjektgruppe skolesystem"  # what the user may choose stays chosen
    assert Membership.objects.count() == before


def test_the_group_chooser_is_only_the_membership_forms():
    """Other forms that point at groups (governance's mandates) keep their own widget: it is not registered
    for every foreign key to GroupPage."""
    from wagtail.admin.forms.models import registry

    from faggruppe_pages.admin.choosers import GroupChooser

    widget = (registry.get(Membership._meta.get_field("group")) or {}).get("widget")
    assert not (isinstance(widget, type) and issubclass(widget, GroupChooser))
