"""Operations on grants: a draft letter becomes the year's grant, last year's
assignments are carried forward, and coverage shows what is registered where."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, IntegerField, QuerySet, Value
from django.utils.translation import gettext as _

from oppdrag.core.concurrency import Change, Conflict, differing
from oppdrag.core.models import Center
from oppdrag.core.parsing import fold

from .letter_parser import DraftAssignment, GrantDraft
from .models import (
    Assignment,
    BudgetLine,
    Deliverable,
    DeliverableTag,
    Grant,
    GrantDate,
    NormativeProduct,
)

UserLike = AbstractBaseUser | AnonymousUser | None


class GrantExists(ValueError):
    """The centre already has a grant for that year."""


def _by(obj: Any, user: UserLike) -> Any:
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


@transaction.atomic
def create_grant_from_draft(
    center: Center,
    draft: GrantDraft,
    user: UserLike,
    *,
    year: int | None = None,
    letter_name: str = "",
    letter_text: str = "",
) -> Grant:
    """Save a reviewed draft as the centre's grant for its year, with the assignment
    tree, deliverables, budget lines, year-plan dates and relevant material.

    Refuses (``GrantExists``) when the centre already has a grant for that year, and
    (``ValueError``) when the year is unknown; nothing is saved then.
    """
    year = year or draft.year
    if not year:
        raise ValueError(_("Brevet sier ikke hvilket år tilskuddet gjelder; oppgi året."))
    if Grant.objects.filter(center=center, year=year).exists():
        raise GrantExists(
            _("{center} har allerede et tilskudd for {year}.").format(center=center, year=year)
        )
    numbers = [node.full_number for node in draft.all_assignments()]
    taken = set(
        Assignment.objects.filter(center=center, year=year, number__in=numbers).values_list(
            "number", flat=True
        )
    )
    if taken:
        raise GrantExists(
            _("Oppdrag {numbers} finnes allerede for {year}.").format(
                numbers=", ".join(sorted(taken)), year=year
            )
        )
    grant = _by(
        Grant(
            center=center,
            year=year,
            grantor=draft.grantor or "Helsedirektoratet",
            scheme=draft.scheme[:300],
            recipient=draft.recipient[:300],
            amount_nok=draft.amount_nok,
            application_date=draft.application_date,
            regulation_date=draft.regulation_date,
            letter_name=letter_name[:255],
            letter_text=letter_text,
            parse_confidence=draft.confidence,
            parse_notes={
                "unplaced": [
                    {
                        "text": item.text,
                        "source_start_line": item.source_start_line,
                        "source_end_line": item.source_end_line,
                    }
                    for item in draft.unplaced
                ],
                "warnings": list(draft.warnings),
            },
        ),
        user,
    )
    report = [d for d in draft.dates if d.kind == "report_deadline" and d.date]
    if report:
        grant.report_deadline = report[0].date
    grant.save()
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
    by_number: dict[str, Assignment] = {}

    def save_tree(node: DraftAssignment, parent: Assignment | None) -> None:
        assignment = _by(
            Assignment(
                center=center,
                year=year,
                number=node.full_number[:20],
                title=node.title[:300],
                text=node.text,
                parent=parent,
                source_start_line=node.source_start_line,
                source_end_line=node.source_end_line,
            ),
            user,
        )
        assignment.save()
        by_number[node.full_number] = assignment
        for position, item in enumerate(node.deliverables):
            _by(
                Deliverable(
                    center=center,
                    assignment=assignment,
                    position=position,
                    text=item.text,
                    source_start_line=item.source_start_line,
                    source_end_line=item.source_end_line,
                ),
                user,
            ).save()
        for child in node.children:
            save_tree(child, assignment)

    for root in draft.assignments:
        save_tree(root, None)
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
                assignment=by_number.get(item.assignment or ""),
                source_start_line=item.source_start_line,
                source_end_line=item.source_end_line,
            ),
            user,
        ).save()
    save_materials(center=center, grant=grant, year=year, draft=draft, user=user)
    return grant


def save_materials(
    *, center: Center, grant: Any, year: int, draft: GrantDraft, user: UserLike
) -> None:
    """The letter's list of normative material, as rows of the grant (with history)."""
    for material in draft.materials:
        _by(
            NormativeProduct(
                center=center,
                grant=grant,
                year=year,
                title=material.title[:500],
                kind=material.kind,
                issuer=material.issuer[:200],
                link=material.link[:500],
                group=material.group[:300],
                source_start_line=material.source_start_line,
                source_end_line=material.source_end_line,
            ),
            user,
        ).save()


