"""Data-quality checks run before every render and by ``oppdrag check``.

Each check reads the prefetched ``YearData`` (no queries of its own) and returns
findings that name the records involved and say how to fix them. The tree adds
its own findings (stale cross-references, percentages that do not add up).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oppdrag.activities.qualifiers import agrees, qualified
from oppdrag.core.models import Center
from oppdrag.core.parsing import fold
from oppdrag.figures.catalogue import BY_KEY

from .data import TAGGED_KINDS, YearData, describe
from .models import AssessmentBlock
from .tree import Finding, RecordRef

# Records of the same kind with the same title this many days apart are "the same
# thing with two dates"; farther apart they are taken to be two occasions.
SAME_THING_DAYS = 31


def ref(kind: str, record: Any) -> RecordRef:
    return RecordRef(uid=str(record.uid), description=describe(kind, record), kind=kind)


def record_date(record: Any) -> dt.date | None:
    return getattr(record, "date", None) or getattr(record, "date_start", None)


def record_title(record: Any) -> str:
    return getattr(record, "title", None) or getattr(record, "name", "") or ""


def check_duplicate_events(data: YearData) -> list[Finding]:
    """Events on the same day with the same participant count are probably one event twice."""
    groups: dict[tuple[dt.date, int], list[Any]] = defaultdict(list)
    for event in data.records["events"]:
        if event.date_start and event.participants:
            groups[(event.date_start, event.participants)].append(event)
    findings = []
    for (day, participants), events in sorted(groups.items(), key=lambda kv: kv[0]):
        if len(events) < 2:
            continue
        findings.append(
            Finding(
                code="probable_duplicate",
                severity="error",
                message=_(
                    "{n} arrangementer har samme dato ({date}) og samme deltakertall "
                    "({participants}). Trolig er samme arrangement registrert flere ganger, "
                    "og deltakerne telles dobbelt."
                ).format(n=len(events), date=day.strftime("%d.%m.%Y"), participants=participants),
                fix=_(
                    "Slett den ene registreringen, eller rett dato eller deltakertall hvis det "
                    "faktisk var ulike arrangementer."
                ),
                records=[ref("events", e) for e in events],
            )
        )
    return findings


def _event_signature(event: Any) -> tuple[Any, ...]:
    return (
        fold(event.theme),
        fold(event.title),
        event.participants,
        event.scope,
        fold(event.audience),
        event.format,
        event.date_start,
        tuple(organization_id for organization_id, _name in event.organizer_pairs),
    )


def check_identical_records(data: YearData) -> list[Finding]:
    """Undated events identical in every column cannot be told apart by a reader."""
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for event in data.records["events"]:
        if event.date_start is None:
            groups[_event_signature(event)].append(event)
    findings = []
    for events in groups.values():
        if len(events) < 2:
            continue
        findings.append(
            Finding(
                code="identical_records",
                severity="info",
                message=_(
                    "{n} arrangementer «{title}» er like i alle kolonner og har ingen dato. "
                    "Hvis de er ulike møter, bør datoen skille dem."
                ).format(n=len(events), title=events[0].title),
                fix=_("Før inn datoen for hvert møte, eller slett registreringer som er dobbelt."),
                records=[ref("events", e) for e in events],
            )
        )
    return findings


def check_duplicate_presentations(data: YearData) -> list[Finding]:
    groups: dict[tuple[str, dt.date | None], list[Any]] = defaultdict(list)
    for item in data.records["presentations"]:
        groups[(fold(item.title), item.date)].append(item)
    return [
        Finding(
            code="probable_duplicate",
            severity="warning",
            message=_("{n} presentasjoner har samme tittel «{title}» og samme dato.").format(
                n=len(items), title=items[0].title
            ),
            fix=_("Slett den doble registreringen i NVA og importer presentasjonene på nytt."),
            records=[ref("presentations", p) for p in items],
        )
        for items in groups.values()
        if len(items) > 1 and items[0].date is not None
    ]


def check_dates(data: YearData) -> list[Finding]:
    """The same title with two dates close together is one thing dated two ways."""
    by_title: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for kind in TAGGED_KINDS:
        for record in data.records[kind]:
            title = fold(record_title(record))
            if title and record_date(record) is not None:
                by_title[title].append((kind, record))
    findings = []
    for items in by_title.values():
        dates = sorted({record_date(r) for _, r in items})  # type: ignore[type-var]
        if len(dates) < 2:
            continue
        span = (dates[-1] - dates[0]).days  # type: ignore[operator]
        if span > SAME_THING_DAYS:
            continue
        # Presentations of the same talk on consecutive days are a tour, not a conflict.
        kinds = {kind for kind, _ in items}
        if kinds == {"presentations"}:
            continue
        findings.append(
            Finding(
                code="date_mismatch",
                severity="warning",
                message=_("«{title}» er registrert med ulike datoer: {dates}.").format(
                    title=record_title(items[0][1]),
                    dates=", ".join(d.strftime("%d.%m.%Y") for d in dates),  # type: ignore[union-attr]
                ),
                fix=_("Finn riktig dato i kilden og rett de andre registreringene."),
                records=[ref(kind, r) for kind, r in items],
            )
        )
    return findings


def check_assessment_dates(data: YearData) -> list[Finding]:
    """A record's title quoted in assessment text next to a different date than registered."""
    pattern = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
    dated = [
        (kind, r, fold(record_title(r)))
        for kind in ("consultation_responses", "op_eds", "events", "media_appearances")
        for r in data.records[kind]
        if record_date(r) is not None and len(record_title(r)) >= 12
    ]
    findings = []
    for block in data.blocks:
        text = block.text
        if not text:
            continue
        folded = fold(text)
        mentioned = {m.group(0): m for m in pattern.finditer(text)}
        if not mentioned:
            continue
        for kind, record, title in dated:
            if title not in folded:
                continue
            date = record_date(record)
            for written, match in mentioned.items():
                try:
                    day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
                except ValueError:
                    continue
                if day != date and abs((day - date).days) <= SAME_THING_DAYS:  # type: ignore[operator]
                    findings.append(
                        Finding(
                            code="date_mismatch",
                            severity="warning",
                            message=_(
                                "Teksten «{block}» nevner «{title}» med datoen {written}, men "
                                "registreringen har {date}."
                            ).format(
                                block=str(block),
                                title=record_title(record),
                                written=written,
                                date=date.strftime("%d.%m.%Y"),  # type: ignore[union-attr]
                            ),
                            fix=_("Rett datoen i teksten eller i registreringen."),
                            records=[
                                ref(kind, record),
                                RecordRef(
                                    uid=str(block.uid), description=str(block), kind="text_slot"
                                ),
                            ],
                        )
                    )
    return findings


