"""Reading one submitted answer form: pure Python, no Django.

``parse_submission`` takes the question specifications and the posted fields (each
a list of strings, as a browser sends them) and returns the cleaned values and, per
field, an error code. Codes, not sentences: the Django layer turns them into
Norwegian messages through the translation functions. Anything a browser could not
have produced from the form (unknown options, repeated single values, over-long
text, control characters) is an error, never an exception.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SCALE = "scale"
SINGLE = "single"
MULTIPLE = "multiple"
NUMBER = "number"
TEXT = "text"
MUNICIPALITY = "municipality"
KINDS = (SCALE, SINGLE, MULTIPLE, NUMBER, TEXT, MUNICIPALITY)

SCALE_VALUES = ("1", "2", "3", "4", "5")
MAX_TEXT = 2000
MAX_NUMBER_TEXT = 30
# Bounds for a number question without its own: answers are counts, hours, ages.
NUMBER_LIMIT = 1_000_000_000

CleanValue = int | float | str | tuple[str, ...]
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class QuestionSpec:
    """What the parser needs to know about one question on the form."""

    name: str
    kind: str
    required: bool = False
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = MAX_TEXT


@dataclass(frozen=True)
class FieldError:
    """An error code for one field, with the values its message needs."""

    code: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass
class Parsed:
    values: dict[str, CleanValue]
    errors: dict[str, FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _clean_text(raw: str) -> str:
    """Normalise newlines and drop control characters a browser would not send."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    kept = [ch for ch in raw if ch in "\n\t" or unicodedata.category(ch)[0] != "C"]
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def parse_number(raw: str) -> float | None:
    """A decimal number written the Norwegian way (comma) or with a point; thin and
    ordinary spaces between thousands are accepted. ``None`` when it is not a number."""
    text = raw.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not text or len(text) > MAX_NUMBER_TEXT or not _NUMBER.match(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


def _one(spec: QuestionSpec, raw: Sequence[str]) -> tuple[CleanValue | None, FieldError | None]:
    values = [v for v in raw if v.strip()] if spec.kind != MULTIPLE else list(raw)
    if spec.kind == MULTIPLE:
        chosen: list[str] = []
        for value in values:
            if value not in spec.options:
                return None, FieldError("invalid_choice")
            if value not in chosen:
                chosen.append(value)
        if not chosen:
            return None, (FieldError("required") if spec.required else None)
        return tuple(o for o in spec.options if o in chosen), None
    if not values:
        return None, (FieldError("required") if spec.required else None)
    if len(values) > 1:
        return None, FieldError("too_many")
    value = values[0]
    if spec.kind == SCALE:
        if value.strip() not in SCALE_VALUES:
            return None, FieldError("invalid_choice")
        return int(value.strip()), None
    if spec.kind in (SINGLE, MUNICIPALITY):
        if value not in spec.options:
            return None, FieldError("invalid_choice")
        return value, None
    if spec.kind == NUMBER:
        number = parse_number(value)
        if number is None:
            return None, FieldError("not_a_number")
        low = spec.minimum if spec.minimum is not None else -NUMBER_LIMIT
        high = spec.maximum if spec.maximum is not None else NUMBER_LIMIT
        if number < low:
            return None, FieldError("too_small", {"minimum": low})
        if number > high:
            return None, FieldError("too_large", {"maximum": high})
        return number, None
    if spec.kind == TEXT:
        if len(value) > spec.max_length:
            return None, FieldError("too_long", {"max_length": spec.max_length})
        text = _clean_text(value)
        if not text:
            return None, (FieldError("required") if spec.required else None)
        return text, None
    return None, FieldError("unknown_kind")


def parse_submission(specs: Sequence[QuestionSpec], data: Mapping[str, Sequence[str]]) -> Parsed:
    """Clean every question's posted value; fields not named by a spec are ignored."""
    parsed = Parsed({}, {})
    for spec in specs:
        value, error = _one(spec, list(data.get(spec.name, ())))
        if error is not None:
            parsed.errors[spec.name] = error
        elif value is not None:
            parsed.values[spec.name] = value
    return parsed
