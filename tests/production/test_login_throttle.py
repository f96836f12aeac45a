"""Login throttling (django-axes): five failures for one user name from one address lock that pair out.

Both login forms (the site's /logg-inn/ and Wagtail's /admin/login/) go through the same throttle.
The lockout lasts FAGGRUPPE_LOGIN_COOLOFF_MINUTES; staff lift it in the Wagtail admin.
"""

from datetime import timedelta

import pytest
from axes.backends import AxesBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.test import Client, override_settings
from django.utils.module_loading import import_string
from intranet.settings.base import client_address_settings

from faggruppe_pages.upkeep.setup import ensure_staff_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMS = {"site": "/logg-inn/", "admin": "/admin/login/"}
HOME = {"site": "/", "admin": "/admin/"}
ADDRESS = "10.20.30.40"
LOCKED_NB = "Vent 15 minutter og prøv igjen, eller be Redaksjonen om å låse opp."
LOCKED_NN = "Vent 15 minutt og prøv igjen, eller be Redaksjonen om å låse opp."


@pytest.fixture
def staff(db):
    user = UserFactory(username="redaksjon")
    user.groups.add(ensure_staff_group())
    return user


@pytest.fixture
def users(staff):
    """Two staff members (they may use both forms)."""
    UserFactory(username="annen").groups.add(ensure_staff_group())
    return staff


