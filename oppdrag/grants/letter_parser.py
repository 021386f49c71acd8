"""Read a grant letter (tilskuddsbrev) as plain text into a draft grant.

Pure Python, no Django imports: text in, a ``GrantDraft`` dataclass tree out. The
parser works line by line. Numbered headings (2.1, 2.1.1, A., 1.0/1.1, roman
numerals, "Oppdrag 3") open sections; the top-level sections are sorted into
frame sections (the award, meetings, reporting), containers ("Særskilte satsinger
og oppgaver") whose children are the assignments, and assignments. Bullet lists
inside an assignment become its deliverables; the attachment ("Vedlegg …") becomes
the registry of relevant material, grouped by its headings. Every item keeps the
1-based line range it came from, and paragraphs that gave the parser nothing are
returned as ``unplaced`` so a person can look at them.

Refusals are ``ValueError`` with a Norwegian message (the caller shows it as it
is): an empty text, or a text without a single numbered section.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

# --- the draft ------------------------------------------------------------------


@dataclass
class BudgetLine:
    """A budget chapter and post (kap./post) the grant is paid over."""

    chapter: str
    post: str
    amount_nok: int | None = None
    source_start_line: int = 0
    source_end_line: int = 0


@dataclass
class DraftDeliverable:
    """One bullet of an assignment: a sub-item to be followed up on its own."""

    text: str
    source_start_line: int
    source_end_line: int


@dataclass
class DraftAssignment:
    """A numbered assignment. ``number`` is as written (``A``); ``full_number``
    puts it under its parent (``2.1.1.A``) so it is unique within the letter."""

    number: str
    full_number: str
    title: str
    text: str
    source_start_line: int
    source_end_line: int
    children: list[DraftAssignment] = field(default_factory=list)
    deliverables: list[DraftDeliverable] = field(default_factory=list)

    def walk(self) -> list[DraftAssignment]:
        """This assignment and all below it, depth first."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


@dataclass
class DraftDate:
    """A date or period of the year: a meeting, deadline or campaign period."""

    kind: str  # one of DATE_KINDS
    text: str
    source_start_line: int
    source_end_line: int
    date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    assignment: str | None = None  # the full number of the assignment it belongs to

    @property
    def start(self) -> dt.date:
        value = self.date or self.period_start
        assert value is not None
        return value


@dataclass
class DraftMaterial:
    """One entry of the attachment's list of relevant material."""

    title: str
    group: str
    kind: str
    issuer: str
    link: str
    source_start_line: int
    source_end_line: int


@dataclass
class Unplaced:
    """A paragraph the parser could not attach to anything."""

    text: str
    source_start_line: int
    source_end_line: int


@dataclass
class GrantDraft:
    """Everything read from one grant letter, for a person to review."""

    year: int | None = None
    grantor: str = ""
    recipient: str = ""
    scheme: str = ""
    amount_nok: int | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)
    application_date: dt.date | None = None
    regulation_date: dt.date | None = None
    assignments: list[DraftAssignment] = field(default_factory=list)
    dates: list[DraftDate] = field(default_factory=list)
    materials: list[DraftMaterial] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    confidence: float = 0.0
    warnings: list[str] = field(default_factory=list)
    line_count: int = 0

    def all_assignments(self) -> list[DraftAssignment]:
        """Every assignment in the tree, depth first."""
        found: list[DraftAssignment] = []
        for root in self.assignments:
            found.extend(root.walk())
        return found

    def to_dict(self) -> dict[str, Any]:
        """The draft as JSON-ready data (the contract of ``grant-letter import --json``)."""

        def assignment(node: DraftAssignment) -> dict[str, Any]:
            return {
                "number": node.number,
                "full_number": node.full_number,
                "title": node.title,
                "text": node.text,
                "deliverables": [asdict(d) for d in node.deliverables],
                "source_start_line": node.source_start_line,
                "source_end_line": node.source_end_line,
                "children": [assignment(child) for child in node.children],
            }

        def date(item: DraftDate) -> dict[str, Any]:
            data: dict[str, Any] = {"kind": item.kind, "text": item.text}
            if item.date:
                data["date"] = item.date.isoformat()
            else:
                data["period"] = {
                    "start": item.period_start.isoformat() if item.period_start else None,
                    "end": item.period_end.isoformat() if item.period_end else None,
                }
            data["assignment"] = item.assignment
            data["source_start_line"] = item.source_start_line
            data["source_end_line"] = item.source_end_line
            return data

        return {
            "year": self.year,
            "grantor": self.grantor,
            "recipient": self.recipient,
            "scheme": self.scheme,
            "amount_nok": self.amount_nok,
            "budget_lines": [asdict(line) for line in self.budget_lines],
            "application_date": _iso(self.application_date),
            "regulation_date": _iso(self.regulation_date),
            "assignments": [assignment(node) for node in self.assignments],
            "dates": [date(item) for item in self.dates],
            "materials": [asdict(item) for item in self.materials],
            "unplaced": [asdict(item) for item in self.unplaced],
            "confidence": self.confidence,
            "warnings": list(self.warnings),
            "line_count": self.line_count,
        }


