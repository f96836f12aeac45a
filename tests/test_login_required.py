"""The whole intranet requires login: anonymous visitors get the login page and no content."""

import pytest
from django.core import mail  # noqa: F401  (locmem backend is active in tests)
from django.http import HttpRequest

from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db

READER_URLS = [
    "/",
    "/faggrupper/",
    "/faggrupper/oppvekst-og-utdanning/",
    "/faggrupper/helse-og-velferd/velferdsteknologi/",
    "/faggrupper/finnes-ikke/",
    "/documents/",
]


@pytest.fixture
def demo(db):
    load_demo()


@pytest.mark.parametrize("url", READER_URLS)
def test_anonymous_visitor_is_sent_to_login_without_content(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/?next=")
    followed = client.get(url, follow=True)
    body = followed.content.decode()
    assert 'name="password"' in body
    for secret in ("Oppvekst og utdanning", "Mona Moldestad", "@molde.kommune.no", "Mandat"):
        assert secret not in body


def test_admin_sends_anonymous_visitors_to_the_one_login_page(client, demo):
    response = client.get("/admin/snippets/faggruppe_pages/membership/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/?next=/admin/snippets/")


def test_login_page_itself_is_open(client):
    response = client.get("/logg-inn/")
    assert response.status_code == 200 and "Logg inn" in response.content.decode()


def test_reader_logs_in_and_lands_on_the_overview(client, demo):
    response = client.post("/logg-inn/", {"username": "leser", "password": "demo"}, follow=True)
    assert response.redirect_chain[-1][0] == "/faggrupper/"
    assert "Oppvekst og utdanning" in response.content.decode()


def test_wrong_password_gets_a_clear_norwegian_message(client, demo):
    response = client.post("/logg-inn/", {"username": "leser", "password": "feil"})
    assert response.status_code == 200
    assert "Brukernavnet og passordet stemmer ikke. Prøv igjen." in response.content.decode()


def test_logged_in_reader_sees_a_404_page_for_unknown_urls(client, demo):
    # The login throttle (django-axes) checks every authentication against the request's address.
    client.login(request=HttpRequest(), username="leser", password="demo")
    response = client.get("/faggrupper/finnes-ikke/")
    assert response.status_code == 404 and "Fant ikke siden" in response.content.decode()
