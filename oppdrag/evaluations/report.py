"""The evaluation numbers in the annual report, as report-tree blocks.

The builder calls ``evaluation_blocks`` with one summary of the key figures'
``evaluations`` object (the year's, or one assignment's). Suppressed groups (fewer
than five answers) give one sentence saying so and no numbers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from oppdrag.reports import tree as t
from oppdrag.reports.rounding import half_up, half_up_number

from .standard import SCALE_KEYS, SECTIONS

QUESTION_TEXT = {q["key"]: q["text"] for s in SECTIONS for q in s["questions"]}


def _decimal(value: float) -> str:
    return str(half_up(value, 1)).replace(".", ",")


def evaluation_blocks(summary: dict[str, Any] | None, *, key: str, scope: str) -> list[t.Block]:
    """A sentence and a table of the standard evaluation's means for one group."""
    if not summary or summary.get("responses") == 0:
        return []
    if summary.get("suppressed"):
        return [
            t.Paragraph(
                [
                    t.Text(
                        _(
                            "Evalueringene av {scope} har færre enn fem svar; resultatene "
                            "vises ikke, så ingen enkeltsvar kan kjennes igjen."
                        ).format(scope=scope)
                    )
                ],
                generated=True,
            )
        ]
    illustrative = bool(summary.get("generated"))
    rows: list[list[t.Cell]] = []
    labels: list[str] = []
    means: list[float] = []
    for question in SCALE_KEYS:
        item = summary["questions"].get(question, {})
        if item.get("suppressed") or "mean" not in item:
            rows.append([QUESTION_TEXT[question], None, None, ""])
            continue
        labels.append(QUESTION_TEXT[question])
        means.append(half_up_number(item["mean"], 1))
        interval = ""
        if item.get("ci_low") is not None:
            interval = f"{_decimal(item['ci_low'])}–{_decimal(item['ci_high'])}"
        rows.append([QUESTION_TEXT[question], item["n"], half_up_number(item["mean"], 1), interval])
    caption = _("Evaluering av {scope}").format(scope=scope)
    if illustrative:
        # Generated answers are never stated as fact: the sentence, the table's caption
        # and the chart's caption say «Eksempeldata», and the JSON carries the flag.
        intro = t.Paragraph(
            [
                t.Text(_("Eksempeldata:"), bold=True),
                t.Text(
                    " "
                    + _(
                        "Svarene på evalueringen av {scope} er laget av en generator for å "
                        "vise hvordan rapporten ser ut, og er ikke gitt av deltakere. "
                        "Tabellen viser gjennomsnittet av {n} genererte svar på en skala fra "
                        "1 (lavest) til 5 (høyest) med 95 % konfidensintervall."
                    ).format(scope=scope, n=summary["responses"])
                ),
            ],
            generated=True,
            illustrative=True,
        )
        caption = _("{caption} (eksempeldata)").format(caption=caption)
    else:
        intro = t.Paragraph(
            [
                t.Text(
                    _(
                        "{scope} ble evaluert med senterets standardskjema, og {n} deltakere "
                        "svarte. Tabellen viser gjennomsnittet på en skala fra 1 (lavest) "
                        "til 5 (høyest) med 95 % konfidensintervall."
                    ).format(scope=scope[:1].upper() + scope[1:], n=summary["responses"])
                )
            ],
            generated=True,
        )
    return [
        intro,
        t.Table(
            caption=caption,
            columns=[_("Spørsmål"), _("Svar"), _("Gjennomsnitt"), _("95 % KI")],
            rows=rows,
            key=key,
            footnote=_("Grupper med færre enn fem svar vises ikke."),
            illustrative=illustrative,
        ),
        *_chart(labels, means, key=key, scope=scope, illustrative=illustrative),
    ]


def _chart(
    labels: list[str], means: list[float], *, key: str, scope: str, illustrative: bool = False
) -> list[t.Block]:
    """The table's means as a bar chart (every renderer draws it; JSON carries the data)."""
    if not means:
        return []
    caption = _("Gjennomsnitt per spørsmål, {scope}").format(scope=scope)
    if illustrative:
        caption = _("{caption} (eksempeldata)").format(caption=caption)
    pairs = zip(labels, means, strict=True)
    described = "; ".join(f"{label}: {_decimal(mean)}" for label, mean in pairs)
    return [
        t.Figure(
            kind="bar",
            caption=caption,
            alt=_("Stolpediagram over gjennomsnittene (skala 1–5): {values}.").format(
                values=described
            ),
            labels=labels,
            series=[t.Series(_("Gjennomsnitt"), means)],
            value_label=_("Gjennomsnitt (1–5)"),
            key=f"{key}-diagram" if key else "",
            illustrative=illustrative,
        )
    ]
