"""Writes for the report app: staff-written text, its owners, review and comments."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oppdrag.core import concurrency
from oppdrag.core.models import Center, Membership, Person
from oppdrag.grants.models import Assignment, FocusArea

from .charts import _number as number
from .models import AssessmentBlock, ReportSettings, SlotComment
from .submission import ensure_open


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
    ensure_open(center, year)
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


def slot_block(
    *, center: Center, year: int, kind: str, assignment: Assignment | None, section_key: str
) -> AssessmentBlock:
    """The stored text of a slot, made empty (and unsaved) when nothing is written yet."""
    place: dict[str, Any] = (
        {"assignment": assignment} if assignment is not None else {"section_key": section_key}
    )
    block = AssessmentBlock.objects.filter(center=center, year=year, kind=kind, **place).first()
    return block or AssessmentBlock(center=center, year=year, kind=kind, **place)


def _save(block: AssessmentBlock, user: Any, fields: list[str] | None = None) -> None:
    block._history_user = user  # type: ignore[attr-defined]
    if block.pk is None:
        block.full_clean()
        block.save()
    else:
        block.save(update_fields=[*(fields or []), "updated_at"])


@transaction.atomic
def set_slot_status(
    *, block: AssessmentBlock, status: str, membership: Membership
) -> AssessmentBlock:
    """Move a text along draft → ready → approved (or back to draft), by the rules.

    Setting a text ready takes an editor and a text; approving takes the role the
    centre named, and someone other than the text's last author unless the centre
    allows authors to approve their own text. Sending back to draft takes an editor.
    """
    from oppdrag.web.access import has_role

    from .review import approval_refusal, report_settings

    center = membership.center
    if block.center_id != center.pk:
        raise ValidationError(_("Teksten hører til et annet senter."))
    ensure_open(center, block.year)
    block = AssessmentBlock.objects.select_for_update().get(pk=block.pk) if block.pk else block
    Status = AssessmentBlock.Status
    if status not in Status.values:
        raise ValidationError(_("Ukjent status «{status}».").format(status=status))
    if not has_role(membership, Membership.Role.EDITOR):
        raise PermissionDenied(_("Bare redaktører kan endre status på en tekst."))
    if status == Status.APPROVED:
        refusal = approval_refusal(
            membership=membership, block=block, settings=report_settings(center)
        )
        if refusal:
            raise PermissionDenied(refusal)
    elif status == Status.READY and not block.text.strip():
        raise ValidationError(_("Teksten er tom. Skriv den før den settes til «Klar»."))
    block.status = status
    _save(block, membership.user, ["status"])
    return block


@transaction.atomic
def assign_slot(*, block: AssessmentBlock, owner: Any, due_on: Any, user: Any) -> AssessmentBlock:
    """Name the person who writes the slot and when it is due."""
    ensure_open(block.center, block.year)
    if owner is not None and owner.center_id != block.center_id:
        raise ValidationError(_("Personen hører til et annet senter."))
    block.owner = owner
    block.due_on = due_on
    _save(block, user, ["owner", "due_on"])
    return block


@transaction.atomic
def add_comment(*, block: AssessmentBlock, text: str, user: Any) -> SlotComment:
    """Comment on a slot's text; the slot's (empty) text is made if nothing is written."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Skriv en kommentar før du lagrer."))
    if len(text) > COMMENT_MAX:
        raise ValidationError(_("Kommentaren er for lang: høyst {n} tegn.").format(n=COMMENT_MAX))
    if block.pk is None:
        _save(block, user)
    return SlotComment.objects.create(center=block.center, block=block, author=user, text=text)


COMMENT_MAX = 4000


@transaction.atomic
def start_from_last_year(*, block: AssessmentBlock, user: Any) -> AssessmentBlock:
    """Put last year's text of the same slot in an empty slot, as a draft to rewrite."""
    from .review import last_years_block

    ensure_open(block.center, block.year)
    if block.text.strip():
        raise ValidationError(
            _("Teksten er allerede påbegynt; fjorårets tekst kan bare brukes i en tom tekst.")
        )
    previous = last_years_block(
        block.center,
        block.year,
        kind=block.kind,
        assignment=block.assignment,
        section_key=block.section_key,
    )
    if previous is None:
        raise ValidationError(_("Det finnes ingen tekst fra i fjor for denne delen."))
    block.text = previous.text
    block.status = AssessmentBlock.Status.DRAFT
    block.author = user
    _save(block, user, ["text", "status", "author"])
    return block


@dataclass
class WordChange:
    """A slot whose text an uploaded Word document changes."""

    key: str
    heading: str
    old: str
    new: str


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def apply_word_texts(
    *, center: Center, year: int, changes: list[dict[str, str]], user: Any
) -> list[AssessmentBlock]:
    """Save the texts read from an uploaded Word document, all or nothing.

    Each change carries the fingerprint of the text it was compared with; if someone
    changed that slot since the preview, nothing is saved and the upload must be
    checked again. Changed texts become drafts (an approval was of the old text).
    """
    from .slots import slots

    ensure_open(center, year)
    by_key = {slot.key: slot for slot in slots(center, year)}
    saved = []
    for change in changes:
        slot = by_key.get(change["key"])
        if slot is None:
            raise ValidationError(
                _("Delen «{heading}» finnes ikke lenger i rapporten.").format(
                    heading=change["heading"]
                )
            )
        current = slot.block.text if slot.block is not None else ""
        if text_fingerprint(current) != change["base"]:
            raise ValidationError(
                _(
                    "Teksten i «{heading}» er endret av noen andre siden du lastet opp filen. "
                    "Ingenting er lagret; last opp filen på nytt for å se endringene."
                ).format(heading=slot.heading)
            )
        saved.append(
            save_assessment(
                center=center,
                year=year,
                kind=slot.kind,
                text=change["new"],
                user=user,
                assignment=slot.assignment,
                section_key=slot.section_key if slot.assignment is None else "",
                status=AssessmentBlock.Status.DRAFT,
            )
        )
    return saved


@transaction.atomic
def save_report_settings(
    *, center: Center, approver_role: str, authors_may_approve: bool, user: Any
) -> ReportSettings:
    """Name who approves the centre's report texts, and whether authors approve their own."""
    if approver_role not in ReportSettings.ApproverRole.values:
        raise ValidationError(_("Velg hvem som godkjenner tekstene."))
    settings, _created = ReportSettings.objects.get_or_create(center=center)
    settings.approver_role = approver_role
    settings.authors_may_approve = authors_may_approve
    settings._history_user = user  # type: ignore[attr-defined]
    settings.save()
    return settings


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

    ensure_open(center, year)  # a delivered year's texts change only in a new version
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

    ensure_open(center, year)
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
