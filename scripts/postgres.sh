# Sourced by scripts/test.sh: find a PostgreSQL server for the tests, or start one.
# Sets PG_URL. A server this script started is stopped when the shell exits.

pg_answers() {
    python - "$1" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

stop_own_postgres() {
    if [ -n "${PG_OWN_DIR:-}" ]; then
        "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_OWN_DIR/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$PG_OWN_DIR"
    fi
}

ensure_postgres() {
    PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
    if pg_answers "$PG_URL"; then
        return
    fi
    # initdb/pg_ctl are on PATH on the CI machines; Debian also keeps them here.
    local initdb
    initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$initdb" ]; then
        echo "PostgreSQL is needed for the tests: no server answers at $PG_URL and" \
             "initdb is not installed (apt-get install postgresql)." >&2
        exit 1
    fi
    PG_BIN=$(dirname "$(readlink -f "$initdb")")
    PG_OWN_DIR=$(mktemp -d /tmp/oppdrag-pg.XXXXXX)
    PG_RUNAS=()
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses to run as root.
        id -u oppdragpg >/dev/null 2>&1 || useradd --system --no-create-home oppdragpg
        chown oppdragpg "$PG_OWN_DIR"
        PG_RUNAS=(runuser -u oppdragpg --)
    fi
    local port
    port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    trap stop_own_postgres EXIT
    "${PG_RUNAS[@]}" "$PG_BIN/initdb" -D "$PG_OWN_DIR/data" -U postgres -A trust >/dev/null
    "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_OWN_DIR/data" -l "$PG_OWN_DIR/log" -w \
        -o "-p $port -k $PG_OWN_DIR -c listen_addresses=127.0.0.1" start >/dev/null
    python - "postgres://postgres@127.0.0.1:$port/postgres" <<'PY'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("CREATE DATABASE test")
PY
    PG_URL="postgres://postgres@127.0.0.1:$port/test"
    echo "Started a throw-away PostgreSQL server at $PG_URL"
}
