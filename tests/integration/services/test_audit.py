"""The audit chain: intact after many desks write at once; names any row tampered with."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from physioline.cli import main
from physioline.clock import FrozenClock
from physioline.db.engine import Database
from physioline.db.models import AuditEvent
from physioline.db.uow import UnitOfWork
from physioline.errors import NotPermitted
from physioline.services.audit import verify_chain
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user


def desk_as(db: Database, clock: FrozenClock, username: str) -> Desk:
    return Desk(db=db, clock=clock, actor=sign_in_demo_user(db, username))


def write_events(db: Database, clock: FrozenClock, count: int) -> None:
    for i in range(count):
        with UnitOfWork(db, clock, None) as uow:
            uow.audit("test.event", "test", i, details={"n": i})
            uow.commit()


def test_chain_stays_one_chain_when_many_desks_write_at_once(
    demo_db: Database, clock: FrozenClock
) -> None:
    threads = [threading.Thread(target=write_events, args=(demo_db, clock, 15)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    report = verify_chain(desk_as(demo_db, clock, "sam"))
    assert report.intact, report.problems
    assert report.rows >= 8 * 15


@pytest.mark.parametrize("tamper", ["change", "delete", "insert"])
def test_verify_names_the_row_tampered_with(
    demo_db: Database, clock: FrozenClock, tamper: str
) -> None:
    write_events(demo_db, clock, 6)
    with demo_db.sessions() as session:
        ids = session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    victim = ids[-3]
    with demo_db.engine.begin() as conn:
        if tamper == "change":
            conn.execute(sa.update(AuditEvent).where(AuditEvent.id == victim)
                         .values(actor="someone_else"))  # fmt: skip
        elif tamper == "delete":
            conn.execute(sa.delete(AuditEvent).where(AuditEvent.id == victim))
        else:
            row = (
                conn.execute(sa.select(AuditEvent).where(AuditEvent.id == victim)).mappings().one()
            )
            forged = {k: v for k, v in row.items() if k != "id"}
            forged["row_hash"] = "f" * 64
            conn.execute(sa.insert(AuditEvent).values(forged))
    report = verify_chain(desk_as(demo_db, clock, "alex"))
    assert not report.intact
    named = {p.audit_id for p in report.problems}
    if tamper == "change":
        assert victim in named
    elif tamper == "delete":
        assert ids[-2] in named  # the row after the hole no longer follows its predecessor
    else:
        assert max(named) > ids[-1]


def test_only_team_leads_and_it_verify(demo_db: Database, clock: FrozenClock) -> None:
    with pytest.raises(NotPermitted):
        verify_chain(desk_as(demo_db, clock, "priya"))


def test_cli_reports_intact_and_broken(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--demo", "--as", "sam"]) == 0
    assert "audit chain intact" in capsys.readouterr().out
    from physioline.db.engine import open_database
    from physioline.paths import demo_database_path

    db = open_database(f"sqlite:///{demo_database_path()}")
    with db.engine.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(AuditEvent.id))).scalar_one()
        conn.execute(sa.update(AuditEvent).where(AuditEvent.id == first).values(action="x"))
    db.dispose()
    assert main(["audit", "verify", "--demo", "--as", "sam"]) == 8
    out = capsys.readouterr().out
    assert f"audit row {first} was changed" in out