# The published figures the check compares that are not a registry's count.
PUBLISHED_LABELS = {
    "events_digital": lambda: _("Digitale arrangementer"),
    "events_physical": lambda: _("Fysiske arrangementer"),
    "municipalities_contacted": lambda: _("Kommuner med direkte kontakt"),
    "networks": lambda: _("Nettverk"),
    "networks_act_fact": lambda: _("Nettverk for teammodellene"),
    "web_visits": lambda: _("Besøk på nettstedet"),
    "videos": lambda: _("Filmer og videoer"),
}
# Published figures compared with a figure of the key-figures catalogue (published key →
# catalogue key); a figure whose records are missing counts as none registered.
PUBLISHED_CATALOGUE = {
    "networks": "networks",
    "networks_act_fact": "networks_team_models",
    "web_visits": "web_visits",
    "videos": "videos",
}


def published_label(key: str) -> str:
    """A published figure's name as the reader knows it («Arrangementer», not «events»)."""
    from .builder import KIND_LABELS

    label = KIND_LABELS.get(key) or PUBLISHED_LABELS.get(key)
    return label() if label else key


def check_published(data: YearData) -> list[Finding]:
    """Registered counts that differ from a figure published for the same year."""
    f = data.figures
    published = f["published"]
    computed: dict[str, int | float] = {key: f["counts"][key] for key in TAGGED_KINDS}
    computed["events_digital"] = f["events"]["by_format"].get("Digital", 0)
    computed["events_physical"] = f["events"]["by_format"].get("Fysisk", 0)
    computed["municipalities_contacted"] = f["municipalities_reached"]
    for published_key, key in PUBLISHED_CATALOGUE.items():
        if published_key in published:
            computed[published_key] = BY_KEY[key].compute(f) or 0
    qualifiers = f.get("published_qualifiers", {})
    findings = []
    for key, value in computed.items():
        if key not in published or agrees(qualifiers.get(key, "exact"), published[key], value):
            continue
        reason = (
            " " + _("Ingen slike registreringer finnes for året; tallet kan ikke kontrolleres.")
            if value == 0
            else ""
        )
        findings.append(
            Finding(
                code="published_mismatch",
                severity="warning",
                message=_(
                    "Publisert tall for «{key}» er {published}, men registeret gir {computed} "
                    "(differanse {difference})."
                ).format(
                    key=published_label(key),
                    published=qualified(qualifiers.get(key, "exact"), published[key]),
                    computed=value,
                    difference=value - published[key],
                )
                + reason,
                fix=_(
                    "Registrer det som mangler, eller rett det publiserte tallet hvis det talte "
                    "noe dobbelt; var det et anslag, importer det slik det står («over 50», "
                    "«ca. 130»)."
                ),
            )
        )
    return findings


