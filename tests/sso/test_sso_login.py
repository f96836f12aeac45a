"""Single sign-on (issue 17) against a real OpenID Connect provider: the code flow with PKCE is driven through
Django's test client (the portal) and ``requests`` (the browser at the provider); the portal exchanges the code
and fetches the JWKS over HTTP. No mock of the exchange or of the token checks."""

from urllib.parse import urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from intranet.oidc.backend import REFUSED_GENERIC, REFUSED_ORGANISATION, RIGHTS_UNREADABLE
from intranet.oidc.models import DirectoryGroupMapping, MappingTarget, OidcIdentity
from intranet.oidc.views import UNAVAILABLE

from faggruppe_pages import caching
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.oidc_provider.fixtures import MOLDE_REPS_GROUP, USERS, free_port, query_of

pytestmark = pytest.mark.django_db

User = get_user_model()
KARI = next(u for u in USERS if u["username"] == "kari")


def sso_login(client, oidc, username, *, next=None, session=None):
    """Start at /oidc/authenticate/, log in at the provider, come back to /oidc/callback/. Returns the callback's
    response and the provider's browser session."""
    session = session or requests.Session()
    start = client.get("/oidc/authenticate/", {"next": next} if next else {})
    assert start.status_code == 302 and start["Location"].startswith(oidc.issuer + "/auth?"), start
    assert "code_challenge=" in start["Location"] and "code_challenge_method=S256" in start["Location"]
    callback, _form_shown = oidc.authorize(session, start["Location"], username)
    assert callback.startswith("http://testserver/oidc/callback/?"), callback
    return client.get(query_of(callback)), session


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def molde_reps_mapping(molde):
    return DirectoryGroupMapping.objects.create(
        directory_group_id=MOLDE_REPS_GROUP,
        description="Molde: representanter",
        target="representatives",
        organisation=molde,
    )


@pytest.fixture
def molde_membership(molde, group):
    return MembershipFactory(person=PersonFactory(employer=molde, name="Mona Moldestad"), group=group)


# -- first login, the Person, second login -------------------------------------------------------------------------
def test_first_login_creates_the_user_and_links_the_person_with_the_verified_work_email(client, oidc, molde):
    person = PersonFactory(employer=molde, name="Kari Nordmann", email="Kari.Nordmann@molde.kommune.no")
    response, _session = sso_login(client, oidc, "kari")

    assert response.status_code == 302 and response["Location"] == "/"
    user = logged_in_user(client)
    assert user is not None and (user.first_name, user.last_name) == ("Kari", "Nordmann")
    assert user.email == KARI["email"] and user.username == "kari.nordmann"
    assert not user.has_usable_password()
    assert list(OidcIdentity.objects.values_list("user", "issuer", "subject")) == [(user.pk, oidc.issuer, KARI["sub"])]
    person.refresh_from_db()
    assert person.user == user
    # A refused token counts as no failed password (django-axes), a successful one neither.
    assert AccessAttempt.objects.count() == 0


def test_an_unverified_email_links_no_person(client, oidc, molde):
    person = PersonFactory(employer=molde, email="ola.uverifisert@molde.kommune.no")
    sso_login(client, oidc, "ola")
    assert logged_in_user(client).email == "ola.uverifisert@molde.kommune.no"
    person.refresh_from_db()
    assert person.user is None


def test_two_people_with_the_email_link_neither(client, oidc, molde, rauma):
    first = PersonFactory(employer=molde, email=KARI["email"])
    second = PersonFactory(employer=rauma, email=KARI["email"].upper())
    sso_login(client, oidc, "kari")
    assert logged_in_user(client) is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user is None and second.user is None


def test_claims_missing_from_the_id_token_come_from_the_userinfo_endpoint(client, oidc, molde):
    person = PersonFactory(employer=molde, email=KARI["email"])
    oidc.next_token("no-profile")
    sso_login(client, oidc, "kari")
    user = logged_in_user(client)
    assert (user.first_name, user.last_name, user.email) == ("Kari", "Nordmann", KARI["email"])
    person.refresh_from_db()
    assert person.user == user


def test_a_person_who_has_a_user_keeps_it(client, oidc, molde):
    earlier = UserFactory(username="per-lokal")
    person = PersonFactory(employer=molde, email="per.allerede@molde.kommune.no", user=earlier)
    sso_login(client, oidc, "per")
    user = logged_in_user(client)
    assert user is not None and user != earlier
    person.refresh_from_db()
    assert person.user == earlier


