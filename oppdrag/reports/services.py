"""Writes for the report app: staff-written assessment text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.grants.models import Assignment

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
