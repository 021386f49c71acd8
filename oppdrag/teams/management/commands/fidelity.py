"""``oppdrag fidelity agreement FILE.csv [--json]``: rater agreement on a score matrix.

Raters use it offline on their own calibration data: one row per rated item, one
column per rater, the raters' labels in the header row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oppdrag.importing.readers import FileRejected, decode_text
from oppdrag.teams import services
from oppdrag.teams.agreement import AgreementError, agreement_report
from oppdrag.teams.management.commands.teams import get_center
from oppdrag.teams.matrixfile import MatrixRejected, read_matrix
from oppdrag.teams.models import FidelityReview
from oppdrag.teams.scales import ScaleError, load_scale_file


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


class Command(BaseCommand):
    help = "Verktøy for fidelitymålinger. «agreement FIL» beregner samsvar mellom bedømmere."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        agreement = sub.add_parser(
            "agreement", help="Samsvar mellom bedømmere i en skårmatrise (CSV)."
        )
        agreement.add_argument("file", type=Path)
        agreement.add_argument("--json", action="store_true", help="Maskinlesbar JSON.")
        agreement.add_argument(
            "--min", type=float, default=None, help="Laveste mulige skår (f.eks. 1)."
        )
        agreement.add_argument(
            "--max", type=float, default=None, help="Høyeste mulige skår (f.eks. 5)."
        )
        load = sub.add_parser("load-scale", help="Last en skaladefinisjon (JSON) for et senter.")
        load.add_argument("file", type=Path)
        load.add_argument("--center", required=True)
        feedback = sub.add_parser("report", help="Tilbakemeldingsrapport for én måling.")
        feedback.add_argument("review", help="Målingens id (uid).")
        feedback.add_argument("--center", required=True)
        feedback.add_argument("--format", default="docx", choices=["docx", "pdf", "html", "json"])
        feedback.add_argument("--output", type=Path, help="Filnavn (standard: foreslått navn).")
        summary = sub.add_parser("summary", help="Nasjonal eller regional oppsummering.")
        summary.add_argument("year", type=int)
        summary.add_argument("--center", required=True)
        summary.add_argument("--region", help="Bare team i denne regionen.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "agreement":
            self.agreement(options)
        elif options["action"] == "load-scale":
            self.load_scale(options)
        elif options["action"] == "report":
            self.feedback(options)
        else:
            self.summary(options)

    def load_scale(self, options: dict[str, Any]) -> None:
        center = get_center(options["center"])
        path: Path = options["file"]
        try:
            _scale, data = load_scale_file(path)
            version = services.load_scale(center=center, definition=data)
        except ScaleError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        except OSError as exc:
            raise CommandError(
                _("Kan ikke lese {file}: {error}").format(file=path, error=exc.strerror)
            ) from exc
        self.stdout.write(_("Lastet {version}.").format(version=version))

    def feedback(self, options: dict[str, Any]) -> None:
        from oppdrag.teams.feedback import render_feedback

        center = get_center(options["center"])
        try:
            review = FidelityReview.objects.visible_to(center).get(uid=options["review"])
        except (FidelityReview.DoesNotExist, ValidationError) as exc:
            raise CommandError(
                _("Fant ingen måling «{uid}».").format(uid=options["review"])
            ) from exc
        name, _mimetype, data = render_feedback(review, options["format"])
        path = options["output"] or Path(name)
        path.write_bytes(data)
        self.stdout.write(_("Skrev {path}.").format(path=path))

    def summary(self, options: dict[str, Any]) -> None:
        center = get_center(options["center"])
        reviews = FidelityReview.objects.visible_to(center).filter(date__year=options["year"])
        if options["region"]:
            reviews = reviews.filter(team__region__name__iexact=options["region"])
        self.stdout.write(
            json.dumps(services.review_summary(reviews), ensure_ascii=False, indent=2)
        )

    def agreement(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            text = decode_text(path.read_bytes())
        except OSError as exc:
            raise CommandError(
                _("Kan ikke lese {file}: {error}").format(file=path, error=exc.strerror)
            ) from exc
        except FileRejected as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        try:
            matrix = read_matrix(text)
        except MatrixRejected as exc:
            if options["json"]:
                problems = [
                    {"row": p.row, "column": p.column, "message": p.message} for p in exc.problems
                ]
                self.stdout.write(
                    json.dumps({"ok": False, "problems": problems}, ensure_ascii=False, indent=2)
                )
            lines = "\n".join(f"{path.name}, {p}" for p in exc.problems)
            raise CommandError(_("Filen kan ikke brukes:\n{lines}").format(lines=lines)) from exc
        categories = None
        if options["min"] is not None and options["max"] is not None:
            low, high = options["min"], options["max"]
            outside = [
                (matrix.items[i], matrix.raters[j], value)
                for i, row in enumerate(matrix.scores)
                for j, value in enumerate(row)
                if value is not None and not low <= value <= high
            ]
            if outside:
                lines = "\n".join(
                    _("enhet «{item}», bedømmer «{rater}»: {value} er utenfor {low}–{high}").format(
                        item=item, rater=rater, value=value, low=low, high=high
                    )
                    for item, rater, value in outside
                )
                raise CommandError(lines)
            if float(low).is_integer() and float(high).is_integer():
                categories = [float(v) for v in range(int(low), int(high) + 1)]
        try:
            report = agreement_report(matrix.scores, matrix.raters, categories=categories)
        except AgreementError as exc:
            raise CommandError(str(exc)) from exc
        data = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **data}, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("{items} enheter, {raters} bedømmere ({labels})").format(
                items=report.items, raters=len(report.raters), labels=", ".join(report.raters)
            )
        )
        self.stdout.write(_("Eksakt samsvar: {value}").format(value=_number(report.exact)))
        self.stdout.write(
            _("Samsvar innen ett poeng: {value}").format(value=_number(report.within_one))
        )
        if len(report.raters) == 2:
            self.stdout.write(
                _("Vektet kappa (lineær / kvadratisk): {linear} / {quadratic}").format(
                    linear=_number(report.kappa_linear),
                    quadratic=_number(report.kappa_quadratic),
                )
            )
        for form, value in report.icc.items():
            self.stdout.write(f"{form:<9} {_number(value.value):>6}  {value.model}")
        self.stdout.write(
            _("Krippendorffs alfa (ordinal): {value}").format(
                value=_number(report.krippendorff_alpha_ordinal)
            )
        )
        for note in report.notes:
            self.stdout.write(note)
