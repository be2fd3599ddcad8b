"""`physioline worklist`: the same list as the screen, for scripts."""

from __future__ import annotations

import csv
import io
import json

import pytest

from physioline.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["worklist", "--demo", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_team_json_is_most_urgent_first_and_open_only(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--as", "sam", "--team", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    assert len(rows) > 50
    assert [r["due_at"] for r in rows] == sorted(r["due_at"] for r in rows)
    assert {r["status"] for r in rows} <= {"awaiting_call", "in_call"}
    assert all(r["nhs_number"].startswith("999 ") for r in rows)


def test_clinician_overdue_csv(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--as", "sam", "--clinician", "priya", "--overdue",
                         "--format", "csv")  # fmt: skip
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    assert {r["assigned_to"] for r in rows} == {"Priya Shah"}
    assert all(r["time_left"].startswith("overdue by") for r in rows)


def test_unassigned_table_and_mine(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--as", "priya", "--unassigned")
    assert status == 0
    assert out.splitlines()[0].split()[:3] == ["due_at", "time_left", "patient"]
    assert "referrals" in err
    status, out, _ = run(capsys, "--as", "priya", "--mine", "--format", "json")
    assert status == 0
    assert {r["assigned_to"] for r in json.loads(out)} == {"Priya Shah"}


def test_unknown_clinician_and_missing_identity(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--as", "sam", "--clinician", "nobody")
    assert status == 5
    assert "no clinician called 'nobody'" in err
    status, _, err = run(capsys, "--team")
    assert status == 6
    assert "--as USERNAME" in err
    status, _, err = run(capsys, "--as", "alex", "--team")
    assert status == 6
    assert "system admin" in err
