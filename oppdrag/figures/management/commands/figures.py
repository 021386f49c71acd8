"""``oppdrag figures YYYY --center SLUG [--json]``: the year's key figures."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from oppdrag.core.commands import center_option
from oppdrag.figures.keyfigures import key_figures


class Command(BaseCommand):
    help = "Skriv årets nøkkeltall, beregnet fra registeret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--center", required=True)
        parser.add_argument("--json", action="store_true", help="Maskinlesbar JSON.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        figures = key_figures(center, options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Nøkkeltall for {center} {figures['year']}")
        for item in figures["key_figures"]["figures"]:
            value = "ikke registrert" if item["missing"] else item["value"]
            self.stdout.write(f"  {item['label']:<32} {value!s:>10}  (kilde: {item['source']})")
        self.stdout.write("Registreringer")
        for kind, count in figures["counts"].items():
            self.stdout.write(f"  {kind:<24} {count:>6}")
        self.stdout.write(f"  {'deltakelser':<24} {figures['events']['participants']:>6}")
        for comparison in figures["comparisons"]:
            if comparison["difference"]:
                self.stdout.write(
                    f"  Avvik {comparison['key']}: publisert {comparison['published']}, "
                    f"registrert {comparison['computed']}"
                )
