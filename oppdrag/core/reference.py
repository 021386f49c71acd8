"""Load the reference data every installation shares from the files in ``data/``.

Used by the initial data migration (with historical models) and by
``oppdrag load-reference-data`` (to pick up edits to the files). Idempotent:
rows are matched on their official numbers or names and updated in place.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

REGIONS = [("nord", "Nord"), ("midt", "Midt"), ("vest", "Vest"), ("sor", "Sør"), ("ost", "Øst")]

# The grant regulation's focus areas (innsatsområder), section 2 of every report.
FOCUS_AREAS = [
    ("a", "Formidling"),
    ("b", "Kompetanseheving"),
    ("c", "Tjenesteutvikling"),
    ("d", "Nettverkssamarbeid"),
    ("e", "Bruker- og pårørendemedvirkning"),
    ("f", "Strategisk samarbeid og ressursutnyttelse"),
]

MUNICIPALITIES_VALID_FROM = dt.date(2024, 1, 1)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        delimiter = ";" if ";" in handle.readline() else ","
        handle.seek(0)
        return list(csv.DictReader(handle, delimiter=delimiter))


def load_reference_data(get_model: Callable[[str, str], Any]) -> None:
    """Create or update regions, counties, municipalities, districts, focus areas, orgs."""
    Region = get_model("core", "Region")
    County = get_model("core", "County")
    Municipality = get_model("core", "Municipality")
    CityDistrict = get_model("core", "CityDistrict")
    Organization = get_model("core", "Organization")
    FocusArea = get_model("grants", "FocusArea")

    regions = {}
    for code, name in REGIONS:
        regions[name], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    counties = {}
    municipalities = {}
    for row in _rows("kommuner-2024.csv"):
        number = row["fylkesnummer"]
        if number not in counties:
            counties[number], _ = County.objects.update_or_create(
                number=number,
                defaults={"name": row["fylkesnavn"], "region": regions[row["region"]]},
            )
        municipalities[row["kommunenummer"]], _ = Municipality.objects.update_or_create(
            number=row["kommunenummer"],
            valid_from=MUNICIPALITIES_VALID_FROM,
            defaults={"name": row["kommunenavn"], "county": counties[number]},
        )
    for row in _rows("oslo-bydeler.csv"):
        CityDistrict.objects.update_or_create(
            number=row["bydelsnummer"],
            defaults={
                "name": row["bydelsnavn"],
                "municipality": municipalities[row["kommunenummer"]],
            },
        )
    for code, name in FOCUS_AREAS:
        FocusArea.objects.update_or_create(code=code, defaults={"name": name})
    for row in _rows("organizations.csv"):
        Organization.objects.update_or_create(
            name=row["navn"],
            defaults={
                "kind": row["type"],
                "organization_number": row["organisasjonsnummer"],
                "aliases": "\n".join(a for a in row["andre navn"].split("|") if a),
            },
        )
