"""Fixtures of the hours tests."""

from __future__ import annotations

import pytest

from oppdrag.grants.models import Assignment
from oppdrag.hours.importers import HOURS_IMPORTERS, StaffImporter
from tests.files import write_table


@pytest.fixture
def setup(center, tmp_path):
    """Two projects and two staff members for 2025."""
    Assignment.objects.create(center=center, year=2025, number="3.1.1", title="ACT")
    Assignment.objects.create(center=center, year=2025, number="3.1.4", title="ABC")
    projects = write_table(
        tmp_path,
        "projects.csv",
        [
            ["Prosjektnummer", "Prosjekt", "Kapittel", "Gruppe", "Type", "Teller som", "Oppdrag"],
            ["100", "ACT opplæring", "3.1.1", "ACT", "oppdrag", "arbeid", "3.1.1"],
            ["200", "Felles", "", "Annet", "annet", "arbeid", "3.1.1: 3; 3.1.4"],
            ["900", "Ferie", "", "Ferie", "annet", "ferie", ""],
        ],
    )
    assert HOURS_IMPORTERS["time-projects"](center, 2025).run(projects).ok
    staff = write_table(
        tmp_path,
        "staff.csv",
        [
            ["Navn", "Stilling", "Endring", "Stillingsprosent", "Fra"],
            ["Nordmann, Kari", "Rådgiver", "stilling", "100", "01.01.2025"],
            ["Ola Hansen", "Rådgiver", "stilling", "50", "01.01.2025"],
        ],
    )
    assert StaffImporter(center, 2025).run(staff).ok
    return center
