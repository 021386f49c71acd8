"""Fidelity scales as data: parse and validate a definition, score a review. No Django.

A definition (JSON) gives the score range and anchors, the sections with their
items (code, short name, optional description), how the total is computed
(``mean_of_items`` or ``mean_of_section_means``) and the levels (a total at or
above ``min`` gets the label). ``parse_scale`` checks all of it and lists every
problem at once; ``score`` turns item scores into item, section and total results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

SCALE_DIR = Path(__file__).resolve().parent
TOTALS = ("mean_of_items", "mean_of_section_means")


class ScaleError(ValueError):
    """A scale definition, or scores against it, that cannot be used."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    section: str
    description: str = ""


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Level:
    min: float
    label: str


@dataclass(frozen=True)
class Scale:
    """A validated scale definition."""

    key: str
    name: str
    version: str
    minimum: float
    maximum: float
    step: float
    anchors: dict[str, str]
    total: str
    levels: tuple[Level, ...]
    sections: tuple[Section, ...]
    low_score_below: float
    source: str = ""
    licence: str = ""

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def item_codes(self) -> list[str]:
        return [item.code for item in self.items]

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)

    def level_for(self, total: float | None) -> str:
        if total is None:
            return ""
        for level in self.levels:
            if total >= level.min - 1e-9:
                return level.label
        return ""


def _number(value: Any, where: str, problems: list[str]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where} må være et tall.")
        return None
    return float(value)


def _text(data: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: «{key}» mangler eller er tom.")
        return ""
    return value.strip()


def parse_scale(data: Any) -> Scale:
    """Validate a definition (the parsed JSON) and return the scale."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise ScaleError(["Skaladefinisjonen må være et JSON-objekt."])
    key = _text(data, "key", "Skalaen", problems)
    name = _text(data, "name", "Skalaen", problems)
    version = _text(data, "version", "Skalaen", problems)
    score_range = data.get("score_range")
    minimum = maximum = None
    step = 1.0
    if not isinstance(score_range, Mapping):
        problems.append("«score_range» med «min» og «max» mangler.")
    else:
        minimum = _number(score_range.get("min"), "score_range.min", problems)
        maximum = _number(score_range.get("max"), "score_range.max", problems)
        given_step = _number(score_range.get("step", 1), "score_range.step", problems)
        step = 1.0 if given_step is None else given_step
        if minimum is not None and maximum is not None and minimum >= maximum:
            problems.append("score_range.min må være lavere enn score_range.max.")
        if step <= 0:
            problems.append("score_range.step må være større enn null.")
    anchors = data.get("anchors", {})
    if not isinstance(anchors, Mapping) or not all(isinstance(v, str) for v in anchors.values()):
        problems.append("«anchors» må knytte skårer til tekster.")
        anchors = {}
    for anchor in anchors:
        try:
            value = float(anchor)
        except ValueError:
            problems.append(f"Ankeret «{anchor}» er ikke en skår.")
            continue
        if minimum is not None and maximum is not None and not minimum <= value <= maximum:
            problems.append(f"Ankeret «{anchor}» ligger utenfor skalaen.")
    total = data.get("total", "mean_of_items")
    if total not in TOTALS:
        problems.append(
            "«total» må være {allowed}, ikke «{total}».".format(
                allowed=" eller ".join(f"«{t}»" for t in TOTALS), total=total
            )
        )
    levels: list[Level] = []
    raw_levels = data.get("levels", [])
    if not isinstance(raw_levels, list):
        problems.append("«levels» må være en liste.")
        raw_levels = []
    for index, raw in enumerate(raw_levels, start=1):
        if not isinstance(raw, Mapping):
            problems.append(f"Nivå {index} må være et objekt med «min» og «label».")
            continue
        low = _number(raw.get("min"), f"Nivå {index}: min", problems)
        label = _text(raw, "label", f"Nivå {index}", problems)
        if low is not None:
            levels.append(Level(low, label))
    levels.sort(key=lambda level: -level.min)
    if len({level.min for level in levels}) != len(levels):
        problems.append("To nivåer har samme nedre grense.")
    sections: list[Section] = []
    seen_items: set[str] = set()
    seen_sections: set[str] = set()
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append("Skalaen må ha minst én seksjon («sections»).")
        raw_sections = []
    for s_index, raw_section in enumerate(raw_sections, start=1):
        if not isinstance(raw_section, Mapping):
            problems.append(f"Seksjon {s_index} må være et objekt.")
            continue
        code = _text(raw_section, "code", f"Seksjon {s_index}", problems)
        section_name = _text(raw_section, "name", f"Seksjon {s_index}", problems)
        if code in seen_sections:
            problems.append(f"Seksjonskoden «{code}» står to ganger.")
        seen_sections.add(code)
        items: list[Item] = []
        raw_items = raw_section.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            problems.append(f"Seksjon «{code or s_index}» har ingen indikatorer.")
            raw_items = []
        for i_index, raw_item in enumerate(raw_items, start=1):
            where = f"Seksjon «{code or s_index}», indikator {i_index}"
            if not isinstance(raw_item, Mapping):
                problems.append(f"{where} må være et objekt.")
                continue
            item_code = _text(raw_item, "code", where, problems)
            item_name = _text(raw_item, "name", where, problems)
            if item_code and item_code in seen_items:
                problems.append(f"Indikatorkoden «{item_code}» står to ganger.")
            seen_items.add(item_code)
            description = raw_item.get("description", "")
            if not isinstance(description, str):
                problems.append(f"{where}: «description» må være tekst.")
                description = ""
            items.append(Item(item_code, item_name, code, description))
        sections.append(Section(code, section_name, tuple(items)))
    low_below = data.get("low_score_below", minimum if minimum is not None else 0)
    low_score_below = _number(low_below, "low_score_below", problems)
    if problems:
        raise ScaleError(problems)
    assert minimum is not None and maximum is not None and low_score_below is not None
    return Scale(
        key=key,
        name=name,
        version=version,
        minimum=minimum,
        maximum=maximum,
        step=step,
        anchors={str(k): v for k, v in anchors.items()},
        total=str(total),
        levels=tuple(levels),
        sections=tuple(sections),
        low_score_below=low_score_below,
        source=str(data.get("source", "")),
        licence=str(data.get("licence", "")),
    )


def load_scale_file(path: Path) -> tuple[Scale, dict[str, Any]]:
    """Read and validate a definition file; returns the scale and its raw data."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ScaleError(
            [f"{path.name} er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno})."]
        ) from exc
    return parse_scale(data), data


