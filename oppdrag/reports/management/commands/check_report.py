"""``oppdrag check YYYY --center SLUG [--json]``: the report's data-quality findings.

The command is ``check_report`` because ``check`` is Django's system check.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from oppdrag.core.commands import center_option
from oppdrag.reports.checks import run_checks
from oppdrag.reports.renderers.html import severity_label


class Command(BaseCommand):
    help = "Kontroller datakvaliteten før årsrapporten lages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--center", required=True)
        parser.add_argument("--json", action="store_true", help="Maskinlesbar JSON.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        findings = run_checks(center, options["year"])
        if options["json"]:
            self.stdout.write(
                json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)
            )
            return
        if not findings:
            self.stdout.write("Ingen funn.")
            return
        for finding in findings:
            self.stdout.write(f"{severity_label(finding.severity)} {finding.message}")
            if finding.fix:
                self.stdout.write(f"    Slik retter du: {finding.fix}")
            for record in finding.records[:10]:
                self.stdout.write(f"    - {record.description} ({record.uid})")
            if len(finding.records) > 10:
                self.stdout.write(f"    … og {len(finding.records) - 10} til")
