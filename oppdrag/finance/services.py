"""Writes of the finance app: fundings, budget revisions, mappings, ledger periods,
explanations and the auditor's confirmation. Views, importers, commands and the demo
all call these; each runs in one transaction and records history."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from oppdrag.core.bulk import insert_rows, uid_hex
from oppdrag.core.models import Center
from oppdrag.grants.models import Assignment, Grant

from .models import (
    AccountMapping,
    AuditorConfirmation,
    BudgetItem,
    BudgetRevision,
    Explanation,
    FinanceSettings,
    Funding,
    LedgerImport,
    LedgerLine,
    LedgerProject,
    Source,
)

ZERO = Decimal(0)


def _save(obj: Any, user: Any) -> Any:
    obj._history_user = user
    obj.save()
    return obj


def settings_for(center: Center) -> FinanceSettings:
    """The centre's finance settings (the defaults until it changes them; not saved)."""
    found = FinanceSettings.objects.filter(center=center).first()
    return found or FinanceSettings(center=center)


@transaction.atomic
def save_settings(*, center: Center, user: Any = None, **values: Any) -> FinanceSettings:
    """Change the centre's finance settings."""
    current = FinanceSettings.objects.filter(center=center).first() or FinanceSettings(
        center=center
    )
    for name, value in values.items():
        setattr(current, name, value)
    return _save(current, user)


# --- fundings ----------------------------------------------------------------------------


@transaction.atomic
def save_funding(
    *,
    center: Center,
    year: int,
    amount: Decimal,
    grantor: str = "Helsedirektoratet",
    reference: str = "",
    chapter: str = "",
    post: str = "",
    funding: Funding | None = None,
    user: Any = None,
) -> Funding:
    """Add a budget line of a grant, or change one (``funding``)."""
    if funding is None:
        funding = Funding(center=center, year=year)
    elif funding.center_id != center.pk:
        raise ValueError("funding of another centre")
    funding.grantor, funding.reference = grantor, reference
    funding.chapter, funding.post, funding.amount = chapter, post, amount
    return _save(funding, user)


@transaction.atomic
def fundings_from_letter(*, center: Center, year: int, user: Any = None) -> list[Funding]:
    """The year's fundings taken from the registered grant letter: one per budget line
    with an amount, or one for the letter's amount when it names no line amounts.
    Lines already taken are left as they are."""
    grant = Grant.objects.filter(center=center, year=year).prefetch_related("budget_lines").first()
    if grant is None:
        return []
    made: list[Funding] = []
    lines = [line for line in grant.budget_lines.all() if line.amount_nok is not None]
    specs: list[tuple[str, str, Decimal, Any]] = [
        (line.chapter, line.post, Decimal(line.amount_nok or 0), line) for line in lines
    ]
    if not specs and grant.amount_nok is not None:
        first = next(iter(grant.budget_lines.all()), None)
        specs = [
            (
                first.chapter if first else "",
                first.post if first else "",
                Decimal(grant.amount_nok),
                first,
            )
        ]
    for chapter, post, amount, line in specs:
        funding, created = Funding.objects.get_or_create(
            center=center,
            year=year,
            grantor=grant.grantor,
            reference="",
            chapter=chapter,
            post=post,
            defaults={"amount": amount, "grant": grant, "budget_line": line},
        )
        if created:
            made.append(funding)
    return made


# --- budget -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """One amount of a budget version, before it is saved."""

    cost_type: str
    amount: Decimal
    source: str = Source.GRANT
    assignment: Assignment | None = None
    funding: Funding | None = None


def current_revision(center: Center, year: int) -> BudgetRevision | None:
    """The budget in force: the newest version of the year."""
    return BudgetRevision.objects.filter(center=center, year=year).order_by("-number").first()


