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


def test_on_a_real_database_the_person_signs_in_with_their_password(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import getpass
    import sys

    from physioline.clock import SystemClock
    from physioline.db.engine import open_database
    from physioline.services import identity

    url = f"sqlite:///{tmp_path}/desk.db"
    assert main(["db", "upgrade", "--database", url]) == 0
    db = open_database(url)
    identity.create_first_admin(db, SystemClock(), username="it", display_name="Alex IT",
                                password="a long enough password")  # fmt: skip
    db.dispose()
    capsys.readouterr()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "a long enough password")
    # IT may verify the audit trail but sees no worklist.
    assert main(["audit", "verify", "--database", url, "--as", "it"]) == 0
    assert "audit chain intact" in capsys.readouterr().out
    assert main(["worklist", "--team", "--database", url, "--as", "it"]) == 6
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "wrong password")
    assert main(["audit", "verify", "--database", url, "--as", "it"]) == 6
    assert "not right" in capsys.readouterr().err
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["audit", "verify", "--database", url, "--as", "it"]) == 6
    assert "typed at a terminal" in capsys.readouterr().err
