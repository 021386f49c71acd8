"""Review of the report's texts: who approves, what changed between versions, last year's text.

The rules are read here and enforced by the services in ``services.py``; the pages
only show what these functions answer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext as _

from oppdrag.core.models import Center, Membership

from .models import AssessmentBlock, ReportSettings

Status = AssessmentBlock.Status


def report_settings(center: Center) -> ReportSettings:
    """The centre's approval settings; the defaults (administrators, not one's own text)
    when the centre never saved any."""
    return ReportSettings.objects.filter(center=center).first() or ReportSettings(center=center)


def approval_refusal(
    *, membership: Membership, block: AssessmentBlock, settings: ReportSettings
) -> str:
    """Why this member may not approve the text now, in Norwegian; "" when they may."""
    from oppdrag.web.access import has_role

    if block.status != Status.READY:
        return _("Bare en tekst som er satt til «Klar», kan godkjennes.")
    if not has_role(membership, settings.approver_role):
        return _("Senteret har bestemt at bare {who} godkjenner tekstene.").format(
            who=settings.get_approver_role_display().lower()  # type: ignore[attr-defined]
        )
    if block.author_id == membership.user_id and not settings.authors_may_approve:
        return _(
            "Du skrev teksten sist og kan ikke godkjenne den selv; en annen med "
            "godkjenningsrett må gjøre det."
        )
    return ""


# --- the difference between two versions of a text -------------------------------------
Op = Literal["equal", "insert", "delete"]
# Word-level diffs are made for changed paragraphs up to this many words between them;
# a larger change is shown as whole paragraphs out and in. difflib's matcher is
# quadratic in the worst case, so the cap keeps every diff cheap whatever the text.
MAX_WORD_DIFF = 2000
MAX_PARAGRAPH_DIFF = 1000
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass
class Piece:
    op: Op
    text: str


@dataclass
class Version:
    """One saved version of a text with what changed from the version before it."""

    when: Any
    who: str
    status: str
    pieces: list[Piece] = field(default_factory=list)
    text_changed: bool = False
    status_changed: bool = False


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()] if text.strip() else []


def readable_diff(old: str, new: str) -> list[Piece]:
    """The change from ``old`` to ``new`` as pieces kept, added and removed (word level)."""
    before, after = _paragraphs(old), _paragraphs(new)
    pieces: list[Piece] = []

    def add(op: Op, text: str) -> None:
        if pieces and pieces[-1].op == op:
            pieces[-1].text += text
        else:
            pieces.append(Piece(op, text))

    if len(before) + len(after) > MAX_PARAGRAPH_DIFF:
        # Too many paragraphs to match one by one cheaply: the whole text out and in.
        return [Piece("delete", old.strip()), Piece("insert", new.strip())]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "\n\n".join(before[i1:i2]), "\n\n".join(after[j1:j2])
        joint = "\n\n" if pieces else ""
        if tag == "equal":
            add("equal", joint + old_part)
            continue
        if joint:
            add("equal", joint)
        old_words, new_words = _TOKEN.findall(old_part), _TOKEN.findall(new_part)
        if len(old_words) + len(new_words) > MAX_WORD_DIFF:
            if old_part:
                add("delete", old_part)
            if new_part:
                add("insert", new_part)
            continue
        words = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        for op, a1, a2, b1, b2 in words.get_opcodes():
            if op == "equal":
                add("equal", "".join(old_words[a1:a2]))
                continue
            if a2 > a1:
                add("delete", "".join(old_words[a1:a2]))
            if b2 > b1:
                add("insert", "".join(new_words[b1:b2]))
    return pieces


def versions(block: AssessmentBlock | None, *, limit: int = 50) -> list[Version]:
    """The text's saved versions, newest first, each with its change from the one before.

    One query (the history with its users). Saves that changed neither the text nor
    the status (an owner or due date set) are left out.
    """
    if block is None:
        return []
    records = list(
        block.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    records.reverse()
    shown: list[Version] = []
    previous_text, previous_status = "", ""
    for index, record in enumerate(records):
        text_changed = record.text != previous_text
        status_changed = record.status != previous_status
        first_of_window = index == 0 and len(records) > limit
        if not first_of_window and (text_changed or status_changed):
            user = record.history_user
            shown.append(
                Version(
                    when=record.history_date,
                    who=user.get_username() if user is not None else "–",
                    status=str(Status(record.status).label),
                    pieces=readable_diff(previous_text, record.text) if text_changed else [],
                    text_changed=text_changed,
                    status_changed=status_changed,
                )
            )
        previous_text, previous_status = record.text, record.status
    shown.reverse()
    return shown


# --- last year's text of the same slot ---------------------------------------------------
def last_years_block(
    center: Center, year: int, *, kind: str, assignment: Any = None, section_key: str = ""
) -> AssessmentBlock | None:
    """The same slot's text a year earlier, or None (one query).

    An assignment's slot follows the carry-forward link (``Assignment.previous``) to
    last year's assignment, whatever its number was; a section's slot has the same key.
    """
    blocks = AssessmentBlock.objects.filter(center=center, year=year - 1, kind=kind)
    if assignment is not None:
        if assignment.previous_id is None:
            return None
        blocks = blocks.filter(assignment_id=assignment.previous_id)
    else:
        blocks = blocks.filter(assignment__isnull=True, section_key=section_key)
    block = blocks.exclude(text="").first()
    return block


def text_html(text: str) -> str:
    """A stored text as an escaped HTML fragment for review, its tokens shown as written
    (``[[figur:…]]``, ``[[ref:…]]``) so the reviewer sees which numbers are live."""
    from . import prose
    from . import tree as t
    from .renderers.html import prose_html

    blocks = prose.parse(text)
    for block in blocks:
        for runs in t.prose_runs(block):
            for run in runs:
                if isinstance(run, t.LiveFigure):
                    run.text, run.value = f"[[figur:{run.key}]]", ""
                elif isinstance(run, t.CrossRef):
                    run.text = f"[[ref:{run.target}]]"
    return prose_html(blocks, 3)