def check_assignment_coverage(data: YearData) -> list[Finding]:
    """Assignments with no records, and records tagged to no assignment and no focus area."""
    tagged_ids: set[int] = set()
    untagged: dict[str, list[Any]] = defaultdict(list)
    for kind in TAGGED_KINDS:
        for record in data.records[kind]:
            tagged_ids.update(record.assignment_ids)
            if not record.assignment_ids and not record.focus_codes:
                untagged[kind].append(record)
    parents = {a.parent_id for a in data.assignments if a.parent_id}
    covered = set(tagged_ids)
    # a parent is covered when any descendant is
    by_id = {a.pk: a for a in data.assignments}
    for assignment_id in list(tagged_ids):
        node = by_id.get(assignment_id)
        while node is not None and node.parent_id:
            covered.add(node.parent_id)
            node = by_id.get(node.parent_id)
    findings = []
    empty = [a for a in data.assignments if a.pk not in covered]
    for assignment in empty:
        findings.append(
            Finding(
                code="assignment_without_records",
                severity="warning",
                message=_("Oppdrag {number} «{title}» har ingen registreringer i {year}.").format(
                    number=assignment.number, title=assignment.title, year=data.year
                )
                + (
                    " " + _("Heller ikke underoppdragene har det.")
                    if assignment.pk in parents
                    else ""
                ),
                fix=_(
                    "Knytt aktivitetene som hører til oppdraget til det (kolonnen «Oppdrag» i "
                    "importen), eller forklar i vurderingsteksten hvorfor det ikke var aktivitet."
                ),
                records=[
                    RecordRef(
                        uid=str(assignment.uid), description=str(assignment), kind="assignment"
                    )
                ],
            )
        )
    for kind, records in untagged.items():
        findings.append(
            Finding(
                code="untagged_records",
                severity="warning",
                message=ngettext(
                    "{n} registrering av typen «{kind}» er ikke knyttet til noe oppdrag "
                    "eller innsatsområde.",
                    "{n} registreringer av typen «{kind}» er ikke knyttet til noe oppdrag "
                    "eller innsatsområde.",
                    len(records),
                ).format(n=len(records), kind=records[0]._meta.verbose_name_plural),
                fix=_(
                    "Før inn oppdrag eller innsatsområde for hver registrering, så telles de med "
                    "i riktig kapittel."
                ),
                records=[ref(kind, r) for r in records],
            )
        )
    return findings


