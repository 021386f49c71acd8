"""``oppdrag fidelity agreement FILE.csv --json``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from oppdrag.teams.matrixfile import MatrixRejected, read_matrix

SHROUT_FLEISS = "Enhet;A;B;C;D\n1;9;2;5;8\n2;6;1;3;2\n3;8;4;6;8\n4;7;1;2;6\n5;10;5;6;9\n6;6;2;4;7\n"


def run(path, *args):
    out = io.StringIO()
    call_command("fidelity", "agreement", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_statistics_as_json_with_the_icc_forms_keyed_by_name(tmp_path):
    path = tmp_path / "kalibrering.csv"
    path.write_text("\ufeff" + SHROUT_FLEISS, encoding="utf-8")
    data = json.loads(run(path, "--json"))
    assert list(data["icc"]) == [
        "ICC(1,1)",
        "ICC(2,1)",
        "ICC(3,1)",
        "ICC(1,k)",
        "ICC(2,k)",
        "ICC(3,k)",
    ]
    assert round(data["icc"]["ICC(3,k)"]["value"], 2) == 0.91
    assert data["raters"] == ["A", "B", "C", "D"]
    assert data["krippendorff_alpha_ordinal"] is not None
    assert len(data["pairs"]) == 6


def test_it_reads_commas_and_two_raters_and_gives_weighted_kappa(tmp_path):
    path = tmp_path / "to.csv"
    path.write_text("Ny,Erfaren\n1,1\n2,3\n4,4\n5,5\n3,3\n", encoding="utf-8")
    data = json.loads(run(path, "--json", "--min", "1", "--max", "5"))
    assert data["exact"] == 0.8
    assert data["within_one"] == 1.0
    assert data["kappa_linear"] is not None
    text = run(path)
    assert "Vektet kappa" in text and "ICC(2,1)" in text


def test_bad_cells_are_named_by_row_and_column_and_the_command_fails(tmp_path):
    path = tmp_path / "feil.csv"
    path.write_text("A;B\n1;x\n2;3\n4;fem\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert "rad 2, kolonne «B»: «x» er ikke en skår." in message
    assert "rad 4, kolonne «B»: «fem» er ikke en skår." in message


def test_scores_outside_the_given_range_fail(tmp_path):
    path = tmp_path / "utenfor.csv"
    path.write_text("A;B\n1;6\n2;3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="utenfor 1"):
        run(path, "--min", "1", "--max", "5")


def test_a_single_rater_is_refused(tmp_path):
    path = tmp_path / "en.csv"
    path.write_text("A\n1\n2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="minst to bedømmere"):
        run(path)


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from([";", ","]),
)
def test_the_matrix_reader_round_trips_what_it_is_given(rows, delimiter):
    text = delimiter.join(["A", "B", "C"]) + "\n"
    text += "".join(delimiter.join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    kept = [row for row in rows if any(v is not None for v in row)]
    if not kept:
        with pytest.raises(MatrixRejected):
            read_matrix(text)
        return
    matrix = read_matrix(text)
    assert matrix.raters == ["A", "B", "C"]
    assert matrix.scores == [[None if v is None else float(v) for v in row] for row in kept]


def test_a_score_file_mixing_encodings_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "kalibrering.csv"
    lines = SHROUT_FLEISS.replace("Enhet", "Enhet (skår)").splitlines(keepends=True)
    lines[2] = lines[2].replace("2", "Økt 2", 1)
    path.write_bytes("".join(lines[:2]).encode() + "".join(lines[2:]).encode("latin-1"))
    with pytest.raises(CommandError, match="linje 1 er UTF-8, men linje 3 er Windows-1252"):
        run(path)
