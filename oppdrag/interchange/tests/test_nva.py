"""NVA import: the client against a local server, the importers, re-import by NVA id."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oppdrag.activities import models as m
from oppdrag.core.models import Person
from oppdrag.interchange.importers import NvaCsvImporter, NvaJsonImporter

FILES = Path(__file__).parent / "nva"


class NvaHandler(BaseHTTPRequestHandler):
    """Serves the recorded pages under /ok, and failures under /error, /slow, /broken."""

    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        parsed = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(parsed.query)
        mode = parsed.path.split("/")[1]
        if mode == "error":
            self.send_error(500, "Internal Server Error")
            return
        if mode == "slow":
            time.sleep(1.5)
        if mode == "broken":
            body = b'{"totalHits": 3, "hits": [{"identifier": '
        else:
            start = int(query.get("from", ["0"])[0])
            body = (
                FILES / ("search-page-1.json" if start == 0 else "search-page-2.json")
            ).read_bytes()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nva_server() -> Iterator[str]:
    NvaHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), NvaHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetch(base: str, *extra: str) -> str:
    out = StringIO()
    call_command(
        "nva", "fetch", "--center", "napha", "--institution", "7452.0.0.0", "--year", "2025",
        "--base-url", base, *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_fetch_follows_the_pages_and_imports_presentations_and_publications(nva_server, center):
    output = fetch(nva_server + "/ok")
    assert "7 treff hentet fra NVA: 5 lagt til, 0 oppdatert, 0 uendret." in output
    assert "1 resultater fra andre år enn 2025" in output and "1 mediebidrag" in output
    first, second = (urllib.parse.urlparse(p) for p in NvaHandler.requests)
    assert first.path == second.path == "/ok/search/resources"
    assert urllib.parse.parse_qs(first.query)["from"] == ["0"]
    assert urllib.parse.parse_qs(second.query)["from"] == ["4"]  # after the 4 hits of page 1
    assert urllib.parse.parse_qs(first.query)["institution"] == ["7452.0.0.0"]
    assert urllib.parse.parse_qs(first.query)["publicationYear"] == ["2025"]

    kinds = dict(m.Presentation.objects.filter(center=center).values_list("title", "kind"))
    assert kinds == {
        "Boligsosialt arbeid og myndiggjøring": "Foredrag",
        "Innovations through 15 years of implementing ACT/FACT and FACT youth in Norway": (
            "Konferanseforedrag"
        ),
        "Status NAPHA og føringer i feltet": "Annen presentasjon",
    }
    lecture = m.Presentation.objects.get(center=center, title__startswith="Boligsosialt")
    assert lecture.date.isoformat() == "2025-09-22"
    assert lecture.nva_id == "0199a1b2c3d4-1f2e3d4c-5b6a-4789-8abc-def012345601"
    assert lecture.url.endswith("/publication/0199a1b2c3d4-1f2e3d4c-5b6a-4789-8abc-def012345601")
    conference = m.Presentation.objects.get(center=center, kind="Konferanseforedrag")
    assert conference.date is None and conference.year == 2025  # NVA gives only the year
    names = [c.person.name for c in conference.presentationcontributor_set.all()]
    assert names == ["Kristin Trane", "Thomas Haug", "Torbjørn Ottesen Haugen"]
    report = m.Publication.objects.get(center=center, kind="Forskningsrapport")
    assert [c.person.name for c in report.publicationcontributor_set.all()][1] == (
        "Julie Marit Garmo Granlund"
    )
    assert m.Publication.objects.get(center=center, kind="Faglig kapittel").date is None
    assert Person.objects.filter(center=center).count() == 10


def test_a_second_fetch_changes_nothing_and_says_so(nva_server, center):
    fetch(nva_server + "/ok")
    history = m.Presentation.history.count()
    output = fetch(nva_server + "/ok")
    assert "0 lagt til, 0 oppdatert, 5 uendret." in output
    assert m.Presentation.objects.filter(center=center).count() == 3
    assert m.Publication.objects.filter(center=center).count() == 2
    assert m.Presentation.history.count() == history


def test_a_reimport_updates_by_nva_id_instead_of_duplicating(center, tmp_path):
    NvaJsonImporter(center, 2025).run(FILES / "search-all.json")
    data = json.loads((FILES / "search-all.json").read_text())
    data["hits"][0]["entityDescription"]["mainTitle"] = "Boligsosialt arbeid, myndiggjøring"
    people = data["hits"][1]["entityDescription"]["contributors"]
    people[0]["sequence"], people[1]["sequence"] = 2, 1  # NVA orders by sequence
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    result = NvaJsonImporter(center, 2025).run(changed)
    assert result.ok, result.problems
    assert (result.added, result.updated, result.unchanged) == (0, 2, 3)
    renamed = m.Presentation.objects.get(
        center=center, nva_id="0199a1b2c3d4-1f2e3d4c-5b6a-4789-8abc-def012345601"
    )
    assert renamed.title == "Boligsosialt arbeid, myndiggjøring"
    assert m.Presentation.objects.filter(center=center).count() == 3
    talk = m.Presentation.objects.get(center=center, kind="Konferanseforedrag")
    assert [c.person.name for c in talk.presentationcontributor_set.all()][:2] == [
        "Thomas Haug",
        "Kristin Trane",
    ]


def test_the_csv_export_gives_the_same_records_as_the_json(center, other_center):
    assert NvaJsonImporter(center, 2025).run(FILES / "search-all.json").ok
    result = NvaCsvImporter(other_center, 2025).run(FILES / "export.csv")
    assert result.ok, result.problems
    assert result.added == 5

    def state(c):
        return sorted(
            (p.nva_id, p.title, p.kind, p.date, p.url, tuple(x.name for x in p.contributors.all()))
            for model in (m.Presentation, m.Publication)
            for p in model.objects.filter(center=c)
        )

    assert state(center) == state(other_center)


def test_the_server_error_is_reported_and_nothing_changes(nva_server, center):
    with pytest.raises(CommandError, match="NVA svarte 500"):
        fetch(nva_server + "/error")
    assert not m.Presentation.objects.filter(center=center).exists()


def test_a_slow_server_times_out_with_a_clear_message(nva_server, center):
    with pytest.raises(CommandError, match=r"svarte ikke innen 0\.3 sekunder"):
        fetch(nva_server + "/slow", "--timeout", "0.3")
    assert not m.Presentation.objects.filter(center=center).exists()


def test_malformed_json_is_refused(nva_server, center):
    with pytest.raises(CommandError, match="ikke med gyldig JSON"):
        fetch(nva_server + "/broken")


def test_an_unreachable_server_is_named(center):
    with pytest.raises(CommandError, match="Får ikke kontakt med NVA"):
        fetch("http://127.0.0.1:9", "--timeout", "2")


def test_a_bad_hit_is_named_by_number_and_field_and_nothing_is_saved(center, tmp_path):
    data = json.loads((FILES / "search-all.json").read_text())
    del data["hits"][1]["entityDescription"]["mainTitle"]
    data["hits"][3]["entityDescription"]["publicationDate"]["month"] = "13"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = NvaJsonImporter(center, 2025).run(bad)
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "entityDescription.mainTitle"),
        (4, "entityDescription.publicationDate"),
    ]
    assert (
        str(result.problems[0])
        == "bad.json, rad 2, kolonne «entityDescription.mainTitle»: Tittelen mangler."
    )
    assert not m.Presentation.objects.filter(center=center).exists()
    assert not Person.objects.filter(center=center).exists()


def test_a_file_that_is_not_json_is_refused_with_its_line(center, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"hits": [\n  {"identifier": }\n]}')
    result = NvaJsonImporter(center, 2025).run(bad)
    assert result.problems[0].row == 2
    assert "ikke gyldig JSON" in result.problems[0].message


def test_a_bad_csv_row_is_named_by_line_and_column(center, tmp_path):
    text = (FILES / "export.csv").read_text(encoding="utf-8-sig").splitlines()
    text[3] = text[3].replace('"2025-12-03"', '"2025-12-32"')
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text), encoding="utf-8")
    result = NvaCsvImporter(center, 2025).run(bad)
    assert [(p.row, p.column) for p in result.problems] == [(4, "publicationDate")]
    assert not m.Presentation.objects.filter(center=center).exists()


def test_import_command_knows_both_kinds(center):
    out = StringIO()
    call_command(
        "import_records", "nva-csv", str(FILES / "export.csv"), "--center", "napha",
        "--year", "2025", stdout=out,
    )  # fmt: skip
    assert "5 lagt til" in out.getvalue()
    out = StringIO()
    call_command(
        "import_records", "nva-json", str(FILES / "search-all.json"), "--center", "napha",
        "--year", "2025", stdout=out,
    )  # fmt: skip
    assert "0 lagt til" in out.getvalue() and "5 uendret" in out.getvalue()


def test_records_registered_by_hand_are_linked_not_duplicated(demo):
    before = m.Presentation.objects.filter(center=demo).count()
    publications = m.Publication.objects.filter(center=demo).count()
    by_hand = m.Presentation.objects.get(center=demo, title="Boligsosialt arbeid og myndiggjøring")
    assert by_hand.nva_id == ""
    result = NvaJsonImporter(demo, 2025).run(FILES / "search-all.json")
    assert result.ok, result.problems
    by_hand.refresh_from_db()
    assert by_hand.nva_id == "0199a1b2c3d4-1f2e3d4c-5b6a-4789-8abc-def012345601"
    # The 2025 appendix lists all three presentations already (the conference talk and
    # «Status NAPHA …» as well), so none is added.
    assert m.Presentation.objects.filter(center=demo).count() == before
    # Both publications are in appendix 5 with their NVA links: found by NVA id.
    assert m.Publication.objects.filter(center=demo).count() == publications


def test_a_spreadsheet_cannot_register_an_nva_result_twice(center, tmp_path):
    from oppdrag.activities.importers import PublicationImporter
    from tests.files import write_table

    link = "https://api.nva.unit.no/publication/019b2269c52d-fddbb09d-667a-4bd5-9ce1-1e7fdc56a386"
    header = ["Type", "Tittel", "Bidragsytere", "Lenke"]
    twice = write_table(
        tmp_path, "p.csv", [header, ["Rapport", "R", "A B", link], ["Rapport", "S", "A B", link]]
    )
    result = PublicationImporter(center, 2025).run(twice)
    assert [(p.row, p.column) for p in result.problems] == [(3, "Lenke")]
    assert NvaCsvImporter(center, 2025).run(FILES / "export.csv").ok
    once = write_table(tmp_path, "q.csv", [header, ["Rapport", "R", "A B", link]])
    result = PublicationImporter(center, 2025).run(once)
    assert "allerede registrert" in result.problems[0].message
    assert m.Publication.objects.filter(center=center).count() == 2


def test_a_csv_export_mixing_encodings_is_refused_and_nothing_changes(center, tmp_path):
    path = tmp_path / "export.csv"
    lines = (FILES / "export.csv").read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:3]) + lines[1].decode("utf-8").encode("latin-1"))
    result = NvaCsvImporter(center, 2025).run(path)
    assert not result.ok
    assert "er UTF-8, men linje 4 er Windows-1252" in result.problems[0].message
    assert not m.Presentation.objects.filter(center=center).exists()
