"""The team registry's figures at a date, for the key figures under ``teams``.

Everything is read in a fixed number of queries and counted in Python, so the
query count does not grow with the number of teams.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Q, Value
from django.utils.translation import gettext as _

from oppdrag.core.models import Center, Municipality
from oppdrag.core.parsing import fold
from oppdrag.core.prepared import PreparedQuery

from .models import (
    ConsensusScore,
    FidelityReview,
    FidelityScaleVersion,
    PilotProject,
    ServiceTeam,
    TeamModelType,
    TeamStatus,
)
from .scales import parse_scale, score
from .services import status_at

EXISTING = {TeamStatus.Status.ESTABLISHED, TeamStatus.Status.PAUSED}


class _Team(NamedTuple):
    """What the figures read of a team, as one row of a values query."""

    pk: int
    name: str
    start_date: dt.date | None
    is_placeholder: bool
    kind: str  # the model type's name
    region_id: int | None
    region_name: str | None


class _Status(NamedTuple):
    """A team's status entry, as ``status_at`` reads it."""

    status: str
    valid_from: dt.date


# The registry's queries, compiled once per database (see oppdrag.core.prepared): the
# report and the dashboard read them on every build.
_MODEL_TYPES = PreparedQuery("team model types", lambda: TeamModelType.objects.values_list("name"))
# Plain rows in the model's order: a few hundred teams as model instances (with their
# model type and region) cost more than everything else here.
_TEAMS = PreparedQuery(
    "teams",
    lambda center_id: ServiceTeam.objects.filter(center_id=center_id).values_list(
        "pk",
        "name",
        "start_date",
        "is_placeholder",
        "model_type__name",
        "region_id",
        "region__name",
    ),
    int,
)
# Each team's status entries, grouped in Python rather than by prefetch_related, which
# builds a queryset per team (most of this function's time with a few hundred teams).
_STATUSES = PreparedQuery(
    "team statuses",
    lambda center_id: (
        TeamStatus.objects.filter(team__center_id=center_id)
        .order_by("team", "valid_from")
        .values_list("team_id", "status", "valid_from")
    ),
    int,
)
# Each team's municipalities (0) and city districts (1), in one statement.
_PLACES = PreparedQuery(
    "team places",
    lambda center_id: (
        ServiceTeam.municipalities.through.objects.filter(serviceteam__center_id=center_id)
        .order_by()
        .values_list("serviceteam_id", "municipality_id", Value(0))
        .union(
            ServiceTeam.districts.through.objects.filter(serviceteam__center_id=center_id)
            .order_by()
            .values_list("serviceteam_id", "citydistrict_id", Value(1)),
            all=True,
        )
    ),
    int,
)
_MUNICIPALITIES = PreparedQuery(
    "municipalities in force",
    lambda at: Municipality.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=at),
        Q(valid_to__isnull=True) | Q(valid_to__gte=at),
    ).values_list("pk", "county__name"),
    dt.date,
)
_PILOTS = PreparedQuery(
    "pilot projects",
    lambda center_id: PilotProject.objects.filter(center_id=center_id).values_list(
        "model_type__name", "grant_years", "ended_on", "outcome"
    ),
    int,
)
_REVIEWS = PreparedQuery(
    "fidelity reviews",
    lambda center_id, start, end: (
        FidelityReview.objects.filter(center_id=center_id, date__range=(start, end))
        .order_by("date", "team__name", "pk")
        .values_list(
            "pk",
            "date",
            "team__name",
            "team__model_type__name",
            "scale_version_id",
            "scale_version__scale__name",
            "scale_version__version",
        )
    ),
    int,
    dt.date,
    dt.date,
)
# The consensus scores of the same reviews, and the definitions of the centre's scale
# versions: the item and total scores of every review, whatever their number.
_CONSENSUS = PreparedQuery(
    "fidelity consensus scores",
    lambda center_id, start, end: (
        ConsensusScore.objects.filter(
            review__center_id=center_id, review__date__range=(start, end), score__isnull=False
        )
        .order_by()
        .values_list("review_id", "item_code", "score")
    ),
    int,
    dt.date,
    dt.date,
)
_SCALES = PreparedQuery(
    "fidelity scale definitions",
    lambda center_id: FidelityScaleVersion.objects.filter(
        center_id=center_id, definition__isnull=False
    ).values_list("pk", "definition"),
    int,
)


