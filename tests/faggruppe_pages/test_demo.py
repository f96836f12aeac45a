"""The demo profile: complete, idempotent, and never loaded by migrations."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from faggruppe_pages.models import (
    ArbeidsgruppePage,
    FaggruppePage,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)

pytestmark = pytest.mark.django_db

NINE = [
    "Dokumentasjonsforvaltning",
    "Helse og velferd",
    "Lønn og personal",
    "Microsoft 365 forvaltning",
    "Oppvekst og utdanning",
    "Personvern og informasjonssikkerhet",
    "Portal og innbyggerdialog",
    "Teknisk",
    "Økonomi",
]
USERS = [
    "admin",
    "redaksjon",
    "leser",
    "rep-aukra",
    "rep-hustadvika",
    "rep-molde",
    "rep-rauma",
    "rep-vestnes",
    "rep-fagforbundet",
    "sekretaer",
    "leder-teknisk",
]


def counts():
    return {
        model.__name__: model.objects.count() for model in (Organisation, Person, Membership, Page, get_user_model())
    }


def test_migrations_load_no_demo_data():
    assert not FaggruppePage.objects.exists() and not Organisation.objects.exists()


def test_load_demo_creates_the_demo_and_prints_the_users(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in USERS:
        assert username in out
    assert "demo" in out
    assert sorted(FaggruppePage.objects.values_list("title", flat=True)) == sorted(NINE)
    assert {p.url for p in FaggruppePage.objects.all()} >= {"/faggrupper/teknisk/", "/faggrupper/okonomi/"}
    municipalities = Organisation.objects.participants_on().filter(kind=OrganisationKind.MUNICIPALITY)
    assert sorted(o.short_name for o in municipalities) == ["Aukra", "Hustadvika", "Molde", "Rauma", "Vestnes"]
    assert Organisation.objects.filter(kind=OrganisationKind.UNION).count() == 2
    assert Organisation.objects.get(kind=OrganisationKind.COOPERATION).short_name == "ROR-IKT"
    assert ArbeidsgruppePage.objects.count() >= 3
    User = get_user_model()
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(USERS)
    for username in USERS:
        assert User.objects.get(username=username).check_password("demo")
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="leser").has_perm("wagtailadmin.access_admin")
    # Teknisk's secretary and leader sit in the group with their accounts, so they edit its work in the admin.
    for username, role in (("sekretaer", Role.SECRETARY), ("leder-teknisk", Role.LEADER)):
        member = User.objects.get(username=username)
        assert Membership.objects.active_on().get(person__user=member, group__slug="teknisk").role == role
        assert member.has_perm("wagtailadmin.access_admin")


def test_demo_has_stale_lists_and_empty_seats():
    call_command("load_demo")
    teknisk = FaggruppePage.objects.get(slug="teknisk")
    active = Membership.objects.filter(group=teknisk).active_on()
    assert not active.filter(represents__slug="hustadvika").exists()  # an empty seat
    assert Membership.objects.filter(last_verified_at__isnull=True).exists()  # never verified
    assert Membership.objects.ended_before().exists()  # history


def test_load_demo_twice_creates_no_duplicates():
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first


def test_load_demo_keeps_what_a_user_edited():
    call_command("load_demo")
    page = FaggruppePage.objects.get(slug="teknisk")
    page.purpose = "Endret av redaksjonen"
    page.save()
    call_command("load_demo")
    assert FaggruppePage.objects.get(slug="teknisk").purpose == "Endret av redaksjonen"


def test_scale_multiplies_groups_and_members():
    call_command("load_demo")
    one = (FaggruppePage.objects.count(), Membership.objects.count())
    call_command("load_demo", scale=3)
    assert FaggruppePage.objects.count() == 3 * one[0]
    assert Membership.objects.count() > 2.5 * one[1]


def test_scale_below_one_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", scale=0)
