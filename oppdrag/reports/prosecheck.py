"""Checks of staff-written text against the registry: the mistakes typed prose makes.

Four kinds of finding, each of a mistake seen in a published report:

- ``typed_figure``: a number typed in the text that is a figure the system computes
  (it should be a live figure, ``[[figur:KEY]]``, so it cannot go stale);
- ``figure_typo``: a typed number one digit away from a computed figure ("620"
  visits where the table has 6 020);
- ``count_mismatch``: "64 arrangementer" where the registry (and the appendix's rows)
  has another number for that kind of record;
- ``date_mismatch``: a date typed beside a record's title that is not the record's date
  (9.12 in the text, 19.12 in the appendix), for dates without a year or with the month
  by name (full dd.mm.yyyy dates are ``checks.check_assessment_dates``');
- ``typed_reference``: a chapter or appendix number typed by hand ("kapittel 3.1.2"),
  which does not follow the chapter when it moves; a reference that names no
  chapter at all is an error.

Live figures and ``[[ref:…]]`` references are left out of the text that is checked,
so a text written with them has nothing to find. Every check is one pass over the
text with dictionary look-ups: linear in the text's length.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from . import tree as t

# Words after a number that say what was counted, and the figure keys they may match.
_NOUNS: dict[str, str] = {
    "arrangement": "events",
    "arrangementer": "events",
    "arrangementene": "events",
    "presentasjon": "presentations",
    "presentasjoner": "presentations",
    "foredrag": "presentations",
    "kronikk": "op_eds",
    "kronikker": "op_eds",
    "høringssvar": "consultation_responses",
    "høringsinnspill": "consultation_responses",
    "produkt": "publications",
    "produkter": "publications",
    "publikasjon": "publications",
    "publikasjoner": "publications",
    "medieoppslag": "media_appearances",
    "nettsak": "web_articles",
    "nettsaker": "web_articles",
    "henvendelse": "advice_requests",
    "henvendelser": "advice_requests",
    "deltakere": "participants",
    "deltakelser": "participants",
    "kommuner": "municipalities",
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ),
        start=1,
    )
}
# A placeholder for live figures and references: no digit, no word character.
_HOLE = "\u2063"
_SPACE = "[ \u00a0\u2009\u202f]"
_NUMBER = re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?![\w]|[.,]\d)")
_DATE = re.compile(
    r"(?<![\w.])(\d{1,2})\.\s?(?:(\d{1,2})\.(\d{4}|\d{2})?|("
    + "|".join(_MONTHS)
    + r")(?:\s+(\d{4}))?)(?![\w])",
    re.IGNORECASE,
)
_TYPED_REF = re.compile(
    r"\b(kapittel|kapitlene|kap\.|vedlegg)\s+(\d+(?:\.\d+)*[a-f]?)(?![\w.]\d)", re.IGNORECASE
)
# A sentence ends at . ! or ? before a space and a capital letter (so "9.12." does not).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")
_DATE_AFTER = re.compile(r"\.\s?(?:\d{1,2}\.|(?:" + "|".join(_MONTHS) + r")\b)", re.IGNORECASE)
_NEXT_WORDS = re.compile(r"\s*([^\W\d_]+)(?:\s+([^\W\d_]+))?")


def _plain(runs: list[t.Inline]) -> str:
    """The typed text of some runs, with live figures and references as holes."""
    return "".join(run.text if isinstance(run, t.Text | t.Link) else f" {_HOLE} " for run in runs)


def _assessments(report: t.Report) -> Iterator[tuple[t.Section, t.Assessment]]:
    for _depth, section in report.walk():
        for block in section.blocks:
            if isinstance(block, t.Assessment) and block.status:
                yield section, block


def _digit_neighbours(digits: str) -> Iterator[str]:
    """Digit strings one deletion, insertion or change away (at most ~20·len)."""
    for i in range(len(digits)):
        yield digits[:i] + digits[i + 1 :]
        for d in "0123456789":
            if d != digits[i]:
                yield digits[:i] + d + digits[i + 1 :]
    for i in range(len(digits) + 1):
        for d in "0123456789":
            yield digits[:i] + d + digits[i:]


def check_prose(
    report: t.Report,
    figures: dict[str, t.FigureValue],
    records: Iterable[Any] = (),
    *,
    numbers: dict[str, t.Section] | None = None,
) -> list[t.Finding]:
    """Findings for typed numbers, counts, dates and chapter numbers in the report's text.

    ``numbers`` maps section numbers to sections (default: the report's own), so one
    text can be checked against the whole report's chapters.
    """
    by_value: dict[int, list[str]] = defaultdict(list)
    for key, figure in figures.items():
        if isinstance(figure.value, int) and not key.startswith("date:"):
            by_value[figure.value].append(key)
    titled: list[tuple[str, Any, str]] = []
    for record in records:
        title = str(getattr(record, "title", "") or getattr(record, "name", "") or "")
        when = getattr(record, "date", None) or getattr(record, "date_start", None)
        if when is not None and len(title) >= 8:
            titled.append((title.casefold(), when, str(record.uid)))
    if numbers is None:
        numbers = {s.number: s for _depth, s in report.walk() if s.number}
    findings: list[t.Finding] = []
    for section, assessment in _assessments(report):
        where = f"{section.heading} – {assessment.heading}"
        scope = _scope(section.key)
        for block in assessment.content:
            for runs in t.prose_runs(block):
                text = _plain(runs)
                findings.extend(_numbers(text, where, scope, figures, by_value))
                findings.extend(_dates(text, where, titled, report.year))
                findings.extend(_references(text, where, numbers))
    return findings


def _scope(section_key: str) -> str:
    """``assignment:3.1`` or ``focus:b``: the suffix of figure keys local to the section."""
    parts = section_key.split(":")
    if len(parts) >= 2 and parts[0] in ("assignment", "focus"):
        return f"{parts[0]}:{parts[1]}"
    return ""


def _numbers(
    text: str,
    where: str,
    scope: str,
    figures: dict[str, t.FigureValue],
    by_value: dict[int, list[str]],
) -> Iterator[t.Finding]:
    for match in _NUMBER.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()].casefold()
        if re.search(r"(kapittel|kapitlene|kap\.|vedlegg|oppdrag)\s*$", before):
            continue  # a chapter number: the reference check's business
        if _DATE_AFTER.match(text, match.end()):
            continue  # the day of a date: the date check's business
        digits = re.sub(r"\D", "", match.group(1))
        number = int(digits)
        if len(digits) == 4 and 1900 <= number <= 2100:
            continue  # a year
        typed = match.group(0)
        noun_match = _NEXT_WORDS.match(text, match.end())
        noun = ""
        if noun_match:
            words = [w.casefold() for w in noun_match.groups() if w]
            noun = next((_NOUNS[w] for w in words if w in _NOUNS), "")
        if noun:
            keys = [f"count:{noun}", noun] if noun in ("participants", "municipalities") else []
            keys = keys or [f"count:{noun}"]
            if scope:
                keys += [f"count:{noun}:{scope}", f"{noun}:{scope}"]
            known = [figures[k] for k in keys if k in figures]
            if known and all(figure.value != number for figure in known):
                yield t.Finding(
                    code="count_mismatch",
                    severity="error",
                    message=_(
                        "I «{where}» står det «{typed} {noun}», men registeret har {values}."
                    ).format(
                        where=where,
                        typed=typed,
                        noun=noun_match.group(1) if noun_match else "",
                        values=_("eller ").join(f"{f.text} ({f.label})" for f in known),
                    ),
                    fix=_("Sett inn tallet fra registeret som levende tall, så det stemmer."),
                )
                continue
        if number >= 10 and number in by_value:
            key = _best_key(by_value[number], scope)
            yield t.Finding(
                code="typed_figure",
                severity="warning",
                message=_(
                    "Tallet {typed} i «{where}» er skrevet inn for hånd, men er det samme som "
                    "«{label}» i registeret."
                ).format(typed=typed, where=where, label=figures[key].label),
                fix=_(
                    "Sett det inn som levende tall, [[figur:{key}]], så det holder seg riktig."
                ).format(key=key),
            )
            continue
        if number >= 100:
            near = [v for v in _digit_neighbours(digits) if v[:1] != "0" and int(v) in by_value]
            if near:
                key = _best_key(by_value[int(near[0])], scope)
                yield t.Finding(
                    code="figure_typo",
                    severity="warning",
                    message=_(
                        "Tallet {typed} i «{where}» ligner på «{label}», som er {value}. "
                        "Er et siffer falt ut eller kommet til?"
                    ).format(
                        typed=typed,
                        where=where,
                        label=figures[key].label,
                        value=figures[key].text,
                    ),
                    fix=_("Sett inn tallet fra registeret: [[figur:{key}]].").format(key=key),
                )


def _best_key(keys: list[str], scope: str) -> str:
    local = [k for k in keys if scope and k.endswith(scope)]
    return sorted(local or keys, key=lambda k: (k.count(":"), k))[0]


def _dates(
    text: str, where: str, titled: list[tuple[str, Any, str]], year: int
) -> Iterator[t.Finding]:
    if not titled or not _DATE.search(text):
        return
    for chunk in _SENTENCE_END.split(text):
        dates = list(_DATE.finditer(chunk))
        if not dates:
            continue
        folded = chunk.casefold()
        named = [(title, when, uid) for title, when, uid in titled if title in folded]
        # A full date (dd.mm.yyyy) beside a title is checks.check_assessment_dates' finding;
        # this one takes the dates written without a year or with the month's name.
        dates = [m for m in dates if not (m.group(2) and m.group(3) and len(m.group(3)) == 4)]
        if not dates:
            continue
        for title, when, uid in named:
            typed = [(m.group(0).strip(), _day_month_year(m, year)) for m in dates]
            if any(value == (when.day, when.month, when.year) for _text, value in typed):
                continue
            shown, _value = typed[0]
            yield t.Finding(
                code="date_mismatch",
                severity="error",
                message=_(
                    "I «{where}» står datoen {typed} ved «{title}», men registeret har {date}."
                ).format(
                    where=where,
                    typed=shown,
                    title=title,
                    date=when.strftime("%d.%m.%Y"),
                ),
                fix=_(
                    "Sett inn datoen fra registeret som levende tall: [[figur:date:{uid}]]."
                ).format(uid=uid),
            )


def _day_month_year(match: re.Match[str], year: int) -> tuple[int, int, int]:
    day = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        typed_year = match.group(3)
    else:
        month = _MONTHS[match.group(4).casefold()]
        typed_year = match.group(5)
    if typed_year:
        full = int(typed_year)
        year = full + 2000 if full < 100 else full
    return day, month, year


def _references(text: str, where: str, numbers: dict[str, t.Section]) -> Iterator[t.Finding]:
    for match in _TYPED_REF.finditer(text):
        word, number = match.group(1).casefold(), match.group(2)
        target = numbers.get(f"Vedlegg {number}" if word == "vedlegg" else number)
        typed = match.group(0)
        if target is None:
            yield t.Finding(
                code="typed_reference",
                severity="error",
                message=_(
                    "«{typed}» i «{where}» peker ikke til noe kapittel i årets rapport."
                ).format(typed=typed, where=where),
                fix=_("Bruk en henvisning fra listen i skrivesiden, for eksempel [[ref:…]]."),
            )
        else:
            yield t.Finding(
                code="typed_reference",
                severity="warning",
                message=_(
                    "«{typed}» i «{where}» er skrevet inn for hånd og følger ikke med om "
                    "kapitlet får et annet nummer."
                ).format(typed=typed, where=where),
                fix=_("Skriv [[ref:{key}]] i stedet; den viser alltid riktig nummer.").format(
                    key=target.key
                ),
            )
