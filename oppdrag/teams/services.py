"""Writes and results for teams, scales and fidelity reviews.

Every write validates first and saves in one transaction; a refused write raises
``django.core.exceptions.ValidationError`` with every problem in Norwegian and
leaves the database unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oppdrag.core.bulk import create_with_history
from oppdrag.core.models import Center, CityDistrict, Municipality, Organization, Region

from .agreement import AgreementReport, agreement_report
from .models import (
    ConsensusScore,
    FidelityReview,
    FidelityScale,
    FidelityScaleVersion,
    PilotProject,
    RaterScore,
    ReviewRater,
    ServiceTeam,
    TeamModelType,
    TeamStatus,
)
from .scales import Scale, ScaleError, ScaleResult, builtin_scale, check_scores, parse_scale, score

# --- scales ---------------------------------------------------------------------------


@transaction.atomic
def load_scale(
    *,
    center: Center,
    definition: Mapping[str, Any],
    model_type: TeamModelType | None = None,
) -> FidelityScaleVersion:
    """Register a scale version from its definition (validated first).

    Loading the same version again with the same definition is a no-op; a changed
    definition under an existing version number is refused, so a review always
    keeps the scale it was scored with.
    """
    try:
        scale = parse_scale(definition)
    except ScaleError as exc:
        raise ValidationError(exc.problems) from exc
    scale_row, _created = FidelityScale.objects.get_or_create(
        center=center, key=scale.key, defaults={"name": scale.name, "model_type": model_type}
    )
    existing = FidelityScaleVersion.objects.filter(scale=scale_row, version=scale.version).first()
    if existing is not None:
        if existing.definition == dict(definition):
            return existing
        if existing.definition is None or not existing.reviews.exists():
            existing.definition = dict(definition)
            existing.save(update_fields=["definition", "updated_at"])
            return existing
        raise ValidationError(
            _(
                "Versjon {version} av {name} er allerede brukt i målinger og kan ikke endres. "
                "Gi den nye definisjonen et nytt versjonsnummer."
            ).format(version=scale.version, name=scale.name)
        )
    return FidelityScaleVersion.objects.create(
        center=center, scale=scale_row, version=scale.version, definition=dict(definition)
    )


def load_builtin_scale(center: Center, key: str = "dacts") -> FidelityScaleVersion:
    """Register a scale shipped with Oppdrag (the DACTS) for a centre."""
    _scale, data = builtin_scale(key)
    act = TeamModelType.objects.filter(code="act").first() if key == "dacts" else None
    return load_scale(center=center, definition=data, model_type=act)


@transaction.atomic
def register_scale_version(
    *, center: Center, key: str, name: str, version: str, model_type: TeamModelType | None = None
) -> FidelityScaleVersion:
    """Register a licensed scale version whose definition is not (yet) loaded."""
    scale_row, _created = FidelityScale.objects.get_or_create(
        center=center, key=key, defaults={"name": name, "model_type": model_type}
    )
    version_row, _created = FidelityScaleVersion.objects.get_or_create(
        center=center, scale=scale_row, version=version, defaults={"definition": None}
    )
    return version_row


def find_scale_version(center: Center, key: str, version: str) -> FidelityScaleVersion:
    """The centre's version of a scale, or a ValidationError naming what exists."""
    found = (
        FidelityScaleVersion.objects.filter(center=center, scale__key=key, version=version)
        .select_related("scale")
        .first()
    )
    if found is not None:
        return found
    known = [
        f"{v.scale.key} {v.version}"
        for v in FidelityScaleVersion.objects.filter(center=center).select_related("scale")
    ]
    raise ValidationError(
        _("Ukjent skalaversjon «{key} {version}». Registrerte versjoner: {known}.").format(
            key=key, version=version, known=", ".join(known) or _("ingen")
        )
    )


# --- teams ----------------------------------------------------------------------------


@transaction.atomic
def create_team(
    *,
    center: Center,
    model_type: TeamModelType,
    name: str,
    status: str = TeamStatus.Status.ESTABLISHED,
    start_date: dt.date | None = None,
    municipalities: Iterable[Municipality] = (),
    districts: Iterable[CityDistrict] = (),
    organizations: Iterable[Organization] = (),
    region: Region | None = None,
    contact_organization: Organization | None = None,
    is_placeholder: bool = False,
    notes: str = "",
) -> ServiceTeam:
    """Register a team with its owners and its first status (from ``start_date``)."""
    municipalities, districts = list(municipalities), list(districts)
    if ServiceTeam.objects.filter(center=center, model_type=model_type, name=name).exists():
        raise ValidationError(
            _("Et {model}-team med navnet «{name}» er allerede registrert.").format(
                model=model_type, name=name
            )
        )
    if region is None:
        region = _region_of(municipalities, districts)
    team = ServiceTeam.objects.create(
        center=center,
        model_type=model_type,
        name=name,
        start_date=start_date,
        region=region,
        contact_organization=contact_organization,
        is_placeholder=is_placeholder,
        notes=notes,
    )
    team.municipalities.set(municipalities)
    team.districts.set(districts)
    team.organizations.set(list(organizations))
    if start_date is not None:
        TeamStatus.objects.create(center=center, team=team, status=status, valid_from=start_date)
    return team


