"""``oppdrag import KIND FILE --center SLUG --year YYYY [--dry-run] [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppdrag.core.commands import center_option, user_option
from oppdrag.importing.registry import all_importers


class Command(BaseCommand):
    help = "Importer en CSV- eller XLSX-fil av én type (alt eller ingenting)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(all_importers()), help="Hva filen inneholder.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--center", required=True, help="Senterets kortnavn (slug).")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="Bare kontroller filen.")
        parser.add_argument("--user", help="Brukernavn som endringene føres på.")
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        user = user_option(options["user"])
        importer = all_importers()[options["kind"]](center, options["year"], user)
        result = importer.run(options["file"], dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif result.ok:
            verb = "ville blitt lagt til" if result.dry_run else "lagt til"
            message = f"{result.file}: {result.rows} rader kontrollert, {result.added} {verb}"
            if result.updated:
                message += f", {result.updated} oppdatert"
            if result.unchanged:
                message += f", {result.unchanged} uendret"
            self.stdout.write(self.style.SUCCESS(message + "."))
            for note in result.notes:
                self.stdout.write(note)
        else:
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.more_problems:
                self.stderr.write(f"… og {result.more_problems} problemer til.")
        if not result.ok:
            raise CommandError(
                f"Importen av {result.file} ble avvist; ingenting er endret "
                f"({len(result.problems) + result.more_problems} problemer)."
            )
