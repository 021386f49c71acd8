"""The grantor's financial report as a workbook and a PDF, from the same figures as the page.

The workbook goes through ``oppdrag.importing.writers`` (no cell can compute); the
PDF is the page's table printed by WeasyPrint.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from oppdrag.importing.writers import XLSX_MIMETYPE, write_xlsx

from .figures import Finance

__all__ = ["XLSX_MIMETYPE", "auditor_required", "auditor_threshold", "grantor_pdf", "grantor_xlsx"]


def auditor_threshold() -> Decimal:
    """The grant from which the accounts need an auditor's confirmation (a setting)."""
    return Decimal(getattr(settings, "FINANCE_AUDITOR_THRESHOLD_NOK", 200_000))


def auditor_required(finance: Finance) -> bool:
    return any(grant.received >= auditor_threshold() for grant in finance.grants)


def grantor_rows(finance: Finance) -> tuple[list[str], list[list[Any]]]:
    """The rows of the grantor's form: grant received per budget line, spent, unspent,
    own and other funding; a sum per grant and for the centre."""
    header = [
        _("Tilskudd"),
        _("Budsjettpost"),
        _("Tilskudd mottatt"),
        _("Brukt av tilskuddet"),
        _("Ubrukte midler"),
        _("Forbruk utover tilskuddet"),
    ]
    rows: list[list[Any]] = []
    for grant in finance.grants:
        for line in grant.lines:
            rows.append(
                [
                    grant.label,
                    line.label,
                    line.received,
                    line.spent_of_grant,
                    line.unspent,
                    line.over,
                ]
            )
        if len(finance.grants) > 1:
            rows.append(
                [
                    _("Sum {grant}").format(grant=grant.label),
                    "",
                    grant.received,
                    grant.spent_of_grant,
                    grant.unspent,
                    sum((line.over for line in grant.lines), Decimal(0)),
                ]
            )
    rows.append(
        [
            _("Sum senteret"),
            "",
            finance.received,
            finance.spent_of_grant,
            finance.unspent,
            sum((line.over for grant in finance.grants for line in grant.lines), Decimal(0)),
        ]
    )
    rows.append([_("Egenfinansiering (budsjett)"), "", finance.own_funding, "", "", ""])
    rows.append([_("Annen finansiering (budsjett)"), "", finance.other_funding, "", "", ""])
    return header, rows


def _status(confirmation: Any, finance: Finance) -> str:
    if confirmation is None:
        return _("Ikke registrert") if auditor_required(finance) else _("Ikke påkrevd")
    return str(confirmation.get_status_display())


def grantor_xlsx(center: Any, finance: Finance, confirmation: Any) -> bytes:
    header, rows = grantor_rows(finance)
    rows = [[float(c) if isinstance(c, Decimal) else c for c in row] for row in rows]
    rows.append([])
    rows.append([_("Revisorbekreftelse"), _status(confirmation, finance), "", "", "", ""])
    if finance.is_generated:
        rows.append(
            [_("Eksempeldata"), _("Tallene er generert for demonstrasjon."), "", "", "", ""]
        )
    return write_xlsx(_("Regnskap {year}").format(year=finance.year), header, rows)


def grantor_pdf(center: Any, finance: Finance, confirmation: Any) -> bytes:
    from weasyprint import HTML

    header, rows = grantor_rows(finance)
    with translation.override("nb"):
        html = render_to_string(
            "finance/grantor_print.html",
            {
                "center": center,
                "finance": finance,
                "header": header,
                "rows": rows,
                "status": _status(confirmation, finance),
                "auditor_required": auditor_required(finance),
                "threshold": auditor_threshold(),
            },
        )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