def _region_of(
    municipalities: Sequence[Municipality], districts: Sequence[CityDistrict]
) -> Region | None:
    """The region all owners lie in, when there is exactly one."""
    region_ids = {m.county.region_id for m in municipalities} | {
        d.municipality.county.region_id for d in districts
    }
    if len(region_ids) == 1:
        return Region.objects.get(pk=region_ids.pop())
    return None


@transaction.atomic
def set_team_status(
    *, team: ServiceTeam, status: str, valid_from: dt.date, note: str = ""
) -> TeamStatus:
    """Record that the team has ``status`` from ``valid_from`` (e.g. closed 30 June)."""
    if status not in TeamStatus.Status.values:
        raise ValidationError(_("Ukjent teamstatus «{status}».").format(status=status))
    entry, _created = TeamStatus.objects.update_or_create(
        team=team,
        valid_from=valid_from,
        defaults={"center": team.center, "status": status, "note": note},
    )
    return entry


# --- the staff pages' writes: register, change, status, close -------------------------


def _by(obj: Any, user: Any) -> Any:
    """Attribute the history entry the next save writes to ``user`` (when signed in)."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


@dataclass
class TeamData:
    """A team as entered in the form (or any other source): what ``register_team`` and
    ``change_team`` take. ``status`` is the first status, used only when registering."""

    model_type: TeamModelType
    name: str
    start_date: dt.date | None = None
    status: str = TeamStatus.Status.ESTABLISHED
    municipalities: Sequence[Municipality] = ()
    districts: Sequence[CityDistrict] = ()
    organizations: Sequence[Organization] = ()
    contact_organization: Organization | None = None
    notes: str = ""


def _team_problems(center: Center, data: TeamData, team: ServiceTeam | None) -> dict[str, list]:
    problems: dict[str, list] = defaultdict(list)
    name = data.name.strip()
    if not name:
        problems["name"].append(_("Teamet må ha et navn."))
    elif len(name) > 200:
        problems["name"].append(_("Navnet kan ha høyst 200 tegn."))
    else:
        same = ServiceTeam.objects.filter(center=center, model_type=data.model_type, name=name)
        if team is not None:
            same = same.exclude(pk=team.pk)
        if same.exists():
            problems["name"].append(
                _("Et {model}-team med navnet «{name}» er allerede registrert.").format(
                    model=data.model_type, name=name
                )
            )
    if team is None and data.status not in TeamStatus.Status.values:
        problems["status"].append(_("Ukjent teamstatus «{status}».").format(status=data.status))
    if team is None and data.status == TeamStatus.Status.CLOSED:
        problems["status"].append(_("Et nytt team kan ikke registreres som avviklet."))
    return problems


@transaction.atomic
def register_team(*, center: Center, user: Any = None, data: TeamData) -> ServiceTeam:
    """Register a team with its owners and, from its start date, its first status.

    Refused (a ValidationError by field, nothing saved) for a missing or duplicate
    name or an unknown or closed first status.
    """
    problems = _team_problems(center, data, None)
    if problems:
        raise ValidationError(dict(problems))
    team = _by(
        ServiceTeam(
            center=center,
            model_type=data.model_type,
            name=data.name.strip(),
            start_date=data.start_date,
            region=_region_of(list(data.municipalities), list(data.districts)),
            contact_organization=data.contact_organization,
            notes=data.notes,
        ),
        user,
    )
    team.save()
    team.municipalities.set(list(data.municipalities))
    team.districts.set(list(data.districts))
    team.organizations.set(list(data.organizations))
    if data.start_date is not None:
        _by(
            TeamStatus(center=center, team=team, status=data.status, valid_from=data.start_date),
            user,
        ).save()
    return team


@transaction.atomic
def change_team(*, team: ServiceTeam, user: Any = None, data: TeamData) -> ServiceTeam:
    """Change a team's name, model, owners, start date, contact and notes.

    A start date after the team's first review, or after a later status change, is
    refused; the status entry that began at the old start date moves with it.
    """
    problems = _team_problems(team.center, data, team)
    statuses = list(team.statuses.order_by("valid_from"))
    first = statuses[0] if statuses and statuses[0].valid_from == team.start_date else None
    if data.start_date is not None:
        later = [s for s in statuses if s is not first and s.valid_from <= data.start_date]
        if later:
            problems["start_date"].append(
                _("Startdatoen kan ikke være etter statusendringen {date} ({status}).").format(
                    date=later[0].valid_from.strftime("%d.%m.%Y"),
                    status=later[0].get_status_display(),
                )
            )
        earliest = team.reviews.order_by("date").values_list("date", flat=True).first()
        if earliest is not None and earliest < data.start_date:
            problems["start_date"].append(
                _("Teamet har en fidelitymåling {date}, før den nye startdatoen.").format(
                    date=earliest.strftime("%d.%m.%Y")
                )
            )
    if problems:
        raise ValidationError(dict(problems))
    team.model_type = data.model_type
    team.name = data.name.strip()
    old_start, team.start_date = team.start_date, data.start_date
    team.region = _region_of(list(data.municipalities), list(data.districts))
    team.contact_organization = data.contact_organization
    team.notes = data.notes
    _by(team, user).save()
    team.municipalities.set(list(data.municipalities))
    team.districts.set(list(data.districts))
    team.organizations.set(list(data.organizations))
    if first is not None and data.start_date is not None and data.start_date != old_start:
        first.valid_from = data.start_date
        _by(first, user).save()
    elif first is None and not statuses and data.start_date is not None:
        _by(
            TeamStatus(
                center=team.center,
                team=team,
                status=TeamStatus.Status.ESTABLISHED,
                valid_from=data.start_date,
            ),
            user,
        ).save()
    return team


@transaction.atomic
def change_team_status(
    *, team: ServiceTeam, user: Any = None, status: str, valid_from: dt.date | None, note: str = ""
) -> TeamStatus:
    """Record a new status from a date after the team's latest status (or start).

    Refused for an unknown status, a missing date, a date on or before the latest
    status entry or the start date, the status the team already has, or any
    change to a closed team.
    """
    problems: dict[str, list] = defaultdict(list)
    if status not in TeamStatus.Status.values:
        problems["status"].append(_("Ukjent teamstatus «{status}».").format(status=status))
    latest = team.statuses.order_by("-valid_from").first()
    if latest is not None and latest.status == TeamStatus.Status.CLOSED:
        problems["status"].append(
            _("Teamet ble avviklet {date}; en avviklet status kan ikke endres her.").format(
                date=latest.valid_from.strftime("%d.%m.%Y")
            )
        )
    elif latest is not None and latest.status == status:
        problems["status"].append(
            _("Teamet har allerede status «{status}».").format(status=latest.get_status_display())
        )
    if valid_from is None:
        problems["valid_from"].append(_("Datoen mangler."))
    elif latest is not None and valid_from <= latest.valid_from:
        problems["valid_from"].append(
            _("Datoen må være etter siste status ({status} fra {date}).").format(
                status=latest.get_status_display(), date=latest.valid_from.strftime("%d.%m.%Y")
            )
        )
    elif team.start_date is not None and valid_from < team.start_date:
        problems["valid_from"].append(
            _("Datoen er før teamets startdato {date}.").format(
                date=team.start_date.strftime("%d.%m.%Y")
            )
        )
    if len(note) > 300:
        problems["note"].append(_("Merknaden kan ha høyst 300 tegn."))
    if problems:
        raise ValidationError(dict(problems))
    assert valid_from is not None
    entry = _by(
        TeamStatus(center=team.center, team=team, status=status, valid_from=valid_from, note=note),
        user,
    )
    entry.save()
    return entry


def close_team(
    *, team: ServiceTeam, user: Any = None, closed_on: dt.date | None, note: str = ""
) -> TeamStatus:
    """Close (avvikle) a team from ``closed_on``; refused before its latest status."""
    return change_team_status(
        team=team, user=user, status=TeamStatus.Status.CLOSED, valid_from=closed_on, note=note
    )


@dataclass
class PilotData:
    """A pilot project as entered: what ``register_pilot`` and ``change_pilot`` take."""

    model_type: TeamModelType
    name: str
    grant_years: Sequence[int] = ()
    municipalities: Sequence[Municipality] = ()
    organizations: Sequence[Organization] = ()
    outcome: str = PilotProject.Outcome.ONGOING
    ended_on: dt.date | None = None
    team: ServiceTeam | None = None


def _pilot_problems(center: Center, data: PilotData, pilot: PilotProject | None) -> dict:
    problems: dict[str, list] = defaultdict(list)
    name = data.name.strip()
    if not name:
        problems["name"].append(_("Forprosjektet må ha et navn."))
    elif len(name) > 200:
        problems["name"].append(_("Navnet kan ha høyst 200 tegn."))
    else:
        same = PilotProject.objects.filter(center=center, model_type=data.model_type, name=name)
        if pilot is not None:
            same = same.exclude(pk=pilot.pk)
        if same.exists():
            problems["name"].append(
                _("Et {model}-forprosjekt med navnet «{name}» er allerede registrert.").format(
                    model=data.model_type, name=name
                )
            )
    bad_years = [y for y in data.grant_years if not 2000 <= y <= 2100]
    if bad_years:
        problems["grant_years"].append(
            _("Tilskuddsår må ligge mellom 2000 og 2100, ikke {years}.").format(
                years=", ".join(str(y) for y in bad_years)
            )
        )
    if data.outcome not in PilotProject.Outcome.values:
        problems["outcome"].append(_("Ukjent utfall «{outcome}».").format(outcome=data.outcome))
    elif data.outcome == PilotProject.Outcome.BECAME_TEAM and data.team is None:
        problems["team"].append(_("Et forprosjekt som ble team, må vise til teamet."))
    elif data.outcome == PilotProject.Outcome.ONGOING and data.ended_on is not None:
        problems["ended_on"].append(_("Et forprosjekt som pågår, har ingen sluttdato."))
    elif data.outcome != PilotProject.Outcome.ONGOING and data.ended_on is None:
        problems["ended_on"].append(_("Oppgi når forprosjektet ble avsluttet."))
    if data.team is not None and data.team.center_id != center.pk:
        problems["team"].append(_("Teamet tilhører et annet senter."))
    if (
        data.ended_on is not None
        and data.grant_years
        and data.ended_on.year < min(data.grant_years)
    ):
        problems["ended_on"].append(
            _("Sluttdatoen er før første tilskuddsår ({year}).").format(year=min(data.grant_years))
        )
    return problems


def _save_pilot(pilot: PilotProject, data: PilotData, user: Any) -> PilotProject:
    pilot.model_type = data.model_type
    pilot.name = data.name.strip()
    pilot.grant_years = sorted(set(data.grant_years))
    pilot.region = _region_of(list(data.municipalities), [])
    pilot.outcome = data.outcome
    pilot.ended_on = data.ended_on
    pilot.team = data.team
    _by(pilot, user).save()
    pilot.municipalities.set(list(data.municipalities))
    pilot.organizations.set(list(data.organizations))
    return pilot


@transaction.atomic
def register_pilot(*, center: Center, user: Any = None, data: PilotData) -> PilotProject:
    """Register a pilot project (forprosjekt); refused by field, nothing saved, for a
    missing or duplicate name, a grant year out of range, or an outcome that does not
    fit its end date and team."""
    problems = _pilot_problems(center, data, None)
    if problems:
        raise ValidationError(dict(problems))
    return _save_pilot(PilotProject(center=center), data, user)


@transaction.atomic
def change_pilot(*, pilot: PilotProject, user: Any = None, data: PilotData) -> PilotProject:
    """Change a pilot project; the same checks as ``register_pilot``."""
    problems = _pilot_problems(pilot.center, data, pilot)
    if problems:
        raise ValidationError(dict(problems))
    return _save_pilot(pilot, data, user)


class StatusEntry(Protocol):
    """What ``status_at`` reads of a status entry (a ``TeamStatus`` or a plain row)."""

    @property
    def status(self) -> str: ...

    @property
    def valid_from(self) -> dt.date: ...


Entry = TypeVar("Entry", bound=StatusEntry)


def status_at(statuses: Iterable[Entry], at: dt.date) -> str | None:
    """The status in force on ``at`` from a team's status entries (any order)."""
    current: Entry | None = None
    for entry in statuses:
        if entry.valid_from <= at and (current is None or entry.valid_from > current.valid_from):
            current = entry
    return current.status if current else None


