"""One language choice for the reader pages and the admin: the reader's language menu and the admin's
account setting each carry over to the other, and logging in brings the profile's language along."""

import re

import pytest
from django.conf import settings
from wagtail.users.models import UserProfile

from tests.factories import FaggruppePageFactory, MembershipFactory, OrganisationFactory, UserFactory, make_index

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def rep(db):
    index = make_index()
    group = FaggruppePageFactory(parent=index, title="Teknisk", slug="teknisk")
    molde = OrganisationFactory(slug="molde", name="Molde kommune", short_name="Molde")
    molde.refresh_from_db()
    MembershipFactory(group=group, represents=molde)
    user = UserFactory(username="rep-molde", email="rep@molde.kommune.no", first_name="Mona", last_name="Molde")
    user.set_password("passord-123-lang")
    user.save()
    user.groups.add(molde.representatives_group)
    return user


def html_lang(response):
    return re.search(r'<html[^>]*\blang="([a-z-]+)"', response.content.decode()).group(1)


def test_the_reader_menu_choice_reaches_the_admin(client, rep):
    client.force_login(rep)
    assert html_lang(client.get("/admin/")) == "nb"
    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/faggrupper/"})
    assert response.status_code == 302 and response.cookies[COOKIE].value == "nn"
    assert UserProfile.get_for_user(rep).preferred_language == "nn"
    assert html_lang(client.get("/faggrupper/")) == "nn"
    assert html_lang(client.get("/admin/")) == "nn"
    assert "Dette må gjerast" in client.get("/admin/").content.decode()


def test_the_admin_account_choice_reaches_the_reader_pages(client, rep):
    client.force_login(rep)
    client.cookies[COOKIE] = "nn"
    data = {
        "name_email-first_name": "Mona",
        "name_email-last_name": "Molde",
        "name_email-email": rep.email,
        "locale-preferred_language": "nb",
        "locale-current_time_zone": "Europe/Oslo",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "keyboard-shortcuts": "true",
    }
    response = client.post("/admin/account/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.cookies[COOKIE].value == "nb"
    assert html_lang(client.get("/faggrupper/")) == "nb"
    assert html_lang(client.get("/admin/")) == "nb"


def test_logging_in_brings_the_profile_language_along(client, rep):
    profile = UserProfile.get_for_user(rep)
    profile.preferred_language = "nn"
    profile.save()
    response = client.post("/logg-inn/", {"username": "rep-molde", "password": "passord-123-lang"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "nn"
    assert html_lang(client.get("/faggrupper/")) == "nn"


def test_an_unknown_language_changes_nothing(client, rep):
    client.force_login(rep)
    for bad in ("xx", "", "<script>", "nb" * 100):
        response = client.post("/i18n/setlang/", {"language": bad, "next": "/faggrupper/"})
        assert response.status_code == 302
    assert UserProfile.get_for_user(rep).preferred_language == ""
    assert html_lang(client.get("/faggrupper/")) == "nb"


def test_anonymous_choice_sets_only_the_cookie(client, rep):
    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/logg-inn/"})
    assert response.cookies[COOKIE].value == "nn"
    assert UserProfile.objects.filter(preferred_language="nn").count() == 0


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_language_menu_names_each_language_in_itself(client, rep, language):
    """Whatever the page's language, each option is named in its own language, the page's own selected."""
    client.force_login(rep)
    client.cookies[COOKIE] = language
    body = client.get("/faggrupper/").content.decode()
    menu = re.search(r'<select id="language-select" name="language">(.*?)</select>', body, re.S).group(1)
    # Each option also says which language its name is in (lang), for screen readers (WCAG 3.1.2).
    options = re.findall(r'<option value="([a-z]+)" lang="([a-z]+)"( selected)?>([^<]+)</option>', menu)
    assert options == [
        ("nb", "nb", " selected" if language == "nb" else "", "Norsk bokmål"),
        ("nn", "nn", " selected" if language == "nn" else "", "Norsk nynorsk"),
        ("en", "en", " selected" if language == "en" else "", "English"),
    ]
