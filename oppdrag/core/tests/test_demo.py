"""The NAPHA 2025 demo: loads through the importers and agrees with the published report.

The expected numbers below were counted from the seed report's appendices, not from
this code: e.g. appendix 1 rows are the lines with seven tab-separated fields that are
not a header (``awk -F'\\t' 'NF==7 && $1!="Tema"'`` over lines 1697–1852 of
the published report ``001_60510e0e2bd16d2c.txt`` among the reference documents,
see tests/reference_documents.py), whose third field sums to 9413.
"""

import csv
import json
from io import StringIO
from pathlib import Path

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest

from oppdrag.core.demo import DEMO_DIR
from oppdrag.core.models import Membership
from oppdrag.figures.keyfigures import key_figures


def test_the_demo_figures_match_the_published_appendices(demo):
    figures = key_figures(demo, 2025)
    assert figures["counts"] == {
        "events": 128,  # appendix 1 rows
        "presentations": 133,  # appendix 2 rows
        "op_eds": 4,  # appendix 3
        "consultation_responses": 10,  # appendix 4
        "publications": 7,  # appendix 5
        "media_appearances": 9,  # appendix 6
        "groups": 62,  # appendix 9
        "web_articles": 0,
        "advice_requests": 0,
    }
    events = figures["events"]
    assert events["participants"] == 9413
    assert events["by_format"] == {"Fysisk": 71, "Digital": 53, "Hybrid": 3, "Ikke oppgitt": 1}
    assert events["by_scope"] == {"Regional": 70, "Nasjonal": 56, "Nordisk": 2}
    assert events["by_theme"]["ACT/FACT voksen"] == 29
    assert figures["presentations"]["by_type"] == {
        "Foredrag": 78,
        "Konferanseforedrag": 29,
        "Annen presentasjon": 26,
    }
    assert figures["op_eds"]["by_type"] == {"kronikk": 3, "leserinnlegg": 1}


def test_series_make_unique_participants_differ_from_participations(demo):
    events = key_figures(demo, 2025)["events"]
    fact_ung = next(s for s in events["series"] if "ung" in s["name"])
    # Chapter 3.1.1: 108 people from 17 FACT ung teams; appendix 1: 6 sessions.
    assert fact_ung["sessions"] == 6
    assert fact_ung["unique_participants"] == 108 and fact_ung["teams"] == 17
    assert fact_ung["participations"] == 52 + 56 + 56 + 56 + 56  # one session has no count
    assert events["participants_unique"] < events["participants"]


def test_published_key_figures_are_compared_not_copied(demo):
    comparisons = {c["key"]: c for c in key_figures(demo, 2025)["comparisons"]}
    # The key figures page says 130 events and 150 presentations; the appendices list fewer.
    assert comparisons["events"] == {
        "key": "events",
        "published": 130,
        "computed": 128,
        "difference": -2,
        "source": comparisons["events"]["source"],
    }
    assert comparisons["presentations"]["difference"] == 133 - 150
    assert comparisons["consultation_responses"]["difference"] == 0


def test_topic_page_visits_carry_both_years(demo):
    pages = key_figures(demo, 2025)["topic_pages"]
    assert len(pages) == 20
    assert pages["Rask psykisk helsehjelp"] == {"visits": 10258, "visits_previous_year": 14363}


def test_the_demo_account_administers_napha(demo):
    user = authenticate(HttpRequest(), username="demo", password="demo")
    assert user is not None and user.is_staff and not user.is_superuser
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN
    assert Membership.objects.get(user=user).center.slug == "napha"


def test_loading_the_demo_twice_gives_the_same_figures(full_demo):
    from oppdrag.core.demo import load_demo

    first = key_figures(full_demo, 2025)
    assert first["teams"] and first["hours"]["total_hours"] > 0
    load_demo()
    from oppdrag.core.models import Center

    assert key_figures(Center.objects.get(slug="napha"), 2025)["counts"] == first["counts"]


def test_the_figures_command_prints_the_json_contract(demo):
    out = StringIO()
    call_command("figures", "2025", "--center", "napha", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["center"] == "napha" and data["year"] == 2025
    for key in ("counts", "events", "presentations"):
        assert key in data
    for key in ("participants", "by_format", "by_scope", "by_theme", "by_region"):
        assert key in data["events"]
    assert "by_type" in data["presentations"]


def _seed_rows(report: Path, start: str, stop: str, fields: int, header: str) -> list[list[str]]:
    lines = report.read_text(encoding="utf-8").splitlines()
    # The last heading with this text: the first is in the table of contents.
    first = max(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i, line in enumerate(lines) if i > first and line.startswith(stop))
    return [
        line.split("\t")
        for line in lines[first:last]
        if line.count("\t") == fields - 1 and not line.startswith(header)
    ]


def _demo_rows(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_demo_events_are_appendix_1_row_for_row(reference_annual_report):
    seed = _seed_rows(
        reference_annual_report, "Vedlegg 1: Arrangement", "Vedlegg 2: Presentasjoner", 7, "Tema\t"
    )
    demo = _demo_rows("events.csv")
    assert len(seed) == len(demo) == 128
    fixed = {"RVTS, Nord": "RVTS Nord", "RVTS Øst og Sør": "RVTS Øst, RVTS Sør"}  # DATA-NOTES
    for seed_row, demo_row in zip(seed, demo, strict=True):
        organisers = seed_row[5].strip()
        for before, after in fixed.items():
            organisers = organisers.replace(before, after)
        assert [c.strip() for c in seed_row[:5]] + [organisers, seed_row[6].strip()] == [
            demo_row["Tema"],
            demo_row["Hva"],
            demo_row["Antall deltakere"],
            demo_row["Nasjonal/regional"],
            demo_row["Deltakere"],
            demo_row["Arrangører"],
            demo_row["Fysisk/digital"],
        ]


def test_demo_presentations_are_appendix_2_row_for_row(reference_annual_report):
    seed = _seed_rows(
        reference_annual_report, "Vedlegg 2: Presentasjoner", "Vedlegg 3:", 4, "Tittel\t"
    )
    demo = _demo_rows("presentations.csv")
    assert [[c.strip() for c in row] for row in seed] == [
        [r["Tittel"], r["Publiseringsdato"], r["Type"], r["Bidragsytere"]] for r in demo
    ]


def test_the_demo_files_hold_no_phone_numbers_or_email_addresses():
    import re

    for path in DEMO_DIR.glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert not re.search(r"[\w.]+@[\w.]+\.\w+", text), path.name
        assert not re.search(r"Tlf|\b\d{2} \d{2} \d{2} \d{2}\b|\b\d{3} \d{2} \d{3}\b", text), (
            path.name
        )