@transaction.atomic
def create_pilot_project(
    *,
    center: Center,
    model_type: TeamModelType,
    name: str,
    grant_years: Sequence[int],
    municipalities: Iterable[Municipality] = (),
    organizations: Iterable[Organization] = (),
    region: Region | None = None,
    outcome: str = PilotProject.Outcome.ONGOING,
    ended_on: dt.date | None = None,
    team: ServiceTeam | None = None,
    is_placeholder: bool = False,
) -> PilotProject:
    """Register a pilot project (forprosjekt) and, when known, the team it became."""
    if outcome == PilotProject.Outcome.BECAME_TEAM and team is None:
        raise ValidationError(_("Et forprosjekt som ble team, må vise til teamet."))
    municipalities = list(municipalities)
    project = PilotProject.objects.create(
        center=center,
        model_type=model_type,
        name=name,
        grant_years=sorted(set(grant_years)),
        region=region or _region_of(municipalities, []),
        outcome=outcome,
        ended_on=ended_on,
        team=team,
        is_placeholder=is_placeholder,
    )
    project.municipalities.set(municipalities)
    project.organizations.set(list(organizations))
    return project


# --- reviews --------------------------------------------------------------------------


@dataclass
class RaterInput:
    """One rater's part of a review as entered: who, from where, and the scores."""

    name: str
    organization: Organization | None = None
    role: str = ReviewRater.Role.RATER
    scores: Mapping[str, float | Decimal | None] = field(default_factory=dict)


