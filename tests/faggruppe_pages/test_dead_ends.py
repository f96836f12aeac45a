"""No dead ends (issue 15, item 6): former organisations, logging out by GET, one login page, the 404 page.

- A merged or former organisation's "Hvor er … representert?" says it is no longer a member (since when),
  names and links its successor, shows its earlier seats, and offers no download that would fail.
- GET /logg-ut/ asks "Vil du logge ut?"; the POST logs out and the login page says so.
- /logg-inn/ is the only login page: the admin sends anonymous visitors there and they come back.
- An unknown address gets the 404 page in the site's look (DEBUG off); the 500 page needs no context.
"""

import datetime
import re

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.demo_snapshot import load_demo
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

MIDSUND = "/faggrupper/representert/midsund/"
MOLDE = "/faggrupper/representert/molde/"


@pytest.fixture
def demo(db):
    load_demo()


def logged_in(username):
    client = Client()
    # The login throttle (django-axes) checks every authentication against the request's address.
    assert client.login(request=HttpRequest(), username=username, password="demo")
    return client


def links(body):
    """The site's own addresses the page's links go to (not the skip link, e-mail or the style sheet)."""
    return sorted({href for href in re.findall(r'<a [^>]*href="(/[^"#]*)"', body)})


# -- a merged organisation ------------------------------------------------------------------------------------


def test_a_merged_municipality_says_so_and_points_to_its_successor(demo):
    response = logged_in("leser").get(MIDSUND)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Midsund har ikke vært med i samarbeidet siden 01.01.2020." in body
    assert "Midsund ble slått sammen med Molde kommune." in body
    assert f'<a href="{MOLDE}">Hvor er Molde representert?</a>' in body
    # Its earlier seat (Teknisk, 2016–2019) is listed.
    assert "Tidligere plasser" in body and "Teknisk" in body and "01.01.2016–31.12.2019" in body
    assert "Det finnes ingen organisasjon" not in body
    assert "medlemsoversikt/pdf" not in body and "download" not in body


def test_every_link_on_the_merged_municipalitys_page_works(demo):
    client = logged_in("leser")
    body = client.get(MIDSUND).content.decode()
    found = links(body)
    assert MOLDE in found and "/tilgjengelighet/" in found
    broken = {url: client.get(url, follow=True).status_code for url in found}
    assert {url: status for url, status in broken.items() if status != 200} == {}


def test_every_link_on_a_current_municipalitys_page_still_works(demo):
    client = logged_in("leser")
    body = client.get(MOLDE).content.decode()
    found = links(body)
    assert any("/pdf/" in url for url in found)
    broken = {url: client.get(url, follow=True).status_code for url in found}
    assert {url: status for url, status in broken.items() if status != 200} == {}


def test_the_successor_link_is_followed_to_the_successors_page(demo):
    client = logged_in("leser")
    response = client.get(MOLDE)
    assert response.status_code == 200 and "Hvor er Molde representert?" in response.content.decode()


def test_the_organisation_list_names_former_participants(demo):
    body = logged_in("leser").get("/faggrupper/representert/").content.decode()
    assert "Tidligere deltakere" in body
    assert f'<a href="{MIDSUND}">Midsund kommune</a> <span class="meta">slått sammen med Molde</span>' in body


def test_the_merged_page_speaks_nynorsk(demo):
    client = logged_in("leser")
    client.cookies["django_language"] = "nn"
    body = client.get(MIDSUND).content.decode()
    assert "Midsund har ikkje vore med i samarbeidet sidan 01.01.2020." in body
    assert "Midsund vart slått saman med Molde kommune." in body and "Tidlegare plassar" in body


def test_a_former_organisation_without_successor_or_seats(reader_client, index_page, group):
    gone = OrganisationFactory(
        name="Sandøy kommune", short_name="Sandøy", slug="sandoy", member_to=datetime.date(2019, 12, 31)
    )
    body = reader_client.get("/faggrupper/representert/sandoy/").content.decode()
    assert "Sandøy har ikke vært med i samarbeidet siden 01.01.2020." in body
    assert "slått sammen" not in body
    assert "Sandøy hadde ingen plasser i gruppene her." in body
    assert gone.pk


def test_merged_into_without_an_end_date_is_former_too(reader_client, index_page, molde):
    OrganisationFactory(name="Gamle kommune", short_name="Gamle", slug="gamle", merged_into=molde)
    body = reader_client.get("/faggrupper/representert/gamle/").content.decode()
    assert "Gamle er ikke lenger med i samarbeidet." in body
    assert "Gamle ble slått sammen med Molde kommune." in body


def test_an_organisation_leaving_later_is_still_current(reader_client, index_page, group, molde):
    molde.member_to = timezone.localdate() + datetime.timedelta(days=30)
    molde.save()
    body = reader_client.get(MOLDE).content.decode()
    assert "med i samarbeidet" not in body and "Hvor er Molde representert?" in body


