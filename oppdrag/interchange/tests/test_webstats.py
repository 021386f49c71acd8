"""Web statistics from Matomo and GA4 exports: topic-page visits, site totals, refusals."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.activities import models as m
from oppdrag.figures.keyfigures import key_figures
from oppdrag.interchange import webstats
from oppdrag.interchange.importers import WebStatisticsImporter
from oppdrag.interchange.models import SiteTraffic

# Matomo «Pages» export (flat), English column names, as Matomo writes CSV for Excel:
# UTF-16 little-endian with a byte-order mark. Topic-page figures are NAPHA's for 2025
# (annual report, chapter 2a); the last row carries the rest of the site, so the sums
# are the site totals printed there: 624 625 unique pageviews and 386 117 visits.
MATOMO = """Label,Unique Pageviews,Pageviews,Bounce Rate,Avg. time on page,Exit rate,Entrances,Exits
/tema/act-og-fact-team,9690,12011,41%,00:01:10,38%,5120,3900
/tema/arbeid-og-psykisk-helse/,2299,2675,39%,00:00:58,35%,1300,900
/nyheter/revidert-veileder,15020,16110,60%,00:02:01,55%,12000,9000
/,597616,701204,48%,00:00:45,51%,367697,300000
"""


@pytest.fixture
def pages(center):
    act = m.TopicPage.objects.create(
        center=center, name="ACT- og FACT-team", url="https://www.napha.no/tema/act-og-fact-team"
    )
    work = m.TopicPage.objects.create(
        center=center,
        name="Arbeid og psykisk helse",
        url="https://www.napha.no/tema/arbeid-og-psykisk-helse",
    )
    housing = m.TopicPage.objects.create(center=center, name="Bolig")
    return act, work, housing


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    if encoding == "utf-16":
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    else:
        path.write_bytes(text.encode(encoding))
    return path


def test_a_matomo_page_report_gives_topic_page_visits_and_site_totals(center, pages, tmp_path):
    act, work, _housing = pages
    m.PublishedFigure.objects.create(
        center=center, year=2025, key="web_unique_pageviews", value=Decimal(624625)
    )
    result = WebStatisticsImporter(center, 2025).run(
        write(tmp_path, "matomo.csv", MATOMO, "utf-16")
    )
    assert result.ok, result.problems
    visits = dict(
        m.TopicPageVisits.objects.filter(center=center, year=2025).values_list("page", "visits")
    )
    assert visits == {act.pk: 9690, work.pk: 2299}  # «Bolig» has no address and no title row
    traffic = SiteTraffic.objects.get(center=center, year=2025)
    assert (traffic.source, traffic.unique_pageviews, traffic.visits) == ("matomo", 624625, 386117)
    assert traffic.pageviews == 12011 + 2675 + 16110 + 701204
    assert traffic.users is None  # users per page cannot be summed into site users
    assert any("Bolig" in note for note in result.notes)
    assert any("«Unique Pageviews»" in note for note in result.notes)

    web = key_figures(center, 2025)["web"]
    assert web["visits"] == 386117 and web["unique_pageviews"] == 624625
    assert web["comparisons"] == [
        {
            "key": "web_unique_pageviews",
            "published": 624625,
            "computed": 624625,
            "difference": 0,
            "source": "",
        }
    ]
    assert key_figures(center, 2026)["web"]["previous_year"]["visits"] == 386117


def test_importing_a_year_again_replaces_it_and_says_so(center, pages, tmp_path):
    act, *_rest = pages
    WebStatisticsImporter(center, 2025).run(write(tmp_path, "a.csv", MATOMO))
    second = MATOMO.replace("9690,12011", "9700,12020")
    result = WebStatisticsImporter(center, 2025).run(write(tmp_path, "b.csv", second))
    assert result.ok
    assert any("Erstatter nettstedstallene for 2025 fra a.csv" in n for n in result.notes)
    assert any("Erstatter besøkstallene for 2025 på 2 temasider" in n for n in result.notes)
    assert m.TopicPageVisits.objects.get(page=act, year=2025).visits == 9700
    assert SiteTraffic.objects.filter(center=center).count() == 1
    assert SiteTraffic.objects.get(center=center).file_name == "b.csv"


GA4 = """# ----------------------------------------
# Pages and screens: Page path and screen class
# Account: NAPHA
# Property: napha.no
# ----------------------------------------
#
# All Users
# Start date: 20250101
# End date: 20251231
Page path and screen class,Views,Active users,Views per active user,\
Average engagement time per active user,Event count,Key events,Sessions
,730000,280591,2.6,48.2,2100000,0,386117
/tema/act-og-fact-team/,12011,8000,1.5,70.1,30000,0,9690
/tema/arbeid-og-psykisk-helse,2675,2100,1.27,50.3,6000,0,2299
/,715314,270491,2.64,40.0,2064000,0,374128
"""


def test_a_ga4_export_with_its_comment_lines_and_total_row(center, pages, tmp_path):
    act = pages[0]
    result = WebStatisticsImporter(center, 2025).run(write(tmp_path, "ga4.csv", GA4))
    assert result.ok, result.problems
    traffic = SiteTraffic.objects.get(center=center, year=2025)
    assert (traffic.source, traffic.users, traffic.visits, traffic.pageviews) == (
        "ga4",
        280591,
        386117,
        730000,
    )
    # No unique pageviews in GA4: a page's visits are its sessions.
    assert m.TopicPageVisits.objects.get(page=act, year=2025).visits == 9690
    assert any("«Sessions»" in note for note in result.notes)


def test_pages_without_an_address_are_found_by_their_title(center, pages, tmp_path):
    text = (
        "# Start date: 20250101\n# End date: 20251231\n"
        "Sidetittel og skjermklasse;Visninger;Aktive brukere\n"
        "Bolig - Napha.no;309;250\n"
        "Forside | Napha.no;9000;7000\n"
    )
    result = WebStatisticsImporter(center, 2025).run(write(tmp_path, "ga4-nb.csv", text))
    assert result.ok, result.problems
    assert m.TopicPageVisits.objects.get(page=pages[2], year=2025).visits == 309


def test_a_report_for_another_year_is_refused(center, pages, tmp_path):
    result = WebStatisticsImporter(center, 2024).run(write(tmp_path, "ga4.csv", GA4))
    assert not result.ok
    assert "01.01.2025, ikke 2024" in result.problems[0].message
    assert not SiteTraffic.objects.exists()


def test_a_bad_number_is_named_by_line_and_column_and_nothing_changes(center, pages, tmp_path):
    bad = MATOMO.replace("2299,2675", "2299,mange")
    result = WebStatisticsImporter(center, 2025).run(write(tmp_path, "bad.csv", bad))
    assert [(p.row, p.column) for p in result.problems] == [(3, "Pageviews")]
    assert str(result.problems[0]).startswith("bad.csv, rad 3, kolonne «Pageviews»: ")
    assert not m.TopicPageVisits.objects.exists() and not SiteTraffic.objects.exists()


def test_a_file_without_a_figure_column_is_refused_at_its_header(center, tmp_path):
    result = WebStatisticsImporter(center, 2025).run(
        write(tmp_path, "x.csv", "# note\nPage,Bounce rate\n/a,40%\n")
    )
    assert result.problems[0].row == 2
    assert "Finner ingen tallkolonne" in result.problems[0].message


def test_norwegian_matomo_headers_and_the_visits_overview(center, pages, tmp_path):
    norwegian = (
        "Type;Unike sidevisninger;Sidevisninger;Innganger\n/tema/act-og-fact-team;9690;12011;5120\n"
    )
    assert WebStatisticsImporter(center, 2025).run(write(tmp_path, "nb.csv", norwegian)).ok
    assert m.TopicPageVisits.objects.get(page=pages[0], year=2025).visits == 9690
    overview = "Besøk,Unike besøkere,Brukere,Handlinger\n386117,280591,280591,900000\n"
    assert WebStatisticsImporter(center, 2025).run(write(tmp_path, "sum.csv", overview)).ok
    traffic = SiteTraffic.objects.get(center=center, year=2025)
    assert (traffic.visits, traffic.users) == (386117, 280591)


def test_the_import_command_knows_the_kind(center, pages, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    path = write(tmp_path, "matomo.csv", MATOMO, "utf-16")
    call_command(
        "import_records", "web-statistics", str(path), "--center", "napha", "--year", "2025",
        stdout=out,
    )  # fmt: skip
    assert "matomo.csv: 4 rader kontrollert" in out.getvalue()


# --- properties of the parser --------------------------------------------------------
paths = st.lists(
    st.from_regex(r"\A/[a-z0-9\-/æøå]{0,30}\Z"),
    min_size=1,
    max_size=12,
    unique_by=webstats.normalize_path,
)


@given(
    paths,
    st.data(),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_any_matomo_export_reads_back_with_its_sums(pages_, data, encoding, delimiter, norwegian):
    numbers = [data.draw(st.tuples(*(st.integers(0, 10**7) for _ in range(3)))) for _ in pages_]
    header = (
        ["Type", "Unike sidevisninger", "Sidevisninger", "Innganger"]
        if norwegian
        else ["Label", "Unique Pageviews", "Pageviews", "Entrances"]
    )
    lines = [delimiter.join(header)] + [
        delimiter.join([path, *(str(n) for n in row)])
        for path, row in zip(pages_, numbers, strict=True)
    ]
    text = "\r\n".join(lines) + "\r\n"
    raw = (
        codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        if encoding == "utf-16"
        else text.encode(encoding)
    )
    stats, problems = webstats.parse(raw)
    assert problems == [] and stats is not None
    assert [p.path for p in stats.pages] == pages_
    assert [p.page_visits() for p in stats.pages] == [row[0] for row in numbers]
    assert stats.totals["unique_pageviews"] == sum(row[0] for row in numbers)
    assert stats.totals["pageviews"] == sum(row[1] for row in numbers)
    assert stats.totals["visits"] == sum(row[2] for row in numbers)
    assert stats.totals["users"] is None


@given(st.binary(max_size=300))
def test_any_bytes_give_statistics_or_named_problems_never_a_crash(raw):
    stats, problems = webstats.parse(raw)
    assert (stats is None) == bool(problems)


@given(st.text(max_size=200))
def test_any_text_gives_statistics_or_named_problems_never_a_crash(text):
    stats, problems = webstats.parse(("Label,Pageviews\n" + text).encode())
    assert (stats is None) == bool(problems)
    for problem in problems:
        assert problem.message


def test_an_export_mixing_utf_8_and_latin_1_is_refused_naming_the_line():
    data = "Label,Pageviews\n/tema/bolig-først,3\n".encode() + "/tema/rus-på-ny,4\n".encode(
        "latin-1"
    )
    stats, problems = webstats.parse(data)
    assert stats is None
    assert [(p.line, "linje 2 er UTF-8, men linje 3 er Windows-1252" in p.message)
            for p in problems] == [(3, True)]  # fmt: skip