def _scale_of(version: FidelityScaleVersion) -> Scale | None:
    return None if version.definition is None else parse_scale(version.definition)


@dataclass
class ReviewInput:
    """What a review's form (or a caller) gives: everything but the team and the scale."""

    date: dt.date
    raters: Sequence[RaterInput] = ()
    consensus: Mapping[str, float | Decimal | None] | None = None
    comments: Mapping[str, str] | None = None
    agreement_signed_on: dt.date | None = None
    dpo_approved_on: dt.date | None = None
    status: str = FidelityReview.Status.PLANNED
    follow_up: str = ""
    shared_with: Iterable[Center] = ()


def _review_problems(
    team: ServiceTeam, version: FidelityScaleVersion, data: ReviewInput
) -> list[str]:
    """Every reason to refuse the review, as ``record_review`` documents them."""
    problems: list[str] = []
    status, date, raters = data.status, data.date, data.raters
    consensus, comments = data.consensus, data.comments
    if status not in FidelityReview.Status.values:
        problems.append(_("Ukjent status «{status}».").format(status=status))
    if team.start_date is not None and date < team.start_date:
        problems.append(
            _("Målingen er datert {date}, før teamet startet {start}.").format(
                date=date.strftime("%d.%m.%Y"), start=team.start_date.strftime("%d.%m.%Y")
            )
        )
    if status != FidelityReview.Status.PLANNED:
        problems.extend(_precondition_problems(data.agreement_signed_on, data.dpo_approved_on))
    scale = _scale_of(version)
    has_scores = any(r.scores for r in raters) or bool(consensus) or bool(comments)
    if scale is None and has_scores:
        problems.append(
            _(
                "Definisjonen av {scale} {version} er ikke lastet; skårer kan ikke registreres."
            ).format(scale=version.scale.name, version=version.version)
        )
    names: set[str] = set()
    for rater in raters:
        if not rater.name.strip():
            problems.append(_("En bedømmer mangler navn."))
        if rater.name in names:
            problems.append(_("Bedømmeren «{name}» står to ganger.").format(name=rater.name))
        names.add(rater.name)
        if scale is not None and rater.scores:
            problems.extend(
                _("Bedømmer «{name}»: {problem}").format(name=rater.name, problem=problem)
                for problem in check_scores(scale, rater.scores, complete=True)
            )
    if scale is not None and consensus:
        problems.extend(
            _("Konsensus: {problem}").format(problem=problem)
            for problem in check_scores(
                scale, consensus, complete=status == FidelityReview.Status.COMPLETED
            )
        )
    if scale is not None and comments:
        unknown = [code for code in comments if scale.item(code) is None]
        if unknown:
            problems.append(
                _("Kommentarer til indikatorer skalaen ikke har: {codes}.").format(
                    codes=", ".join(unknown)
                )
            )
    return problems


