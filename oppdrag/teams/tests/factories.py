"""Small builders for team tests."""

from __future__ import annotations

import datetime as dt

from oppdrag.core.models import Center, Municipality
from oppdrag.teams import services
from oppdrag.teams.models import FidelityScaleVersion, ServiceTeam, TeamModelType


def model_type(code: str) -> TeamModelType:
    return TeamModelType.objects.get(code=code)


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name, valid_to__isnull=True)


def team(
    center: Center,
    name: str = "FACT Bodø",
    code: str = "fact",
    municipalities: tuple[str, ...] = ("Bodø",),
    start: dt.date | None = dt.date(2020, 1, 1),
) -> ServiceTeam:
    return services.create_team(
        center=center,
        model_type=model_type(code),
        name=name,
        start_date=start,
        municipalities=[municipality(n) for n in municipalities],
    )


def dacts(center: Center) -> FidelityScaleVersion:
    return services.load_builtin_scale(center, "dacts")


def all_items(version: FidelityScaleVersion, value: int = 4) -> dict[str, int]:
    scale = version.parsed()
    return {code: value for code in scale.item_codes}
