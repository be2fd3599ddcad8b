"""Files written for people are whole or absent: never half an appointment."""

from __future__ import annotations

from pathlib import Path

import pytest

from physioline.files import write_text_atomic


def test_the_text_arrives_whole_with_its_line_endings(tmp_path: Path) -> None:
    target = tmp_path / "appointment.ics"
    assert write_text_atomic(target, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") == target
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert target.stat().st_mode & 0o077 == 0  # the owner's only: it describes an appointment
    write_text_atomic(target, "second")
    assert target.read_text(encoding="utf-8") == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["appointment.ics"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "appointment.ics"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "caf\u00e9 \ud800", encoding="utf-8")  # a lone surrogate
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["appointment.ics"]
