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


def _every_row():
    """Every row of every table, by model: what the demo left in the database."""
    from django.apps import apps
    from django.core import serializers

    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        # A many-to-many table's rows are written anew by the restore: the same pairs under new keys.
        keyed = not model._meta.auto_created
        many = {f.name for f in model._meta.many_to_many}
        rows[model._meta.label] = sorted(
            (
                obj["pk"] if keyed else None,
                # Many-to-many values are lists in no particular order (PostgreSQL returns them as it likes).
                sorted((k, repr(sorted(v) if k in many else v)) for k, v in obj["fields"].items()),
            )
            for obj in serializers.serialize("python", model._base_manager.order_by("pk"))
        )
    return rows


def test_the_snapshot_the_suite_restores_is_the_demo_the_loader_makes(django_db_blocker):
    """tests/demo_snapshot.py restores the demo for most tests: it must be the loader's demo, row for row."""
    from django.db import transaction

    from tests import demo_snapshot

    demo_snapshot._snapshots.clear()
    sid = transaction.savepoint()
    demo_snapshot.load_demo()  # the loader, and the snapshot taken
    loaded = _every_row()
    transaction.savepoint_rollback(sid)
    assert not FaggruppePage.objects.exists()
    demo_snapshot.load_demo()  # restored from the snapshot
    restored = _every_row()
    assert sum(len(rows) for rows in loaded.values()) > 2000
    assert restored.keys() == loaded.keys()
    for label in loaded:
        if label == "faggruppe_pages.DataVersion":
            continue  # not demo data: the token every write changes (restoring writes too)
        assert restored[label] == loaded[label], label
