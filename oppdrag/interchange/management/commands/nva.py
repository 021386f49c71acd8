"""``oppdrag nva fetch --center SLUG (--institution ID | --contributor ID) --year YYYY``.

Fetches every page of an NVA search and imports the results as presentations and
publications, the same way ``oppdrag import nva-json`` does with a saved file.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppdrag.core.commands import center_option, user_option
from oppdrag.interchange import nva
from oppdrag.interchange.importers import NvaJsonImporter


class Command(BaseCommand):
    help = "Hent resultater fra NVA (Nasjonalt vitenarkiv) og importer dem."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        fetch = sub.add_parser("fetch", help="Hent ett års resultater for en enhet eller person.")
        fetch.add_argument("--center", required=True, help="Senterets kortnavn (slug).")
        who = fetch.add_mutually_exclusive_group(required=True)
        who.add_argument("--institution", help="Enhetens id i NVA/Cristin (f.eks. 7452.0.0.0).")
        who.add_argument("--contributor", help="Personens Cristin-id.")
        fetch.add_argument("--year", required=True, type=int)
        fetch.add_argument("--base-url", default=nva.DEFAULT_BASE_URL, help="NVA-API-ets adresse.")
        fetch.add_argument("--timeout", type=float, default=20.0, help="Sekunder per forespørsel.")
        fetch.add_argument("--save", type=Path, help="Lagre svaret som JSON-fil.")
        fetch.add_argument("--dry-run", action="store_true", help="Bare kontroller.")
        fetch.add_argument("--user", help="Brukernavn som endringene føres på.")
        fetch.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        user = user_option(options["user"])
        query = nva.SearchQuery(
            year=options["year"],
            institution=options["institution"] or "",
            contributor=options["contributor"] or "",
            base_url=options["base_url"],
            timeout=options["timeout"],
        )
        try:
            data = nva.fetch_all(query)
        except nva.FetchError as exc:
            raise CommandError(f"Hentingen fra NVA mislyktes; ingenting er endret. {exc}") from exc
        if options["save"]:
            options["save"].write_text(json.dumps(data, ensure_ascii=False, indent=2))
        source = f"NVA {query.url(0)}"
        importer = NvaJsonImporter(center, options["year"], user)
        importer.file_name = source
        records, errors = nva.parse_search_response(data)
        if errors:
            result = importer.run_records([], source, dry_run=options["dry_run"])
            importer._add_problems(result, (importer.problem(e) for e in errors))
        else:
            result = importer.run_records(records, source, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif result.ok:
            verb = "ville blitt lagt til" if result.dry_run else "lagt til"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(data['hits'])} treff hentet fra NVA: {result.added} {verb}, "
                    f"{result.updated} oppdatert, {result.unchanged} uendret."
                )
            )
            for note in result.notes:
                self.stdout.write(note)
        else:
            for problem in result.problems:
                self.stderr.write(str(problem))
        if not result.ok:
            raise CommandError(
                f"Importen fra NVA ble avvist; ingenting er endret "
                f"({len(result.problems) + result.more_problems} problemer)."
            )