def test_users_are_matched_by_subject_never_by_email(client, oidc):
    local = UserFactory(username="kari-lokal", email=KARI["email"], is_superuser=True)
    sso_login(client, oidc, "kari")
    user = logged_in_user(client)
    assert user != local and not user.is_superuser


def test_the_second_login_refreshes_name_and_email_and_an_unchanged_login_writes_nothing(client, oidc, molde):
    sso_login(client, oidc, "kari")
    first = logged_in_user(client)
    oidc.update_user("kari", name="Kari Nordmann-Hansen", email="kari.hansen@molde.kommune.no")
    client.logout()

    sso_login(client, oidc, "kari")
    again = logged_in_user(client)
    assert again.pk == first.pk
    assert (again.first_name, again.last_name, again.email) == (
        "Kari",
        "Nordmann-Hansen",
        "kari.hansen@molde.kommune.no",
    )
    assert OidcIdentity.objects.count() == 1 and User.objects.count() == 1

    # Nothing changed in the directory: the login writes nothing a page shows, so the page cache stays valid.
    client.logout()
    version = caching.data_version()
    sso_login(client, oidc, "kari")
    assert logged_in_user(client).pk == first.pk
    assert caching.data_version() == version


# -- rights from directory groups ----------------------------------------------------------------------------------
def test_directory_groups_grant_and_remove_representative_rights(
    client, oidc, molde, molde_reps_mapping, molde_membership
):
    edit = f"/admin/snippets/faggruppe_pages/membership/edit/{molde_membership.pk}/"
    sso_login(client, oidc, "kari")
    user = logged_in_user(client)
    assert user.groups.filter(pk=molde.representatives_group_id).exists()
    entries = client.get("/admin/vare-oppforinger/")
    assert entries.status_code == 200 and "Mona Moldestad" in entries.content.decode()
    assert client.get(edit).status_code == 200
    # Staff's manual assignment of a group no mapping points at stays.
    manual = Group.objects.create(name="Manuelt lagt til")
    user.groups.add(manual)

    oidc.update_user("kari", groups=["d1d1d1d1-unmapped-group"])  # the directory took her out of the group
    client.logout()
    sso_login(client, oidc, "kari")
    assert not user.groups.filter(pk=molde.representatives_group_id).exists()
    assert user.groups.filter(pk=manual.pk).exists()
    refused = client.get(edit)
    assert refused.status_code in (302, 403) and urlsplit(refused.get("Location", "")).path != edit
    assert "Mona Moldestad" not in client.get("/admin/vare-oppforinger/").content.decode()


def test_a_single_sign_on_session_lasts_a_working_day_so_rights_follow_the_directory(client, oidc, settings):
    """Rights from the directory are applied at login: the session ends after FAGGRUPPE_OIDC_SESSION_HOURS, not
    after Django's two weeks (a password login keeps those)."""
    assert settings.FAGGRUPPE_OIDC_SESSION_HOURS == 10
    settings.FAGGRUPPE_OIDC_SESSION_HOURS = 2
    sso_login(client, oidc, "kari")
    assert logged_in_user(client) is not None
    assert client.session.get_expiry_age() == 2 * 3600
    password_user = UserFactory(username="passord-bruker")
    password_user.set_password("demo")
    password_user.save()
    other = type(client)()
    assert other.post("/logg-inn/", {"username": "passord-bruker", "password": "demo"}).status_code == 302
    assert other.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_staff_rights_from_a_directory_group(client, oidc, db):
    staff = Group.objects.create(name="Redaksjon")
    DirectoryGroupMapping.objects.create(directory_group_id="c9d8e7f6-redaksjon", target=MappingTarget.STAFF)
    oidc.update_user("kari", groups=["c9d8e7f6-redaksjon"])
    sso_login(client, oidc, "kari")
    assert logged_in_user(client).groups.filter(pk=staff.pk).exists()


def test_groups_overage_removes_the_mapped_rights_and_says_so(client, oidc, molde, molde_reps_mapping):
    sso_login(client, oidc, "kari")
    user = logged_in_user(client)
    assert user.groups.filter(pk=molde.representatives_group_id).exists()
    client.logout()

    oidc.next_token("overage")
    response, _session = sso_login(client, oidc, "kari")
    assert logged_in_user(client) == user  # logged in, without the rights
    assert not user.groups.filter(pk=molde.representatives_group_id).exists()
    assert str(RIGHTS_UNREADABLE) in messages_of(response)


# -- refusals ------------------------------------------------------------------------------------------------------
def assert_refused(client, response, message):
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert message in messages_of(response)
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists() and not OidcIdentity.objects.exists()
    assert AccessAttempt.objects.count() == 0  # not counted as failed password logins
    page = client.get("/logg-inn/")
    assert page.status_code == 200 and message in page.content.decode()