def _save_scores(review: FidelityReview, data: ReviewInput, user: Any) -> None:
    """The review's raters with their scores, and the consensus with its comments."""
    center = review.center
    for rater in data.raters:
        rater_row = _by(
            ReviewRater(
                center=center,
                review=review,
                name=rater.name.strip(),
                organization=rater.organization,
                role=rater.role,
            ),
            user,
        )
        rater_row.save()
        create_with_history(
            RaterScore,
            [
                {"item_code": code, "score": Decimal(str(value))}
                for code, value in rater.scores.items()
                if value is not None
            ],
            fixed={"center": center, "rater": rater_row},
            user=user,
        )
    consensus, comments = data.consensus or {}, data.comments or {}
    codes = list(dict.fromkeys([*consensus, *comments]))
    create_with_history(
        ConsensusScore,
        [
            {
                "item_code": code,
                "score": None if consensus.get(code) is None else Decimal(str(consensus[code])),
                "comment": comments.get(code, ""),
            }
            for code in codes
        ],
        fixed={"center": center, "review": review},
        user=user,
    )


def _remove_scores(review: FidelityReview, user: Any) -> None:
    """Delete the review's raters, their scores and the consensus, each in its history."""
    for row in [
        *RaterScore.objects.filter(rater__review=review),
        *review.raters.all(),
        *review.consensus.all(),
    ]:
        _by(row, user).delete()


