"""Build the NAPHA 2025 demo from ``demo/napha-2025/`` through the ordinary importers."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from oppdrag.activities.importers import IMPORTERS
from oppdrag.importing.base import ImportRejected, ImportResult

from .models import Center, Membership
from .services import add_member, create_center, ensure_year, get_or_create_user

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "napha-2025"
DEMO_YEAR = 2025
DEMO_CENTER = {
    "slug": "napha",
    "name": "NAPHA – Nasjonalt kompetansesenter for psykisk helsearbeid",
    "short_name": "NAPHA",
    "organization_name": "NAPHA – Nasjonalt kompetansesenter for psykisk helsearbeid",
}
# Files in loading order: assignments and series before the events that name them.
DEMO_FILES = [
    ("assignments", "assignments.csv"),
    ("event-series", "event-series.csv"),
    ("events", "events.csv"),
    ("presentations", "presentations.csv"),
    ("op-eds", "op-eds.csv"),
    ("consultation-responses", "consultation-responses.csv"),
    ("publications", "publications.csv"),
    ("media", "media.csv"),
    ("groups", "groups.csv"),
    ("topic-pages", "topic-pages.csv"),
    ("published-figures", "published-figures.csv"),
]


@transaction.atomic
def load_demo(directory: Path = DEMO_DIR, *, registries_only: bool = False) -> list[ImportResult]:
    """(Re)create the NAPHA centre with its 2025 records and the demo/demo account.

    ``registries_only`` stops after the activity registries (appendices 1–6 and 9),
    leaving out hours, teams and report texts: what most tests need, in a tenth of
    the time.
    """
    Center.objects.filter(slug=DEMO_CENTER["slug"]).delete()
    center = create_center(**DEMO_CENTER)
    user = get_or_create_user("demo", "demo")
    add_member(center=center, user=user, role=Membership.Role.ADMIN)
    ensure_year(center, DEMO_YEAR)
    results = []
    for kind, name in DEMO_FILES:
        result = IMPORTERS[kind](center, DEMO_YEAR, user).run(directory / name)
        if not result.ok:
            raise ImportRejected(result)
        results.append(result)
    from oppdrag.web.demo import load_roles_demo

    if registries_only:
        load_roles_demo(center, full=False)
        return results
    # Hours and staff (appendices 7 and 8) map projects to the assignments above.
    from oppdrag.hours.demo import load_hours_demo

    results.extend(load_hours_demo(center, user))
    # Service teams, pilot projects, fidelity scales and reviews; the report's texts.
    from oppdrag.reports.demo import load_reports_demo
    from oppdrag.teams.demo import load_teams_demo

    results.extend(load_teams_demo(center, user))
    results.append(load_reports_demo(center, user))
    from oppdrag.evaluations.demo import load_evaluations_demo

    load_evaluations_demo(center)
    # Last: the full demo submits NAPHA 2025, and the snapshot should hold everything.
    load_roles_demo(center, full=True)
    return results
