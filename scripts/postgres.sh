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

pg_bin() {
    # initdb/pg_ctl are on PATH on the CI machines; Debian also keeps them here.
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
    fi
}

ensure_postgres() {
    PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
    if pg_answers "$PG_URL"; then
        return
    fi
    local bin
    bin=$(pg_bin)
    if [ -z "$bin" ]; then
        echo "PostgreSQL is needed for the tests: no server answers at $PG_URL and" \
             "initdb is not installed (apt-get install postgresql)." >&2
        exit 1
    fi
    local dir port=54329 runas=()
    dir=$(mktemp -d /tmp/oppdrag-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses to run as root.
        id -u oppdragpg >/dev/null 2>&1 || useradd --system --no-create-home oppdragpg
        chown oppdragpg "$dir"
        runas=(runuser -u oppdragpg --)
    fi
    "${runas[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
    "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" \
        -l "$dir/log" -w start >/dev/null
    trap '"${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
    "${runas[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres test
    PG_URL="postgres://postgres@127.0.0.1:$port/test"
    echo "Started a throw-away PostgreSQL server at $PG_URL"
}
