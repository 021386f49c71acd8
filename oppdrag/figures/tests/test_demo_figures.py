"""The NAPHA 2025 demo: one reach number in four places, and the key-figures page of the
report with each figure the records support, its source beside it."""

import json
import re
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from oppdrag.core.models import Membership
from oppdrag.reports import tree as t
from oppdrag.reports.builder import build_report
from oppdrag.teams.demo import load_teams_demo


def test_the_same_reach_on_the_reach_page_dashboard_report_and_json(demo, client, make_user):
    load_teams_demo(demo)  # the teams' catchment is a channel
    out = StringIO()
    call_command("figures", "2025", "--center", "napha", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    number = figures["municipalities_reached"]
    assert figures["reach"]["value"] == number
    assert figures["reach"]["counting"] == "districts"
    assert figures["reach"]["by_channel"]["events"] > 0
    assert figures["reach"]["by_channel"]["teams"] > 0
    # More than either channel alone: the channels are joined, not one picked.
    assert number > max(figures["reach"]["by_channel"].values())

    report = build_report(demo, 2025)
    assert t.key_figures_of(report)["municipalities_reached"].value == number

    client.force_login(make_user("leser", demo, Membership.Role.READER))
    shown = f"{number:,}".replace(",", "\u2009")
    reach_page = client.get(reverse("web:reach", kwargs={"center": "napha"}) + "?year=2025")
    assert re.search(rf'id="kommuner-nadd">{shown} kommuner/bydeler', reach_page.content.decode())
    dashboard = client.get(reverse("web:dashboard", kwargs={"center": "napha"}) + "?year=2025")
    assert f'id="kommuner-nadd">{shown}</td>' in dashboard.content.decode()


def test_the_reports_key_figures_are_those_the_records_support_with_their_sources(demo):
    report = build_report(demo, 2025)
    section = report.section("key-figures")
    (block,) = [b for b in section.blocks if isinstance(b, t.KeyFigures)]
    figures = {item.key: item for item in block.items}
    # The published page's order (NAPHA's figures are the default choice).
    assert list(figures)[:6] == [
        "networks",
        "networks_team_models",
        "municipalities_reached",
        "events",
        "presentations",
        "consultation_responses",
    ]
    assert (figures["events"].value, figures["events"].source) == (128, "Arrangementer (vedlegg 1)")
    assert figures["presentations"].value == 133
    assert figures["consultation_responses"].value == 10
    assert (figures["networks"].value, figures["networks"].source) == (
        7,
        "Grupper og nettverk (vedlegg 9)",
    )
    # No web statistics, web articles or films are registered: said so, not 0.
    for key in ("web_visits", "web_articles", "videos"):
        assert figures[key].value is None and figures[key].source
    # The published comparison is a finding of the check, not a table of the publication.
    tables = [b for b in section.blocks if isinstance(b, t.Table)]
    assert "published-vs-registered" not in {table.key for table in tables}
    assert any(f.code == "published_mismatch" and "386" in f.message for f in report.findings)
