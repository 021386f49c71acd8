"""Hooks for report data that other apps own (hours, staff).

The hours and staff apps register a function here; until they do, the report
renders those appendices with an empty table that says so. A provider takes
``(center, year)`` and returns a ``ProvidedTable`` (or a mapping, for
``hours_by_assignment``) or ``None`` when it has nothing for that year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | None


@dataclass
class ProvidedTable:
    """Rows for an appendix table supplied by another app."""

    columns: list[str]
    rows: list[list[Cell]]
    footnote: str = ""
    percent_columns: tuple[int, ...] = ()
    total_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


# name -> provider; names: "hours" (appendix 7), "staff" (appendix 8),
# "hours_by_assignment" (mapping assignment number -> hours, for chapter facts and the chart).
PROVIDERS: dict[str, Callable[[Any, int], Any]] = {}


def register_provider(name: str, provider: Callable[[Any, int], Any]) -> None:
    """Register (or replace) the provider of one kind of report data."""
    PROVIDERS[name] = provider


def provide(name: str, center: Any, year: int) -> Any:
    """What the registered provider returns, or ``None`` when there is none."""
    provider = PROVIDERS.get(name)
    return provider(center, year) if provider is not None else None
