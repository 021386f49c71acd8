"""``oppdrag hours …``: the hours import with a stored column mapping, and the tables.

* ``oppdrag hours columns --center SLUG "Ansatt=person" "Prosjektnr=project" …`` stores
  the centre's own headings for the time system's export.
* ``oppdrag hours import FILE --center SLUG --year YYYY [--map H=KEY …] [--dry-run]``
  imports an export (and stores any ``--map`` given, so next year it is one command).
* ``oppdrag hours table --center SLUG --year YYYY [--json]`` prints appendix 7 and
  the reconciliation against published totals.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oppdrag.core.commands import center_option, user_option
from oppdrag.core.models import Center
from oppdrag.hours.importers import HoursImporter
from oppdrag.hours.services import set_column_mapping
from oppdrag.hours.tables import appendix_7, reconciliation


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        heading, sep, key = pair.rpartition("=")
        if not sep or not heading.strip():
            raise CommandError(f"«{pair}» må skrives som Overskrift=nøkkel.")
        mapping[heading.strip()] = key.strip()
    return mapping


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


class Command(BaseCommand):
    help = "Timer og årsverk: kolonneoppsett, import og tabeller."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        columns = sub.add_parser("columns", help="Lagre senterets kolonneoverskrifter.")
        columns.add_argument("--center", required=True)
        columns.add_argument("pairs", nargs="*", help="Overskrift=nøkkel")
        run = sub.add_parser("import", help="Importer en timeeksport.")
        run.add_argument("file", type=Path)
        run.add_argument("--center", required=True)
        run.add_argument("--year", required=True, type=int)
        run.add_argument("--map", action="append", default=[], help="Overskrift=nøkkel")
        run.add_argument("--dry-run", action="store_true")
        run.add_argument("--user")
        run.add_argument("--json", action="store_true")
        table = sub.add_parser("table", help="Vis vedlegg 7 og avstemmingen.")
        table.add_argument("--center", required=True)
        table.add_argument("--year", required=True, type=int)
        table.add_argument("--json", action="store_true")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        center = center_option(options["center"])
        action = options["action"]
        if action == "columns":
            try:
                mapping = set_column_mapping(
                    center=center, mapping=_parse_mapping(options["pairs"])
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            for heading, key in sorted(mapping.items()):
                self.stdout.write(f"{heading} = {key}")
        elif action == "import":
            self._import(center, options)
        else:
            self._table(center, options)

    def _import(self, center: Center, options: dict[str, Any]) -> None:
        user = user_option(options["user"])
        if options["map"]:
            try:
                set_column_mapping(center=center, mapping=_parse_mapping(options["map"]), user=user)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        result = HoursImporter(center, options["year"], user).run(
            options["file"], dry_run=options["dry_run"]
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif result.ok:
            verb = "ville blitt lagt til" if result.dry_run else "lagt til"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.file}: {result.rows} rader kontrollert, {result.added} {verb}."
                )
            )
            for note in result.notes:
                self.stdout.write(note)
        else:
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.more_problems:
                self.stderr.write(f"… og {result.more_problems} problemer til.")
            raise CommandError(
                f"Importen av {result.file} ble avvist; ingenting er endret "
                f"({len(result.problems) + result.more_problems} problemer)."
            )

    def _table(self, center: Center, options: dict[str, Any]) -> None:
        table = appendix_7(center, options["year"])
        differences = reconciliation(center, options["year"])
        if options["json"]:
            data = dataclasses.asdict(table)
            data["reconciliation"] = [
                {**dataclasses.asdict(d), "difference": d.difference} for d in differences
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
            return
        for group in table.groups:
            self.stdout.write(
                f"{group.label:<10} {group.title[:50]:<50} {group.hours:>10} "
                f"{group.share:>4} % {group.fte:>5}"
            )
            for line in group.lines:
                self.stdout.write(
                    f"{'':<10}   {line.number:<8} {line.name[:40]:<40} {line.hours:>9}"
                )
        performed = _("Utførte timer")
        self.stdout.write(
            f"{'':<10} {performed:<50} {table.performed_hours:>10} 100 % {table.performed_fte:>5}"
        )
        self.stdout.write(
            f"{'':<10} {'Totalt':<50} {table.total_hours:>10}       {table.total_fte:>5}"
        )
        self.stdout.write(table.rule)
        for d in differences:
            self.stdout.write(
                f"Avvik {d.label} {d.title} ({d.measure}): publisert {d.published}, "
                f"beregnet {d.computed}, differanse {d.difference}"
            )