@transaction.atomic
def record_review(
    *,
    center: Center,
    team: ServiceTeam,
    date: dt.date,
    scale_version: FidelityScaleVersion | tuple[str, str],
    raters: Sequence[RaterInput] = (),
    consensus: Mapping[str, float | Decimal | None] | None = None,
    comments: Mapping[str, str] | None = None,
    agreement_signed_on: dt.date | None = None,
    dpo_approved_on: dt.date | None = None,
    status: str = FidelityReview.Status.PLANNED,
    follow_up: str = "",
    shared_with: Iterable[Center] = (),
    is_demo: bool = False,
    user: Any = None,
) -> FidelityReview:
    """Record a review with its raters' independent scores and the consensus.

    Refused as a whole (ValidationError listing every problem) when the scale
    version is unknown, a score lies outside the scale or names an item the scale
    lacks, a rater left an item without score, the consensus is incomplete, or the
    review is started or completed without a signed cooperation agreement and the
    data-protection officer's approval, or the review is dated before the team started.
    """
    if isinstance(scale_version, tuple):
        scale_version = find_scale_version(center, *scale_version)
    elif scale_version.center_id != center.pk:
        raise ValidationError(_("Skalaversjonen tilhører et annet senter."))
    if team.center_id != center.pk:
        raise ValidationError(_("Teamet tilhører et annet senter."))
    data = ReviewInput(
        date=date,
        raters=raters,
        consensus=consensus,
        comments=comments,
        agreement_signed_on=agreement_signed_on,
        dpo_approved_on=dpo_approved_on,
        status=status,
        follow_up=follow_up,
        shared_with=shared_with,
    )
    problems = _review_problems(team, scale_version, data)
    if problems:
        raise ValidationError(problems)

    review = _by(
        FidelityReview(
            center=center,
            team=team,
            date=date,
            scale_version=scale_version,
            status=status,
            agreement_signed_on=agreement_signed_on,
            dpo_approved_on=dpo_approved_on,
            follow_up=follow_up,
            is_demo=is_demo,
        ),
        user,
    )
    review.save()
    review.shared_with.set([c for c in shared_with if c.pk != center.pk])
    _save_scores(review, data, user)
    return review


@transaction.atomic
def change_review(review: FidelityReview, *, data: ReviewInput, user: Any = None) -> FidelityReview:
    """Change a review: its dates, status, raters, scores, comments and sharing, checked
    as ``record_review`` checks a new one (the team and the scale stay). The raters and
    scores are replaced; every row's history keeps what it was and who changed it.
    """
    problems = _review_problems(review.team, review.scale_version, data)
    if problems:
        raise ValidationError(problems)
    review.date = data.date
    review.status = data.status
    review.agreement_signed_on = data.agreement_signed_on
    review.dpo_approved_on = data.dpo_approved_on
    review.follow_up = data.follow_up
    _by(review, user).save()
    review.shared_with.set([c for c in data.shared_with if c.pk != review.center_id])
    _remove_scores(review, user)
    _save_scores(review, data, user)
    return review


DELETED_REVIEWS = "malinger"  # the kind a deleted review is listed under


def review_snapshot(review: FidelityReview) -> dict[str, Any]:
    """What the review's own history does not keep: its raters with their scores, the
    consensus with its comments, and the centres it was shared with."""
    return {
        "shared_with": sorted(review.shared_with.values_list("slug", flat=True)),
        "raters": [
            {
                "name": rater.name,
                "organization": rater.organization.name if rater.organization else None,
                "role": rater.role,
                "scores": {s.item_code: str(s.score) for s in rater.scores.order_by("item_code")},
            }
            for rater in review.raters.select_related("organization").order_by("pk")
        ],
        "consensus": [
            {
                "code": c.item_code,
                "score": None if c.score is None else str(c.score),
                "comment": c.comment,
            }
            for c in review.consensus.order_by("pk")
        ],
    }


