"""`physioline slots` and `physioline book` on the demo database, as a script would use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from physioline.cli import main
from physioline.db.engine import open_database
from physioline.db.models import Referral
from physioline.services.startup import choose_database


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command on the demo database (``--demo`` goes after the subcommand's action)."""
    action = 2 if args[0] in ("slots", "appointment") else 1
    status = main([*args[:action], "--demo", *args[action:]])
    out = capsys.readouterr()
    return status, out.out, out.err


def _triaged_referrals(count: int) -> list[int]:
    db = open_database(choose_database(None, demo=True).url)
    try:
        with db.sessions() as session:
            ids = session.scalars(
                sa.select(Referral.id).where(Referral.status == "triaged")
                .order_by(Referral.id).limit(count)
            ).all()  # fmt: skip
    finally:
        db.dispose()
    assert len(ids) == count
    return list(ids)


def test_search_then_book_then_just_taken(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run(capsys, "slots", "search", "--as", "priya", "--type", "new",
                         "--urgency", "routine", "--clinic", "LDW", "--clinic", "CFD",
                         "--times", "afternoon,evening", "--format", "json")  # fmt: skip
    assert status == 0
    found = json.loads(out)
    assert found["urgency"] == "routine"
    assert found["filters"] == "2 clinics, afternoons and evenings"
    slots = found["slots"]
    assert 0 < len(slots) <= 20
    assert {s["clinic_code"] for s in slots} <= {"LDW", "CFD"}
    assert all(s["time"] >= "12:00" and s["within_window"] for s in slots)
    assert [s["starts_at"] for s in slots] == sorted(s["starts_at"] for s in slots)

    first, second = _triaged_referrals(2)
    slot = str(slots[0]["slot_id"])
    status, out, _ = run(capsys, "book", "--as", "priya", "--referral", str(first), "--slot", slot)
    assert status == 0
    assert out.startswith("appointment ")
    assert f"Booked: {slots[0]['day'][:10]} {slots[0]['time']}" in out
    status, _, err = run(capsys, "book", "--as", "tom", "--referral", str(second), "--slot", slot)
    assert status == 7
    assert err.startswith("physioline: Just taken by a colleague:")

    status, out, _ = run(capsys, "slots", "search", "--as", "priya", "--type", "new",
                         "--urgency", "routine", "--format", "json")  # fmt: skip
    assert int(slot) not in {s["slot_id"] for s in json.loads(out)["slots"]}

    appointment = _appointment_of(first)
    ics = tmp_path / "appointment.ics"
    status, _, _ = run(capsys, "appointment", "ics", "--as", "jo", "--appointment",
                       str(appointment), "-o", str(ics))  # fmt: skip
    assert status == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def _appointment_of(referral_id: int) -> int:
    from physioline.db.models import Appointment

    db = open_database(choose_database(None, demo=True).url)
    try:
        with db.sessions() as session:
            found = session.scalar(
                sa.select(Appointment.id).where(Appointment.referral_id == referral_id)
            )
    finally:
        db.dispose()
    assert found is not None
    return found


def test_nothing_fits_bad_input_and_roles(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "slots", "search", "--as", "jo", "--type", "new", "--urgency",
                         "urgent", "--language", "Klingon", "--format", "json")  # fmt: skip
    assert status == 0
    result = json.loads(out)
    assert result["nothing_fits"] is True
    assert result["slots"] == []
    assert result["message"].startswith("Nothing fits the target window before ")

    status, out, err = run(capsys, "slots", "search", "--as", "jo", "--type", "follow_up",
                           "--urgency", "routine", "--days", "fri", "--limit", "3")  # fmt: skip
    assert status == 0
    assert len(out.splitlines()) == 4  # the window line and three slots
    assert "3 slots shown" in err

    (referral,) = _triaged_referrals(1)
    status, _, err = run(capsys, "book", "--as", "priya", "--referral", str(referral),
                         "--slot", "999999")  # fmt: skip
    assert (status, err.strip()) == (5, "physioline: There is no slot 999999. Search again and "
                                        "pick a slot from the list.")  # fmt: skip
    status, _, err = run(capsys, "slots", "search", "--as", "priya", "--type", "new",
                         "--urgency", "routine", "--clinic", "XYZ")  # fmt: skip
    assert status == 5
    assert "No clinic XYZ" in err
    status, _, err = run(capsys, "slots", "search", "--as", "priya", "--type", "new",
                         "--urgency", "routine", "--days", "someday")  # fmt: skip
    assert status == 2

    status, _, err = run(capsys, "slots", "generate", "--as", "priya")
    assert status == 6
    status, out, _ = run(capsys, "slots", "generate", "--as", "sam", "--weeks", "8")
    assert status == 0
    assert "added" in out
    assert "booked and blocked slots unchanged" in out


def test_a_cancelled_slot_is_offered_to_the_waiting_list_and_booked_from_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from physioline.clock import SystemClock
    from physioline.services import booking
    from physioline.services.desk import Desk
    from physioline.services.startup import sign_in_demo_user

    status, out, _ = run(capsys, "slots", "search", "--as", "jo", "--type", "new",
                         "--urgency", "routine", "--format", "json")  # fmt: skip
    slot = json.loads(out)["slots"][0]
    first, waiting = _triaged_referrals(2)
    status, out, _ = run(capsys, "book", "--as", "jo", "--referral", str(first),
                         "--slot", str(slot["slot_id"]))  # fmt: skip
    assert status == 0
    clock = SystemClock()
    db = open_database(choose_database(None, demo=True).url)
    try:
        jo = Desk(db=db, clock=clock, actor=sign_in_demo_user(db, "jo"))
        (clinic,) = booking.clinic_ids(jo, [slot["clinic_code"]])
        booking.add_to_waiting_list(jo, waiting, clinic_ids=[clinic])
    finally:
        db.dispose()

    status, out, _ = run(capsys, "appointment", "cancel", "--as", "jo", "--appointment",
                         str(_appointment_of(first)), "--reason", "Moving away",
                         "--by", "patient")  # fmt: skip
    assert status == 0
    assert f"1 patient waiting for {slot['clinic']}: earliest waiting since " in out
    assert f"referral {waiting})." in out
    status, out, _ = run(capsys, "slots", "waiting", "--as", "jo", "--slot",
                         str(slot["slot_id"]), "--book")  # fmt: skip
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"1 patient waiting for {slot['clinic']}")
    assert lines[1].startswith(f"appointment {_appointment_of(waiting)} for referral {waiting}: ")
    status, out, _ = run(capsys, "slots", "waiting", "--as", "jo", "--slot", str(slot["slot_id"]))
    assert (status, out.strip().endswith("is booked.")) == (0, True)
