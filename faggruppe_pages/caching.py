"""The data version: one token the database changes on every write that a reader page could show.

Why triggers and not Django's signals: "Alt stemmer" confirms a list with ``QuerySet.update()``, imports use
``bulk_create``, Person and Organisation have no ``updated_at``, and a second app server's writes never reach this
process's signal handlers. A trigger in the database sees every one of them, in the writer's own transaction, so
the new token becomes visible to other connections at the same instant as the data (a reader that reads the token
first and the data after never pairs an old token with data it did not see... the other way round is harmless).

- ``install_triggers()`` puts a trigger on every table but the ``IGNORED_TABLES`` (sessions, logs, derived
  indexes: written on every request or derived from other rows) and those in the setting
  ``FAGGRUPPE_CACHE_IGNORED_TABLES``. It runs after every ``migrate`` (apps.py), so a table a new migration adds
  is covered without anyone remembering; tests/faggruppe_pages/test_data_version.py checks every table.
- On PostgreSQL a BEFORE ... FOR EACH STATEMENT trigger on every write statement (not once per transaction: a
  page read later in the same transaction, as in a test or a view that writes and then renders, must see a new
  token too): the version row is locked before the statement locks any rows of its own, so two writers wait for
  each other in one order and cannot deadlock on it.
- On SQLite (one writer at a time) a row trigger per insert, update and delete.
- ``auth_user``: only the columns a page can show or that decide rights; a login (``last_login``) or a new
  password hash changes no reader page and must not empty the cache.
- A table emptied by TRUNCATE (tests' flush) takes the version row with it: ``data_version()`` is then None and
  nothing is cached until the row is back (the demo snapshot restores it; ``install_triggers`` re-creates it).
"""

import secrets

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

TABLE = "faggruppe_pages_dataversion"
PREFIX = "fg_data_version"

#: Tables whose writes never change a reader page: written per request or per login, or derived from others.
IGNORED_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "django_migrations",
        "django_admin_log",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "wagtailcore_referenceindex",
        "wagtailcore_pagelogentry",
        "wagtailcore_modellogentry",
    }
)
#: Prefixes of derived tables: the search index (rebuilt from the rows it indexes) and task bookkeeping.
IGNORED_PREFIXES = ("wagtailsearch_", "django_tasks_")

#: Columns of auth_user whose change matters to a reader page (names, e-mail) or to rights (the cache keys).
USER_COLUMNS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


#: Tables other apps declare as never shown on a cached page (``ignore_tables``), e.g. per-user secrets.
_declared_ignored = set()


def ignore_tables(*tables):
    """Declare tables whose writes change no cached reader page (call from an AppConfig.ready)."""
    _declared_ignored.update(tables)


def ignored(table):
    extra = set(getattr(settings, "FAGGRUPPE_CACHE_IGNORED_TABLES", ()) or ())
    return table in IGNORED_TABLES or table in extra or table in _declared_ignored or table.startswith(IGNORED_PREFIXES)


def data_version(using=DEFAULT_DB_ALIAS):
    """The current token (one query), or None when there is no version row (then nothing may be cached)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return row[0] if row else None


def watched_tables(using=DEFAULT_DB_ALIAS):
    """Every ordinary table of the database that gets a trigger."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = [
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t" and not ignored(info.name)
        ]
        if connection.vendor == "sqlite":
            # Full-text search tables and their shadow tables take no triggers (and are derived anyway).
            cursor.execute("SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow')")
            virtual = {name for (name,) in cursor.fetchall()}
            tables = [t for t in tables if t not in virtual]
    return sorted(tables)


def install_triggers(using=DEFAULT_DB_ALIAS):
    """(Re)create the version row and the triggers on every watched table; idempotent. Returns the tables."""
    connection = connections[using]
    tables = watched_tables(using)
    with connection.cursor() as cursor:
        _drop_from_ignored(cursor, connection)
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE id = 1")  # noqa: S608
        if not cursor.fetchone()[0]:
            # A new token each time (not the model's default): a table emptied and filled again (tests' flush) must
            # not come back under a token an earlier state had (faggruppe_pages/versioned.py keeps values under it).
            cursor.execute(
                f"INSERT INTO {TABLE} (id, token, number) VALUES (1, %s, 0)",  # noqa: S608
                [secrets.token_hex(8)],
            )
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, connection, tables)
        elif connection.vendor == "sqlite":
            _install_sqlite(cursor, connection, tables)
    return tables


def _install_postgresql(cursor, connection, tables):
    qn = connection.ops.quote_name
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {PREFIX}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE {TABLE} SET number = number + 1,
                 token = substr(md5(random()::text || clock_timestamp()::text), 1, 16)
           WHERE id = 1;
          RETURN NULL;
        END $$;
        """
    )
    for table in tables:
        events = "INSERT OR DELETE OR UPDATE"
        if table == "auth_user":
            events = "INSERT OR DELETE OR UPDATE OF " + ", ".join(qn(c) for c in USER_COLUMNS)
        cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX} ON {qn(table)}")
        cursor.execute(
            f"CREATE TRIGGER {PREFIX} BEFORE {events} ON {qn(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_bump()"
        )


def _install_sqlite(cursor, connection, tables):
    qn = connection.ops.quote_name
    bump = f"UPDATE {TABLE} SET number = number + 1, token = lower(hex(randomblob(8))) WHERE id = 1;"
    for table in tables:
        update = "UPDATE"
        if table == "auth_user":
            update = "UPDATE OF " + ", ".join(qn(c) for c in USER_COLUMNS)
        for event, name in (("INSERT", "ins"), ("DELETE", "del"), (update, "upd")):
            trigger = qn(f"{PREFIX}_{name}_{table}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"CREATE TRIGGER {trigger} AFTER {event} ON {qn(table)} BEGIN {bump} END")


def _drop_from_ignored(cursor, connection):
    """A table declared ignored after its trigger was made loses the trigger."""
    qn = connection.ops.quote_name
    for table in tables_with_triggers():
        if ignored(table):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX} ON {qn(table)}")
            else:
                for name in ("ins", "del", "upd"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {qn(f'{PREFIX}_{name}_{table}')}")


def tables_with_triggers(using=DEFAULT_DB_ALIAS):
    """The tables that have our trigger now (for the checks and the test)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [PREFIX],
            )
            return {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{PREFIX}_upd_%"]
        )
        return {name for (name,) in cursor.fetchall()}


def installed_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: every table that exists after a migrate is watched."""
    install_triggers(using)
