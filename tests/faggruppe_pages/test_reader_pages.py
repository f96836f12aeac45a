"""What a reader sees on the overview and on a group page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import Person, Role
from tests.factories import ArbeidsgruppePageFactory, FaggruppePageFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/faggrupper/oppvekst-og-utdanning/"


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_overview_lists_groups_with_leader_and_member_count(reader_client, index_page, group, molde):
    FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk")
    MembershipFactory(group=group, person__employer=molde, person__name="Kari Leder", role=Role.LEADER)
    MembershipFactory(group=group, person__employer=molde)
    page = html(reader_client.get("/faggrupper/"))
    assert "Oppvekst og utdanning" in page and "Teknisk" in page
    leader = Person.objects.get(name="Kari Leder")
    assert f'Leder: <a href="/faggrupper/personer/{leader.pk}/">Kari Leder</a> (Molde)' in page  # linked to the page
    assert "2 medlemmer" in page
    assert "Ingen leder" in page  # Teknisk has none


def test_group_page_shows_members_with_their_details(reader_client, group, molde):
    person = PersonFactory(
        employer=molde,
        name="Kari Nordmann",
        job_title="Kommunalsjef oppvekst",
        email="kari.nordmann@molde.kommune.no",
        phone="71 11 11 11",
        show_phone=True,
    )
    MembershipFactory(group=group, person=person, represents=molde, role=Role.LEADER)
    page = html(reader_client.get(URL))
    for text in (
        "Kari Nordmann",
        "Molde",
        "Leder",
        "Kommunalsjef oppvekst",
        "mailto:kari.nordmann@molde.kommune.no",
        "71 11 11 11",
        'href="tel:+4771111111"',
    ):
        assert text in page, text


def test_hidden_phone_number_is_never_shown(reader_client, group, molde):
    MembershipFactory(group=group, person=PersonFactory(employer=molde, phone="99 88 77 66", show_phone=False))
    assert "99 88 77 66" not in html(reader_client.get(URL))


def test_leader_first_then_by_organisation(reader_client, group, molde, rauma, ror_ikt, fagforbundet):
    MembershipFactory(
        group=group,
        person=PersonFactory(employer=fagforbundet, name="Tor Tillitsvalgt"),
        represents=fagforbundet,
        role=Role.UNION_REP,
    )
    MembershipFactory(
        group=group, person=PersonFactory(employer=ror_ikt, name="Rita Rådgiver"), represents=ror_ikt, role=Role.ADVISER
    )
    MembershipFactory(group=group, person=PersonFactory(employer=rauma, name="Anne Rauma"), represents=rauma)
    MembershipFactory(group=group, person=PersonFactory(employer=molde, name="Mons Molde"), represents=molde)
    MembershipFactory(
        group=group, person=PersonFactory(employer=rauma, name="Leif Leder"), represents=rauma, role=Role.LEADER
    )
    page = html(reader_client.get(URL))
    order = ["Leif Leder", "Mons Molde", "Anne Rauma", "Rita Rådgiver", "Tor Tillitsvalgt"]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)


def test_union_representative_is_marked_with_the_union(reader_client, group, molde, fagforbundet):
    MembershipFactory(group=group, person=PersonFactory(employer=molde), represents=fagforbundet, role=Role.UNION_REP)
    assert "Tillitsvalgt (Fagforbundet)" in html(reader_client.get(URL))


def test_former_members_are_history_not_members(reader_client, group, molde):
    MembershipFactory(
        group=group,
        person=PersonFactory(employer=molde, name="Gunn Gammel"),
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    page = html(reader_client.get(URL))
    members, former = page.split('id="former-heading"')
    assert "Gunn Gammel" not in members
    assert "Tidligere medlem (1)" in former and "Gunn Gammel" in former and "31.12.2021" in former


def test_list_shows_when_it_was_last_verified(reader_client, group, molde):
    stamp = timezone.make_aware(datetime.datetime(2025, 3, 14, 10, 0))
    MembershipFactory(group=group, person__employer=molde, last_verified_at=stamp)
    MembershipFactory(group=group, person__employer=molde, last_verified_at=stamp + datetime.timedelta(days=30))
    page = html(reader_client.get(URL))
    assert "Medlemslisten ble sist bekreftet 14.03.2025." in page  # the list is as fresh as its stalest entry
    # Long ago: overdue, with the date it was due (the default review interval is 180 days).
    assert "Forfalt:" in page and "Listen skulle vært bekreftet innen 10.09.2025 (hver 180. dag)." in page


def test_unverified_list_says_so(reader_client, group, molde):
    MembershipFactory(group=group, person__employer=molde, last_verified_at=None)
    assert "Medlemslisten er ikke bekreftet av alle representantene ennå." in html(reader_client.get(URL))


def test_group_page_lists_its_arbeidsgrupper_and_never_the_overviews_copy_of_a_mandate(
    reader_client, index_page, group
):
    # The overview page's own mandate field is shown only where no add-on keeps mandates; governance does
    # (GROUP_PAGE_MANDATE_HOOK), and without an approved mandate it says so instead of showing an old copy.
    index_page.mandate = [
        ("heading", "Formål"),
        ("task_list", {"heading": "Oppgaver", "items": ["Gi faglige innspill"]}),
    ]
    index_page.save()
    ArbeidsgruppePageFactory(parent=group, title="Prosjektgruppe skoleadministrativt system", slug="sas")
    page = html(reader_client.get(URL))
    assert "Prosjektgruppe skoleadministrativt system" in page
    assert "Gi faglige innspill" not in page
    assert "Ingen vedtatt mandat gjelder for denne gruppen." in page


def test_unpublished_arbeidsgruppe_is_not_listed(reader_client, group):
    ArbeidsgruppePageFactory(parent=group, title="Hemmelig utkast", slug="utkast", live=False)
    assert "Hemmelig utkast" not in html(reader_client.get(URL))


def test_arbeidsgruppe_page_shows_assignment_and_members(reader_client, group, molde):
    sub = ArbeidsgruppePageFactory(
        parent=group,
        title="Arbeidsgruppe e-handel",
        slug="e-handel",
        assignment="Utrede felles e-handel.",
        kind="prosjektgruppe",
    )
    MembershipFactory(group=sub, person=PersonFactory(employer=molde, name="Siri Systemeier"))
    page = html(reader_client.get(URL + "e-handel/"))
    assert "Utrede felles e-handel." in page and "Siri Systemeier" in page and "Prosjektgruppe" in page


def test_closed_group_says_so_and_links_its_successor(reader_client, index_page, group):
    successor = FaggruppePageFactory(parent=index_page, title="Ny gruppe", slug="ny-gruppe")
    group.status, group.closed_on, group.successor = "closed", datetime.date(2024, 12, 31), successor
    group.save()
    page = html(reader_client.get(URL))
    assert "Denne gruppen ble avsluttet 31.12.2024." in page and 'href="/faggrupper/ny-gruppe/"' in page


def test_page_is_in_norwegian_by_default_and_nynorsk_on_request(reader_client, group):
    page = html(reader_client.get(URL))
    assert '<html lang="nb">' in page and "Medlemmer" in page
    reader_client.cookies["django_language"] = "nn"
    page = html(reader_client.get(URL))
    assert '<html lang="nn">' in page and "Hopp til hovudinnhald" in page


def test_browser_language_does_not_override_the_default(reader_client, group):
    page = html(reader_client.get(URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="nb">' in page


def _queries_for_group_page(client, group, molde, members):
    for _ in range(members):
        MembershipFactory(group=group, person__employer=molde, last_verified_at=timezone.now())
    MembershipFactory(
        group=group, person__employer=molde, end_date=datetime.date(2020, 12, 31), start_date=datetime.date(2019, 1, 1)
    )
    client.get(URL)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_group_page_query_count_does_not_grow_with_members(reader_client, group, molde, django_db_blocker):
    with_5 = _queries_for_group_page(reader_client, group, molde, 5)
    with_100 = _queries_for_group_page(reader_client, group, molde, 95)  # 100 active in all
    assert with_5 == with_100


def test_overview_query_count_does_not_grow_with_groups(reader_client, index_page, molde):
    def count():
        reader_client.get("/faggrupper/")
        with CaptureQueriesContext(connection) as queries:
            assert reader_client.get("/faggrupper/").status_code == 200
        return len(queries)

    def add_groups(n):
        for _ in range(n):
            g = FaggruppePageFactory(parent=index_page)
            MembershipFactory(group=g, person__employer=molde, role=Role.LEADER)
            MembershipFactory(group=g, person__employer=molde)

    add_groups(2)
    with_2 = count()
    add_groups(18)
    assert count() == with_2