def test_a_tenant_not_on_the_allow_list_is_refused(client, oidc):
    response, _session = sso_login(client, oidc, "utenfor")
    assert_refused(client, response, str(REFUSED_ORGANISATION))


def test_an_issuer_not_on_the_allow_list_is_refused(client, oidc, settings):
    settings.OIDC_ALLOWED_ISSUERS = ["https://login.microsoftonline.com/7f3c1d2e-ror-ikt-tenant/v2.0"]
    response, _session = sso_login(client, oidc, "kari")
    assert_refused(client, response, str(REFUSED_ORGANISATION))


def test_the_allow_lists_let_the_right_issuer_and_tenant_in(client, oidc, settings):
    settings.OIDC_ALLOWED_ISSUERS = [oidc.issuer]
    sso_login(client, oidc, "kari")
    assert logged_in_user(client) is not None


@pytest.mark.parametrize("mode", ["tamper", "foreign-key", "expired"])
def test_a_tampered_or_expired_id_token_is_refused(client, oidc, mode):
    oidc.next_token(mode)
    response, _session = sso_login(client, oidc, "kari")
    assert_refused(client, response, str(REFUSED_GENERIC))


def test_a_forged_callback_is_refused_with_a_message(client, oidc):
    response = client.get("/oidc/callback/", {"code": "forged", "state": "unknown"})
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert "_auth_user_id" not in client.session


def test_a_cancelled_login_says_so(client, oidc):
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": "whatever"})
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert "_auth_user_id" not in client.session


# -- where the login lands -----------------------------------------------------------------------------------------
def test_next_is_kept_through_the_round_trip_to_the_admin(client, oidc, molde, molde_reps_mapping):
    response, _session = sso_login(client, oidc, "kari", next="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_open_redirect_next_is_refused(client, oidc):
    response, _session = sso_login(client, oidc, "kari", next="https://evil.example/phish")
    assert response.status_code == 302 and response["Location"] == "/"


# -- logout --------------------------------------------------------------------------------------------------------
def test_logout_ends_the_portal_session_and_the_providers(client, oidc):
    _response, browser = sso_login(client, oidc, "kari")
    # While the provider's session lives, a new login returns at once, without its login form.
    start = client.get("/oidc/authenticate/")
    _callback, form_shown = oidc.authorize(browser, start["Location"])
    assert not form_shown

    response = client.post("/logg-ut/")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(oidc.issuer + "/session/end?") and "id_token_hint=" in end_session
    back = oidc.confirm_logout(browser, end_session)
    assert back == "http://testserver/logg-inn/"
    page = client.get(query_of(back))
    assert "You are now logged out." in page.content.decode() or "logget ut" in page.content.decode()

    start = client.get("/oidc/authenticate/")
    _nothing, form_shown = oidc.authorize(browser, start["Location"])
    assert form_shown


def test_a_password_users_logout_stays_in_the_portal(client, oidc):
    client.force_login(UserFactory(username="leser"))
    response = client.post("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"


# -- the login page and password login -----------------------------------------------------------------------------
def test_the_login_page_shows_the_button_only_when_configured(client, oidc, settings):
    page = client.get("/logg-inn/?next=/admin/").content.decode()
    assert 'href="/oidc/authenticate/?next=/admin/"' in page and 'name="password"' in page
    settings.FAGGRUPPE_OIDC_LOGIN_LABEL = "Logg inn med Entra"
    assert "Logg inn med Entra" in client.get("/logg-inn/").content.decode()
    settings.OIDC_ISSUER = ""
    assert "/oidc/authenticate/" not in client.get("/logg-inn/").content.decode()
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"] == "/logg-inn/"


@pytest.mark.parametrize("address", ["/logg-inn/", "/admin/login/", "/_util/login/"])
def test_password_login_switched_off_hides_the_form_and_refuses_passwords(client, oidc, settings, address):
    UserFactory(username="leser")
    settings.FAGGRUPPE_PASSWORD_LOGIN = False
    page = client.get("/logg-inn/").content.decode()
    assert 'name="password"' not in page and "/oidc/authenticate/" in page
    response = client.post(address, {"username": "leser", "password": "demo"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 403)
    # The same password works while password login is on (the refusal above is the switch, not a typo).
    settings.FAGGRUPPE_PASSWORD_LOGIN = True
    client.post(address, {"username": "leser", "password": "demo"})
    assert "_auth_user_id" in client.session


def test_a_provider_that_does_not_answer_is_a_message_not_an_error(client, oidc, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert str(UNAVAILABLE) in messages_of(response)