DATE_KINDS = ("meeting", "deadline", "campaign", "report_deadline", "other")
MATERIAL_KINDS = (
    "white_paper",
    "bill",
    "recommendation",
    "action_plan",
    "strategy",
    "plan",
    "guide",
    "guideline",
    "advice",
    "pathway",
    "e_learning",
    "report",
    "data_source",
    "web_resource",
    "other",
)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --- numbers, amounts, dates ------------------------------------------------------

MONTHS = {
    "januar": 1,
    "februar": 2,
    "mars": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "desember": 12,
}
_MONTH_RE = "|".join(MONTHS)
_GROUPED = r"\d{1,3}(?:[  .]\d{3})+"  # 45 500 000 / 1.250.000 (space, no-break space, dot)
_AMOUNT_PATTERNS = [
    # 1,25 mill. kroner / 2 millioner kroner / kr 1,5 mill.
    re.compile(
        r"(?:(?:kr\.?|NOK)\s*)?(?<![\d,.])(?P<millions>\d+(?:[,.]\d+)?)\s*"
        r"(?:mill\.?|millioner|million|mnok)(?=[\s,.;:)]|$)(?:\s*(?:kroner|kr\.?|NOK))?",
        re.IGNORECASE,
    ),
    # kr 1 250 000,- / NOK 2 000 000 / kr. 300 000
    re.compile(
        rf"(?:\bkr\.?|\bNOK)\s*(?P<number>{_GROUPED}|\d+)(?:,-|,00|,–)?",
        re.IGNORECASE,
    ),
    # 45 500 000 kroner / 300 000 kr / 1 250 000,- kroner
    re.compile(
        rf"(?<![\d,.])(?P<number>{_GROUPED}|\d+)(?:,-|,00)?\s*(?:kroner|kr\b|NOK)",
        re.IGNORECASE,
    ),
]
_BUDGET_RE = re.compile(
    r"\bkap(?:\.|ittel)?\s*(?P<chapter>\d{3,4})\.?,?\s*(?:post(?:ene)?|p\.)\s*"
    r"(?P<posts>\d{2}(?:\s*(?:,|og|\+)\s*\d{2}(?!\d))*)",
    re.IGNORECASE,
)
_DATE_NUMERIC_RE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
_DATE_WORDS_RE = re.compile(rf"(?<![\d.])(\d{{1,2}})\.\s*({_MONTH_RE})\s+(\d{{4}})", re.IGNORECASE)
_MONTH_WORD_RE = re.compile(rf"\b({_MONTH_RE})\b", re.IGNORECASE)
_MONTH_RANGE_RE = re.compile(rf"\b({_MONTH_RE})\s*(?:/|–|-|til)\s*({_MONTH_RE})\b", re.IGNORECASE)


def parse_amount(text: str) -> int | None:
    """The first amount of money in ``text``, in whole kroner, or ``None``.

    Understands "45 500 000 kroner", "kr 1 250 000,-" and "1,25 mill. kroner".
    """
    found = find_amounts(text)
    return found[0][1] if found else None


def find_amounts(text: str) -> list[tuple[int, int]]:
    """Every amount in ``text`` as (offset, kroner), in order of appearance."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int]] = []
    for pattern in _AMOUNT_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = _amount_value(match)
            if value is None:
                continue
            taken.append((start, end))
            found.append((start, value))
    return sorted(found)


def _amount_value(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("millions"):
        millions = groups["millions"].replace(",", ".")
        try:
            return round(float(millions) * 1_000_000)
        except ValueError:  # pragma: no cover - the pattern only lets digits through
            return None
    digits = re.sub(r"\D", "", groups.get("number") or "")
    if not digits or len(digits) > 15:
        return None
    value = int(digits)
    return value if value > 0 else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every full date in ``text`` (1.5.2026, 08.01.2026, 1. mai 2026) with its offset."""
    found = []
    for match in _DATE_NUMERIC_RE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        value = _safe_date(year, month, day)
        if value:
            found.append((match.start(), value))
    for match in _DATE_WORDS_RE.finditer(text):
        value = _safe_date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
        if value:
            found.append((match.start(), value))
    return sorted(found)


