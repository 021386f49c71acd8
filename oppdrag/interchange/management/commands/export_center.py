"""``oppdrag export-center --center SLUG FILE.zip``: the centre's data as CSV files in a ZIP."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from oppdrag.core.commands import center_option
from oppdrag.interchange.export import export_center


class Command(BaseCommand):
    help = "Eksporter alle data for ett senter til en ZIP-fil (CSV per tabell og manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", required=True, help="Senterets kortnavn (slug).")
        parser.add_argument("file", type=Path, help="ZIP-filen som skal skrives.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        path: Path = options["file"]
        with path.open("wb") as handle:
            manifest = export_center(center, handle)
        rows = sum(info["rows"] for info in manifest["files"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {len(manifest['files'])} filer, {rows} rader fra {center.slug}."
            )
        )
