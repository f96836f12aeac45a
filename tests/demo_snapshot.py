"""The demo, loaded the slow way once per test process and restored from a snapshot after that.

``DemoLoader().run()`` takes 10–12 s (most of it Wagtail's reference index, updated on every
save of the 88 meetings and their attendance); dozens of tests and browser tests start from
the demo. The first call runs the real loader and keeps a serialized copy of the whole test
database (the tables Django's serialized rollback covers); later
calls write that copy back with raw saves, which fire no reference-index or sync signals and
take about a second.

Restoring writes every row over the state the test starts from (migrations' content types,
root page and default site, plus whatever the test made first), so call it on a database in
that state: at the start of a test, or in a module fixture before any test has written.
The snapshot is per database alias and scale, and per process; ``tests/faggruppe_pages/
test_demo.py`` still runs the real ``load_demo`` command, so the loader itself stays tested.
"""

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.db.migrations.loader import MigrationLoader
from intranet.demo.loader import DemoLoader

_snapshots = {}


def _models(connection):
    """The models Django's serialized rollback covers: every migrated app's tables on this database."""
    migrated = MigrationLoader(connection).migrated_apps
    for app_config in apps.get_app_configs():
        if app_config.models_module is None or app_config.label not in migrated:
            continue
        for model in app_config.get_models():
            if model._meta.can_migrate(connection) and router.allow_migrate_model(connection.alias, model):
                yield model


def _take(connection):
    """Every row, as the "python" serializer gives it (unlike Django's JSON one, it keeps microseconds)."""
    rows = []
    for model in _models(connection):
        rows.extend(serializers.serialize("python", model._base_manager.using(connection.alias).order_by("pk")))
    return rows


def _restore(connection, rows):
    """Django's ``deserialize_db_from_string``, on the python rows; then sequences moved past the rows."""
    tables, models = set(), set()
    present = {}  # per model: the keys already in its table (an UPDATE for those, a plain INSERT for the rest)
    with transaction.atomic(using=connection.alias):
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("python", rows, using=connection.alias):
                model = type(obj.object)
                if model not in present:
                    present[model] = set(model._base_manager.using(connection.alias).values_list("pk", flat=True))
                # The same raw save (and signals) as before; a row known to be missing is inserted at once instead of
                # after an UPDATE that finds nothing (half the queries: most rows are missing at a test's start).
                obj.save(force_insert=obj.object.pk not in present[model])
                tables.add(obj.object._meta.db_table)
                models.add(model)
        connection.check_constraints(table_names=tables)
        # PostgreSQL's sequences do not follow rows inserted with their keys (a flush may even have reset them).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def load_demo(using="default", scale=1):
    """The demo in the test database ``using``, as ``DemoLoader(scale).run()`` would leave it."""
    connection = connections[using]
    key = (using, connection.settings_dict["NAME"], scale)
    if key not in _snapshots:
        DemoLoader(scale=scale).run()
        _snapshots[key] = _take(connection)
        return
    _restore(connection, _snapshots[key])
