"""Person pages (/faggrupper/personer/<id>/): who someone is, their groups now and earlier, how to reach them.

Contact details follow the member lists' privacy rules; only people who sit or sat in a published group have a
page; every name on the reader pages links there, without a query per row."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faggruppe_pages.models import Role
from governance.models import Attendance, AttendanceStatus, Meeting, MinutesStatus
from tests.factories import (
    ArbeidsgruppePageFactory,
    FaggruppePageFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = datetime.date


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def person_url(person):
    return f"/faggrupper/personer/{person.pk}/"


def page_html(client, person):
    response = client.get(person_url(person))
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    """The text a reader sees (tags dropped, white space collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def teknisk(index_page):
    return FaggruppePageFactory(parent=index_page, title="Teknisk", slug="teknisk")


@pytest.fixture
def kari(molde):
    return PersonFactory(
        name="Kari Nordmann",
        job_title="Seksjonsleder IKT",
        unit="Digitalisering",
        employer=molde,
        email="kari.nordmann@molde.kommune.no",
        phone="71 11 22 33",
        show_phone=True,
    )


# -- what the page shows --------------------------------------------------------------------------------------


def test_a_current_members_page_shows_who_they_are_their_groups_and_contact_details(
    reader_client, index_page, group, teknisk, kari, molde, fagforbundet
):
    MembershipFactory(group=group, person=kari, represents=molde, role=Role.LEADER, start_date=D(2023, 1, 1))
    sub = ArbeidsgruppePageFactory(parent=group, title="Skolenett", slug="skolenett")
    MembershipFactory(
        group=sub, person=kari, represents=molde, start_date=D(2024, 1, 1), end_date=TODAY + datetime.timedelta(400)
    )
    MembershipFactory(group=teknisk, person=kari, represents=molde, start_date=D(2019, 1, 1), end_date=D(2021, 6, 30))
    html = page_html(reader_client, kari)
    shown = text(html)
    assert "<h1>Kari Nordmann</h1>" in html
    assert "Seksjonsleder IKT" in shown and "Digitalisering" in shown
    assert '<a href="/faggrupper/representert/molde/">Molde kommune</a>' in html  # the organisation's page
    assert 'href="mailto:kari.nordmann@molde.kommune.no"' in html
    assert "71 11 22 33" in shown
    assert f'href="/faggrupper/person/{kari.pk}/vcard/"' in html
    # Current groups with role and whom she represents, linked to the group pages.
    current = html.split('id="current-heading"')[1].split('id="former-heading"')[0]
    assert '<a href="/faggrupper/oppvekst-og-utdanning/">Oppvekst og utdanning</a>' in current
    assert '<a href="/faggrupper/oppvekst-og-utdanning/skolenett/">Skolenett</a>' in current
    assert "Leder" in text(current) and "Molde" in text(current)
    assert "Fra 01.01.2023, løpende" in text(current)
    # Earlier groups with their period.
    earlier = html.split('id="former-heading"')[1]
    assert "Tidligere grupper" in text(html.split('id="former-heading"')[1][:200])
    assert '<a href="/faggrupper/teknisk/">Teknisk</a>' in earlier
    assert "01.01.2019–30.06.2021" in text(earlier)
    assert "Teknisk" not in current


def test_a_union_representative_shows_the_union_they_represent(reader_client, group, kari, fagforbundet):
    MembershipFactory(group=group, person=kari, represents=fagforbundet, role=Role.UNION_REP)
    shown = text(page_html(reader_client, kari))
    assert "Tillitsvalgt (Fagforbundet)" in shown


@pytest.mark.parametrize("ended_days_ago, shown", [(100, True), (400, False)])
def test_a_former_members_contact_details_show_only_within_the_retention_time(
    reader_client, group, kari, molde, settings, ended_days_ago, shown
):
    settings.FAGGRUPPE_CONTACT_RETENTION_DAYS = 365
    MembershipFactory(
        group=group, person=kari, represents=molde, start_date=D(2015, 1, 1), end_date=days_ago(ended_days_ago)
    )
    html = page_html(reader_client, kari)
    assert "Kari Nordmann" in html and "Oppvekst og utdanning" in html  # the name and history stay
    assert ("kari.nordmann@molde.kommune.no" in html) is shown
    assert ("71 11 22 33" in html or "71112233" in html) is shown
    assert ("Vises ikke: kontaktopplysningene til et tidligere medlem" in text(html)) is not shown
    assert "sitter ikke i noen gruppe nå" in text(html)


def test_a_hidden_phone_is_never_shown_nor_in_the_source(reader_client, group, molde):
    ola = PersonFactory(name="Ola Skjult", employer=molde, phone="71 99 88 77", show_phone=False)
    MembershipFactory(group=group, person=ola, represents=molde)
    html = page_html(reader_client, ola)
    assert "99 88 77" not in html and "71998877" not in html and "tel:" not in html
    assert "Telefon" in text(html) and "Vises ikke" in text(html)


def test_memberships_of_unpublished_groups_are_not_shown(reader_client, index_page, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    hemmelig = FaggruppePageFactory(parent=index_page, title="Hemmelig utkast", slug="hemmelig", live=False)
    MembershipFactory(group=hemmelig, person=kari, represents=molde)
    assert "Hemmelig utkast" not in page_html(reader_client, kari)


# -- who has no page ------------------------------------------------------------------------------------------


def test_no_page_for_a_person_without_a_membership(reader_client, index_page, kari):
    assert reader_client.get(person_url(kari)).status_code == 404


def test_no_page_for_a_member_of_a_draft_group_only(reader_client, index_page, kari, molde):
    draft = FaggruppePageFactory(parent=index_page, title="Utkast", slug="utkast", live=False)
    MembershipFactory(group=draft, person=kari, represents=molde)
    assert reader_client.get(person_url(kari)).status_code == 404
    assert kari.get_absolute_url() == ""


def test_no_page_for_an_anonymised_person(reader_client, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde, start_date=D(2010, 1, 1), end_date=D(2012, 1, 1))
    kari.anonymised_at = timezone.now()
    kari.save()
    assert reader_client.get(person_url(kari)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/faggrupper/personer/999999/",
        "/faggrupper/personer/0/",
        "/faggrupper/personer/abc/",
        "/faggrupper/personer/-1/",
        "/faggrupper/personer/99999999999999999999999/",
        "/faggrupper/personer/1.5/",
        "/faggrupper/personer/%00/",
    ],
)
def test_garbage_addresses_are_404(reader_client, group, path):
    assert reader_client.get(path).status_code == 404


def test_the_page_answers_get_only(reader_client, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    assert reader_client.post(person_url(kari)).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login(client, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    response = client.get(person_url(kari))
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


# -- the links to the page ------------------------------------------------------------------------------------


def test_get_absolute_url_is_the_page(group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    assert kari.get_absolute_url() == person_url(kari)


def test_the_member_table_links_each_name_to_the_person_page(reader_client, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    html = reader_client.get(group.url).content.decode()
    link = re.search(r'<th scope="row" data-label="Navn"><a href="([^"]+)">Kari Nordmann</a></th>', html)
    assert link, "the name in the member table is a link"
    assert reader_client.get(link.group(1)).status_code == 200
    assert link.group(1) == person_url(kari)


def test_overview_representation_and_my_groups_link_the_names(reader_client, reader, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    link = f'<a href="{person_url(kari)}">Kari Nordmann</a>'
    assert link in reader_client.get("/faggrupper/medlemsoversikt/").content.decode()
    assert link in reader_client.get("/faggrupper/representert/molde/").content.decode()
    kari.user = reader
    kari.save()
    assert link in reader_client.get("/faggrupper/mine-grupper/").content.decode()


def test_downloads_carry_no_links(reader_client, group, kari, molde):
    MembershipFactory(group=group, person=kari, represents=molde)
    csv = reader_client.get("/faggrupper/medlemsoversikt/csv/").content.decode()
    assert "Kari Nordmann" in csv and "personer/" not in csv


def test_a_meeting_page_links_chair_minute_taker_and_attendance(reader_client, group, kari, molde):
    ola = PersonFactory(name="Ola Referent", employer=molde)
    vara = PersonFactory(name="Vara Vikarsen", employer=molde)
    outsider = PersonFactory(name="Gjest Utenfra", employer=molde)  # in no group: no page, no link
    for person in (kari, ola, vara):
        MembershipFactory(group=group, person=person, represents=molde)
    now = timezone.now()
    meeting = Meeting.objects.create(
        group=group,
        starts_at=now - datetime.timedelta(days=10),
        notice_sent_at=now - datetime.timedelta(days=20),
        chair=kari,
        minute_taker=ola,
        minutes_status=MinutesStatus.PUBLISHED,
        minutes_sent_at=now,
        minutes_approved_at=now,
        minutes_published_at=now,
    )
    Attendance.objects.create(meeting=meeting, person=kari, status=AttendanceStatus.PRESENT)
    Attendance.objects.create(meeting=meeting, person=vara, status=AttendanceStatus.SUBSTITUTE, on_behalf_of=ola)
    Attendance.objects.create(meeting=meeting, person=outsider, status=AttendanceStatus.APOLOGIES)
    html = reader_client.get(f"/moter/{meeting.pk}/").content.decode()
    minutes = html.split('id="minutes-heading"')[1]
    assert f'<dt>Møteleder</dt><dd><a href="{person_url(kari)}">Kari Nordmann</a></dd>' in minutes
    assert f'<a href="{person_url(ola)}">Ola Referent</a>' in minutes
    assert (
        f'<a href="{person_url(vara)}">Vara Vikarsen</a> (pva. <a href="{person_url(ola)}">Ola Referent</a>)' in minutes
    )
    assert "Gjest Utenfra" in minutes and f"personer/{outsider.pk}/" not in minutes
    chair = re.search(r"<dt>Møteleder</dt><dd><a href=\"([^\"]+)\"", minutes).group(1)
    assert "Kari Nordmann" in reader_client.get(chair).content.decode()


def test_measure_pages_link_the_owner(reader_client, group, kari, molde):
    from governance.models import Measure

    MembershipFactory(group=group, person=kari, represents=molde)
    measure = Measure.objects.create(group=group, title="Felles sak", owner=kari, published_at=timezone.now())
    link = f'<a href="{person_url(kari)}">Kari Nordmann</a>'
    assert link in reader_client.get(f"/tiltak/{measure.pk}/").content.decode()
    assert link in reader_client.get("/tiltak/").content.decode()


# -- query counts ---------------------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_runs_the_same_queries_with_1_and_20_memberships(reader_client, index_page, kari, molde):
    unions = [UnionFactory(name=f"Forbund {k}", slug=f"forbund-{k}") for k in range(3)]
    first = FaggruppePageFactory(parent=index_page, title="Gruppe 00", slug="gruppe-00")
    MembershipFactory(group=first, person=kari, represents=molde)
    one = count_queries(reader_client, person_url(kari))
    for k in range(1, 20):
        g = FaggruppePageFactory(parent=index_page, title=f"Gruppe {k:02d}", slug=f"gruppe-{k:02d}")
        if k % 3 == 0:
            MembershipFactory(group=g, person=kari, represents=unions[k % 3], role=Role.UNION_REP)
        elif k % 2:
            MembershipFactory(group=g, person=kari, represents=molde, start_date=D(2018, 1, 1), end_date=D(2019, 1, 1))
        else:
            MembershipFactory(group=g, person=kari, represents=OrganisationFactory(), role=Role.LEADER)
    html = page_html(reader_client, kari)
    assert html.count('data-label="Gruppe"') == 20
    assert count_queries(reader_client, person_url(kari)) == one


def test_linked_names_cost_no_query_per_row(reader_client, group, molde):
    def grow(n, start):
        for k in range(start, start + n):
            MembershipFactory(
                group=group, person=PersonFactory(name=f"Medlem {k:02d}", employer=molde), represents=molde
            )

    grow(2, 0)
    urls = [group.url, "/faggrupper/", "/faggrupper/medlemsoversikt/", "/faggrupper/representert/molde/"]
    few = [count_queries(reader_client, url) for url in urls]
    grow(20, 2)
    assert [count_queries(reader_client, url) for url in urls] == few
    assert reader_client.get(group.url).content.decode().count('href="/faggrupper/personer/') == 22