def test_an_organisation_not_yet_taking_part_offers_no_broken_downloads(reader_client, index_page, group):
    OrganisationFactory(
        name="Ny kommune", short_name="Ny", slug="ny", member_from=timezone.localdate().replace(year=2099)
    )
    response = reader_client.get("/faggrupper/representert/ny/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "/medlemsoversikt/pdf/" not in body


def test_the_former_page_queries_do_not_grow_with_its_seats(reader_client, index_page, group, settings):
    settings.FAGGRUPPE_READER_CACHE_SECONDS = 0  # the page's own work (a cache hit: test_reader_cache.py)
    gone = OrganisationFactory(
        name="Sandøy kommune", short_name="Sandøy", slug="sandoy", member_to=datetime.date(2019, 12, 31)
    )

    def add_seats(n):
        for _ in range(n):
            MembershipFactory(
                group=group,
                person=PersonFactory(employer=gone),
                represents=gone,
                start_date=datetime.date(2016, 1, 1),
                end_date=datetime.date(2019, 12, 31),
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert reader_client.get("/faggrupper/representert/sandoy/").status_code == 200
        return len(queries)

    add_seats(2)
    count()  # warm caches (site root paths)
    few = count()
    add_seats(10)
    assert count() == few


# -- logging out ---------------------------------------------------------------------------------------------


def test_get_logout_while_logged_in_asks_first(demo):
    client = logged_in("leser")
    response = client.get("/logg-ut/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Vil du logge ut?</h1>" in body
    assert '<form method="post" action="/logg-ut/"' in body and '<button type="submit">Logg ut</button>' in body
    assert 'class="site-header"' in body
    assert client.get("/faggrupper/").status_code == 200  # the GET logged nobody out


def test_the_confirm_button_logs_out_and_the_login_page_says_so(demo):
    client = logged_in("leser")
    response = client.post("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    page = client.get(response["Location"])
    assert "Du er nå logget ut." in page.content.decode()
    assert client.get("/faggrupper/").status_code == 302  # anonymous again
    # The message is shown once.
    assert "Du er nå logget ut." not in client.get("/logg-inn/").content.decode()


def test_get_logout_when_logged_out_goes_to_the_login_page(client):
    response = client.get("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"


def test_logging_out_from_the_admin_lands_on_the_one_login_page(demo):
    client = logged_in("redaksjon")
    response = client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert client.get("/admin/").status_code == 302


# -- one login page --------------------------------------------------------------------------------------------


def test_the_admin_sends_anonymous_visitors_to_the_site_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/?next=/admin/"


def test_the_admins_login_address_goes_to_the_site_login_keeping_next(client):
    assert client.get("/admin/login/")["Location"] == "/logg-inn/?next=%2Fadmin%2F"
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/logg-inn/?next=%2Fadmin%2Fpages%2F"
    # A foreign next is dropped, as the login view would drop it.
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/logg-inn/?next=%2Fadmin%2F"


def test_logged_in_the_admins_login_address_goes_on_to_the_admin(demo):
    response = logged_in("redaksjon").get("/admin/login/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_after_logging_in_the_editor_lands_back_in_the_admin(demo):
    client = Client()
    page = client.get("/admin/", follow=True)
    body = page.content.decode()
    assert page.redirect_chain[-1][0] == "/logg-inn/?next=/admin/"
    assert 'class="site-header"' in body and 'name="next" value="/admin/"' in body
    response = client.post("/logg-inn/", {"username": "redaksjon", "password": "demo", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_failed_login_on_either_address_shows_the_site_page_with_the_message(demo):
    for address in ("/logg-inn/", "/admin/login/"):
        response = Client().post(address, {"username": "redaksjon", "password": "feil"})
        body = response.content.decode()
        assert response.status_code == 200, address
        assert "Brukernavnet og passordet stemmer ikke. Prøv igjen." in body
        assert 'class="site-header"' in body and 'action="/logg-inn/"' in body


def test_a_post_to_the_admins_login_address_lands_in_the_admin(demo):
    response = Client().post("/admin/login/", {"username": "redaksjon", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


# -- 404 and 500 --------------------------------------------------------------------------------------------------


@pytest.fixture
def production_errors(settings):
    settings.DEBUG = False


def test_an_unknown_address_gets_the_404_page_in_the_sites_look(demo, production_errors):
    client = logged_in("leser")
    for url in ("/finnes-ikke/", "/faggrupper/finnes-ikke/", "/faggrupper/representert/finnes-ikke/"):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 404, url
        assert "<h1>Fant ikke siden</h1>" in body
        assert 'class="site-header"' in body and '<a href="/faggrupper/">Gå til faggruppene</a>' in body
        assert 'href="/tilgjengelighet/"' in body


def test_an_unknown_address_sends_anonymous_visitors_to_log_in(client, demo, production_errors):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/?next=/finnes-ikke/"


def test_the_500_page_needs_no_context(rf, production_errors):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Noe gikk galt</h1>" in body and '<html lang="nb">' in body
