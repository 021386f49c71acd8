"""The NAPHA 2025 team registry for the demo.

``demo/napha-2025/teams.csv`` holds the teams with the counts of chapters 3.1.1,
3.1.2 and 3.9 of the annual report: 86 ACT and FACT teams (the report does not split
them; the demo has 12 ACT and 74 FACT) reaching 25 and 148 municipalities, 30 FACT ung
teams reaching 40, 85 RPH teams (70 municipal teams covering 84 municipalities, six
of them inter-municipal, and one per Oslo district) and the nine Housing First
municipalities the report names. Where the report gives no names or owners, the rows
are placeholders: named «(plassholder)», flagged ``is_placeholder``, with owners
drawn by a seeded generator. ``pilot-projects.csv`` has the 12 FACT and 13 FACT ung
pilot projects after the 2025 grants (6 and 7 of them new) and the five that ended in
2025; ``fidelity-reviews.csv`` the 21 reviews of 2025 (15 FACT, 6 FACT ung), with
generated dates. The FACT and FACT ung scales are licensed and their definitions are
not shipped, so those reviews carry no item scores.

The DACTS is loaded as the example scale, with a handful of example reviews of ACT
teams before 2025: two raters' item scores from a seeded generator, marked as
demonstration data (``is_demo``) so no one mistakes them for real measurements.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.db import transaction

from oppdrag.core.models import Center, Organization
from oppdrag.importing.base import ImportRejected, ImportResult

from . import services
from .importers import FidelityReviewImporter, PilotProjectImporter, TeamImporter
from .models import FidelityReview, ServiceTeam, TeamModelType
from .scales import parse_scale

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "napha-2025"
DEMO_YEAR = 2025
DEMO_SEED = 2025

# (team number, review dates): two ACT teams reviewed twice, one once.
EXAMPLE_REVIEWS = [
    (1, [dt.date(2023, 5, 10), dt.date(2024, 10, 2)]),
    (3, [dt.date(2023, 9, 20), dt.date(2024, 11, 12)]),
    (5, [dt.date(2024, 3, 6)]),
]


@transaction.atomic
def load_teams_demo(
    center: Center, user: Any = None, directory: Path = DEMO_DIR
) -> list[ImportResult]:
    """Load the demo teams, pilot projects, scales and reviews into ``center``."""
    results = []
    for importer, name in [
        (TeamImporter, "teams.csv"),
        (PilotProjectImporter, "pilot-projects.csv"),
    ]:
        result = importer(center, DEMO_YEAR, user).run(directory / name)
        if not result.ok:
            raise ImportRejected(result)
        results.append(result)
    types = {t.code: t for t in TeamModelType.objects.all()}
    services.load_builtin_scale(center, "dacts")
    services.register_scale_version(
        center=center, key="fact", name="FACT-skalaen", version="ukjent", model_type=types["fact"]
    )
    services.register_scale_version(
        center=center,
        key="fact-ung",
        name="FACT ung-skalaen",
        version="ukjent",
        model_type=types["fact-ung"],
    )
    result = FidelityReviewImporter(center, DEMO_YEAR, user).run(directory / "fidelity-reviews.csv")
    if not result.ok:
        raise ImportRejected(result)
    results.append(result)
    create_example_reviews(center)
    return results


def generated_scores(
    rng: random.Random, item_codes: list[str], level: float
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Two raters' scores and a consensus around ``level`` (1–5): the raters agree
    on most items and differ by one point on some, as trained raters do."""
    first: dict[str, int] = {}
    second: dict[str, int] = {}
    consensus: dict[str, int] = {}
    for code in item_codes:
        true = min(5, max(1, round(rng.gauss(level, 0.9))))
        a = min(5, max(1, true + rng.choice([0, 0, 0, 0, 1, -1])))
        b = min(5, max(1, true + rng.choice([0, 0, 0, 0, 0, 1, -1])))
        first[code], second[code] = a, b
        consensus[code] = true if abs(a - b) > 1 else min(a, b) if rng.random() < 0.5 else max(a, b)
    return first, second, consensus


def create_example_reviews(center: Center) -> list[FidelityReview]:
    """DACTS reviews of some ACT teams with generated scores from two raters."""
    rng = random.Random(DEMO_SEED)
    version = services.find_scale_version(center, "dacts", "1998")
    scale = parse_scale(version.definition)
    napha = Organization.objects.filter(center=center).first()
    reviews = []
    for number, dates in EXAMPLE_REVIEWS:
        team = ServiceTeam.objects.get(
            center=center, model_type__code="act", name=f"ACT-team {number:02d} (plassholder)"
        )
        for index, date in enumerate(dates):
            first, second, consensus = generated_scores(rng, scale.item_codes, 3.2 + 0.4 * index)
            low = [code for code, value in consensus.items() if value < 3]
            reviews.append(
                services.record_review(
                    center=center,
                    team=team,
                    date=date,
                    scale_version=version,
                    raters=[
                        services.RaterInput("Bedømmer A (demo)", napha, "lead", scores=first),
                        services.RaterInput("Bedømmer B (demo)", None, "trainee", scores=second),
                    ],
                    consensus=consensus,
                    comments={
                        code: "Demonstrasjonsdata: generert skår under 3." for code in low[:3]
                    },
                    agreement_signed_on=date - dt.timedelta(days=60),
                    dpo_approved_on=date - dt.timedelta(days=21),
                    status=FidelityReview.Status.COMPLETED,
                    follow_up="Demonstrasjonsdata: skårene er generert og er ikke en ekte måling.",
                    is_demo=True,
                )
            )
    return reviews
