"""The centre's report texts to Word and back (the Django side of ``wordfile``).

``skeleton_for`` makes the document from the report's outline; ``changes_from`` reads an
uploaded one and answers which slots it changes, or why it is refused. Saving is
``services.apply_word_texts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from oppdrag.core.models import Center

from .services import WordChange, text_fingerprint
from .slots import Slot, slots
from .wordfile import SkeletonSlot, WordRejected, read_sections, skeleton


def prose_blocks(text: str) -> list:  # type: ignore[type-arg]
    """The stored markup as the report tree's prose blocks."""
    from .prose import parse

    return parse(text)


def same_text(old: str, new: str) -> bool:
    """Whether two markups say the same thing (the same prose blocks, however spaced)."""
    if old == new:
        return True
    return [b.to_json() for b in prose_blocks(old)] == [b.to_json() for b in prose_blocks(new)]


def chapters(outline: list[Slot]) -> list[str]:
    """The report's top-level chapters that hold text slots, in order."""
    seen: list[str] = []
    for slot in outline:
        if slot.chapter not in seen:
            seen.append(slot.chapter)
    return seen


def skeleton_for(center: Center, year: int, chapter: int | None = None) -> tuple[str, bytes]:
    """(file name, DOCX bytes) of the report's texts, or of chapter number ``chapter``
    (1-based, in ``chapters`` order); ``LookupError`` for a chapter that is not there."""
    outline = slots(center, year)
    names = chapters(outline)
    if chapter is not None:
        if not 1 <= chapter <= len(names):
            raise LookupError(chapter)
        outline = [slot for slot in outline if slot.chapter == names[chapter - 1]]
    title = _("Tekstene i årsrapporten {year} – {center}").format(
        year=year, center=center.short_name or center.name
    )
    intro = [
        _(
            "Skriv under overskriftene på nivå 1; hver av dem er én tekst i rapporten. "
            "Ikke endre eller flytt overskriftene på nivå 1 – de viser hvor teksten hører hjemme."
        ),
        _(
            "Du kan bruke avsnitt, overskrifter på nivå 2 og 3, punktlister og nummererte "
            "lister, fet og kursiv skrift, lenker, sitater og enkle tabeller."
        ),
        _(
            "Tall skrevet som [[figur:…]] og henvisninger som [[ref:…]] fylles inn av Oppdrag. "
            "La dem stå som de er."
        ),
        _("Alt over den første overskriften, som denne teksten, leses ikke inn igjen."),
    ]
    document = skeleton(
        title,
        intro,
        [
            SkeletonSlot(slot.heading, prose_blocks(slot.block.text if slot.block else ""))
            for slot in outline
        ],
    )
    suffix = f"-kapittel-{chapter}" if chapter is not None else ""
    return f"tekster-{center.slug}-{year}{suffix}.docx", document


@dataclass
class WordReading:
    """What an uploaded document would change: the changes, or the problems that refuse it."""

    changes: list[WordChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def changes_from(center: Center, year: int, data: bytes, name: str) -> WordReading:
    """Read an uploaded skeleton and compare each slot's text with the stored one."""
    reading = WordReading()
    try:
        sections = read_sections(data, name)
    except WordRejected as exc:
        reading.problems.append(str(exc))
        return reading
    by_heading = {" ".join(slot.heading.split()): slot for slot in slots(center, year)}
    if not sections:
        reading.problems.append(
            _(
                "Filen «{name}» har ingen overskrifter på nivå 1, så ingen tekst kan plasseres. "
                "Last ned skjelettet og skriv under overskriftene der."
            ).format(name=name)
        )
    seen: set[str] = set()
    for section in sections:
        slot = by_heading.get(section.heading)
        if slot is None:
            reading.problems.append(
                _(
                    "Overskriften «{heading}» finnes ikke i årsrapporten for {year}. "
                    "Bruk overskriftene fra skjelettet uendret."
                ).format(heading=section.heading or _("(tom)"), year=year)
            )
            continue
        if slot.key in seen:
            reading.problems.append(
                _("Overskriften «{heading}» står flere ganger i filen.").format(
                    heading=section.heading
                )
            )
            continue
        seen.add(slot.key)
        old = slot.block.text if slot.block is not None else ""
        new = section.markup
        if same_text(old, new):
            reading.unchanged += 1
        else:
            reading.changes.append(WordChange(slot.key, slot.heading, old, new))
    if reading.problems:
        reading.changes = []
    return reading


def change_payload(reading: WordReading) -> list[dict[str, str]]:
    """The changes as kept in the session between the preview and the confirmation."""
    return [
        {"key": c.key, "heading": c.heading, "new": c.new, "base": text_fingerprint(c.old)}
        for c in reading.changes
    ]
