import datetime as dt
import json
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.figures.keyfigures import key_figures
from oppdrag.figures.synth import (
    PROJECTS_PER_DAY,
    TEAM_SHARE,
    content_hash,
    demo_shape,
    synthesize,
)
from oppdrag.hours.models import TimeEntry
from oppdrag.teams.models import FidelityReview, ServiceTeam

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Raised to roll a generated data set back (deleting centres row by row is slow)."""


def generated_hashes(**options):
    """Generate, hash every table of every centre, and roll it all back."""
    try:
        with transaction.atomic():
            synth = synthesize(**options)
            hashes = {p.center.slug: content_hash(p.center) for p in synth.plans}
            raise Undo
    except Undo:
        pass
    return hashes


def test_the_same_seed_gives_the_same_rows_in_every_table():
    options = {"centers": 2, "years": 2, "scale": 0.1, "seed": 7}
    first = generated_hashes(**options)
    again = generated_hashes(**options)
    assert set(first) == {"syn01", "syn02"}
    assert first == again
    # Every table the synthesizer writes is in the hash.
    tables = {
        "hours.TimeEntry", "activities.Event", "activities.Event_municipalities",
        "activities.EventOrganizer", "teams.ServiceTeam", "grants.Assignment",
    }  # fmt: skip
    assert tables <= set(first["syn01"])
    # The two centres differ from each other (their own streams of the same seed).
    assert first["syn01"]["activities.Event"] != first["syn02"]["activities.Event"]
    # Another seed gives other rows.
    other = generated_hashes(**{**options, "seed": 8})
    for table in ("activities.Event", "activities.Presentation", "hours.TimeEntry"):
        assert other["syn01"][table] != first["syn01"][table]


def test_a_centre_year_has_the_demo_years_shape():
    synth = synthesize(centers=1, years=2, scale=1, seed=3, first_year=2024)
    plan = synth.plans[0]
    center, size = plan.center, plan.size
    shape = demo_shape()
    for year in (2024, 2025):
        events = m.Event.objects.filter(center=center, year=year)
        expected = len(shape.events) * size
        assert 0.84 * expected <= events.count() <= 1.16 * expected
        presentations = m.Presentation.objects.filter(center=center, year=year).count()
        assert 0.84 * len(shape.presentations) * size <= presentations
        assert presentations <= 1.16 * len(shape.presentations) * size
        # Values come from the demo's own vocabulary.
        assert set(events.values_list("theme", flat=True)) <= {r["Tema"] for r in shape.events}
        assert set(events.values_list("format", flat=True)) <= {"Fysisk", "Digital", "Hybrid", ""}
        assert set(events.values_list("scope", flat=True)) <= {
            r["Nasjonal/regional"] for r in shape.events
        }
        # Events have organisers, some reach municipalities, most are tagged to assignments.
        assert m.EventOrganizer.objects.filter(event__in=events).count() >= events.count()
        assert m.Event.municipalities.through.objects.filter(event__in=events).exists()
        tagged = events.filter(assignments__isnull=False).distinct().count()
        assert 0.6 * events.count() <= tagged <= 0.95 * events.count()
        assert FidelityReview.objects.filter(center=center, date__year=year).exists()
    teams = ServiceTeam.objects.filter(center=center).count()
    assert 0.84 * len(shape.teams) * TEAM_SHARE * size <= teams
    assert teams <= 1.16 * len(shape.teams) * TEAM_SHARE * size


def test_every_centre_year_has_a_generated_budget_and_ledger_marked_as_such():
    from oppdrag.finance.figures import finance_for
    from oppdrag.finance.models import BudgetItem, BudgetRevision, LedgerImport, LedgerLine
    from oppdrag.grants.models import Grant

    synth = synthesize(centers=2, years=2, scale=0.1, seed=6, first_year=2024)
    for plan in synth.plans:
        for year in (2024, 2025):
            grant = Grant.objects.get(center=plan.center, year=year)
            revision = BudgetRevision.objects.get(center=plan.center, year=year)
            batch = LedgerImport.objects.get(center=plan.center, year=year)
            assert revision.is_generated and batch.is_generated
            granted = BudgetItem.objects.filter(revision=revision, source="grant")
            assert sum(granted.values_list("amount", flat=True)) == grant.amount_nok
            lines = LedgerLine.objects.filter(batch=batch)
            assert lines.count() == batch.rows > 48
            # Summed here: SQLite sums decimals as floats.
            assert sum(lines.values_list("amount", flat=True)) == batch.total
            # The finance pages' figures read them: spending by assignment and cost type.
            finance = finance_for(plan.center, year)
            assert finance.is_generated and finance.total.planned > 0 < finance.total.spent
            assert len([a for a in finance.by_assignment if a.spent]) > 1


def test_hours_are_daily_rows_that_fill_working_days():
    synth = synthesize(centers=1, years=1, scale=0.2, seed=4, first_year=2025)
    center = synth.plans[0].center
    entries = list(TimeEntry.objects.filter(center=center))
    assert len(entries) == synth.counts["timeentry"]
    assert all(e.start == e.end for e in entries)  # days
    assert not any(e.batch_id for e in entries)  # written by no import
    per_day: defaultdict[tuple[int | None, dt.date], list[Decimal]] = defaultdict(list)
    for e in entries:
        per_day[e.person_id, e.start].append(e.hours)
    days: Counter[int | None] = Counter()
    for (person, day), hours in per_day.items():
        assert sum(hours) == Decimal("7.50")
        assert 1 <= len(hours) <= PROJECTS_PER_DAY[1]
        assert day.weekday() < 5
        days[person] += 1
    # Every working day of 2025 (261) has hours for every staff member.
    assert set(days.values()) == {261}
    assert all(e.start.year == 2025 for e in entries)


def test_key_figures_are_computed_from_the_synthetic_rows_with_constant_queries():
    small = synthesize(centers=1, years=1, scale=0.05, seed=5, prefix="s", first_year=2025)
    large = synthesize(centers=1, years=1, scale=0.5, seed=5, prefix="l", first_year=2025)
    counts = []
    for synth in (small, large):
        center = synth.plans[0].center
        with CaptureQueriesContext(connection) as captured:
            figures = key_figures(center, 2025)
        counts.append(len(captured))
        assert figures["counts"]["events"] == m.Event.objects.filter(center=center).count()
        total = TimeEntry.objects.filter(center=center).aggregate(t=Sum("hours"))["t"]
        assert figures["hours"]["total_hours"] == total
        assert figures["teams"]
    assert counts[0] == counts[1]


def test_the_command_writes_the_centres_and_refuses_to_write_them_twice():
    out = StringIO()
    call_command("synth", centers=1, years=1, scale=0.05, seed=1, json=True, stdout=out)
    rows = json.loads(out.getvalue())["rows"]
    assert rows["event"] == m.Event.objects.filter(center__slug="syn01").count() > 0
    with pytest.raises(CommandError, match="syn01"):
        call_command("synth", centers=1, years=1, scale=0.05, stdout=StringIO())


def test_the_command_rejects_an_empty_set():
    with pytest.raises(CommandError, match="--centers"):
        call_command("synth", centers=0, years=1, stdout=StringIO())


def test_reviews_point_to_teams_that_existed_before_the_review_year():
    synthesize(centers=1, years=3, scale=0.3, seed=6, first_year=2020)
    starts = dict(ServiceTeam.objects.values_list("pk", "start_date"))
    by_year: defaultdict[int, int] = defaultdict(int)
    for team_id, date in FidelityReview.objects.values_list("team_id", "date"):
        assert starts[team_id].year < date.year
        by_year[date.year] += 1
    assert by_year
