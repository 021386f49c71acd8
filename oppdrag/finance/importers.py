"""The ledger import (the accounting system's export) and the budget import.

The ledger file has a date, an account, a project or department dimension, a text
and either a signed amount or debit and credit columns. Every account and project
must be mapped already (``AccountMapping``, ``LedgerProject``); unknown ones are
listed once each, with the rows they are on and the closest known codes, and
nothing is saved. A file read in before (same SHA-256) is refused. Saving replaces
the period's lines in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from oppdrag.core.parsing import fold, normalize_space, parse_date, suggest
from oppdrag.grants.models import Assignment
from oppdrag.importing.base import CellError, Column, Importer, ImportResult, Problem, Row
from oppdrag.importing.cleaners import choice, text

from . import services
from .amounts import parse_amount
from .models import AccountMapping, CostType, Funding, LedgerProject, Source

# Rows named in a problem about one code; the rest are counted.
ROWS_NAMED = 5


def _code(limit: int) -> Callable[[str], str]:
    def clean(value: str) -> str:
        code = normalize_space(value)
        if len(code) > limit:
            raise ValueError(
                _("Koden er for lang ({length} tegn; høyst {limit}).").format(
                    length=len(code), limit=limit
                )
            )
        return code

    return clean


def _date(value: str) -> dt.date:
    # The reader gives spreadsheet dates as ISO text; people type dd.mm.yyyy.
    return parse_date(value[:10] if len(value) > 10 and value[10] in " T" else value)


def _rows_text(rows: list[int], more: int) -> str:
    listed = ", ".join(str(n) for n in rows)
    if more:
        return _("rad {rows} og {more} til").format(rows=listed, more=more)
    return _("rad {rows}").format(rows=listed)


class LedgerImporter(Importer):
    """The general ledger for a period of the grant year (CSV or XLSX)."""

    kind = "ledger"
    label = "regnskap (hovedbok)"
    clean_by_value = True
    # Two equal postings on one day (two equal invoices) are real: keep both.
    reject_duplicate_rows = False
    columns = [
        Column("Dato", "date", _date, required=True, aliases=("Bilagsdato", "Posteringsdato")),
        Column("Konto", "account", _code(20), required=True, aliases=("Kontonr", "Kontonummer")),
        Column(
            "Prosjekt",
            "project",
            _code(30),
            aliases=("Avdeling", "Dimensjon", "Prosjektnr", "Prosjektnummer"),
        ),
        Column("Tekst", "text", text(300), aliases=("Beskrivelse", "Bilagstekst")),
        Column("Beløp", "amount", parse_amount, aliases=("Belop", "Sum")),
        Column("Debet", "debit", parse_amount),
        Column("Kredit", "credit", parse_amount),
    ]

    def __init__(
        self,
        center: Any,
        year: int,
        user: Any = None,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        is_generated: bool = False,
        file_name: str | None = None,
    ):
        super().__init__(center, year, user)
        self.start = start or dt.date(year, 1, 1)
        self.end = end or dt.date(year, 12, 31)
        self.is_generated = is_generated
        self.shown_name = file_name
        self.batch: Any = None

    def prepare(self) -> None:
        self.accounts = set(
            AccountMapping.objects.filter(center=self.center).values_list("account", flat=True)
        )
        self.projects = set(
            LedgerProject.objects.filter(center=self.center, year=self.year).values_list(
                "code", flat=True
            )
        )

    def check_row(self, values: dict[str, Any]) -> None:
        date = values["date"]
        if not self.start <= date <= self.end:
            raise CellError(
                "Dato",
                _("{date} er utenfor perioden {start}–{end}.").format(
                    date=date.strftime("%d.%m.%Y"),
                    start=self.start.strftime("%d.%m.%Y"),
                    end=self.end.strftime("%d.%m.%Y"),
                ),
            )
        has_amount = "amount" in values
        has_sides = "debit" in values or "credit" in values
        if has_amount and has_sides:
            raise CellError(
                "Beløp", _("Raden har både beløp og debet/kredit; bruk det ene eller det andre.")
            )
        if not has_amount and not has_sides:
            raise CellError("Beløp", _("Raden har verken beløp eller debet/kredit."))

    def check_all(self, rows: list[Row]) -> list[Problem]:
        unknown: dict[tuple[str, str], list[int]] = {}
        accounts, projects = self.accounts, self.projects
        for row in rows:
            values = row.values
            account = values["account"]
            if account not in accounts:
                unknown.setdefault(("Konto", account), []).append(row.number)
            project = values.get("project", "")
            if project and project not in projects:
                unknown.setdefault(("Prosjekt", project), []).append(row.number)
        problems = []
        for (column, code), numbers in unknown.items():
            known = accounts if column == "Konto" else projects
            close = suggest(code, known)
            if column == "Konto":
                message = _("Kontoen «{code}» er ikke koblet til en kostnadstype ({rows}).")
            else:
                message = _(
                    "Prosjektet «{code}» er ikke koblet til et oppdrag for {year} ({rows})."
                )
            message = message.format(
                code=code,
                year=self.year,
                rows=_rows_text(numbers[:ROWS_NAMED], max(0, len(numbers) - ROWS_NAMED)),
            )
            if close:
                message += " " + _("Mente du {codes}?").format(
                    codes=", ".join(f"«{c}»" for c in close)
                )
            else:
                message += " " + _("Legg den til under Koblinger.")
            problems.append(Problem(self.file_name, message, None, numbers[0], column))
        return problems

    def run(self, path: Path, *, dry_run: bool = False) -> ImportResult:
        self.sha256 = services.file_sha256(path)
        earlier = services.imported_before(self.center, self.sha256)
        if earlier is not None:
            result = ImportResult(kind=self.kind, file=path.name, dry_run=dry_run)
            result.problems.append(
                Problem(
                    path.name,
                    _(
                        "Denne filen ble lest inn {date} (som «{name}», {year}). "
                        "Den samme filen leses ikke inn to ganger."
                    ).format(
                        date=earlier.created_at.strftime("%d.%m.%Y"),
                        name=earlier.file_name,
                        year=earlier.year,
                    ),
                )
            )
            return result
        return super().run(path, dry_run=dry_run)

    def save(self, rows: list[Row]) -> tuple[int, int]:
        lines: list[tuple[dt.date, str, str, str, Decimal]] = []
        add = lines.append
        for row in rows:
            values = row.values
            amount = values.get("amount")
            if amount is None:
                amount = values.get("debit", Decimal(0)) - values.get("credit", Decimal(0))
            add(
                (
                    values["date"],
                    values["account"],
                    values.get("project", ""),
                    values.get("text", ""),
                    amount,
                )
            )
        self.batch = services.replace_ledger_period(
            center=self.center,
            year=self.year,
            start=self.start,
            end=self.end,
            file_name=self.shown_name or self.file_name,
            sha256=self.sha256,
            lines=lines,
            user=self.user,
            is_generated=self.is_generated,
        )
        return len(lines), 0


class BudgetImporter(Importer):
    """A budget as a spreadsheet: each row an amount; the file becomes a new version."""

    kind = "budget"
    label = "budsjett"
    reject_duplicate_rows = False
    columns = [
        Column("Oppdrag", "assignment", "clean_assignment"),
        Column(
            "Kostnadstype",
            "cost_type",
            choice(CostType, "kostnadstype"),
            required=True,
        ),
        Column("Finansiering", "source", choice(Source, "finansiering")),
        Column("Budsjettpost", "funding", "clean_funding", aliases=("Kap./post", "Kap post")),
        Column("Beløp", "amount", parse_amount, required=True),
    ]

    def prepare(self) -> None:
        self.assignments = {
            a.number: a for a in Assignment.objects.filter(center=self.center, year=self.year)
        }
        self.fundings = list(Funding.objects.filter(center=self.center, year=self.year))

    def clean_assignment(self, value: str) -> Assignment:
        number = value.split(" ", 1)[0].rstrip(".")
        found = self.assignments.get(number)
        if found is None:
            close = suggest(number, self.assignments)
            hint = (" " + _("Mente du {n}?").format(n=", ".join(close))) if close else ""
            raise ValueError(
                _("Oppdrag {number} finnes ikke i {year}.").format(number=number, year=self.year)
                + hint
            )
        return found

    def clean_funding(self, value: str) -> Funding:
        digits = "".join(ch if ch.isdigit() else " " for ch in value).split()
        matches = [
            f
            for f in self.fundings
            if len(digits) >= 2 and f.chapter == digits[0] and f.post == digits[1]
        ]
        if not matches:
            matches = [f for f in self.fundings if fold(value) in fold(str(f))]
        if len(matches) != 1:
            known = ", ".join(f"«{f.line_label}»" for f in self.fundings) or _("ingen")
            raise ValueError(
                _("Fant ikke budsjettposten «{text}». Registrerte poster: {known}.").format(
                    text=value, known=known
                )
            )
        return matches[0]

    def check_row(self, values: dict[str, Any]) -> None:
        source = values.get("source", Source.GRANT)
        if source == Source.GRANT and "funding" not in values:
            if len(self.fundings) == 1:
                values["funding"] = self.fundings[0]
            else:
                raise CellError(
                    "Budsjettpost",
                    _("Oppgi budsjettposten for tilskuddsmidler (senteret har {n}).").format(
                        n=len(self.fundings)
                    ),
                )

    def save(self, rows: list[Row]) -> tuple[int, int]:
        items = [
            services.ItemSpec(
                cost_type=row.values["cost_type"],
                amount=row.values["amount"],
                source=row.values.get("source", Source.GRANT),
                assignment=row.values.get("assignment"),
                funding=row.values.get("funding"),
            )
            for row in rows
        ]
        services.revise_budget(
            center=self.center,
            year=self.year,
            items=items,
            note=_("Lest inn fra {name}.").format(name=self.file_name),
            user=self.user,
        )
        return len(items), 0


FINANCE_IMPORTERS: dict[str, type[Importer]] = {
    "ledger": LedgerImporter,
    "budget": BudgetImporter,
}