def _date_title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:299] + "…"


# --- carry-forward ----------------------------------------------------------------

# Words that say nothing about what an assignment is about.
_STOP_WORDS = {
    "og", "i", "for", "til", "om", "av", "med", "på", "det", "den", "de", "en", "et",
    "bidra", "arbeidet", "arbeid", "nasjonal", "nasjonale", "nasjonalt", "the",
}  # fmt: skip
MATCH_THRESHOLD = 0.45


@dataclass
class MatchProposal:
    """A proposed link from this year's assignment to last year's, for a person to confirm."""

    current: Assignment
    previous: Assignment | None
    score: float
    reason: str
    alternatives: list[tuple[Assignment, float]] = field(default_factory=list)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if len(w) > 2 and w not in _STOP_WORDS}


def title_similarity(a: str, b: str) -> float:
    """How alike two assignment titles are, 0–1: shared words, and the characters in
    order for near-misses ("kampanje" ~ "kampanjer")."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return 0.0
    overlap = len(words_a & words_b) / min(len(words_a), len(words_b))
    sequence = SequenceMatcher(None, fold(a), fold(b)).ratio()
    return round(max(overlap * 0.85 + sequence * 0.15, sequence), 3)


def _relative_number(number: str) -> str:
    # Letters renumber their chapter (3.x in a report, 2.x in a letter); what stays
    # is the position below it: 2.2 and 3.2 are both ".2".
    parts = number.split(".")
    return ".".join(parts[1:]) if len(parts) > 1 else number


def match_assignments(previous: list[Assignment], current: list[Assignment]) -> list[MatchProposal]:
    """Propose, for each of this year's assignments, the one it continues from last
    year: by title similarity first, with the same number only as a tie-breaker.

    A number alone never links two assignments: the 2025 report's 3.2 «Sammen om
    mestring» and the 2026 letter's 2.2 BrukerPlan share a position, not a subject.
    Each of last year's assignments is proposed at most once (best score wins).
    """
    candidates: list[tuple[float, int, int, str]] = []
    for ci, cur in enumerate(current):
        for pi, prev in enumerate(previous):
            similarity = title_similarity(cur.title, prev.title)
            if similarity <= 0:
                continue
            same_number = cur.number == prev.number
            same_position = _relative_number(cur.number) == _relative_number(prev.number)
            score = similarity + (0.1 if same_number else 0.05 if same_position else 0.0)
            reason = "title+number" if same_number or same_position else "title"
            candidates.append((min(score, 1.0), ci, pi, reason))
    candidates.sort(key=lambda c: -c[0])
    taken_current: dict[int, tuple[int, float, str]] = {}
    taken_previous: set[int] = set()
    for score, ci, pi, reason in candidates:
        if score < MATCH_THRESHOLD or ci in taken_current or pi in taken_previous:
            continue
        taken_current[ci] = (pi, score, reason)
        taken_previous.add(pi)
    proposals = []
    for ci, cur in enumerate(current):
        alternatives = sorted(
            ((previous[pi], score) for score, c, pi, _r in candidates if c == ci),
            key=lambda pair: -pair[1],
        )[:3]
        if ci in taken_current:
            pi, score, reason = taken_current[ci]
            proposals.append(
                MatchProposal(cur, previous[pi], round(score, 3), reason, alternatives)
            )
        else:
            proposals.append(MatchProposal(cur, None, 0.0, "none", alternatives))
    return proposals


@transaction.atomic
def link_to_previous(
    assignment: Assignment, previous: Assignment | None, user: UserLike
) -> Assignment:
    """Confirm (or clear) the link from an assignment to the one it continues."""
    if previous is not None and (
        previous.center_id != assignment.center_id or previous.year >= assignment.year
    ):
        raise ValueError(
            _("Et oppdrag kan bare videreføre et tidligere års oppdrag ved samme senter.")
        )
    assignment.previous = previous
    _by(assignment, user).save(update_fields=["previous", "updated_at", "sort_key"])
    return assignment


def previous_links(assignments: list[Assignment]) -> dict[str, str]:
    """Each assignment's link to last year's as the carry-forward form shows it: uid → uid."""
    links = {a.pk: a.previous_id for a in assignments}
    uids = dict(
        Assignment.objects.filter(pk__in=[p for p in links.values() if p]).values_list("pk", "uid")
    )
    return {str(a.uid): str(uids[a.previous_id]) if a.previous_id else "" for a in assignments}


def link_all_to_previous(
    *,
    center: Center,
    year: int,
    choices: Mapping[str, Assignment | None],
    seen: dict[str, str],
    user: UserLike,
) -> int:
    """Save the carry-forward form (assignment uid → the one it continues) in one
    transaction; ``Conflict`` naming the links someone else changed since the form showed
    ``seen``. Returns how many links changed."""
    with transaction.atomic():
        current = list(Assignment.objects.select_for_update().filter(center=center, year=year))
        now = previous_links(current)
        if now != seen:
            by_uid = {str(a.uid): a for a in current}
            raise Conflict(
                [
                    Change(str(by_uid[uid]), str(by_uid[uid].previous or _("(ingen)")))
                    for uid in differing(seen, now)
                ]
            )
        changed = 0
        for assignment in current:
            target = choices.get(str(assignment.uid))
            if str(assignment.uid) in choices and assignment.previous_id != (
                target.pk if target else None
            ):
                link_to_previous(assignment, target, user)
                changed += 1
        return changed


# --- coverage -----------------------------------------------------------------------


def _activity_models() -> list[Any]:
    from django.apps import apps

    from oppdrag.activities.models import Activity

    return [
        model
        for model in apps.get_app_config("activities").get_models()
        if issubclass(model, Activity)
    ]


def _records_per_assignment(center: Center, year: int) -> QuerySet[Any]:
    """Rows of (assignment id, kind index, count): the records of each kind tagged to
    each of the centre's assignments of ``year`` that has any, in one UNION ALL."""
    assignments = Assignment.objects.for_center(center).filter(year=year).order_by()
    per_kind = [
        assignments.values("id")  # grouped by the assignment alone
        .annotate(
            index=Value(index, output_field=IntegerField()),
            n=Count(str(model._meta.get_field("assignments").related_query_name())),
        )
        .filter(n__gt=0)
        .values_list("id", "index", "n")
        for index, model in enumerate(_activity_models())
    ]
    return per_kind[0].union(*per_kind[1:], all=True)


