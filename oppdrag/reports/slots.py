"""The report's outline of text slots: every place staff write text, in reading order.

A slot is one ``AssessmentBlock`` place (an assignment and a kind, or a section key
and a kind), whether or not the block exists yet. The writing page, the DOCX
skeleton and the dashboard read the same list, so they cannot disagree about what
is left to write.

Slot keys are stable strings, independent of chapter numbers (which move when an
assignment is added):

- ``foreword``
- ``overall:a:text`` … ``overall:c:text``
- ``focus:<code>:activities`` / ``:involvement`` / ``:results``
- ``focus:<code>:theme:<slug>``, a themed subsection a centre adds (kind ``text``,
  with its own title)
- ``assignment:<assignment uid>:activities`` / ``:involvement`` / ``:results``
- ``questionnaire:<n>``, the answer to question *n* of the closing form
- ``references``, the reference list

Headings are the report's own: the numbers come from ``tree.number_sections`` on a
skeleton of the report's sections, the same function that numbers the report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.grants.models import Assignment, FocusArea

from . import tree as t
from .models import AssessmentBlock

Kind = AssessmentBlock.Kind

ASSIGNMENT_KINDS = (Kind.ACTIVITIES, Kind.INVOLVEMENT, Kind.RESULTS)
FOCUS_KINDS = (Kind.ACTIVITIES, Kind.INVOLVEMENT, Kind.RESULTS)
THEME_PREFIX = "theme:"
_THEME_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass
class Slot:
    """One place in the report where staff write text.

    ``section`` is the key of the report-tree section the text is printed in (the
    target of a ``[[ref:…]]``); ``place`` is that section's heading with its number
    ("3.1.2 Kompetanseheving"); ``title`` is the slot's own sub-heading
    ("Aktiviteter", a theme's title, a question); ``chapter`` is the top-level
    chapter's heading. ``block`` is the stored text, or None when nothing is written.
    """

    key: str
    kind: str
    section_key: str
    assignment: Assignment | None
    section: str
    place: str
    title: str
    chapter: str
    block: AssessmentBlock | None = None
    # A slot the report prints only when written (a focus area's target-group involvement).
    optional: bool = False

    @property
    def heading(self) -> str:
        """The slot as printed, with its number: "3.1.2 Kompetanseheving – Aktiviteter"."""
        if self.title == self.place or not self.title:
            return self.place
        return f"{self.place} – {self.title}"

    @property
    def tree_key(self) -> str:
        """The key of the slot's ``Assessment`` in the built report tree."""
        place = self.assignment.number if self.assignment is not None else self.section_key
        return f"{place}/{self.kind}"

    @property
    def status(self) -> str:
        """``""`` (not started), ``draft``, ``ready`` or ``approved``."""
        if self.block is None or not self.block.text.strip():
            return ""
        return self.block.status

    @property
    def status_label(self) -> str:
        return self.block.get_status_display() if self.status and self.block else ""

    @property
    def words(self) -> int:
        return len(self.block.text.split()) if self.block is not None else 0

    @property
    def changed(self) -> dt.datetime | None:
        return self.block.updated_at if self.block is not None else None

    @property
    def owner_name(self) -> str:
        if self.block is None or self.block.owner is None:
            return ""
        return self.block.owner.name

    @property
    def is_theme(self) -> bool:
        return self.kind == Kind.TEXT and self.section_key.startswith("focus:")


def theme_section_key(area_code: str, slug: str) -> str:
    """The section key of a themed subsection under focus area ``area_code``."""
    return f"focus:{area_code}:{THEME_PREFIX}{slug}"


def is_theme_slug(slug: str) -> bool:
    return bool(_THEME_SLUG.match(slug))


def _skeleton(
    year: int, short: str, assignments: list[Assignment], areas: list[FocusArea]
) -> t.Report:
    """The report's sections without content, numbered as the builder numbers them."""
    from .builder import APPENDICES, labels, overall_titles

    children: dict[int | None, list[Assignment]] = defaultdict(list)
    known = {a.pk for a in assignments}
    for assignment in assignments:
        children[assignment.parent_id if assignment.parent_id in known else None].append(assignment)

    def section(assignment: Assignment) -> t.Section:
        subs = [section(child) for child in children.get(assignment.pk, [])]
        return t.Section(f"assignment:{assignment.number}", assignment.title, "chapter", [], subs)

    words = {"center": short, "year": year}
    report = t.Report(center="", center_name="", year=year, title="", labels=labels())
    report.sections = [
        t.Section("foreword", _("Forord"), "none"),
        t.Section("key-figures", "", "none"),
        t.Section(
            "overall",
            _("Overordnet vurdering"),
            "chapter",
            [],
            [t.Section(f"overall:{letter}", title, "letter") for letter, title in overall_titles()],
        ),
        t.Section(
            "focus",
            _("Rapportering på innsatsområder og resultater"),
            "chapter",
            [],
            [t.Section(f"focus:{area.code}", area.name, "letter") for area in areas],
        ),
        t.Section(
            "assignments",
            _("Rapportering på særskilte satsinger og oppgaver i tilskuddsbrev {year}").format(
                year=year
            ),
            "chapter",
            [],
            [section(a) for a in children.get(None, [])],
        ),
        t.Section("references", _("Referanser"), "none"),
        *(
            t.Section(
                f"appendix:{spec.slug}",
                _(spec.title).format(**words),
                "appendix" if spec.number else "appendix-unnumbered",
            )
            for spec in APPENDICES
        ),
    ]
    t.number_sections(report)
    return report


def load_blocks(center: Center, year: int) -> list[AssessmentBlock]:
    """The year's stored texts with what the outline shows of them (one query)."""
    return list(
        AssessmentBlock.objects.filter(center=center, year=year)
        .select_related("assignment", "owner", "author")
        .order_by("id")
    )


def slots(
    center: Center,
    year: int,
    *,
    assignments: list[Assignment] | None = None,
    blocks: list[AssessmentBlock] | None = None,
    areas: list[FocusArea] | None = None,
) -> list[Slot]:
    """Every text slot of the centre's report for ``year``, in reading order.

    Three queries (assignments, focus areas, stored texts); callers that already
    hold them pass them in and the outline costs none.
    """
    from .builder import questionnaire

    if assignments is None:
        assignments = list(Assignment.objects.filter(center=center, year=year).order_by("sort_key"))
    if areas is None:
        areas = list(FocusArea.objects.order_by("code"))
    if blocks is None:
        blocks = load_blocks(center, year)
    with translation.override("nb"):
        return _outline(center, year, assignments, areas, blocks, questionnaire())


def _outline(
    center: Center,
    year: int,
    assignments: list[Assignment],
    areas: list[FocusArea],
    blocks: list[AssessmentBlock],
    questions: list[str],
) -> list[Slot]:
    stored = {(b.assignment_id, b.section_key, b.kind): b for b in blocks}
    report = _skeleton(year, center.short_name or center.name, assignments, areas)
    sections = {s.key: s for _depth, s in report.walk()}
    chapter_of: dict[str, str] = {}
    for top in report.sections:
        for _depth, s in _walk(top):
            chapter_of[s.key] = top.heading
    kind_titles = {str(k): str(label) for k, label in Kind.choices}
    found: list[Slot] = []

    def add(
        key: str, kind: str, section: str, *, section_key: str = "", assignment: Any = None
    ) -> Slot:
        tree_section = sections[section]
        block = stored.get((assignment.pk if assignment else None, section_key, kind))
        slot = Slot(
            key=key,
            kind=kind,
            section_key=section_key,
            assignment=assignment,
            section=section,
            place=tree_section.heading,
            title=kind_titles[kind],
            chapter=chapter_of[section],
            block=block,
        )
        found.append(slot)
        return slot

    add("foreword", Kind.FOREWORD, "foreword", section_key="foreword").title = ""
    for letter in ("a", "b", "c"):
        add(
            f"overall:{letter}:text",
            Kind.OVERALL,
            f"overall:{letter}",
            section_key=f"overall:{letter}",
        ).title = ""
    themes: dict[str, list[AssessmentBlock]] = defaultdict(list)
    for block in blocks:
        parts = block.section_key.split(":", 2)
        if (
            block.kind == Kind.TEXT
            and len(parts) == 3
            and parts[0] == "focus"
            and parts[2].startswith(THEME_PREFIX)
        ):
            themes[parts[1]].append(block)
    for area in areas:
        section = f"focus:{area.code}"
        for kind in FOCUS_KINDS:
            slot = add(f"{section}:{kind}", kind, section, section_key=section)
            slot.optional = kind == Kind.INVOLVEMENT
        for block in themes.get(area.code, []):
            slot = add(block.section_key, Kind.TEXT, section, section_key=block.section_key)
            slot.title = block.title or block.section_key.rsplit(":", 1)[-1]
    for assignment in assignments:
        for kind in ASSIGNMENT_KINDS:
            add(
                f"assignment:{assignment.uid}:{kind}",
                kind,
                f"assignment:{assignment.number}",
                assignment=assignment,
            )
    for index, question in enumerate(questions, start=1):
        slot = add(
            f"questionnaire:{index}",
            Kind.QUESTIONNAIRE,
            "appendix:questionnaire",
            section_key=f"questionnaire:{index}",
        )
        slot.title = question
    add("references", Kind.TEXT, "references", section_key="references").title = ""
    return found


def _walk(section: t.Section) -> Any:
    yield 0, section
    for child in section.sections:
        yield from _walk(child)


def slot_by_key(slots_: list[Slot], key: str) -> Slot | None:
    return next((slot for slot in slots_ if slot.key == key), None)