def builtin_scale(key: str) -> tuple[Scale, dict[str, Any]]:
    """A scale shipped with Oppdrag (``dacts``)."""
    return load_scale_file(SCALE_DIR / f"{key}.json")


# --- scoring -----------------------------------------------------------------------


def check_scores(
    scale: Scale, scores: Mapping[str, float | Decimal | None], *, complete: bool = True
) -> list[str]:
    """Problems with a set of item scores: unknown items, scores off the scale, and
    (when ``complete``) items without a score."""
    problems: list[str] = []
    codes = set(scale.item_codes)
    for code, value in scores.items():
        if code not in codes:
            problems.append(f"Skalaen {scale.name} {scale.version} har ingen indikator «{code}».")
            continue
        if value is None:
            continue
        number = float(value)
        low, high = _fmt(scale.minimum), _fmt(scale.maximum)
        steps = (number - scale.minimum) / scale.step
        if not scale.minimum <= number <= scale.maximum:
            problems.append(f"Skåren {_fmt(number)} for {code} er utenfor skalaen ({low}–{high}).")
        elif abs(steps - round(steps)) > 1e-9:
            problems.append(
                f"Skåren {_fmt(number)} for {code} følger ikke skalaens trinn "
                f"på {_fmt(scale.step)}."
            )
    if complete:
        missing = [code for code in scale.item_codes if scores.get(code) is None]
        if missing:
            problems.append("Skår mangler for {codes}.".format(codes=", ".join(missing)))
    return problems


def _fmt(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


@dataclass
class SectionResult:
    code: str
    name: str
    mean: float | None
    items: int


@dataclass
class ScaleResult:
    """Item, section and total scores of one review, with the level reached."""

    items: dict[str, float | None]
    sections: list[SectionResult] = field(default_factory=list)
    total: float | None = None
    level: str = ""
    low_items: list[str] = field(default_factory=list)


def score(scale: Scale, scores: Mapping[str, float | Decimal | None]) -> ScaleResult:
    """Compute the results; items without a score are left out of the means."""
    items = {
        code: (None if scores.get(code) is None else float(scores[code]))  # type: ignore[arg-type]
        for code in scale.item_codes
    }
    result = ScaleResult(items=items)
    section_means: list[float] = []
    for section in scale.sections:
        values = [v for item in section.items if (v := items[item.code]) is not None]
        mean = sum(values) / len(values) if values else None
        result.sections.append(SectionResult(section.code, section.name, mean, len(values)))
        if mean is not None:
            section_means.append(mean)
    given = [v for v in items.values() if v is not None]
    if scale.total == "mean_of_section_means":
        result.total = sum(section_means) / len(section_means) if section_means else None
    else:
        result.total = sum(given) / len(given) if given else None
    result.level = scale.level_for(result.total)
    result.low_items = [
        code for code, v in items.items() if v is not None and v < scale.low_score_below
    ]
    return result
