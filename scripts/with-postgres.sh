#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on 127.0.0.1, then stop it and delete it.
# Usage: scripts/with-postgres.sh make test
# initdb refuses to run as root, so as root the cluster runs as the postgres OS user.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)." >&2
  exit 1
fi
PG_PORT=${PG_PORT:-54329}
DATA_DIR=$(mktemp -d /tmp/faggruppe-pg.XXXXXX)
RUN=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$DATA_DIR"
  RUN=(runuser -u postgres --)
fi

cleanup() {
  "${RUN[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

"${RUN[@]}" "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR" -w -l "$DATA_DIR/server.log" \
  -o "-h 127.0.0.1 -p $PG_PORT -k $DATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PG_PORT (data in $DATA_DIR)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/faggruppe"
"$@"
