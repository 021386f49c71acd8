"""``oppdrag report YYYY --center SLUG --format html|docx|pdf|json --out FILE``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from oppdrag.core.commands import center_option
from oppdrag.reports.builder import build_report
from oppdrag.reports.renderers import RENDERERS


class Command(BaseCommand):
    help = "Lag årsrapporten for et senter og år i HTML, DOCX, PDF eller JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--center", required=True)
        parser.add_argument("--format", choices=sorted(RENDERERS), default="html")
        parser.add_argument("--out", help="Filen rapporten skrives til (standard: filnavnet).")
        parser.add_argument(
            "--without-findings",
            action="store_true",
            help="Ta ikke med kapitlet med åpne funn (de skrives likevel her).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        report = build_report(
            center, options["year"], include_findings=not options["without_findings"]
        )
        name, _mimetype, data = RENDERERS[options["format"]].render(report)
        out = Path(options["out"] or name)
        out.write_bytes(data)
        errors = sum(1 for f in report.findings if f.severity == "error")
        self.stdout.write(f"Skrev {out} ({len(data)} byte).")
        if report.findings:
            self.stderr.write(
                f"{len(report.findings)} åpne funn, {errors} feil. "
                f"Se «oppdrag check {options['year']} --center {center.slug}»."
            )