def month_periods(text: str, year: int) -> list[tuple[dt.date, dt.date]]:
    """The month periods named in ``text``: "april/mai" is one period, "mai og
    september" two. Each runs from the first of the first month to the last day
    of the last."""
    periods: list[tuple[dt.date, dt.date]] = []
    used: list[tuple[int, int]] = []
    for match in _MONTH_RANGE_RE.finditer(text):
        first, last = MONTHS[match.group(1).lower()], MONTHS[match.group(2).lower()]
        if last < first:
            first, last = last, first
        periods.append((dt.date(year, first, 1), _month_end(year, last)))
        used.append(match.span())
    for match in _MONTH_WORD_RE.finditer(text):
        if any(s <= match.start() < e for s, e in used):
            continue
        month = MONTHS[match.group(1).lower()]
        periods.append((dt.date(year, month, 1), _month_end(year, month)))
    return sorted(set(periods))


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def roman_value(text: str) -> int | None:
    """The value of a roman numeral (I–XXXIX is plenty for a letter), or ``None``."""
    values = {"I": 1, "V": 5, "X": 10}
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        if index + 1 < len(text) and values[text[index + 1]] > value:
            total -= value
        else:
            total += value
    return total if _to_roman(total) == text else None


def _to_roman(value: int) -> str:
    result = ""
    for number, symbol in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            result += symbol
            value -= number
    return result


# --- lines and headings -------------------------------------------------------------

_MARKUP_HEADING_RE = re.compile(r"^#{1,6}\s+")
_EMPHASIS_RE = re.compile(r"^(\*\*|__)(.+?)\1\s*:?$")
_BULLET_RE = re.compile(r"^\s*(?:[-–—•*·▪◦‣+]|[a-z]\)|\(\w\)|\d{1,2}\))\s+(?P<text>\S.*)$")
# "1. Samling for ledere" that is not in sequence as a heading is a numbered list item.
_NUMBERED_ITEM_RE = re.compile(r"^\d{1,2}\.\s+(?P<text>\S.*)$")
_DECIMAL_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)(?P<dot>\.?)\s+(?P<title>\S.*)$")
_LETTER_RE = re.compile(r"^(?P<num>[A-Z])[.)]\s+(?P<title>\S.*)$")
_ROMAN_RE = re.compile(r"^(?P<num>[IVX]{1,6})(?P<dot>[.)]?)\s+(?P<title>\S.*)$")
_OPPDRAG_RE = re.compile(
    r"^(?P<word>Oppdrag|Oppgave|Satsing|Tiltak)\s+(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?"
    r"(?:\s*[:.–—-]\s*|\s+|$)(?P<title>.*)$"
)
_ATTACHMENT_RE = re.compile(r"^Vedlegg\b", re.IGNORECASE)
_TITLE_START_RE = re.compile(r"^[\"«“'(\[]*[A-ZÆØÅ0-9]")
_FRAME_RE = re.compile(
    r"^(?:innvilgelse|innvilget|tilskudd(?:et|sbeløp)?\b|om tilskuddet|utbetaling|rapportering|"
    r"vilkår|oppfølgingsmøter?|oppfølging og dialog|(?:faste )?(?:dialog)?møter|dialog\b|"
    r"kontakt|generelt|innledning|bakgrunn|klage|kontroll|avslutning|økonomi|budsjett)",
    re.IGNORECASE,
)
_CONTAINER_RE = re.compile(r"\b(?:satsinger|oppgaver|oppdrag|føringer)\b", re.IGNORECASE)
MAX_HEADING_LENGTH = 160