@transaction.atomic
def delete_review(review: FidelityReview, *, user: Any = None) -> Any:
    """Delete a review with its raters and scores, after writing them down so that
    ``restore_review`` can bring it back; returns the ``Deletion``."""
    from oppdrag.activities.models import Deletion

    deletion = Deletion.objects.create(
        center=review.center,
        model=review._meta.label_lower,
        record_uid=review.uid,
        kind=DELETED_REVIEWS,
        title=str(review)[:500],
        year=review.date.year,
        links=review_snapshot(review),
        deleted_by=user if getattr(user, "pk", None) else None,
    )
    _remove_scores(review, user)
    _by(review, user).delete()
    return deletion


@transaction.atomic
def restore_review(deletion: Any, *, user: Any = None) -> FidelityReview:
    """Bring a deleted review back as it was, with the same id, raters and scores.

    Refused (ValidationError) if it is back already, its history is gone, or its team
    or scale version has been deleted since.
    """
    from oppdrag.activities.services import deletion_row

    last = deletion_row(
        deletion,
        FidelityReview,
        back_already=_("Målingen er allerede gjenopprettet."),
        no_history=_("Historikken for målingen mangler, så den kan ikke gjenopprettes."),
    )
    review: FidelityReview = last.instance
    if not ServiceTeam.objects.filter(pk=review.team_id).exists():
        raise ValidationError(
            _("Teamet målingen gjaldt, er slettet, så den kan ikke gjenopprettes.")
        )
    if not FidelityScaleVersion.objects.filter(pk=review.scale_version_id).exists():
        raise ValidationError(_("Skalaversjonen målingen brukte, er slettet."))
    _by(review, user).save(force_insert=True)
    FidelityReview.objects.filter(pk=review.pk).update(created_at=last.created_at)
    links = deletion.links
    review.shared_with.set(Center.objects.filter(slug__in=links.get("shared_with", [])))
    organizations = Organization.objects.in_bulk(
        [r["organization"] for r in links.get("raters", []) if r["organization"]],
        field_name="name",
    )
    consensus = {c["code"]: c["score"] for c in links.get("consensus", [])}
    data = ReviewInput(
        date=review.date,
        raters=[
            RaterInput(
                name=r["name"],
                organization=organizations.get(r["organization"]),
                role=r["role"],
                scores={code: Decimal(value) for code, value in r["scores"].items()},
            )
            for r in links.get("raters", [])
        ],
        consensus={k: None if v is None else Decimal(v) for k, v in consensus.items()},
        comments={c["code"]: c["comment"] for c in links.get("consensus", []) if c["comment"]},
    )
    _save_scores(review, data, user)
    deletion.restored_at = timezone.now()
    deletion.save(update_fields=["restored_at"])
    return review


def _precondition_problems(agreement: dt.date | None, approval: dt.date | None) -> list[str]:
    problems = []
    if agreement is None:
        problems.append(
            _("Målingen kan ikke starte før samarbeidsavtalen med teamets eiere er signert.")
        )
    if approval is None:
        problems.append(
            _("Målingen kan ikke starte før personvernombudet har gitt sin tilrådning.")
        )
    return problems


@transaction.atomic
def start_review(review: FidelityReview) -> FidelityReview:
    """Move a planned review to started; refused until both preconditions are recorded."""
    problems = _precondition_problems(review.agreement_signed_on, review.dpo_approved_on)
    if problems:
        raise ValidationError(problems)
    review.status = FidelityReview.Status.STARTED
    review.save(update_fields=["status", "updated_at"])
    return review


@transaction.atomic
def share_review(review: FidelityReview, centers: Iterable[Center]) -> None:
    """Let partner centres see a review (adds to those already shared with)."""
    review.shared_with.add(*[c for c in centers if c.pk != review.center_id])


# --- results --------------------------------------------------------------------------


def reviews_with_scores(queryset: QuerySet[FidelityReview]) -> QuerySet[FidelityReview]:
    """Reviews with everything the results need, in a fixed number of queries."""
    return queryset.select_related(
        "team", "team__model_type", "team__region", "scale_version", "scale_version__scale"
    ).prefetch_related(
        "consensus",
        Prefetch("raters", queryset=ReviewRater.objects.order_by("pk").prefetch_related("scores")),
    )


def consensus_scores(review: FidelityReview) -> dict[str, Decimal | None]:
    return {c.item_code: c.score for c in review.consensus.all()}


