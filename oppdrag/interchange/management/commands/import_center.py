"""``oppdrag import-center FILE.zip [--slug NEW] [--grant-roles-to-existing]``: restore an
exported centre."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppdrag.interchange.restore import ArchiveRejected, import_center


class Command(BaseCommand):
    help = "Les inn en senter-eksport som et nytt senter (alt eller ingenting)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="ZIP-filen fra «oppdrag export-center».")
        parser.add_argument("--slug", help="Nytt kortnavn for senteret (ellers arkivets).")
        parser.add_argument(
            "--grant-roles-to-existing",
            action="store_true",
            help=(
                "Gi arkivets roller også til brukere som finnes her fra før med samme "
                "brukernavn (ellers får de ingen rolle). Tilgang til administrasjonen "
                "gis aldri fra et arkiv."
            ),
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Finner ikke filen {path}.")
        try:
            with path.open("rb") as handle:
                report = import_center(
                    handle,
                    slug=options["slug"],
                    grant_roles_to_existing=options["grant_roles_to_existing"],
                )
        except ArchiveRejected as exc:
            raise CommandError(f"{path.name} ble avvist; ingenting er endret. {exc}") from exc
        rows = sum(report.rows.values())
        self.stdout.write(
            self.style.SUCCESS(f"Senteret «{report.center.slug}» er lest inn: {rows} rader.")
        )
        if report.new_uids:
            self.stdout.write("Registreringene fikk nye id-er, fordi de gamle finnes i databasen.")
        if report.users_created:
            self.stdout.write(
                "Nye brukere (må lage passord via «Glemt passord»): "
                + ", ".join(report.users_created)
            )
        if report.users_linked:
            self.stdout.write("Koblet til eksisterende brukere: " + ", ".join(report.users_linked))
        if report.users_not_linked:
            self.stdout.write(
                "Brukere som finnes her fra før, fikk ingen rolle (gi dem roller selv, eller "
                "bruk --grant-roles-to-existing): " + ", ".join(report.users_not_linked)
            )
        for note in report.notes:
            self.stdout.write(note)
