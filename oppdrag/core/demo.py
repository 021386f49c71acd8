"""Build the NAPHA 2025 demo from ``demo/napha-2025/`` through the ordinary importers.

Core makes the centre, the ``demo`` account and the year; everything else is loaded by
the apps that own it. Each app registers its part in its ``AppConfig.ready()`` with
``register_demo_loader`` (as the hours app registers its report tables with
``reports.providers``), and ``load_demo`` walks the parts in their registered order, so
core imports no other app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from oppdrag.importing.base import ImportResult

from .models import Center, Membership
from .services import add_member, create_center, ensure_year, get_or_create_user

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "napha-2025"
DEMO_YEAR = 2025
# Any: create_center also takes the register entry itself, which the demo names instead.
DEMO_CENTER: dict[str, Any] = {
    "slug": "napha",
    "name": "NAPHA – Nasjonalt kompetansesenter for psykisk helsearbeid",
    "short_name": "NAPHA",
    "organization_name": "NAPHA – Nasjonalt kompetansesenter for psykisk helsearbeid",
}


@dataclass(frozen=True)
class DemoLoader:
    """One app's part of the demo: ``load(center, user, full)`` returns its import
    results; ``full`` is False when only the registries are loaded."""

    order: int
    load: Callable[[Center, Any, bool], list[ImportResult]]
    registries: bool = False  # also loaded by ``load_demo(registries_only=True)``


# name -> loader, walked by ``order``: "registries" (10), "hours" (20), "teams" (30),
# "reports" (40), "evaluations" (50), "roles" (90, last: the full demo submits the report).
DEMO_LOADERS: dict[str, DemoLoader] = {}


def register_demo_loader(
    name: str,
    load: Callable[[Center, Any, bool], list[ImportResult]],
    *,
    order: int,
    registries: bool = False,
) -> None:
    """Register (or replace) an app's part of the demo."""
    DEMO_LOADERS[name] = DemoLoader(order, load, registries)


@transaction.atomic
def load_demo(*, registries_only: bool = False) -> list[ImportResult]:
    """(Re)create the NAPHA centre with its 2025 records and the demo/demo account.

    ``registries_only`` loads only the parts registered with ``registries=True`` (the
    activity registries, appendices 1–6 and 9, and the demo's other accounts), leaving
    out hours, teams and report texts: what most tests need, in a tenth of the time.
    """
    Center.objects.filter(slug=DEMO_CENTER["slug"]).delete()
    center = create_center(**DEMO_CENTER)
    user = get_or_create_user("demo", "demo")
    add_member(center=center, user=user, role=Membership.Role.ADMIN)
    ensure_year(center, DEMO_YEAR)
    results: list[ImportResult] = []
    for loader in sorted(DEMO_LOADERS.values(), key=lambda loader: loader.order):
        if loader.registries or not registries_only:
            results.extend(loader.load(center, user, not registries_only))
    return results
