"""`physioline rota` as real subprocesses on the demo database, as a script would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def rota(*args: str) -> subprocess.CompletedProcess[str]:
    """``physioline rota ACTION --demo ARGS`` in its own process (PHYSIOLINE_HOME is the test's)."""
    return subprocess.run(
        [sys.executable, "-m", "physioline", "rota", args[0], "--demo", *args[1:]],
        capture_output=True, text=True, env={**os.environ}, timeout=180, check=False,
    )  # fmt: skip


def listed(username: str = "sam") -> dict[str, Any]:
    done = rota("list", "--as", username, "--format", "json")
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_rota_from_the_command_line_changes_sessions_and_exceptions() -> None:
    today = datetime.now(ZoneInfo("Europe/London")).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    before = listed()
    assert len(before["sessions"]) == 22
    martas = [s for s in before["sessions"] if s["clinician"] == "Marta Kowalczyk"]
    assert [(s["day"], s["start"], s["clinic_code"]) for s in martas] == [
        ("mon", "13:30", "CFD"), ("thu", "09:00", "SYD"),
    ]  # fmt: skip

    # Bad input and the wrong role: a clear line on stderr, a documented status, nothing written.
    bad = rota("add-session", "--as", "sam", "--clinician", "marta", "--clinic", "LEE",
               "--day", "mon", "--start", "12:00", "--end", "14:00", "--type", "new")  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.startswith("physioline: Marta Kowalczyk has overlapping rota sessions on "
                                 "Monday: 13:30–17:15 at Catford")  # fmt: skip
    assert bad.stderr.count("\n") == 1
    backwards = rota("add-session", "--as", "sam", "--clinician", "marta", "--clinic", "LEE",
                     "--day", "tue", "--start", "12:00", "--end", "09:00",
                     "--type", "new")  # fmt: skip
    assert backwards.returncode == 2
    assert "ends at 09:00, not after it starts at 12:00" in backwards.stderr
    refused = rota("add-exception", "--as", "jo", "--kind", "leave", "--clinician", "marta",
                   "--from", next_monday.isoformat())  # fmt: skip
    assert refused.returncode == 6
    assert "may not record rota exceptions" in refused.stderr
    assert listed() == before

    # A new session: its slots come with it.
    added = rota("add-session", "--as", "sam", "--clinician", "marta", "--clinic", "LEE",
                 "--day", "tue", "--start", "13:00", "--end", "16:00", "--type", "follow_up",
                 "--until", (today + timedelta(weeks=3)).isoformat())  # fmt: skip
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[0].startswith("session ")
    session_id = int(lines[0].split()[1])
    assert lines[1] == "Session added: Marta Kowalczyk, Tuesdays 13:00–16:00 at Lee Green " \
        "Physiotherapy Rooms."  # fmt: skip
    assert " added, 0 withdrawn; booked and blocked slots unchanged." in lines[2]

    # Leave next Monday takes her free slots off offer; removing it gives them back.
    leave = rota("add-exception", "--as", "sam", "--kind", "leave", "--clinician", "marta",
                 "--from", next_monday.isoformat(), "--note", "Annual leave")  # fmt: skip
    assert leave.returncode == 0, leave.stderr
    exception_id = int(leave.stdout.split()[1])
    assert f"Leave recorded: Marta Kowalczyk, {next_monday:%a %d %b %Y}." in leave.stdout
    assert " 0 added, " in leave.stdout
    during = listed()
    assert [(e["id"], e["kind"], e["who"], e["note"]) for e in during["exceptions"]] == [
        (exception_id, "leave", "Marta Kowalczyk", "Annual leave"),
    ]
    removed = rota("remove-exception", "--as", "sam", "--exception", str(exception_id))
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith("Removed: Leave: Marta Kowalczyk")

    ended = rota("end-session", "--as", "alex", "--session", str(session_id))  # IT may too
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.startswith("Session ended: Marta Kowalczyk, Tuesdays 13:00–16:00")
    again = rota("end-session", "--as", "sam", "--session", str(session_id))
    assert again.returncode == 5  # it never ran, so it is gone
    after = listed()
    assert after == before
    table = rota("list", "--as", "sam", "--clinician", "marta")
    assert table.returncode == 0
    assert "Marta Kowalczyk      mon 13:30–17:15 CFD  new 45 min × 5, 1 held for urgent" in (
        table.stdout
    )