def normalise(text: str) -> list[str]:
    """The letter's lines: Unicode NFC, no BOM, no control characters, one newline style."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
    return text.split("\n")


def clean_line(line: str) -> str:
    """A line without Markdown heading marks and wrapping emphasis."""
    line = _MARKUP_HEADING_RE.sub("", line.strip())
    match = _EMPHASIS_RE.match(line)
    if match:
        line = match.group(2).strip()
    return line.replace("**", "").strip()


def _looks_like_title(title: str) -> bool:
    title = title.strip()
    if not title or len(title) > MAX_HEADING_LENGTH:
        return False
    if not _TITLE_START_RE.match(title):
        return False
    return not (title.endswith((",", ";")) or (title.endswith(".") and len(title) > 80))


def _strip_title(title: str) -> str:
    title = title.strip().strip("*_").strip()
    return title.rstrip(":").strip()


@dataclass
class _Section:
    style: str  # decimal, oppdrag, roman, letter, attachment, root
    number: str
    key: tuple[int, ...]
    title: str
    level: int
    line: int
    parent: _Section | None = None
    children: list[_Section] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    role: str = ""  # assignment, container, frame, attachment
    last_letter: int = 0


@dataclass
class _Block:
    """A paragraph, a bullet item or an unnumbered sub-heading."""

    kind: str  # paragraph, bullet, subheading
    lines: list[str]
    start: int
    end: int

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines).strip()


class _Reader:
    """The single pass over the lines that builds the section tree."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.root = _Section("root", "", (), "", -10, 0)
        self.stack: list[_Section] = [self.root]
        self.last_roman = 0
        self.in_attachment = False
        self.block: _Block | None = None
        self.numbered = 0

    @property
    def current(self) -> _Section:
        return self.stack[-1]

    def read(self) -> _Section:
        for index, raw in enumerate(self.lines, start=1):
            line = clean_line(raw)
            if not line:
                self.flush()
                continue
            if self.heading(line, index):
                continue
            bullet = _BULLET_RE.match(line) or _NUMBERED_ITEM_RE.match(line)
            if bullet:
                self.flush()
                self.block = _Block("bullet", [bullet.group("text")], index, index)
                continue
            if self.block is None:
                self.block = _Block("paragraph", [line], index, index)
            else:
                self.block.lines.append(line)
                self.block.end = index
        self.flush()
        return self.root

    def flush(self) -> None:
        if self.block is None:
            return
        block, self.block = self.block, None
        if block.kind == "paragraph" and len(block.lines) == 1:
            text = block.text
            if len(text) <= 120 and _TITLE_START_RE.match(text) and text[-1] not in ".!?;,":
                block.kind = "subheading"
        self.current.blocks.append(block)

    def open(self, section: _Section) -> None:
        self.flush()
        while len(self.stack) > 1 and self.current.level >= section.level:
            self.stack.pop()
        section.parent = self.current
        self.current.children.append(section)
        self.stack.append(section)

    def heading(self, line: str, index: int) -> bool:
        if len(line) > MAX_HEADING_LENGTH + 12:
            return False
        if _ATTACHMENT_RE.match(line) and len(line) <= 200 and not line.endswith("."):
            self.in_attachment = True
            self.open(_Section("attachment", "", (), _strip_title(line), -1, index))
            return True
        if self.in_attachment:
            return False
        return (
            self._letter(line, index)
            or self._decimal(line, index)
            or self._oppdrag(line, index)
            or self._roman(line, index)
        )

    def _decimal(self, line: str, index: int) -> bool:
        match = _DECIMAL_RE.match(line)
        if not match or not _looks_like_title(match.group("title")):
            return False
        parts = tuple(int(p) for p in match.group("num").split("."))
        if len(parts) == 1 and not match.group("dot"):
            return False  # "3 Oppfølging" is too easily a sentence
        return self._numbered("decimal", match.group("num"), parts, match.group("title"), index)

    def _oppdrag(self, line: str, index: int) -> bool:
        match = _OPPDRAG_RE.match(line)
        if not match:
            return False
        title = match.group("title").strip()
        if title and not _looks_like_title(title):
            return False
        parts = tuple(int(p) for p in match.group("num").split("."))
        title = title or f"{match.group('word')} {match.group('num')}"
        return self._numbered("oppdrag", match.group("num"), parts, title, index)

    def _numbered(
        self, style: str, number: str, parts: tuple[int, ...], title: str, index: int
    ) -> bool:
        key = parts[:-1] if len(parts) > 1 and parts[-1] == 0 else parts
        if any(p > 99 for p in key) or (key and key[0] == 0):
            return False
        if not self._in_sequence(key):
            return False
        level = len(key) + (1 if self.last_roman else 0)
        self.open(_Section(style, number, key, _strip_title(title), level, index))
        self.numbered += 1
        return True

    def _in_sequence(self, key: tuple[int, ...]) -> bool:
        # A number must come after its earlier siblings: "1." inside 2.3 is the
        # first item of a numbered list, not a new chapter.
        parent_key = key[:-1]
        owner = (
            next(
                (
                    s
                    for s in reversed(self.stack)
                    if s.style in ("decimal", "oppdrag") and s.key == parent_key and parent_key
                ),
                None,
            )
            or self._top_container()
        )
        earlier = [
            c.key[-1]
            for c in owner.children
            if c.style in ("decimal", "oppdrag")
            and len(c.key) == len(key)
            and c.key[:-1] == parent_key
        ]
        return not earlier or key[-1] > max(earlier)

    def _top_container(self) -> _Section:
        for section in reversed(self.stack):
            if section.style in ("roman", "root"):
                return section
        return self.root

    def _letter(self, line: str, index: int) -> bool:
        match = _LETTER_RE.match(line)
        if not match or not _looks_like_title(match.group("title")):
            return False
        owner = next(
            (s for s in reversed(self.stack) if s.style in ("decimal", "oppdrag", "roman")), None
        )
        if owner is None:
            return False
        value = ord(match.group("num")) - ord("A") + 1
        if value != owner.last_letter + 1:
            return False
        owner.last_letter = value
        self.open(
            _Section(
                "letter", match.group("num"), (), _strip_title(match.group("title")), 100, index
            )
        )
        return True

    def _roman(self, line: str, index: int) -> bool:
        match = _ROMAN_RE.match(line)
        if not match or not _looks_like_title(match.group("title")):
            return False
        number = match.group("num")
        if len(number) == 1 and not match.group("dot"):
            return False
        value = roman_value(number)
        if value is None or value != self.last_roman + 1:
            return False
        self.last_roman = value
        self.open(_Section("roman", number, (value,), _strip_title(match.group("title")), 0, index))
        self.numbered += 1
        return True


