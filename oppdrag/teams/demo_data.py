"""How the placeholder rows of the demo team registry were drawn (seeded, reproducible).

``python -m oppdrag.teams.demo_data`` rewrites ``demo/napha-2025/teams.csv``,
``pilot-projects.csv`` and ``fidelity-reviews.csv``. The counts are the published
ones (see ``oppdrag.teams.demo``); which municipalities own which placeholder team,
and the review dates, are drawn from a fixed seed, so the files are the same on
every run. Plain Python, no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "oppdrag" / "core" / "data"
DEMO = ROOT / "demo" / "napha-2025"
SEED = 20251231
PLACEHOLDER = "(plassholder)"
NOTE = "Plassholder: rapporten oppgir bare antall team, ikke navn og eiere."
# Housing First municipalities named in chapter 3.9; the last three started in 2025.
HOUSING_FIRST = ["Trondheim", "Bergen", "Sandnes", "Lillehammer", "Øvre Eiker", "Flekkefjord"]
HOUSING_FIRST_NEW = ["Øygarden", "Verdal", "Halden"]

Row = list[str]


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        with (DATA / "kommuner-2024.csv").open(encoding="utf-8") as file:
            municipalities = list(csv.DictReader(file))
        counts: dict[str, int] = defaultdict(int)
        for m in municipalities:
            counts[m["kommunenavn"]] += 1
        self.shared_names = {name for name, n in counts.items() if n > 1}
        self.by_county: dict[str, list[dict[str, str]]] = defaultdict(list)
        for m in municipalities:
            if m["kommunenummer"] != "0301":  # Oslo is covered through its districts
                self.by_county[m["fylkesnummer"]].append(m)

    def label(self, municipality: dict[str, str]) -> str:
        name = municipality["kommunenavn"]
        return f"{name} ({municipality['kommunenummer']})" if name in self.shared_names else name

    def groups(self, sizes: list[int]) -> list[list[dict[str, str]]]:
        """Owner groups of the given sizes, each within one county, no municipality twice."""
        used: set[str] = set()
        groups = []
        for size in sizes:
            counties = [
                county
                for county, ms in self.by_county.items()
                if sum(m["kommunenummer"] not in used for m in ms) >= size
            ]
            county = self.rng.choice(counties)
            free = [m for m in self.by_county[county] if m["kommunenummer"] not in used]
            chosen = self.rng.sample(free, size)
            used |= {m["kommunenummer"] for m in chosen}
            groups.append(chosen)
        return groups

    def teams(self) -> list[Row]:
        rows: list[Row] = [
            [
                "Modell",
                "Navn",
                "Kommuner",
                "Bydeler",
                "Startdato",
                "Status",
                "Statusdato",
                "Plassholder",
                "Merknad",
            ]
        ]

        def add(model: str, prefix: str, sizes: list[int]) -> None:
            groups = self.groups(sizes)
            self.rng.shuffle(groups)
            for i, group in enumerate(groups, 1):
                owners = ", ".join(self.label(m) for m in group)
                name = f"{prefix} {i:02d} {PLACEHOLDER}"
                rows.append([model, name, owners, "", "", "Etablert", "", "ja", NOTE])

        # ACT 12 teams / 25 municipalities, FACT 74 / 148, FACT ung 30 / 40,
        # RPH 70 municipal teams / 84 municipalities with 6 inter-municipal ones.
        add("ACT", "ACT-team", [1] * 8 + [4, 4, 4, 5])
        add("FACT", "FACT-team", [1] * 40 + [3] * 30 + [4, 5, 4, 5])
        add("FACT ung", "FACT ung-team", [1] * 24 + [3, 3, 3, 3, 2, 2])
        add("RPH", "RPH-team", [1] * 64 + [4, 4, 3, 3, 3, 3])
        with (DATA / "oslo-bydeler.csv").open(encoding="utf-8") as file:
            for district in csv.DictReader(file):
                name = district["bydelsnavn"]
                note = "Rapporten: alle bydelene i Oslo har RPH-tilbud."
                rows.append(["RPH", f"RPH {name}", "", name, "", "Etablert", "", "nei", note])
        for name in HOUSING_FIRST:
            note = "Kommunen er nevnt i kapittel 3.9; startdato ikke oppgitt."
            rows.append(
                [
                    "Housing First",
                    f"Housing First {name}",
                    name,
                    "",
                    "",
                    "Etablert",
                    "",
                    "nei",
                    note,
                ]
            )
        for name in HOUSING_FIRST_NEW:
            note = "Startet med Housing First i 2025 (kapittel 3.9); dagen er omtrentlig."
            rows.append(
                [
                    "Housing First",
                    f"Housing First {name}",
                    name,
                    "",
                    "01.09.2025",
                    "Etablert",
                    "01.09.2025",
                    "nei",
                    note,
                ]
            )
        return rows

    def pilot_projects(self) -> list[Row]:
        rows: list[Row] = [
            ["Modell", "Navn", "Kommuner", "Tilskuddsår", "Utfall", "Avsluttet", "Plassholder"]
        ]

        def add(model: str, prefix: str, ongoing: int, new: int, ended: int) -> None:
            sizes = [self.rng.choice([1, 1, 2, 3]) for _ in range(ongoing + ended)]
            for i, group in enumerate(self.groups(sizes), 1):
                owners = ", ".join(self.label(m) for m in group)
                name = f"{prefix} {i:02d} {PLACEHOLDER}"
                if i <= new:
                    rows.append([model, name, owners, "2025", "Pågår", "", "ja"])
                elif i <= ongoing:
                    rows.append([model, name, owners, "2024, 2025", "Pågår", "", "ja"])
                else:
                    outcome = "Avsluttet, utfall ikke registrert"
                    rows.append([model, name, owners, "2024", outcome, "30.06.2025", "ja"])

        add("FACT", "FACT-forprosjekt", 12, 6, 3)
        add("FACT ung", "FACT ung-forprosjekt", 13, 7, 2)
        return rows

    def reviews(self) -> list[Row]:
        rows: list[Row] = [
            [
                "Modell",
                "Team",
                "Dato",
                "Skala",
                "Versjon",
                "Status",
                "Samarbeidsavtale signert",
                "Tilrådning personvernombud",
            ]
        ]

        def add(model: str, prefix: str, count: int, teams: int, scale: str) -> None:
            for i in sorted(self.rng.sample(range(1, teams + 1), count)):
                day = dt.date(2025, 1, 15) + dt.timedelta(days=self.rng.randrange(0, 320))
                signed = day - dt.timedelta(days=self.rng.randrange(40, 90))
                approved = day - dt.timedelta(days=self.rng.randrange(10, 35))
                rows.append(
                    [
                        model,
                        f"{prefix} {i:02d} {PLACEHOLDER}",
                        f"{day:%d.%m.%Y}",
                        scale,
                        "ukjent",
                        "Fullført",
                        f"{signed:%d.%m.%Y}",
                        f"{approved:%d.%m.%Y}",
                    ]
                )

        add("FACT", "FACT-team", 15, 74, "fact")
        add("FACT ung", "FACT ung-team", 6, 30, "fact-ung")
        return rows


def write(path: Path, rows: list[Row]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def main(directory: Path = DEMO) -> None:
    generator = Generator()
    write(directory / "teams.csv", generator.teams())
    write(directory / "pilot-projects.csv", generator.pilot_projects())
    write(directory / "fidelity-reviews.csv", generator.reviews())


if __name__ == "__main__":
    main()