def _exists(team: _Team, statuses: list[_Status], at: dt.date) -> bool:
    """A team exists on ``at`` when its status then is established or paused; a team
    without any status entries exists from its start date (or always, if unknown)."""
    if not statuses:
        return team.start_date is None or team.start_date <= at
    return status_at(statuses, at) in EXISTING


def _started_on(team: _Team, statuses: list[_Status]) -> dt.date | None:
    established = [s.valid_from for s in statuses if s.status == TeamStatus.Status.ESTABLISHED]
    return min(established) if established else team.start_date


def _closed_on(statuses: list[_Status]) -> dt.date | None:
    closed = [s.valid_from for s in statuses if s.status == TeamStatus.Status.CLOSED]
    return max(closed) if closed else None


def model_type_names() -> list[str]:
    """The team model types' names in their order (one query)."""
    return [name for (name,) in _MODEL_TYPES.rows()]


def team_figures(
    center: Center,
    year: int,
    at: dt.date | None = None,
    *,
    advice_teams: Iterable[str] | None = None,
    review_scores: bool = False,
    model_types: list[str] | None = None,
) -> dict[str, Any]:
    """Teams, coverage, pilot projects and fidelity reviews of one centre's registry.

    ``at`` (default: 31 December of ``year``) is the date the registry is read at: a
    team closed on 30 June counts on 29 June, not on 1 July. Started and closed
    count the events within ``year``. Municipalities are counted once per model
    however many teams they own. ``advice_teams`` is the ``team`` of each of the
    year's advice requests, when the caller has them already (the report does).
    ``review_scores`` adds each scored review's total and item scores under
    ``fidelity_reviews.scores`` (two more queries; the key figures ask for them, the
    report and its checks do not). ``model_types`` are ``model_type_names()`` when the
    caller has read them already.
    """
    at = at or dt.date(year, 12, 31)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    unknown = _("Ikke oppgitt")
    order = model_type_names() if model_types is None else model_types
    teams = [_Team(*row) for row in _TEAMS.rows(center.pk)]
    statuses_of: dict[int, list[_Status]] = defaultdict(list)
    for team_id, status, valid_from in _STATUSES.rows(center.pk):
        statuses_of[team_id].append(_Status(status, valid_from))
    team_municipalities: dict[int, set[int]] = defaultdict(set)
    team_districts: dict[int, set[int]] = defaultdict(set)
    for team_id, place_id, is_district in _PLACES.rows(center.pk):
        (team_districts if is_district else team_municipalities)[team_id].add(place_id)

    by_type: Counter[str] = Counter()
    by_type_region: dict[str, Counter[str]] = defaultdict(Counter)
    by_region: Counter[str] = Counter()
    placeholders: Counter[str] = Counter()
    covered: dict[str, set[int]] = defaultdict(set)
    districts: dict[str, set[int]] = defaultdict(set)
    inter_municipal: Counter[str] = Counter()
    started: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for team in teams:
        kind = team.kind
        statuses = statuses_of[team.pk]
        started_on, closed_on = _started_on(team, statuses), _closed_on(statuses)
        if started_on and year_start <= started_on <= year_end:
            started[kind] += 1
        if closed_on and year_start <= closed_on <= year_end:
            closed[kind] += 1
        if not _exists(team, statuses, at):
            continue
        region = unknown if team.region_id is None else (team.region_name or "")
        by_type[kind] += 1
        by_type_region[kind][region] += 1
        by_region[region] += 1
        if team.is_placeholder:
            placeholders[kind] += 1
        owners = team_municipalities[team.pk]
        covered[kind] |= owners
        districts[kind] |= team_districts[team.pk]
        if len(owners) > 1:
            inter_municipal[kind] += 1

    municipalities = _MUNICIPALITIES.rows(at)
    per_county: Counter[str] = Counter(county for _pk, county in municipalities)
    without: dict[str, dict[str, dict[str, int]]] = {}
    for kind in order:
        if not by_type[kind]:
            continue
        missing = Counter(county for pk, county in municipalities if pk not in covered[kind])
        without[kind] = {
            county: {"without": missing[county], "municipalities": total}
            for county, total in sorted(per_county.items())
        }

    pilots = _PILOTS.rows(center.pk)
    pilot_active: Counter[str] = Counter()
    pilot_new: Counter[str] = Counter()
    pilot_ended: Counter[str] = Counter()
    pilot_became_team: Counter[str] = Counter()
    for kind, grant_years, ended_on, outcome in pilots:
        years = [int(y) for y in grant_years or []]
        if ended_on and year_start <= ended_on <= year_end:
            pilot_ended[kind] += 1
            if outcome == PilotProject.Outcome.BECAME_TEAM:
                pilot_became_team[kind] += 1
        if year in years and (ended_on is None or ended_on > at):
            pilot_active[kind] += 1
            if min(years) == year:
                pilot_new[kind] += 1

    reviews_by_scale: Counter[str] = Counter()
    reviews_by_type: Counter[str] = Counter()
    review_end = min(at, year_end)
    reviews = _REVIEWS.rows(center.pk, year_start, review_end)
    for _pk, _date, _team, kind, _version_id, scale_name, version in reviews:
        reviews_by_scale[f"{scale_name} {version}"] += 1
        reviews_by_type[kind] += 1

    # Advice requests name the team they came from as free text; those that name a
    # registered team (case and spacing forgiven) count as that team followed up.
    from oppdrag.activities.models import AdviceRequest

    by_name = {fold(team.name): team for team in teams}
    followed: dict[str, set[int]] = defaultdict(set)
    if advice_teams is None:
        advice_teams = (
            AdviceRequest.objects.filter(center=center, year=year)
            .exclude(team="")
            .values_list("team", flat=True)
        )
    for name in advice_teams:
        if not name:
            continue
        found = by_name.get(fold(name))
        if found is not None:
            followed[found.kind].add(found.pk)

    def ordered(counter: Counter[str]) -> dict[str, int]:
        return {kind: counter[kind] for kind in order if counter[kind]}

    fidelity_reviews: dict[str, Any] = {
        "total": sum(reviews_by_scale.values()),
        "by_scale": dict(sorted(reviews_by_scale.items())),
        "by_type": ordered(reviews_by_type),
    }
    if review_scores:
        fidelity_reviews["scores"] = _scored_reviews(center, reviews, year_start, review_end)
    return {
        "at": at.isoformat(),
        "by_type": ordered(by_type),
        "by_type_and_region": {
            kind: dict(sorted(by_type_region[kind].items())) for kind in order if by_type[kind]
        },
        "by_region": dict(sorted(by_region.items())),
        "placeholders": ordered(placeholders),
        "municipalities_covered": {kind: len(covered[kind]) for kind in order if by_type[kind]},
        "districts_covered": {kind: len(districts[kind]) for kind in order if districts[kind]},
        "inter_municipal": ordered(inter_municipal),
        "started_in_year": ordered(started),
        "closed_in_year": ordered(closed),
        "municipalities_without_team": without,
        "pilot_projects": ordered(pilot_active),
        "pilot_projects_new": ordered(pilot_new),
        "pilot_projects_ended": ordered(pilot_ended),
        "pilot_projects_became_team": ordered(pilot_became_team),
        "followed_up_by_advice": {kind: len(followed[kind]) for kind in order if followed[kind]},
        "fidelity_reviews": fidelity_reviews,
    }


def _scored_reviews(
    center: Center, reviews: list[tuple[Any, ...]], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Total, level and consensus item scores of each review whose scale definition is
    loaded, in date order: the figures the team page's chart shows."""
    consensus: dict[int, dict[str, Any]] = defaultdict(dict)
    for review_id, code, value in _CONSENSUS.rows(center.pk, start, end):
        consensus[review_id][code] = value
    scales = {pk: parse_scale(definition) for pk, definition in _SCALES.rows(center.pk)}
    scored = []
    for pk, date, team_name, _kind, version_id, scale_name, version in reviews:
        scale = scales.get(version_id)
        if scale is None:
            continue
        result = score(scale, consensus[pk])
        scored.append(
            {
                "team": team_name,
                "date": date.isoformat(),
                "scale": f"{scale_name} {version}",
                "total": None if result.total is None else round(result.total, 2),
                "level": result.level,
                "items": result.items,
            }
        )
    return scored
