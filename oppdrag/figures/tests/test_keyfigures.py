from django.db import connection
from django.test.utils import CaptureQueriesContext

from oppdrag.activities import models as m
from oppdrag.figures.keyfigures import key_figures, years_compared
from oppdrag.figures.scale import multiply


def queries_for(center, year):
    with CaptureQueriesContext(connection) as captured:
        figures = key_figures(center, year)
    return len(captured), figures


def test_the_number_of_queries_does_not_grow_with_the_data(demo):
    at_1x, figures_1x = queries_for(demo, 2025)
    multiply(demo, 2025, 20)
    at_20x, figures_20x = queries_for(demo, 2025)
    assert figures_20x["counts"]["events"] == 20 * figures_1x["counts"]["events"]
    assert figures_20x["events"]["participants"] == 20 * figures_1x["events"]["participants"]
    assert figures_20x["events"]["by_format"]["Fysisk"] == 20 * 71
    assert at_20x == at_1x


def test_another_centres_records_never_reach_the_figures(demo, make_center, tmp_path):
    other = make_center("korus-midt")
    m.Event.objects.create(center=other, year=2025, theme="Annet", title="X", participants=999)
    m.Presentation.objects.create(center=other, year=2025, title="Y", kind="Foredrag")
    figures = key_figures(demo, 2025)
    assert figures["counts"]["events"] == 128
    assert figures["events"]["participants"] == 9413
    assert "Annet" not in figures["events"]["by_theme"]
    other_figures = key_figures(other, 2025)
    assert other_figures["counts"]["events"] == 1
    assert other_figures["counts"]["presentations"] == 1
    assert other_figures["topic_pages"] == {} and other_figures["published"] == {}


def test_a_year_without_records_has_zero_figures(center):
    figures = key_figures(center, 2031)
    assert set(figures["counts"].values()) == {0}
    assert figures["events"]["participants"] == 0
    assert figures["events"]["by_format"] == {}


def test_the_years_compared_agree_with_the_key_figures_of_each_year(demo):
    for participants in (40, 25):
        m.Event.objects.create(
            center=demo, year=2024, theme="Bolig", title="Fagdag", participants=participants
        )
    current, previous = years_compared(demo, 2025)
    full = key_figures(demo, 2025)
    assert current["counts"] == full["counts"]
    assert current["events"]["participants"] == full["events"]["participants"] == 9413
    assert current["comparisons"] == full["comparisons"] != []
    before = key_figures(demo, 2024)
    assert previous["counts"] == before["counts"] and before["counts"]["events"] == 2
    assert previous["events"]["participants"] == before["events"]["participants"] == 65