# --- from sections to a draft -------------------------------------------------------


def _classify(section: _Section, inherited: str) -> None:
    for child in section.children:
        if child.style == "attachment":
            child.role = "attachment"
        elif inherited in ("frame", "assignment"):
            child.role = inherited
        elif _FRAME_RE.match(child.title):
            child.role = "frame"
        elif _CONTAINER_RE.search(child.title) and any(c.style != "letter" for c in child.children):
            child.role = "container"
        else:
            child.role = "assignment"
        _classify(child, child.role if child.role != "container" else "")


def _full_number(section: _Section, parent: DraftAssignment | None) -> str:
    if parent is None or section.style in ("decimal", "oppdrag"):
        return section.number
    return f"{parent.full_number}.{section.number}"


class _Builder:
    def __init__(self, root: _Section, line_count: int) -> None:
        self.root = root
        self.draft = GrantDraft(line_count=line_count)
        self.placed_lines = 0
        self.total_lines = 0

    def build(self) -> GrantDraft:
        self.draft.year = _find_year(self.root)
        self._frame_facts(self.root, assignment=None, frame=True)
        for section in self.root.children:
            self._walk(section, parent=None)
        self._finish()
        return self.draft

    def _walk(self, section: _Section, parent: DraftAssignment | None) -> None:
        if section.role == "assignment":
            node = self._assignment(section, parent)
            if parent is None:
                self.draft.assignments.append(node)
            else:
                parent.children.append(node)
            for child in section.children:
                self._walk(child, node)
        elif section.role == "attachment":
            self._attachment(section)
        else:
            self._frame_facts(section, assignment=None, frame=True)
            for child in section.children:
                self._walk(child, parent)

    def _assignment(self, section: _Section, parent: DraftAssignment | None) -> DraftAssignment:
        full_number = _full_number(section, parent)
        paragraphs: list[str] = []
        deliverables: list[DraftDeliverable] = []
        for block in section.blocks:
            if block.kind == "bullet":
                deliverables.append(DraftDeliverable(block.text, block.start, block.end))
                if paragraphs and paragraphs[-1].startswith("- "):
                    paragraphs[-1] += "\n- " + block.text
                else:
                    paragraphs.append("- " + block.text)
            else:
                paragraphs.append(block.text)
        end = max([section.line] + [b.end for b in section.blocks])
        node = DraftAssignment(
            number=section.number,
            full_number=full_number,
            title=section.title,
            text="\n\n".join(paragraphs),
            source_start_line=section.line,
            source_end_line=end,
            deliverables=deliverables,
        )
        self._frame_facts(section, assignment=full_number, frame=False)
        return node

    def _frame_facts(self, section: _Section, assignment: str | None, frame: bool) -> None:
        """Pick the facts (amount, budget lines, dates, meetings) out of a section's
        own paragraphs; in frame sections, what gives nothing is unplaced."""
        meeting: DraftDate | None = None
        for block in section.blocks:
            self.total_lines += block.end - block.start + 1
            used = self._facts(block, assignment)
            if frame and block.kind == "subheading":
                meeting = self._meeting_heading(block)
                used = used or meeting is not None
            elif frame and meeting is not None and meeting.period_start is None:
                used = self._complete_meeting(meeting, block) or used
            if assignment is not None or used:
                self.placed_lines += block.end - block.start + 1
            elif frame:
                self.draft.unplaced.append(Unplaced(block.text, block.start, block.end))

    def _facts(self, block: _Block, assignment: str | None) -> bool:
        text = "\n".join(block.lines)
        used = False
        draft = self.draft
        for sentence, offset in _sentences(text):
            start = block.start + text[:offset].count("\n")
            end = start + sentence.count("\n")
            flat = " ".join(sentence.split())
            lower = flat.lower()
            used = self._budget(flat, start, end) or used
            if "søknad" in lower and draft.application_date is None:
                found = find_dates(flat)
                if found:
                    draft.application_date = found[0][1]
                    used = True
            if "regelverk" in lower and "fastsatt" in lower and draft.regulation_date is None:
                found = find_dates(flat)
                if found:
                    draft.regulation_date = found[0][1]
                    used = True
            used = self._who(flat) or used
            used = self._amount(flat, lower) or used
            used = self._dates_in(flat, lower, assignment, start, end) or used
        return used

    def _budget(self, flat: str, start: int, end: int) -> bool:
        matches = list(_BUDGET_RE.finditer(flat))
        if not matches:
            return False
        amounts = find_amounts(flat)
        for match in matches:
            for post in re.findall(r"\d{2}", match.group("posts")):
                known = [
                    b
                    for b in self.draft.budget_lines
                    if (b.chapter, b.post) == (match.group("chapter"), post)
                ]
                if known:
                    continue
                self.draft.budget_lines.append(
                    BudgetLine(match.group("chapter"), post, None, start, end)
                )
        # "kr 1 000 000 over kap. 714, post 21 og kr 250 000 over kap. 765, post 74":
        # one amount per budget line, in order, when the counts agree.
        lines = [
            b
            for b in self.draft.budget_lines
            if b.source_start_line == start and b.amount_nok is None
        ]
        if len(amounts) == len(lines) > 1:
            for line, (_offset, amount) in zip(lines, amounts, strict=True):
                line.amount_nok = amount
        return True

    def _who(self, flat: str) -> bool:
        used = False
        draft = self.draft
        if not draft.grantor:
            match = re.search(
                r"\b([A-ZÆØÅ][\w-]*(?:direktoratet|departementet|dir|IMDi))\s+"
                r"(?:innvilger|viser|har besluttet|gir)",
                flat,
            )
            if match:
                draft.grantor = match.group(1)
                used = True
        if not draft.recipient:
            match = re.search(r"\btilskudd til (.{3,200}?)(?:,\s*|\s+)over\b", flat)
            if match:
                draft.recipient = match.group(1).strip()
                used = True
        if not draft.scheme:
            match = re.search(
                r"\btilskuddsordningen\s+[«\"]?(.{3,200}?)[»\"]?(?:\.\s|\.$|,|$)", flat
            )
            if match:
                draft.scheme = match.group(1).strip()
                used = True
        return used

    def _amount(self, flat: str, lower: str) -> bool:
        amounts = find_amounts(flat)
        if not amounts:
            return False
        if "totalt" in lower or "til sammen" in lower:
            total = amounts[-1][1]
            if self.draft.amount_nok is not None and self.draft.amount_nok != total:
                self.draft.warnings.append(
                    f"Brevet nevner både {self.draft.amount_nok} og {total} kroner som "
                    f"tilskuddsbeløp; totalsummen {total} er brukt."
                )
            self.draft.amount_nok = total
            return True
        if "innvilg" in lower and self.draft.amount_nok is None:
            self.draft.amount_nok = sum(amount for _offset, amount in amounts)
            return True
        return False

    def _dates_in(
        self, flat: str, lower: str, assignment: str | None, start: int, end: int
    ) -> bool:
        year = self.draft.year
        used = False
        for _offset, value in find_dates(flat):
            if value in (self.draft.application_date, self.draft.regulation_date):
                continue
            if year is not None and value.year < year:
                continue
            if "rapport" in lower and ("frist" in lower or "innen" in lower):
                kind = "report_deadline"
            elif "frist" in lower or "innen" in lower or "senest" in lower:
                kind = "deadline"
            elif "møte" in lower:
                kind = "meeting"
            else:
                kind = "other"
            used = self._add_date(
                DraftDate(kind, flat, start, end, date=value, assignment=assignment)
            )
        if year is None:
            return used
        kind = "campaign" if "kampanje" in lower else "meeting" if "møte" in lower else ""
        if kind and not find_dates(flat):
            for first, last in month_periods(flat, year):
                used = (
                    self._add_date(
                        DraftDate(
                            kind,
                            flat,
                            start,
                            end,
                            period_start=first,
                            period_end=last,
                            assignment=assignment,
                        )
                    )
                    or used
                )
        return used

    def _add_date(self, item: DraftDate) -> bool:
        key = (item.kind, item.date, item.period_start, item.period_end, item.assignment)
        for other in self.draft.dates:
            if (
                other.kind,
                other.date,
                other.period_start,
                other.period_end,
                other.assignment,
            ) == key:
                return True  # the same date said twice (heading and text) counts once
        self.draft.dates.append(item)
        return True

    def _meeting_heading(self, block: _Block) -> DraftDate | None:
        text = block.text
        if "møte" not in text.lower():
            return None
        item = DraftDate("meeting", text, block.start, block.end)
        periods = month_periods(text, self.draft.year) if self.draft.year else []
        if periods:
            item.period_start, item.period_end = periods[0][0], periods[-1][1]
            self._add_date(item)
        return item

    def _complete_meeting(self, meeting: DraftDate, block: _Block) -> bool:
        # A meeting heading without a month takes its time from the text under it.
        year = self.draft.year
        if year is None:
            return False
        lower = block.text.lower()
        periods = month_periods(block.text, year)
        if periods:
            meeting.period_start, meeting.period_end = periods[0][0], periods[-1][1]
        elif "i løpet av året" in lower or "gjennom året" in lower:
            meeting.period_start, meeting.period_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            return False
        meeting.source_end_line = block.end
        self._add_date(meeting)
        return True

    def _attachment(self, section: _Section) -> None:
        group = section.title
        for block in section.blocks:
            self.total_lines += block.end - block.start + 1
            self.placed_lines += block.end - block.start + 1
            if block.kind == "bullet":
                self.draft.materials.append(_material(block, group))
            elif block.kind == "subheading" or block.text.endswith(":"):
                group = _strip_title(block.text)

    def _finish(self) -> None:
        draft = self.draft
        draft.dates.sort(key=lambda d: (d.start, d.kind))
        if draft.year is None:
            draft.warnings.append("Fant ikke hvilket år tilskuddet gjelder.")
        if draft.amount_nok is None:
            draft.warnings.append("Fant ikke tilskuddsbeløpet.")
        if not draft.budget_lines:
            draft.warnings.append("Fant ikke kapittel og post i statsbudsjettet.")
        if not draft.assignments:
            draft.warnings.append("Fant ingen oppdrag (særskilte satsinger og oppgaver).")
        checks = [
            draft.year is not None,
            draft.amount_nok is not None,
            bool(draft.budget_lines),
            bool(draft.assignments),
            bool(draft.grantor),
            bool(draft.recipient),
        ]
        found = sum(checks) / len(checks)
        placed = self.placed_lines / self.total_lines if self.total_lines else 1.0
        draft.confidence = round(0.8 * found + 0.2 * placed, 2)


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"])")