def attempt(form, username, password, address=ADDRESS, client=None, **extra):
    client = client or Client()
    return client.post(FORMS[form], {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def logged_in(response, form):
    return response.status_code == 302 and response["Location"] == HOME[form]


def fail_until_locked(form, username="redaksjon", address=ADDRESS, **extra):
    """Four wrong passwords are answered by the form; the fifth locks out."""
    for n in range(1, settings.AXES_FAILURE_LIMIT):
        response = attempt(form, username, "feil", address, **extra)
        assert response.status_code == 200, f"failure {n} answered {response.status_code}"
    response = attempt(form, username, "feil", address, **extra)
    assert response.status_code == 429
    return response


def test_the_defaults_are_five_failures_and_fifteen_minutes():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    # django-axes first, before anything that checks a password (the switch for password login only refuses), then
    # Django's (ours load rights with the user).
    first, switch, third = settings.AUTHENTICATION_BACKENDS[:3]
    assert issubclass(import_string(first), AxesBackend)
    assert switch == "intranet.accounts.PasswordLoginSwitch"
    assert issubclass(import_string(third), ModelBackend) and not issubclass(import_string(third), AxesBackend)


@pytest.mark.parametrize("form", FORMS)
def test_five_failures_then_the_right_password_is_refused_in_norwegian(users, form):
    locked = fail_until_locked(form)
    assert LOCKED_NB in locked.content.decode()
    client = Client()
    response = attempt(form, "redaksjon", "demo", client=client)
    body = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_NB in body and "15 minutter" in body
    assert "_auth_user_id" not in client.session
    assert client.get(HOME[form]).status_code == 302  # still anonymous: sent to a login page


@pytest.mark.parametrize("form", FORMS)
def test_the_lockout_speaks_nynorsk_to_who_chose_it(users, form):
    fail_until_locked(form)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    response = attempt(form, "redaksjon", "demo", client=client)
    assert response.status_code == 429 and LOCKED_NN in response.content.decode()


@pytest.mark.parametrize("form", FORMS)
def test_only_that_user_name_from_that_address_is_locked(users, form):
    fail_until_locked(form)
    assert logged_in(attempt(form, "redaksjon", "demo", address="10.20.30.41"), form)
    assert logged_in(attempt(form, "annen", "demo"), form)
    assert attempt(form, "annen", "feil").status_code == 200  # another name's first failure is just a failure


def test_one_form_locks_the_other_too(users):
    fail_until_locked("site")
    assert attempt("admin", "redaksjon", "demo").status_code == 429


def test_fewer_failures_then_a_success_start_the_count_again(users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("site", "redaksjon", "feil")
    assert logged_in(attempt("site", "redaksjon", "demo"), "site")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt("site", "redaksjon", "feil").status_code == 200


def age_attempts(minutes, seconds=0):
    """Let time pass for the throttle: its failures happened that much earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes, seconds=seconds))


@pytest.mark.parametrize("form", FORMS)
def test_after_the_cool_off_the_login_works_again(users, form):
    fail_until_locked(form)
    age_attempts(14)
    assert attempt(form, "redaksjon", "demo").status_code == 429, "still locked after 14 minutes"
    age_attempts(1, 1)
    assert logged_in(attempt(form, "redaksjon", "demo"), form)


def test_refused_attempts_during_the_lockout_do_not_extend_it(users):
    fail_until_locked("site")
    age_attempts(10)
    for _ in range(3):
        assert attempt("site", "redaksjon", "demo").status_code == 429
    age_attempts(5, 1)
    assert logged_in(attempt("site", "redaksjon", "demo"), "site")


@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=timedelta(minutes=30))
def test_limit_and_cool_off_come_from_settings(users):
    for _ in range(2):
        assert attempt("site", "redaksjon", "feil").status_code == 200
    response = attempt("site", "redaksjon", "feil")
    assert response.status_code == 429 and "Vent 30 minutter" in response.content.decode()


# -- behind a reverse proxy ------------------------------------------------------------------------------------
@override_settings(**client_address_settings(1))
def test_behind_one_proxy_the_address_is_the_one_nginx_appended(users):
    """nginx (REMOTE_ADDR 127.0.0.1) appends the client's address to X-Forwarded-For."""
    via_nginx = {"address": "127.0.0.1"}
    fail_until_locked("site", **via_nginx, HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert AccessAttempt.objects.get().ip_address == "10.1.1.1"
    # Another employee behind the same nginx is not locked out.
    assert logged_in(attempt("site", "redaksjon", "demo", HTTP_X_FORWARDED_FOR="10.1.1.2", **via_nginx), "site")
    # The locked-out client cannot escape by sending its own X-Forwarded-For: nginx appends the real one.
    spoofed = attempt("site", "redaksjon", "demo", HTTP_X_FORWARDED_FOR="10.9.9.9, 10.1.1.1", **via_nginx)
    assert spoofed.status_code == 429


@override_settings(**client_address_settings(2))
def test_behind_two_proxies_the_address_is_the_second_from_the_right(users):
    """A load balancer (10.0.0.2) in front of nginx: the client is the second entry from the right."""
    fail_until_locked("site", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 10.1.1.1, 10.0.0.2")
    assert AccessAttempt.objects.get().ip_address == "10.1.1.1"


def test_without_a_proxy_a_forwarded_header_is_ignored(users):
    """gunicorn facing clients directly (FAGGRUPPE_PROXY_COUNT=0): X-Forwarded-For is the client's own claim."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt("site", "redaksjon", "feil", HTTP_X_FORWARDED_FOR=f"10.7.7.{n}")
    assert attempt("site", "redaksjon", "demo", HTTP_X_FORWARDED_FOR="10.7.7.99").status_code == 429


# -- staff unlock in the Wagtail admin -----------------------------------------------------------------------------
LISTING = "/admin/innloggingssperrer/"


def test_staff_see_the_lockout_and_unlock_it(users, staff):
    fail_until_locked("site")
    admin = Client()
    admin.force_login(staff)
    listing = admin.get(LISTING)
    body = listing.content.decode()
    assert listing.status_code == 200
    assert "Låste innlogginger" in body and "redaksjon" in body and ADDRESS in body
    row = AccessAttempt.objects.get()
    unlock = f"{LISTING}unlock/{row.pk}/"
    assert unlock in body
    confirm = admin.get(unlock)
    assert confirm.status_code == 200 and "Ja, lås opp" in confirm.content.decode()
    response = admin.post(unlock, follow=True)
    assert response.status_code == 200
    assert "kan logge inn igjen" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    # Who unlocked whom stays in Wagtail's audit log.
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="wagtail.delete")
    assert entry.user == staff and "redaksjon" in entry.label and ADDRESS in entry.label
    assert logged_in(attempt("site", "redaksjon", "demo"), "site")


def test_the_menu_offers_locked_logins_to_staff_only(users, staff):
    rep = UserFactory(username="rep-molde")
    from django.contrib.auth.models import Permission

    rep.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user, shown in ((staff, True), (rep, False)):
        client = Client()
        client.force_login(user)
        assert (LISTING in client.get("/admin/").content.decode()) is shown


@pytest.mark.parametrize("role", ["representative", "reader", "anonymous"])
def test_nobody_else_sees_or_unlocks(users, role):
    from django.contrib.auth.models import Permission

    fail_until_locked("site")
    row = AccessAttempt.objects.get()
    client = Client()
    if role != "anonymous":
        user = UserFactory(username=role)
        if role == "representative":
            user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    listing = client.get(LISTING)
    assert listing.status_code in (302, 403) and "redaksjon" not in listing.content.decode()
    client.post(f"{LISTING}unlock/{row.pk}/")
    assert AccessAttempt.objects.filter(pk=row.pk).exists()
    assert attempt("site", "redaksjon", "demo").status_code == 429


def test_no_add_or_edit_views_exist(users, staff):
    fail_until_locked("site")
    admin = Client()
    admin.force_login(staff)
    row = AccessAttempt.objects.get()
    for path in ("new/", f"edit/{row.pk}/", f"history/{row.pk}/"):
        assert admin.get(LISTING + path).status_code == 404
