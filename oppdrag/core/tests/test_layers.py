"""The ground floor imports nothing above it: core and the import machinery name no
other app; the apps register their importers and demo parts with them instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from oppdrag.core.demo import DEMO_LOADERS
from oppdrag.importing.registry import all_importers

PACKAGE = Path(__file__).resolve().parents[2]
GROUND = ("core", "importing")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against its package."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def upward_imports(app: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        if "tests" in path.relative_to(PACKAGE / app).parts:
            continue
        for name in sorted(imported_modules(path)):
            parts = name.split(".")
            if parts[0] == "oppdrag" and len(parts) > 1 and parts[1] not in GROUND:
                found.append(f"{path.relative_to(PACKAGE.parent)}: {name}")
    return found


@pytest.mark.parametrize("app", GROUND)
def test_the_ground_floor_imports_no_other_app(app):
    assert upward_imports(app) == []


def test_relative_imports_are_resolved_so_an_upward_one_would_be_seen(tmp_path):
    assert "oppdrag.activities.importers" in imported_modules(PACKAGE / "activities" / "demo.py")
    assert "oppdrag.core.demo" in imported_modules(PACKAGE / "activities" / "demo.py")


def test_the_apps_register_every_importer_and_demo_part():
    kinds = set(all_importers())
    assert {"events", "hours", "teams", "nva-json", "assessments", "ledger", "budget"} <= kinds
    assert [name for name, _ in sorted(DEMO_LOADERS.items(), key=lambda i: i[1].order)] == [
        "registries",
        "hours",
        "teams",
        "finance",
        "reports",
        "evaluations",
        "roles",
    ]
