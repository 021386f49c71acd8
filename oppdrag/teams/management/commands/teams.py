"""``oppdrag teams import KIND FILE --center SLUG [--dry-run] [--json]`` and
``oppdrag teams figures YEAR --center SLUG [--at DATE] [--json]``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.core.parsing import parse_date
from oppdrag.teams.figures import team_figures
from oppdrag.teams.importers import TEAM_IMPORTERS


def get_center(slug: str) -> Center:
    try:
        return Center.objects.get(slug=slug)
    except Center.DoesNotExist as exc:
        raise CommandError(_("Ukjent senter «{slug}».").format(slug=slug)) from exc


class Command(BaseCommand):
    help = "Teamregisteret: import av teamlister og tall på en dato."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="Importer team, forprosjekter eller målinger.")
        importing.add_argument("kind", choices=sorted(TEAM_IMPORTERS))
        importing.add_argument("file", type=Path)
        importing.add_argument("--center", required=True)
        importing.add_argument("--year", type=int, default=dt.date.today().year)  # noqa: DTZ011
        importing.add_argument("--dry-run", action="store_true")
        importing.add_argument("--json", action="store_true")
        figures = sub.add_parser("figures", help="Tall for teamregisteret.")
        figures.add_argument("year", type=int)
        figures.add_argument("--center", required=True)
        figures.add_argument("--at", help="Dato registeret leses på (dd.mm.åååå).")
        figures.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        center = get_center(options["center"])
        if options["action"] == "import":
            self.run_import(center, options)
        else:
            at = None
            if options["at"]:
                try:
                    at = parse_date(options["at"])
                except ValueError as exc:
                    raise CommandError(str(exc)) from exc
            figures = team_figures(center, options["year"], at=at, review_scores=True)
            if options["json"]:
                self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
                return
            self.stdout.write(_("Team per {at}").format(at=figures["at"]))
            for kind, count in figures["by_type"].items():
                covered = figures["municipalities_covered"].get(kind, 0)
                self.stdout.write(
                    _("  {kind}: {count} team, {covered} kommuner").format(
                        kind=kind, count=count, covered=covered
                    )
                )
            for kind, count in figures["pilot_projects"].items():
                self.stdout.write(
                    _("  {kind}-forprosjekter: {count}").format(kind=kind, count=count)
                )
            self.stdout.write(
                _("  Fidelitymålinger: {total}").format(total=figures["fidelity_reviews"]["total"])
            )

    def run_import(self, center: Center, options: dict[str, Any]) -> None:
        importer = TEAM_IMPORTERS[options["kind"]](center, options["year"], None)
        result = importer.run(options["file"], dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        elif result.ok:
            self.stdout.write(
                _("{file}: {rows} rader, {added} lagt til, {updated} oppdatert.").format(
                    file=result.file, rows=result.rows, added=result.added, updated=result.updated
                )
            )
        else:
            for problem in result.problems:
                self.stderr.write(str(problem))
        if not result.ok:
            raise CommandError(
                _("Importen av {file} ble avvist; ingenting er endret.").format(file=result.file)
            )