def _grant_by_assignment(items: Iterable[Any]) -> dict[Any, Decimal]:
    totals: dict[Any, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.source == Source.GRANT:
            key = item.assignment.pk if item.assignment is not None else None
            totals[key] += item.amount
    return totals


def moves_between_assignments(before: dict[Any, Decimal], after: dict[Any, Decimal]) -> bool:
    """Whether a revision moves grant money between assignments: one gets less while
    another gets more. (The grantor must approve that in writing.)"""
    keys = set(before) | set(after)
    changes = [after.get(k, ZERO) - before.get(k, ZERO) for k in keys]
    return any(c < 0 for c in changes) and any(c > 0 for c in changes)


@transaction.atomic
def revise_budget(
    *,
    center: Center,
    year: int,
    items: Sequence[ItemSpec],
    note: str = "",
    user: Any = None,
    is_generated: bool = False,
) -> BudgetRevision:
    """Save a new version of the year's budget; the earlier versions stay as history.

    A version that moves grant money from one assignment to another is marked as
    needing the grantor's approval.
    """
    for spec in items:
        for record in (spec.assignment, spec.funding):
            if record is not None and record.center_id != center.pk:
                raise ValueError("record of another centre")
    previous = (
        BudgetRevision.objects.select_for_update()
        .filter(center=center, year=year)
        .order_by("-number")
        .first()
    )
    needs_approval = False
    if previous is not None:
        before = _grant_by_assignment(previous.items.select_related("assignment"))
        needs_approval = moves_between_assignments(before, _grant_by_assignment(items))
    revision = _save(
        BudgetRevision(
            center=center,
            year=year,
            number=(previous.number + 1) if previous else 1,
            note=note,
            needs_approval=needs_approval,
            user=user,
            is_generated=is_generated,
        ),
        user,
    )
    for spec in items:
        _save(
            BudgetItem(
                center=center,
                revision=revision,
                source=spec.source,
                funding=spec.funding if spec.source == Source.GRANT else None,
                assignment=spec.assignment,
                cost_type=spec.cost_type,
                amount=spec.amount,
            ),
            user,
        )
    return revision


@transaction.atomic
def approve_revision(
    *, revision: BudgetRevision, approved_on: dt.date, user: Any = None
) -> BudgetRevision:
    """Record the date the grantor approved a revision that moved money."""
    revision.approved_on = approved_on
    return _save(revision, user)


# --- mappings ----------------------------------------------------------------------------


@transaction.atomic
def map_account(
    *, center: Center, account: str, cost_type: str, name: str = "", user: Any = None
) -> AccountMapping:
    """Say which cost type an account is (blank: not spending)."""
    mapping = AccountMapping.objects.filter(center=center, account=account).first()
    mapping = mapping or AccountMapping(center=center, account=account)
    mapping.cost_type = cost_type
    if name:
        mapping.name = name
    return _save(mapping, user)


@transaction.atomic
def map_project(
    *,
    center: Center,
    year: int,
    code: str,
    assignment: Assignment | None,
    funding: Funding | None = None,
    name: str = "",
    user: Any = None,
) -> LedgerProject:
    """Say which assignment (and budget line) a ledger project serves in ``year``."""
    for record in (assignment, funding):
        if record is not None and record.center_id != center.pk:
            raise ValueError("record of another centre")
    mapping = LedgerProject.objects.filter(center=center, year=year, code=code).first()
    mapping = mapping or LedgerProject(center=center, year=year, code=code)
    mapping.assignment, mapping.funding = assignment, funding
    if name:
        mapping.name = name
    return _save(mapping, user)


@transaction.atomic
def carry_forward_projects(*, center: Center, year: int, user: Any = None) -> int:
    """Copy last year's project mappings to ``year`` (those not mapped yet).

    A project follows its assignment to the assignment that continues it
    (``Assignment.previous``) or, failing that, to the one with the same number.
    Returns how many were copied.
    """
    done = set(
        LedgerProject.objects.filter(center=center, year=year).values_list("code", flat=True)
    )
    assignments = list(Assignment.objects.filter(center=center, year=year))
    by_previous = {a.previous_id: a for a in assignments if a.previous_id}
    by_number = {a.number: a for a in assignments}
    copied = 0
    for old in LedgerProject.objects.filter(center=center, year=year - 1).select_related(
        "assignment"
    ):
        if old.code in done:
            continue
        target = None
        if old.assignment is not None:
            target = by_previous.get(old.assignment_id) or by_number.get(old.assignment.number)
        _save(
            LedgerProject(
                center=center, year=year, code=old.code, name=old.name, assignment=target
            ),
            user,
        )
        copied += 1
    return copied


# --- ledger --------------------------------------------------------------------------------

LINE_COLUMNS = (
    "center",
    "uid",
    "created_at",
    "updated_at",
    "batch",
    "year",
    "date",
    "account",
    "project",
    "text",
    "amount",
)


def file_sha256(path: Any) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def imported_before(center: Center, sha256: str) -> LedgerImport | None:
    """The import of the same file, when the centre has read it in already."""
    return LedgerImport.objects.filter(center=center, sha256=sha256).order_by("created_at").first()


@transaction.atomic
def replace_ledger_period(
    *,
    center: Center,
    year: int,
    start: dt.date,
    end: dt.date,
    file_name: str,
    sha256: str,
    lines: Sequence[tuple[dt.date, str, str, str, Decimal]],
    user: Any = None,
    is_generated: bool = False,
) -> LedgerImport:
    """Put ``lines`` (date, account, project, text, amount) in place of the period's
    lines, in one transaction. Earlier imports left with no line are removed."""
    old = LedgerLine.objects.filter(center=center, year=year, date__gte=start, date__lte=end)
    # Ledger lines have no history and nothing points to them: one DELETE.
    replaced, _deleted = old.delete()
    LedgerImport.objects.filter(center=center, year=year).exclude(
        pk__in=LedgerLine.objects.filter(center=center, year=year).values("batch_id")
    ).delete()
    batch = _save(
        LedgerImport(
            center=center,
            year=year,
            start=start,
            end=end,
            file_name=file_name[:255],
            sha256=sha256,
            rows=len(lines),
            total=sum((line[4] for line in lines), ZERO),
            rows_replaced=replaced,
            is_generated=is_generated,
            user=user,
        ),
        user,
    )
    stamp = connection.ops.adapt_datetimefield_value(batch.created_at or timezone.now())
    center_id, batch_id = center.pk, batch.pk
    insert_rows(
        LedgerLine,
        LINE_COLUMNS,
        (
            (center_id, uid, stamp, stamp, batch_id, year, date, account, project, text, amount)
            for uid, (date, account, project, text, amount) in zip(
                uid_hex(len(lines)), lines, strict=True
            )
        ),
    )
    return batch


# --- explanations and the auditor ------------------------------------------------------


@transaction.atomic
def explain(*, center: Center, year: int, key: str, text: str, user: Any = None) -> None:
    """Save (or, with an empty text, remove) the explanation of one row's deviation."""
    found = Explanation.objects.filter(center=center, year=year, key=key).first()
    if not text.strip():
        if found is not None:
            found._history_user = user  # type: ignore[attr-defined]
            found.delete()
        return
    found = found or Explanation(center=center, year=year, key=key)
    found.text = text.strip()
    _save(found, user)


@transaction.atomic
def save_auditor_confirmation(
    *,
    center: Center,
    year: int,
    status: str,
    engagement: str,
    auditor: str = "",
    document: bytes | None = None,
    file_name: str = "",
    content_type: str = "",
    user: Any = None,
) -> AuditorConfirmation:
    """Record the status of the auditor's confirmation, with its document when given."""
    found = AuditorConfirmation.objects.filter(center=center, year=year).first()
    found = found or AuditorConfirmation(center=center, year=year)
    found.status, found.engagement, found.auditor, found.user = status, engagement, auditor, user
    if document is not None:
        found.document = document
        found.file_name = file_name[:255]
        found.content_type = content_type[:100]
        found.sha256 = hashlib.sha256(document).hexdigest()
    return _save(found, user)