def review_result(review: FidelityReview) -> ScaleResult | None:
    """Item, section and total scores and the level, from the consensus scores."""
    scale = _scale_of(review.scale_version)
    if scale is None:
        return None
    return score(scale, consensus_scores(review))


def rater_matrix(review: FidelityReview) -> tuple[list[str], list[str], list[list[float | None]]]:
    """(item codes, rater names, scores by item and rater) for the agreement statistics."""
    scale = _scale_of(review.scale_version)
    raters = [r for r in review.raters.all() if r.scores.all()]
    codes = (
        scale.item_codes if scale else sorted({s.item_code for r in raters for s in r.scores.all()})
    )
    by_rater = [{s.item_code: float(s.score) for s in r.scores.all()} for r in raters]
    matrix = [[scores.get(code) for scores in by_rater] for code in codes]
    return codes, [r.name for r in raters], matrix


def review_agreement(review: FidelityReview) -> AgreementReport | None:
    """Agreement between the review's raters (None with fewer than two raters)."""
    _codes, names, matrix = rater_matrix(review)
    if len(names) < 2:
        return None
    scale = _scale_of(review.scale_version)
    categories = None
    if scale is not None and scale.step == 1:
        categories = [scale.minimum + i for i in range(int(scale.maximum - scale.minimum) + 1)]
    return agreement_report(matrix, names, categories=categories)


@dataclass
class HistoryPoint:
    date: dt.date
    scale: str
    total: float | None
    level: str
    sections: dict[str, float | None]


def team_history(team: ServiceTeam) -> list[HistoryPoint]:
    """The team's reviews in date order with their totals: the data of its chart."""
    points = []
    for review in reviews_with_scores(team.reviews.order_by("date")):
        result = review_result(review)
        points.append(
            HistoryPoint(
                date=review.date,
                scale=str(review.scale_version),
                total=result.total if result else None,
                level=result.level if result else "",
                sections={s.code: s.mean for s in result.sections} if result else {},
            )
        )
    return points


def compare_with_previous(review: FidelityReview) -> dict[str, Any] | None:
    """Differences from the team's previous review with the same scale, by item,
    section and total; None when there is no earlier review."""
    previous = (
        reviews_with_scores(
            FidelityReview.objects.filter(
                team=review.team,
                scale_version__scale=review.scale_version.scale,
                date__lt=review.date,
            )
        )
        .order_by("-date")
        .first()
    )
    if previous is None:
        return None
    now, before = review_result(review), review_result(previous)
    if now is None or before is None:
        return None

    def diff(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else round(a - b, 2)

    return {
        "previous_date": previous.date.isoformat(),
        "total": diff(now.total, before.total),
        "sections": {
            s.code: diff(s.mean, p.mean)
            for s, p in zip(now.sections, before.sections, strict=False)
        },
        "items": {code: diff(v, before.items.get(code)) for code, v in now.items.items()},
    }


def review_summary(reviews: QuerySet[FidelityReview]) -> dict[str, Any]:
    """National or regional summary of scored reviews: the distribution of totals by
    level and by half-point bands, per region, and the items most often below the
    scale's low mark (for DACTS: below 3), by scale."""
    by_scale: dict[str, dict[str, Any]] = {}
    for review in reviews_with_scores(reviews):
        result = review_result(review)
        if result is None or result.total is None:
            continue
        scale = review.scale_version
        entry = by_scale.setdefault(
            f"{scale.scale.key} {scale.version}",
            {
                "reviews": 0,
                "levels": Counter(),
                "bands": Counter(),
                "regions": defaultdict(list),
                "low_items": Counter(),
                "item_names": {i.code: i.name for i in parse_scale(scale.definition).items},
            },
        )
        entry["reviews"] += 1
        entry["levels"][result.level] += 1
        band = int(result.total * 2) / 2
        entry["bands"][f"{band:.1f}"] += 1
        region = review.team.region.name if review.team.region else _("Ikke oppgitt")
        entry["regions"][region].append(result.total)
        entry["low_items"].update(result.low_items)
    summary: dict[str, Any] = {}
    for key, entry in by_scale.items():
        names = entry["item_names"]
        summary[key] = {
            "reviews": entry["reviews"],
            "levels": dict(entry["levels"]),
            "bands": dict(sorted(entry["bands"].items())),
            "regions": {
                region: {"reviews": len(totals), "mean_total": round(sum(totals) / len(totals), 2)}
                for region, totals in sorted(entry["regions"].items())
            },
            "items_most_often_low": [
                {"code": code, "name": names.get(code, code), "reviews": count}
                for code, count in entry["low_items"].most_common(10)
            ],
        }
    return summary
