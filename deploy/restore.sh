#!/usr/bin/env bash
# Restore a nightly backup's database dump into an empty (or new) PostgreSQL database:
#   deploy/restore.sh BACKUP/database.dump postgres://user@host/newdatabase
# The target database must exist and be empty (createdb); the checksums are verified first.
set -euo pipefail
dump=${1:?the database.dump of a backup}
target=${2:?the URL of the empty database to restore into}
(cd "$(dirname "$dump")" && sha256sum --check --quiet --ignore-missing SHA256SUMS)
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$target" "$dump"
