"""``oppdrag grant-letter import`` and ``oppdrag grant-letter calendar``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from oppdrag.grants.models import Assignment, Grant

from . import letters


def run(*args):
    out = io.StringIO()
    call_command("grant_letter", *args, stdout=out)
    return out.getvalue()


def test_import_json_prints_the_contract_and_saves_the_grant(center, seed_path):
    data = json.loads(run("import", str(seed_path), "--center", "napha", "--json"))
    assert data["year"] == 2026
    assert data["amount_nok"] == 45_500_000
    assert data["budget_lines"][0]["chapter"] == "765"
    assert [a["number"] for a in data["assignments"]][:2] == ["2.1", "2.2"]
    assert data["assignments"][0]["children"][0]["number"] == "2.1.1"
    assert {d["kind"] for d in data["dates"]} == {"meeting", "campaign", "deadline"}
    assert len({m["group"] for m in data["materials"]}) == 5
    assert isinstance(data["unplaced"], list)
    grant = Grant.objects.get(center=center, year=2026)
    assert grant.letter_name == seed_path.name
    assert Assignment.objects.filter(center=center, year=2026).count() == 15


def test_dry_run_saves_nothing(center, seed_path):
    output = run("import", str(seed_path), "--center", "napha", "--dry-run")
    assert "45\u2009500\u2009000 kr" in output
    assert "2.1.1" in output and "Prøvekjøring" in output
    assert not Grant.objects.exists()


def test_a_pdf_imports_like_the_text(center, converted):
    run("import", str(converted["pdf"]), "--center", "napha")
    assert Assignment.objects.filter(center=center, year=2026, number="2.1.1.F").exists()


def test_a_bad_file_is_a_clear_error_not_a_crash(center, tmp_path):
    empty = tmp_path / "tom.docx"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match=r"tom\.docx: Filen «tom\.docx» er tom"):
        run("import", str(empty), "--center", "napha")
    letter = tmp_path / "brev.txt"
    letter.write_text("Takk for søknaden.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Fant ingen nummererte avsnitt"):
        run("import", str(letter), "--center", "napha")


def test_an_unknown_centre_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Ukjent senter"):
        run("import", str(letters.write(tmp_path)), "--center", "finnes-ikke")


def test_importing_the_same_year_twice_is_refused(center, tmp_path):
    letter = str(letters.write(tmp_path))
    run("import", letter, "--center", "napha")
    with pytest.raises(CommandError, match="har allerede et tilskudd for 2027"):
        run("import", letter, "--center", "napha")


def test_calendar_prints_an_ics_feed(center, tmp_path):
    run("import", str(letters.write(tmp_path)), "--center", "napha")
    text = run("calendar", "--center", "napha", "--year", "2027")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    with pytest.raises(CommandError, match="ikke noe tilskudd for 2026"):
        run("calendar", "--center", "napha", "--year", "2026")