def _sentences(text: str) -> list[tuple[str, int]]:
    """The sentences of a paragraph with their offsets (abbreviations may split one;
    no harm: facts are looked for within a sentence and its neighbours' words)."""
    result = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        piece = text[start : match.start()]
        if _ends_with_abbreviation(piece):
            continue
        result.append((piece, start))
        start = match.end()
    result.append((text[start:], start))
    return [(s, o) for s, o in result if s.strip()]


_ABBREVIATIONS = ("kap.", "St.", "Meld.", "Prop.", "nr.", "jf.", "ca.", "mill.", "kr.", "bl.a.")


def _ends_with_abbreviation(piece: str) -> bool:
    return piece.rstrip().endswith(_ABBREVIATIONS) or bool(re.search(r"\b\d{1,2}\.$", piece))


def _find_year(root: _Section) -> int | None:
    texts: list[str] = []

    def collect(section: _Section) -> None:
        texts.append(section.title)
        texts.extend(block.text for block in section.blocks)
        for child in section.children:
            collect(child)

    collect(root)
    text = "\n".join(texts)
    for pattern in (
        r"statsbudsjettet\s+(?:for\s+)?(20\d{2})",
        r"tilskuddsbrev(?:et)?\s+(?:for\s+)?(20\d{2})",
        r"tilskudd\s+for\s+(20\d{2})",
        r"\bi\s+(20\d{2})\b",
    ):
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return int(match.group(1))
    return None


