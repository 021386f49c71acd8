"""Import of assessment text (one row per chapter and kind), all or nothing."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from oppdrag.grants.models import Assignment
from oppdrag.importing.base import CellError, Column, Importer, Problem, Row

from .models import AssessmentBlock
from .services import save_assessment
from .submission import is_delivered

SECTION_KEY = re.compile(r"foreword|references|overall:[a-c]|focus:[a-f]|questionnaire:[1-8]")
KIND_NAMES = {
    **{str(label).casefold(): value for value, label in AssessmentBlock.Kind.choices},
    **{value: value for value in AssessmentBlock.Kind.values},
}
STATUS_NAMES = {
    **{str(label).casefold(): value for value, label in AssessmentBlock.Status.choices},
    **{value: value for value in AssessmentBlock.Status.values},
}


class AssessmentImporter(Importer):
    """Rows of «Kapittel;Type;Status;Tekst»; Kapittel is an assignment number or a section key."""

    kind = "assessments"
    label = "vurderingstekster"
    columns = [
        Column("Kapittel", "place", lambda text: text.strip().rstrip("."), required=True),
        Column("Type", "kind", "clean_kind", required=True),
        Column("Status", "status", "clean_status"),
        Column("Tekst", "text", lambda text: text.strip(), required=True),
    ]

    def prepare(self) -> None:
        self.assignments = {
            a.number: a for a in Assignment.objects.filter(center=self.center, year=self.year)
        }

    def clean_kind(self, text: str) -> str:
        value = KIND_NAMES.get(text.strip().casefold())
        if value is None:
            raise ValueError(
                _("«{text}» er ikke en teksttype. Kjente typer: {known}.").format(
                    text=text, known=", ".join(AssessmentBlock.Kind.values)
                )
            )
        return value

    def clean_status(self, text: str) -> str:
        if not text.strip():
            return AssessmentBlock.Status.DRAFT
        value = STATUS_NAMES.get(text.strip().casefold())
        if value is None:
            raise ValueError(_("«{text}» er ikke en status.").format(text=text))
        return value

    def check_row(self, values: dict[str, Any]) -> None:
        place = values["place"]
        looks_numbered = place[:1].isdigit()
        if looks_numbered and place not in self.assignments:
            raise CellError(
                "Kapittel",
                _("Oppdrag {number} finnes ikke for {year}.").format(number=place, year=self.year),
            )
        if not looks_numbered and not SECTION_KEY.fullmatch(place):
            raise CellError(
                "Kapittel",
                _(
                    "«{place}» er verken et oppdragsnummer eller et kjent kapittel "
                    "(foreword, references, overall:a–c, focus:a–f, questionnaire:1–8)."
                ).format(place=place),
            )

    def check_all(self, rows: list[Row]) -> list[Problem]:
        if is_delivered(self.center, self.year):
            message = _(
                "Årsrapporten for {year} er levert, og tekstene kan ikke endres. "
                "Start en ny versjon av rapporten for å endre dem."
            ).format(year=self.year)
            return [Problem(file=self.file_name, message=message)]
        return []

    def save(self, rows: list[Row]) -> tuple[int, int]:
        for row in rows:
            values = row.values
            assignment = self.assignments.get(values["place"])
            save_assessment(
                center=self.center,
                year=self.year,
                kind=values["kind"],
                text=values["text"],
                user=self.user,
                assignment=assignment,
                section_key="" if assignment is not None else values["place"],
                status=values.get("status", AssessmentBlock.Status.DRAFT),
            )
        return len(rows), 0