def coverage(
    center: Center,
    year: int,
    *,
    hours: Mapping[int, float] | None = None,
    report_status: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """Per assignment and deliverable of ``year``: the records tagged to it, counted by
    kind, and a warning where nothing is registered. Its queries do not grow with the
    number of assignments or records: five, the records of every kind counted in one.

    ``hours`` and ``report_status`` (by assignment id) come from the hours and report
    apps when the caller has them; they are passed through as ``hours`` and
    ``report_status`` (``None`` where unknown).
    """
    assignments = list(Assignment.objects.filter(center=center, year=year).order_by("sort_key"))
    deliverables = list(
        Deliverable.objects.filter(center=center, assignment__year=year).order_by(
            "assignment_id", "position"
        )
    )
    models = _activity_models()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # Sorted by kind: each assignment lists its kinds in the models' order.
    for assignment_id, index, n in sorted(
        _records_per_assignment(center, year), key=lambda row: row[1]
    ):
        counts[assignment_id][models[index]._meta.model_name] = n
    tag_counts: dict[int, dict[str, int]] = defaultdict(dict)
    tag_rows = (
        DeliverableTag.objects.filter(center=center, deliverable__assignment__year=year)
        .values("deliverable_id", "content_type_id")
        .annotate(n=Count("id"))
    )
    model_names = {ct.pk: ct.model for ct in ContentType.objects.filter(app_label="activities")}
    for row in tag_rows:
        kind = model_names.get(row["content_type_id"], "annet")
        tag_counts[row["deliverable_id"]][kind] = row["n"]
    by_assignment: dict[int, list[Deliverable]] = defaultdict(list)
    for deliverable in deliverables:
        by_assignment[deliverable.assignment_id].append(deliverable)
    result = []
    for assignment in assignments:
        own = counts.get(assignment.pk, {})
        items = []
        for deliverable in by_assignment.get(assignment.pk, []):
            tagged = tag_counts.get(deliverable.pk, {})
            items.append(
                {
                    "uid": str(deliverable.uid),
                    "text": deliverable.text,
                    "counts": tagged,
                    "total": sum(tagged.values()),
                }
            )
        total = sum(own.values())
        result.append(
            {
                "uid": str(assignment.uid),
                "number": assignment.number,
                "title": assignment.title,
                "parent": None,
                "counts": own,
                "total": total,
                "hours": (hours or {}).get(assignment.pk),
                "report_status": (report_status or {}).get(assignment.pk),
                "deliverables": items,
                "warning": (
                    _("Ingenting er registrert på {number} {title}.").format(
                        number=assignment.number, title=assignment.title
                    )
                    if total == 0 and not any(d["total"] for d in items)
                    else None
                ),
            }
        )
    numbers = {a.pk: a.number for a in assignments}
    for row, assignment in zip(result, assignments, strict=True):
        row["parent"] = numbers.get(assignment.parent_id) if assignment.parent_id else None
    return {"center": center.slug, "year": year, "assignments": result}


def tag_deliverable(deliverable: Deliverable, record: Any, user: UserLike) -> DeliverableTag:
    """Tag a registered record (event, presentation …) to a deliverable of its centre."""
    if getattr(record, "center_id", None) != deliverable.center_id:
        raise ValueError(_("Posten tilhører et annet senter enn leveransen."))
    with transaction.atomic():
        tag, _created = DeliverableTag.objects.get_or_create(
            center_id=deliverable.center_id,
            deliverable=deliverable,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
    return tag


def year_plan(grant: Grant) -> list[GrantDate]:
    """The grant's dates in calendar order, the report deadline included when known."""
    dates = list(grant.dates.select_related("assignment"))
    if grant.report_deadline and not any(
        d.kind == GrantDate.Kind.REPORT_DEADLINE and d.date == grant.report_deadline for d in dates
    ):
        dates.append(
            GrantDate(
                center=grant.center,
                grant=grant,
                kind=GrantDate.Kind.REPORT_DEADLINE,
                title=_("Frist for årsrapport {year}").format(year=grant.year),
                date=grant.report_deadline,
            )
        )
    return sorted(dates, key=lambda d: d.date or d.period_start or dt.date.max)


def grant_calendar(grant: Grant, *, stamp: dt.datetime | None = None) -> str:
    """The grant's year plan as an iCalendar feed (meetings, deadlines, campaign
    periods and the report deadline)."""
    from django.utils import timezone

    from .ical import CalendarItem, build_calendar

    items = []
    for item in year_plan(grant):
        start = item.date or item.period_start
        end = item.date or item.period_end
        if start is None or end is None:
            continue
        description = item.text
        if item.assignment is not None:
            description = _("Oppdrag {number}: {text}").format(
                number=item.assignment.number, text=item.text
            )
        uid = (
            f"{item.uid}@oppdrag"
            if item.pk
            else f"report-{grant.uid}-{grant.report_deadline}@oppdrag"
        )
        items.append(
            CalendarItem(
                uid=uid,
                summary=item.title,
                start=start,
                end=end,
                description=description,
                categories=str(item.get_kind_display()),
            )
        )
    name = _("Årshjul {center} {year}").format(center=grant.center, year=grant.year)
    return build_calendar(items, name=name, stamp=stamp or timezone.now().astimezone(dt.UTC))