# --- materials ----------------------------------------------------------------------

_LINK_RE = re.compile(r"\[((?:\\.|[^\]\\])*)\]\s*\(([^)\s]*)\)")
_ANGLE_LINK_RE = re.compile(r"\(?<(https?://[^>\s]+)>\)?")
_BARE_LINK_RE = re.compile(r"\b((?:https?://|www\.)[^\s,)]+)|^([a-z0-9-]+\.(?:no|net|org|com))\b")
_KNOWN_ISSUERS = (
    "Helsedirektoratet",
    "Bufdir",
    "IMDi",
    "SINTEF",
    "Sintef",
    "NKVTS",
    "NSSF",
    "regjeringen.no",
    "stortinget.no",
    "Kriminalomsorgen.no",
    "Kompetansebroen",
    "Forskningsrådet",
    "Folkehelseinstituttet",
    "FHI",
    "Helse- og omsorgsdepartementet",
)
_KIND_RULES: tuple[tuple[str, str], ...] = (
    (r"^Meld\.?\s*St\.?", "white_paper"),
    (r"^Prop\.", "bill"),
    (r"^Innst\.", "recommendation"),
    (r"e-læring|e-kurs|e-læringskurs|kunnskapsmodul|læringsportal", "e_learning"),
    (r"pasientforløp", "pathway"),
    (r"faglige råd", "advice"),
    (r"retningslinje", "guideline"),
    (r"veileder|veiledende materiell|håndbok", "guide"),
    (r"handlingsplan", "action_plan"),
    (r"strategi", "strategy"),
    (r"\bplan\b|beredskapsplan|-plan", "plan"),
    (r"rapport|evaluering|undersøkelse|\bIS-\d", "report"),
    (r"ungdata|datakilde|brukerplan|statistikk", "data_source"),
    (r"portal|\.no\b|nettressurs|ressurs", "web_resource"),
)
_GROUP_KINDS: tuple[tuple[str, str], ...] = (
    (r"e-læring", "e_learning"),
    (r"datakilde|rapportering", "data_source"),
)


