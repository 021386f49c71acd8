"""Writes for the report app: staff-written assessment text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oppdrag.core import concurrency
from oppdrag.core.models import Center, Person
from oppdrag.grants.models import Assignment, FocusArea

from .charts import _number as number
from .models import AssessmentBlock


@transaction.atomic
def save_assessment(
    *,
    center: Center,
    year: int,
    kind: str,
    text: str,
    user: Any = None,
    assignment: Assignment | None = None,
    section_key: str = "",
    status: str = AssessmentBlock.Status.DRAFT,
) -> AssessmentBlock:
    """Create or update the assessment text of one chapter and kind; history keeps the old text."""
    if assignment is not None and assignment.center_id != center.pk:
        raise ValidationError(_("Oppdraget hører til et annet senter."))
    if (assignment is None) == (not section_key):
        raise ValidationError(_("Oppgi enten et oppdrag eller en kapittelnøkkel."))
    if kind not in AssessmentBlock.Kind.values:
        raise ValidationError(_("Ukjent teksttype «{kind}».").format(kind=kind))
    if status not in AssessmentBlock.Status.values:
        raise ValidationError(_("Ukjent status «{status}».").format(status=status))
    slot = {
        "center": center,
        "year": year,
        "assignment": assignment,
        "section_key": "" if assignment is not None else section_key,
        "kind": kind,
    }
    # Made with its text in one save, so its history starts with that text, not a blank.
    block = AssessmentBlock.objects.filter(**slot).first() or AssessmentBlock(**slot)
    block.text = text
    block.status = status
    if user is not None:
        block.author = user
    block._history_user = user  # type: ignore[attr-defined,union-attr]
    block.full_clean()
    block.save()
    return block


# --- the writing page ------------------------------------------------------------------
# Statuses a writer may set; approval is another user's act (see ``approve_slot``, added
# with the review workflow), and changing an approved text makes it a draft again.
WRITER_STATUSES = (AssessmentBlock.Status.DRAFT, AssessmentBlock.Status.READY)


def version_of(block: AssessmentBlock | None) -> str:
    """The version token of a slot's stored text (of nothing, for a slot never written)."""
    if block is None:
        return concurrency.token({"text": "", "status": ""})
    return concurrency.token({"text": block.text, "status": block.status})


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def merge_texts(base: str, mine: str, theirs: str) -> str:
    """Both writers' text: mine, then each paragraph the other person added or changed.

    Nothing either person wrote is dropped; a paragraph both still have appears once.
    Linear in the number of paragraphs (set look-ups).
    """
    mine_paragraphs = split_paragraphs(mine)
    seen = set(mine_paragraphs) | set(split_paragraphs(base))
    added = [p for p in split_paragraphs(theirs) if p not in seen]
    return "\n\n".join([*mine_paragraphs, *added])


class SlotConflict(Exception):
    """Someone else saved the slot since the writer opened it; nothing was saved.

    ``theirs`` is the text stored now, ``merged`` both texts kept (``merge_texts``),
    ``version`` the stored text's token, to save the merged text against.
    """

    def __init__(self, theirs: str, merged: str, version: str, who: str):
        super().__init__(who)
        self.theirs = theirs
        self.merged = merged
        self.version = version
        self.who = who


@transaction.atomic
def write_slot(
    *,
    center: Center,
    year: int,
    key: str,
    text: str,
    user: Any,
    version: str,
    base: str = "",
    status: str = AssessmentBlock.Status.DRAFT,
    owner: Person | None = None,
    due_on: dt.date | None = None,
    keep_owner: bool = True,
) -> AssessmentBlock:
    """Save the text of one slot of the outline (``slots.slots``), with history.

    ``version`` is the token the writer's page was given (``version_of``); if the
    stored text has changed since, nothing is saved and ``SlotConflict`` carries the
    other text and both merged. ``base`` is the text the writer started from.
    """
    from .prose import MAX_LENGTH
    from .slots import slot_by_key, slots

    slot = slot_by_key(slots(center, year), key)
    if slot is None:
        raise ValidationError(
            _("Tekstfeltet «{key}» finnes ikke i rapporten for {year}.").format(key=key, year=year)
        )
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Teksten er {n} tegn lang; et tekstfelt kan ha høyst {max} tegn.").format(
                n=number(len(text)), max=number(MAX_LENGTH)
            )
        )
    if status not in WRITER_STATUSES:
        raise ValidationError(
            _("Status «{status}» kan ikke settes her; godkjenning gjøres av en annen.").format(
                status=status
            )
        )
    if owner is not None and owner.center_id != center.pk:
        raise ValidationError(_("Den ansvarlige hører til et annet senter."))
    place = {
        "center": center,
        "year": year,
        "assignment": slot.assignment,
        "section_key": "" if slot.assignment is not None else slot.section_key,
        "kind": slot.kind,
    }
    block = AssessmentBlock.objects.select_for_update().filter(**place).first()
    if version_of(block) != version:
        theirs = block.text if block is not None else ""
        who = ""
        if block is not None and block.author is not None:
            who = block.author.get_full_name() or block.author.get_username()
        raise SlotConflict(theirs, merge_texts(base, text, theirs), version_of(block), who)
    if block is None:
        block = AssessmentBlock(**place)
        if slot.block is not None:
            block.title = slot.block.title
    block.text = text
    block.status = status
    if not keep_owner:
        block.owner = owner
        block.due_on = due_on
    block.author = user
    block._history_user = user  # type: ignore[attr-defined,union-attr]
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def add_theme(
    *, center: Center, year: int, area_code: str, title: str, user: Any
) -> AssessmentBlock:
    """A themed subsection under a focus area, with its own heading and empty text."""
    from .slots import THEME_PREFIX

    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Skriv en overskrift for temaet."))
    if len(title) > 200:
        raise ValidationError(_("Overskriften kan ha høyst 200 tegn."))
    if not FocusArea.objects.filter(code=area_code).exists():
        raise ValidationError(_("Innsatsområdet «{code}» finnes ikke.").format(code=area_code))
    base = slugify(title)[:30].strip("-") or "tema"
    prefix = f"focus:{area_code}:{THEME_PREFIX}"
    taken = set(
        AssessmentBlock.objects.filter(
            center=center, year=year, section_key__startswith=prefix
        ).values_list("section_key", flat=True)
    )
    slug, n = base, 1
    while f"{prefix}{slug}" in taken:
        n += 1
        slug = f"{base}-{n}"
    block = AssessmentBlock(
        center=center,
        year=year,
        kind=AssessmentBlock.Kind.TEXT,
        section_key=f"{prefix}{slug}",
        title=title,
        author=user,
    )
    block._history_user = user  # type: ignore[attr-defined]
    block.full_clean()
    block.save()
    return block
