"""A grant letter between reading and saving: the stored draft, and the save that
replaces a year's grant with a newer version of its letter.

The draft is kept in the database (``LetterDraft``) under a random token, not in the
session, so a reviewer who signs out, or whose session ends, finds it again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.models import Center

from .letter_parser import DraftAssignment, GrantDraft
from .models import (
    Assignment,
    BudgetLine,
    Deliverable,
    Grant,
    GrantDate,
    LetterDraft,
)
from .services import UserLike, _by, _date_title, save_materials

# Drafts untouched this long are deleted when the next letter is read.
DRAFT_DAYS = 30


def store_draft(
    *,
    center: Center,
    user: UserLike,
    name: str,
    text: str,
    draft: GrantDraft,
    warnings: list[str],
) -> LetterDraft:
    """Keep a freshly read letter's draft for review; return it with its token."""
    purge_drafts()
    return LetterDraft.objects.create(
        center=center,
        token=secrets.token_urlsafe(18),
        user=user if getattr(user, "is_authenticated", False) else None,  # type: ignore[misc]
        name=name[:255],
        text=text,
        draft=draft.to_dict(),
        warnings=list(warnings),
    )


def update_draft(letter: LetterDraft, draft: GrantDraft) -> None:
    """Store the reviewer's corrections."""
    letter.draft = draft.to_dict()
    letter.save(update_fields=["draft", "updated_at"])


def purge_drafts(days: int = DRAFT_DAYS) -> int:
    """Delete drafts nobody has touched for ``days`` days; return how many."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _kinds = LetterDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


@dataclass
class Replacement:
    """What saving a newer letter over a year's grant did to its assignments."""

    grant: Grant
    updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not in the new letter, kept


@transaction.atomic
def replace_grant_from_draft(
    center: Center,
    draft: GrantDraft,
    user: UserLike,
    *,
    year: int,
    letter_name: str = "",
    letter_text: str = "",
) -> Replacement:
    """Replace the centre's grant for ``year`` with a newer version of the letter.

    Assignments are matched by number and changed in place, so the records, hours
    and texts tagged to them stay tagged; new numbers are added. An assignment the
    new letter no longer has is kept (it may have records and hours) and named in
    the result, for a person to decide. Budget lines, year-plan dates and the list
    of relevant material are the new letter's. Everything in one transaction.
    """
    grant = Grant.objects.select_for_update().get(center=center, year=year)
    grant.grantor = draft.grantor or grant.grantor
    grant.scheme = draft.scheme[:300]
    grant.recipient = draft.recipient[:300]
    grant.amount_nok = draft.amount_nok
    grant.application_date = draft.application_date
    grant.regulation_date = draft.regulation_date
    grant.letter_name = letter_name[:255]
    grant.letter_text = letter_text
    grant.parse_confidence = draft.confidence
    grant.parse_notes = {
        "unplaced": [
            {
                "text": item.text,
                "source_start_line": item.source_start_line,
                "source_end_line": item.source_end_line,
            }
            for item in draft.unplaced
        ],
        "warnings": list(draft.warnings),
        "replaced_at": timezone.now().isoformat(),
    }
    report = [d for d in draft.dates if d.kind == "report_deadline" and d.date]
    grant.report_deadline = report[0].date if report else None
    _by(grant, user).save()
    grant.budget_lines.all().delete()
    for line in draft.budget_lines:
        _by(
            BudgetLine(
                center=center,
                grant=grant,
                chapter=line.chapter,
                post=line.post,
                amount_nok=line.amount_nok,
                source_start_line=line.source_start_line or None,
                source_end_line=line.source_end_line or None,
            ),
            user,
        ).save()
    existing = {
        a.number: a
        for a in Assignment.objects.filter(center=center, year=year).prefetch_related(
            "deliverables__tags"
        )
    }
    result = Replacement(grant=grant)
    by_number: dict[str, Assignment] = {}

    def save_tree(node: DraftAssignment, parent: Assignment | None) -> None:
        number = node.full_number[:20]
        assignment = existing.get(number)
        if assignment is None:
            assignment = Assignment(center=center, year=year, number=number)
            result.added.append(number)
        else:
            result.updated.append(number)
        assignment.title = node.title[:300]
        assignment.text = node.text
        assignment.parent = parent
        assignment.source_start_line = node.source_start_line
        assignment.source_end_line = node.source_end_line
        _by(assignment, user).save()
        by_number[node.full_number] = assignment
        _replace_deliverables(assignment, node, user)
        for child in node.children:
            save_tree(child, assignment)

    for root in draft.assignments:
        save_tree(root, None)
    result.kept = [n for n in existing if n not in by_number]
    grant.dates.all().delete()
    for item in draft.dates:
        _by(
            GrantDate(
                center=center,
                grant=grant,
                kind=item.kind,
                title=_date_title(item.text),
                text=item.text,
                date=item.date,
                period_start=item.period_start,
                period_end=item.period_end,
                assignment=by_number.get(item.assignment or "")
                or existing.get(item.assignment or ""),
                source_start_line=item.source_start_line,
                source_end_line=item.source_end_line,
            ),
            user,
        ).save()
    grant.materials.all().delete()
    save_materials(center=center, grant=grant, year=year, draft=draft, user=user)
    return result


def _replace_deliverables(assignment: Assignment, node: DraftAssignment, user: UserLike) -> None:
    """The new letter's deliverables by position: changed in place (their tags stay),
    added, and the surplus deleted unless a record is tagged to it."""
    old = list(assignment.deliverables.all()) if assignment.pk else []
    for position, item in enumerate(node.deliverables):
        deliverable = (
            old[position]
            if position < len(old)
            else Deliverable(center=assignment.center, assignment=assignment)
        )
        deliverable.position = position
        deliverable.text = item.text
        deliverable.source_start_line = item.source_start_line
        deliverable.source_end_line = item.source_end_line
        _by(deliverable, user).save()
    for surplus in old[len(node.deliverables) :]:
        if not surplus.tags.all():
            _by(surplus, user).delete()


def replacement_message(result: Replacement) -> str:
    """What the replacement did, for the person who saved it."""
    text = _(
        "Tilskuddet for {year} er erstattet med den nye versjonen av brevet: "
        "{updated} oppdrag oppdatert, {added} nye."
    ).format(year=result.grant.year, updated=len(result.updated), added=len(result.added))
    if result.kept:
        text += " " + _(
            "Oppdrag {numbers} står ikke i den nye versjonen og er beholdt, siden registreringer "
            "og timer kan være knyttet til dem; slett dem selv hvis de skal bort."
        ).format(numbers=", ".join(result.kept))
    return text
