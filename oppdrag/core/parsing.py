"""Parsing of the values people type into spreadsheets: Norwegian numbers, dates, yes/no.

Pure Python, no Django imports: the importers, the grant-letter parser and the tests
all use these helpers. Every function raises ``ValueError`` with a message in
Norwegian bokmål that can be shown to the user as it is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Spaces that Norwegian documents use as thousands separators.
_SPACES = {" ", "\u00a0", "\u2009", "\u202f"}

_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})$")

_YES = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
_NO = {"nei", "n", "no", "0", "false", "usant"}


def normalize_space(value: str) -> str:
    """Collapse runs of white space (including non-breaking spaces) to one space."""
    return " ".join(value.replace("\u00a0", " ").split())


def parse_decimal(text: str) -> Decimal:
    """Parse a number written the Norwegian way: ``1 250,5`` or ``1250.5``.

    Thousands separators may be ordinary, non-breaking or thin spaces; the decimal
    separator may be a comma or a point.
    """
    cleaned = "".join(ch for ch in text.strip() if ch not in _SPACES)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(f"«{text}» er ikke et tall.")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex rules this out
        raise ValueError(f"«{text}» er ikke et tall.") from exc


def parse_count(text: str) -> int:
    """Parse a whole, non-negative count such as a number of participants."""
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise ValueError(f"«{text}» er ikke et helt tall.")
    if number < 0:
        raise ValueError(f"«{text}» er negativt; et antall kan ikke være mindre enn null.")
    return int(number)


@dataclass(frozen=True)
class PartialDate:
    """A date that may be known only to the year, as in «Publiseringsdato: 2025»."""

    year: int
    date: dt.date | None = None

    @property
    def is_exact(self) -> bool:
        return self.date is not None


def parse_date(text: str) -> dt.date:
    """Parse ``23.11.2026``, ``2026-11-23`` or ``23/11/2026`` into a date."""
    value = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError as exc:
                raise ValueError(f"«{text}» er ikke en gyldig dato.") from exc
    raise ValueError(f"«{text}» er ikke en dato (bruk dd.mm.åååå).")


def parse_partial_date(text: str) -> PartialDate:
    """Parse a full date or a bare year."""
    value = text.strip()
    match = _YEAR_ONLY.match(value)
    if match:
        return PartialDate(year=int(match["y"]))
    date = parse_date(value)
    return PartialDate(year=date.year, date=date)


def parse_yes_no(text: str) -> bool | None:
    """Parse ja/nei (and the usual variants); empty means not stated."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"«{text}» er verken ja eller nei.")


def split_list(text: str, *, also_og: bool = False) -> list[str]:
    """Split a cell that lists several names: ``A, B og C`` → ``[A, B, C]``.

    Semicolons and commas separate; with ``also_og`` the word «og» does too
    (organiser lists are written that way).
    """
    parts = re.split(r"[;,]", text)
    if also_og:
        parts = [piece for part in parts for piece in split_og(part)]
    return [normalize_space(part) for part in parts if normalize_space(part)]


def split_og(text: str) -> list[str]:
    """Split on the word «og», but not after a hyphen («Arbeids- og velferdsdirektoratet»)."""
    return [normalize_space(p) for p in re.split(r"(?<!-)\s+og\s+", text) if p.strip()]


class _FoldTable(dict[int, str]):
    """``str.translate`` table of ``fold``: each character's folded form, worked out
    the first time the character is seen (a pure function of the character)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "æøå":
            folded = ch
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
            folded = folded.replace("‐", "-").replace("–", "-")
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """A key for forgiving name comparison: case, accents on Latin letters and spacing.

    Norwegian letters æ, ø and å are kept apart from a, o and e. Characters are folded
    one by one (decomposed, combining marks dropped, the hyphen and en dash made
    ``-``), through a translation table rather than a loop per character.
    """
    lowered = normalize_space(text).casefold()
    if lowered.isascii():
        return lowered  # nothing to decompose, and no dash to replace
    return lowered.translate(_FOLD)


def suggest(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names closest to ``name``, best first, for «did you mean …»."""
    candidates = {fold(k): k for k in known}
    matches = difflib.get_close_matches(fold(name), list(candidates), n=limit, cutoff=0.6)
    return [candidates[m] for m in matches]


def is_valid_organization_number(value: str) -> bool:
    """Check a Norwegian organisation number: nine digits with a mod-11 check digit."""
    digits = value.replace(" ", "")
    if not re.fullmatch(r"\d{9}", digits):
        return False
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    total = sum(int(d) * w for d, w in zip(digits[:8], weights, strict=True))
    remainder = total % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(digits[8])


def person_name(text: str) -> str:
    """Turn «Etternavn, Fornavn» into «Fornavn Etternavn»; leave other forms alone."""
    value = normalize_space(text)
    if value.count(",") == 1:
        last, first = (part.strip() for part in value.split(","))
        if first and last:
            return f"{first} {last}"
    return value
