"""Hooks for report data that other apps own (hours, staff).

The hours and staff apps register a function here; until they do, the report
renders those appendices with an empty table that says so. A provider takes
``(center, year)`` and returns a ``ProvidedTable`` (or a mapping, for
``hours_by_assignment``) or ``None`` when it has nothing for that year.

Apps register their data-quality rules the same way (``register_check``): a check
takes ``(center, year)`` and returns a list of ``Finding``; the report's findings and
``oppdrag check`` include them, so nothing another app finds is missing from the list.

A provider registered with ``memo=True`` is also given ``memo``: a dict that lives
for one report build and is shared by all its providers, so two providers that read
the same rows (appendix 7 and the hours per chapter both read the year's project
hours and the project–assignment links) read them once per build. A check registered
with ``memo=True`` gets the same dict, so the hours reconciliation compares the
appendices the providers computed rather than computing them again. Nothing in it
outlives the build: every report is still read from the database.
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


@dataclass(frozen=True)
class Provider:
    """A registered provider and whether it takes the build's ``memo``."""

    function: Callable[..., Any]
    memo: bool = False


# name -> provider; names: "hours" (appendix 7), "staff" (appendix 8),
# "hours_by_assignment" (mapping assignment number -> hours, for chapter facts and the chart),
# "cost_by_assignment" (assignment number -> kroner spent, for chapter facts),
# "finance_generated" (True when those costs are generated demonstration data), and
# "chapter:<name>" (a ``tree.Section`` placed after chapter 3, or None).
PROVIDERS: dict[str, Provider] = {}


def register_provider(name: str, provider: Callable[..., Any], *, memo: bool = False) -> None:
    """Register (or replace) the provider of one kind of report data; with ``memo`` it is
    called as ``provider(center, year, memo=...)``."""
    PROVIDERS[name] = Provider(provider, memo)


def provide(name: str, center: Any, year: int, memo: dict[Any, Any] | None = None) -> Any:
    """What the registered provider returns, or ``None`` when there is none.

    ``memo`` is the dict of one build (see the module's docstring); without it a
    provider that takes one gets a fresh dict.
    """
    provider = PROVIDERS.get(name)
    if provider is None:
        return None
    if provider.memo:
        return provider.function(center, year, memo={} if memo is None else memo)
    return provider.function(center, year)


# name -> check; each returns a list of ``oppdrag.reports.tree.Finding``.
CHECKS: dict[str, Provider] = {}


def register_check(name: str, check: Callable[..., list[Any]], *, memo: bool = False) -> None:
    """Register (or replace) an app's data-quality check of a centre's year; with ``memo``
    it is called as ``check(center, year, memo=...)``, given the build's memo as providers
    are, so it can reuse what they computed."""
    CHECKS[name] = Provider(check, memo)


def provided_findings(center: Any, year: int, memo: dict[Any, Any] | None = None) -> list[Any]:
    """The findings of every registered check, in the order they were registered.

    ``memo`` is the dict of one build, as for ``provide``."""
    memo = {} if memo is None else memo
    findings: list[Any] = []
    for check in CHECKS.values():
        if check.memo:
            findings.extend(check.function(center, year, memo=memo))
        else:
            findings.extend(check.function(center, year))
    return findings