def _material(block: _Block, group: str) -> DraftMaterial:
    raw = block.text
    links = [url for _label, url in _LINK_RE.findall(raw) if url and url != "#"]
    links += _ANGLE_LINK_RE.findall(raw)
    title = _LINK_RE.sub(lambda m: m.group(1), raw)
    title = _ANGLE_LINK_RE.sub("", title)
    title = re.sub(r"\\(.)", r"\1", title)
    title = " ".join(title.split()).strip(" -–:")
    if not links:
        bare = _BARE_LINK_RE.search(title)
        if bare:
            links.append(bare.group(1) or bare.group(2))
    link = links[0] if links else ""
    if link and not link.startswith("http"):
        link = "https://" + link
    issuer = ""
    for candidate in _KNOWN_ISSUERS:
        if re.search(rf"(?:[-–|(]\s*){re.escape(candidate)}\)?(?:\s|$|\)|\.|,)", title + " "):
            issuer = candidate.replace(".no", "").replace("Sintef", "SINTEF")
            issuer = {"regjeringen": "Regjeringen", "stortinget": "Stortinget"}.get(issuer, issuer)
            issuer = {"Kriminalomsorgen": "Kriminalomsorgen"}.get(issuer, issuer)
            break
    kind = "other"
    for pattern, value in _GROUP_KINDS:
        if re.search(pattern, group, re.IGNORECASE):
            kind = value
            break
    else:
        for pattern, value in _KIND_RULES:
            if re.search(pattern, title, re.IGNORECASE):
                kind = value
                break
    return DraftMaterial(title[:500], group, kind, issuer, link[:500], block.start, block.end)


# --- the entry point ----------------------------------------------------------------

MAX_CHARACTERS = 5_000_000


def parse_letter(text: str) -> GrantDraft:
    """Read a grant letter's text into a ``GrantDraft``.

    Raises ``ValueError`` with a Norwegian message when there is nothing to read:
    an empty text, a text far too long to be a letter, or one without a single
    numbered section.
    """
    if not isinstance(text, str):
        raise ValueError("Brevet må være tekst.")
    if not text.replace("\ufeff", "").strip():
        raise ValueError("Brevet er tomt: fant ingen tekst å lese.")
    if len(text) > MAX_CHARACTERS:
        raise ValueError(
            "Teksten er for lang til å være et tilskuddsbrev "
            f"({len(text)} tegn; grensen er {MAX_CHARACTERS})."
        )
    lines = normalise(text)
    reader = _Reader(lines)
    root = reader.read()
    if reader.numbered == 0:
        raise ValueError(
            "Fant ingen nummererte avsnitt (som 2.1, A., II. eller «Oppdrag 3») i brevet, "
            "så oppdragene kan ikke leses ut. Er dette et tilskuddsbrev?"
        )
    _classify(root, "")
    return _Builder(root, len(lines)).build()
