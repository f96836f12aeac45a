#!/usr/bin/env bash
# A tested backup: pg_dump -Fc the database in DATABASE_URL, restore the dump into a fresh database,
# check that the site serves the same pages and holds the same rows there (scripts/compare_sites.py),
# then drop the restored database. Exits non-zero if any step fails or anything differs.
# See docs/backup.md.
#
# Usage: DATABASE_URL=postgres://user:password@host:5432/intranet scripts/backup_roundtrip.sh [DUMP_FILE]
#   DUMP_FILE   keep the dump there (default: a temporary file, deleted at the end)
# Environment (all optional):
#   PG_BIN                folder with pg_dump, pg_restore and psql (default: on PATH, else the newest
#                         /usr/lib/postgresql/*/bin); pg_dump must be at least the server's version
#   PYTHON                the project's Python (default: .venv/bin/python)
#   COMPARE_USER          the staff user the checker logs in as (default: the first active superuser)
#   ROUNDTRIP_TAMPER_SQL  SQL run in the restored copy before the comparison: tests use it to prove
#                         that a difference is caught. Never needed otherwise.
# The role in DATABASE_URL needs CREATEDB (the restored copy is a new database on the same server).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "backup_roundtrip: $*" >&2; exit 2; }

: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up (postgres://...)}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) die "DATABASE_URL is not a PostgreSQL URL (postgres://...)" ;;
esac
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || die "no Python at $PYTHON (make venv, or set PYTHON)"

if [ -z "${PG_BIN:-}" ]; then
  if command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && command -v psql >/dev/null; then
    PG_BIN=$(dirname "$(command -v pg_dump)")
  else
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
fi
for tool in pg_dump pg_restore psql; do
  [ -x "$PG_BIN/$tool" ] || die "$tool not found in ${PG_BIN:-PATH} (apt-get install postgresql-client, or set PG_BIN)"
done

# The original's name and place (without the password, for messages), the copy's name and URL.
read -r SHOWN RESTORED_NAME RESTORED_URL < <("$PYTHON" - "$DATABASE_URL" <<'EOF'
import re, sys, time
from urllib.parse import urlsplit, urlunsplit
url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
if not name:
    sys.exit("backup_roundtrip: DATABASE_URL names no database")
copy = f"{re.sub(r'[^a-z0-9_]', '_', name.lower())[:30]}_restore_{time.strftime('%Y%m%d%H%M%S')}"
print(f"{url.hostname or 'local'}:{url.port or 5432}/{name}", copy, urlunsplit(url._replace(path="/" + copy)))
EOF
)
[ -n "${RESTORED_URL:-}" ] || die "could not read DATABASE_URL"

WORK=$(mktemp -d /tmp/backup-roundtrip.XXXXXX)
DUMP=${1:-$WORK/backup.dump}
CREATED=""
cleanup() {
  if [ -n "$CREATED" ]; then
    if "$PG_BIN/psql" "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$RESTORED_NAME\" WITH (FORCE)" >/dev/null; then
      echo "== dropped the restored database $RESTORED_NAME"
    else
      echo "backup_roundtrip: could not drop the restored database $RESTORED_NAME: drop it by hand" >&2
    fi
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

started=$SECONDS
echo "== pg_dump -Fc $SHOWN -> $DUMP"
"$PG_BIN/pg_dump" --format=custom --file="$DUMP" "$DATABASE_URL"
echo "   $(du -h "$DUMP" | cut -f1) in $((SECONDS - started)) s; $("$PG_BIN/pg_restore" --list "$DUMP" | grep -c ' TABLE DATA ') tables with data"

echo "== create $RESTORED_NAME and pg_restore into it"
"$PG_BIN/psql" "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$RESTORED_NAME\"" >/dev/null
CREATED=yes
"$PG_BIN/pg_restore" --exit-on-error --no-owner --no-acl --dbname="$RESTORED_URL" "$DUMP"

if [ -n "${ROUNDTRIP_TAMPER_SQL:-}" ]; then
  echo "== ROUNDTRIP_TAMPER_SQL: altering the restored copy on purpose"
  "$PG_BIN/psql" "$RESTORED_URL" -X -q -v ON_ERROR_STOP=1 -c "$ROUNDTRIP_TAMPER_SQL" >/dev/null
fi

echo "== the site from $SHOWN (first) and from $RESTORED_NAME (second)"
compare=(scripts/compare_sites.py "$DATABASE_URL" "$RESTORED_URL")
if [ -n "${COMPARE_USER:-}" ]; then
  compare+=(--user "$COMPARE_USER")
fi
status=0
"$PYTHON" "${compare[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "BACKUP ROUND TRIP FAILED: the restored database does not serve the same site (exit $status)" >&2
  exit 1
fi
echo "== backup round trip OK in $((SECONDS - started)) s"