def free_text_slots(data: YearData) -> list[tuple[str, str, list[tuple[int | None, str, str]]]]:
    """The text slots outside chapters 1 and 3: 2a–2f, the references and each answer of
    the goal-achievement form, as ``(uid, place, slots)`` for ``check_assessments``."""
    from .builder import FOCUS_KINDS, questionnaire

    slots: list[tuple[str, str, list[tuple[int | None, str, str]]]] = [
        (
            f"focus:{area.code}",
            _("kapittel 2{letter} {title}").format(letter=area.code, title=area.name),
            [(None, f"focus:{area.code}", kind) for kind in FOCUS_KINDS],
        )
        for area in data.focus_areas
    ]
    slots.append(("references", _("referansene"), [(None, "references", "text")]))
    for index in range(1, len(questionnaire()) + 1):
        key = f"questionnaire:{index}"
        place = _("svaret på spørsmål {n} i måloppnåelsesskjemaet").format(n=index)
        slots.append((key, place, [(None, key, "questionnaire")]))
    return slots


def check_assessments(data: YearData) -> list[Finding]:
    """Chapters whose assessment text is missing or empty."""
    written = {(b.assignment_id, b.section_key, b.kind) for b in data.blocks if b.text.strip()}
    expected: list[tuple[str, str, list[tuple[int | None, str, str]]]] = []
    kinds = (
        AssessmentBlock.Kind.ACTIVITIES,
        AssessmentBlock.Kind.INVOLVEMENT,
        AssessmentBlock.Kind.RESULTS,
    )
    for assignment in data.assignments:
        expected.append(
            (
                str(assignment.uid),
                _("kapittel {number} {title}").format(
                    number=assignment.number, title=assignment.title
                ),
                [(assignment.pk, "", kind) for kind in kinds],
            )
        )
    expected.append(("foreword", _("forordet"), [(None, "foreword", "foreword")]))
    for letter in "abc":
        expected.append(
            (
                f"overall:{letter}",
                _("kapittel 1{letter}").format(letter=letter),
                [(None, f"overall:{letter}", "overall")],
            )
        )
    expected.extend(free_text_slots(data))
    findings = []
    for uid, place, slots in expected:
        missing = [slot for slot in slots if slot not in written]
        if not missing:
            continue
        findings.append(
            Finding(
                code="empty_assessment",
                severity="warning",
                message=_("Vurderingsteksten mangler i {place}: {kinds}.").format(
                    place=place,
                    kinds=", ".join(
                        str(AssessmentBlock.Kind(kind).label) for _, _, kind in missing
                    ),
                ),
                fix=_("Skriv teksten og sett status til «Klar» når den kan leses."),
                records=[RecordRef(uid=uid, description=place, kind="text_slot")],
            )
        )
    drafts = [b for b in data.blocks if b.text.strip() and b.status == AssessmentBlock.Status.DRAFT]
    if drafts:
        findings.append(
            Finding(
                code="draft_assessment",
                severity="info",
                message=ngettext(
                    "{n} vurderingstekst er fortsatt et utkast.",
                    "{n} vurderingstekster er fortsatt utkast.",
                    len(drafts),
                ).format(n=len(drafts)),
                fix=_("Les gjennom og sett status til «Klar» eller «Godkjent»."),
                records=[
                    RecordRef(uid=str(b.uid), description=str(b), kind="text_slot") for b in drafts
                ],
            )
        )
    return findings


def check_year(data: YearData) -> list[Finding]:
    """All record-level checks of one year (the tree adds its own)."""
    with translation.override("nb"):
        return [
            *check_duplicate_events(data),
            *check_identical_records(data),
            *check_duplicate_presentations(data),
            *check_dates(data),
            *check_assessment_dates(data),
            *check_published(data),
            *check_assignment_coverage(data),
            *check_assessments(data),
        ]


def run_checks(center: Center, year: int) -> list[Finding]:
    """Every finding for the year, as shown in the preview and by ``oppdrag check``."""
    from .builder import build_report

    return build_report(center, year, include_findings=False).findings
