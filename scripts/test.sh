#!/usr/bin/env bash
# The whole test suite: lint (ruff), types (mypy), then pytest on SQLite and on PostgreSQL.
# PostgreSQL: uses the server on 127.0.0.1:5432 (database "test") when one answers;
# otherwise starts a throw-away server with initdb/pg_ctl and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
bash scripts/system-packages.sh
# The local OpenID Connect provider for the sign-in test (pinned in its package.json).
if [ ! -d tests/oidc/node_modules/oidc-provider ]; then
    npm install --prefix tests/oidc --no-package-lock --no-audit --no-fund --silent
fi
export PATH="$PWD/.venv/bin:$PATH"

source scripts/postgres.sh
ensure_postgres
# Tests that make databases of their own (the export's move test) use the same server.
export TEST_POSTGRES_URL="$PG_URL"

echo "== ruff"
ruff check oppdrag tests bench conftest.py
ruff format --check oppdrag tests bench conftest.py
# The migrated template databases (tests/database_templates.py), when the code changed
# since they were built, are built while mypy runs instead of by the first pytest worker
# while the other waits: both cores work, and the two builds overlap.
env -u DATABASE_URL python -m tests.database_templates &
sqlite_template=$!
DATABASE_URL="$PG_URL" python -m tests.database_templates &
postgres_template=$!
checks=0
echo "== mypy"
mypy oppdrag bench || checks=$?
echo "== django checks"
DJANGO_SETTINGS_MODULE=oppdrag.settings.test python -m django makemigrations --check --dry-run >/dev/null || checks=$?
DJANGO_SETTINGS_MODULE=oppdrag.settings.test python -m django check || checks=$?
wait "$sqlite_template" || checks=$?
wait "$postgres_template" || checks=$?
if [ "$checks" != 0 ]; then
    exit "$checks"
fi

# Each pytest run appends here how many tests did not run for want of the published
# reference documents (conftest.py); both runs happen, then that is said last.
OPPDRAG_TEST_NOTES="$(mktemp)"
export OPPDRAG_TEST_NOTES
status=0
workers=${PYTEST_WORKERS:-auto}
# Each worker starts with one contiguous half of the tests and takes half of what the
# other has left when it runs out: a file's tests mostly stay together, so a worker
# loads the demo once for a run of tests that share it (tests/shared_demo.py) and
# builds a file's expensive fixtures once, and neither waits idle at the end.
dist="--dist worksteal"
echo "== pytest (SQLite)"
env -u DATABASE_URL pytest -n "$workers" $dist -q "$@" || status=$?
echo "== pytest (PostgreSQL: ${PG_URL})"
DATABASE_URL="$PG_URL" pytest -n "$workers" $dist -q "$@" || status=$?
if [ -s "$OPPDRAG_TEST_NOTES" ]; then
    echo "== not run"
    cat "$OPPDRAG_TEST_NOTES"
fi
rm -f "$OPPDRAG_TEST_NOTES"
exit "$status"
