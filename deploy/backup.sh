#!/usr/bin/env bash
# Nightly backup: a custom-format pg_dump of the whole database (for a full restore with
# deploy/restore.sh), and each centre's own archive (oppdrag export-center), which a
# centre can take to another installation. Old backups are removed after BACKUP_KEEP_DAYS.
# Needs DATABASE_URL (PostgreSQL) and BACKUP_DIR; OPPDRAG (the command) defaults to the
# checkout's .venv/bin/oppdrag.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${BACKUP_DIR:?BACKUP_DIR must name the backup folder}"
OPPDRAG=${OPPDRAG:-$here/.venv/bin/oppdrag}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
target="$BACKUP_DIR/$stamp"
mkdir -p "$target/centers"
umask 077

pg_dump --format=custom --no-owner --file="$target/database.dump" "$DATABASE_URL"
"$OPPDRAG" shell --no-imports -c 'from oppdrag.core.models import Center
print("\n".join(Center.objects.order_by("slug").values_list("slug", flat=True)))' |
while read -r slug; do
    [ -n "$slug" ] && "$OPPDRAG" export-center --center "$slug" "$target/centers/$slug.zip" >/dev/null
done
(cd "$target" && sha256sum database.dump centers/*.zip > SHA256SUMS 2>/dev/null || sha256sum database.dump > SHA256SUMS)
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime +"${BACKUP_KEEP_DAYS:-30}" -exec rm -rf {} +
echo "$target"
