"""`physioline letters`: render a queued letter to a file, list the print queue as JSON."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa

from physioline.cli import main
from physioline.db.engine import Database
from physioline.db.models import AuditEvent, Letter


def run(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> tuple[int, str, str]:
    url = db.url.render_as_string(hide_password=False)
    status = main(["letters", *args[:1], "--database", url, *args[1:]])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_render_writes_the_stored_letter_and_audits_it(
    capsys: pytest.CaptureFixture[str], demo_db: Database, tmp_path: Path
) -> None:
    with demo_db.sessions() as session:
        letter = session.scalars(sa.select(Letter).where(Letter.kind == "advice")).first()
        assert letter is not None
    target = tmp_path / "advice.pdf"
    status, _, err = run(capsys, demo_db, "render", "--as", "jo", "--kind", "advice",
                         "--referral", str(letter.referral_id), "-o", str(target))  # fmt: skip
    assert status == 0, err
    data = target.read_bytes()
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 2
    with demo_db.sessions() as session:
        stored = session.get(Letter, letter.id)
        events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "letter.render"))
        assert [e.entity_id for e in events] == [str(letter.id)]
    assert stored is not None
    assert stored.pdf == data
    assert stored.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert stored.pdf_sha256 in err


def test_render_refuses_a_letter_never_queued_and_it_staff(
    capsys: pytest.CaptureFixture[str], demo_db: Database, tmp_path: Path
) -> None:
    target = tmp_path / "x.pdf"
    status, _, err = run(capsys, demo_db, "render", "--as", "jo", "--kind", "gp",
                         "--referral", "999999", "-o", str(target))  # fmt: skip
    assert status == 5
    assert "No GP letter has been queued for referral 999999" in err
    status, _, err = run(capsys, demo_db, "render", "--as", "alex", "--kind", "gp",
                         "--referral", "1", "-o", str(target))  # fmt: skip
    assert status == 6
    assert not target.exists()


def test_print_queue_json_for_the_team_and_a_physio(
    capsys: pytest.CaptureFixture[str], demo_db: Database
) -> None:
    status, out, _ = run(capsys, demo_db, "print-queue", "--as", "jo", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    assert len(rows) == 23
    assert {r["kind"] for r in rows} == {"advice", "appointment", "unable_to_contact", "gp"}
    held = [r for r in rows if not r["ready"]]
    assert [r["held_reason"] for r in held] == ["No postal address on the patient's record."]
    assert any(r["large_print"] for r in rows)
    assert all(r["nhs_number"].startswith("999 ") for r in rows)
    status, out, _ = run(capsys, demo_db, "print-queue", "--as", "priya", "--format", "json")
    assert status == 0
    assert {r["created_by"] for r in json.loads(out)} == {"Priya Shah"}
    status, out, err = run(capsys, demo_db, "print-queue", "--as", "priya", "--team")
    assert status == 6
    status, out, err = run(capsys, demo_db, "print-queue", "--as", "sam")
    assert status == 0
    assert "HELD: No postal address" in out
    assert "23 letters waiting, 1 held" in err
