"""The data version (faggruppe_pages/caching.py): the database changes it on every write a reader page could show.

Generated from the database and the models, not from a list: every table but the ignored ones carries the
trigger, and a write to a row of every model changes the token, through ``save()`` and through
``QuerySet.update()`` alike (the path "Alt stemmer" takes, which sends no signal).
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.db import connection, transaction
from django.test import Client

from faggruppe_pages import caching
from faggruppe_pages.models import Membership, Organisation
from faggruppe_pages.upkeep.confirmation import verify_all
from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo()


def test_every_table_but_the_ignored_ones_carries_the_trigger(db):
    tables = set(connection.introspection.table_names())
    watched = set(caching.watched_tables())
    assert caching.tables_with_triggers() == watched
    missing = {t for t in tables if not caching.ignored(t)} - watched
    if connection.vendor == "sqlite":  # full-text tables take no triggers (derived, ignored by prefix anyway)
        missing = {t for t in missing if not t.startswith("wagtailsearch_")}
    assert not missing
    # Our own tables and Wagtail's pages are watched; sessions and the version row are not.
    for table in ("faggruppe_pages_membership", "faggruppe_pages_person", "wagtailcore_page", "governance_meeting"):
        assert table in watched
    for table in ("django_session", caching.TABLE):
        assert table not in watched


def test_a_new_table_is_watched_after_the_next_migrate(db):
    """install_triggers runs after every migrate: a table created since gets its trigger."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE fg_test_new_table (id integer PRIMARY KEY, name varchar(10))")
    try:
        assert "fg_test_new_table" not in caching.tables_with_triggers()
        caching.install_triggers()
        before = caching.data_version()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO fg_test_new_table (id, name) VALUES (1, 'x')")
        assert caching.data_version() != before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE fg_test_new_table")


def _models_with_rows():
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or caching.ignored(table):
            continue
        row = model._base_manager.order_by("pk").first()
        if row is not None:
            yield model, row


def test_a_write_to_any_model_changes_the_token(demo):
    """Every model with a row in the demo: an update() (no signal) and a save() each give a new token."""
    checked = []
    for model, row in _models_with_rows():
        before = caching.data_version()
        # auth_user is watched on the columns pages show and rights depend on (not last_login): write one of them.
        field = model._meta.get_field("first_name") if model._meta.db_table == "auth_user" else model._meta.pk
        model._base_manager.filter(pk=row.pk).update(**{field.attname: getattr(row, field.attname)})
        after_update = caching.data_version()
        assert after_update != before, f"{model._meta.label}: update() left the data version"
        checked.append(model._meta.label)
    assert {"faggruppe_pages.Membership", "faggruppe_pages.Person", "wagtailcore.Page"} <= set(checked)
    assert len(checked) >= 30, checked


def test_alt_stemmer_changes_the_token(demo):
    molde = Organisation.objects.get(slug="molde")
    before = caching.data_version()
    assert verify_all(molde, get_user_model().objects.get(username="rep-molde")) > 0
    assert caching.data_version() != before


def test_a_rolled_back_write_leaves_the_token(demo):
    before = caching.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Membership.objects.update(note="x")
        assert caching.data_version() != before
        raise RuntimeError
    assert caching.data_version() == before


def test_logins_and_reading_change_nothing(demo):
    """A login stamps last_login and a reader's requests write a session: neither empties the cache."""
    user = get_user_model().objects.get(username="leser")
    before = caching.data_version()
    update_last_login(None, user)
    client = Client()
    client.force_login(user)
    for path in ("/faggrupper/", "/faggrupper/medlemsoversikt/", "/faggrupper/lonn-og-personal/", "/sok/?q=lønn"):
        assert client.get(path).status_code == 200
    assert caching.data_version() == before
    # A change of name is shown on pages ("confirmed by …"): that one counts.
    user.first_name = "Lise"
    user.save()
    assert caching.data_version() != before


def test_no_version_row_means_nothing_is_cached(demo):
    from faggruppe_pages.models import DataVersion

    DataVersion.objects.all().delete()
    assert caching.data_version() is None
    caching.install_triggers()  # puts the row back
    assert caching.data_version() is not None
