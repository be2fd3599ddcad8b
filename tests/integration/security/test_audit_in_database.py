"""PostgreSQL's own audit: edits outside the app land in the one chain, hashed so Python agrees.

The database appends every audit row (``physioline_audit_append``) and hashes it in SQL; these
tests check that ``physioline audit verify`` (Python's ``audit_row_hash``) accepts every such row
whatever its details hold, that an UPDATE typed into psql by a physio's or the owner's login is
captured, and that nobody can append in a colleague's name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from physioline.cli import main
from physioline.clock import FrozenClock
from physioline.core.referral import ReferralStatus
from physioline.db.engine import Database
from physioline.db.models import AuditEvent, Referral
from physioline.db.uow import UnitOfWork, audit_row_hash
from physioline.services.audit import verify_chain
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user
from tests.fixtures.databases import DEMO_NOW, DatabaseFactory
from tests.fixtures.logins import as_login, ensure_logins

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """One demo database on PostgreSQL, with personal logins, for the module."""
    db = database_factory.fresh("postgresql", demo=True, tmp_path=tmp_path_factory.mktemp("pg"))
    ensure_logins(db)
    yield db
    database_factory.close(db)


def open_referrals(db: Database, count: int) -> list[int]:
    with db.sessions() as session:
        return list(session.scalars(
            sa.select(Referral.id).where(Referral.status == ReferralStatus.AWAITING_CALL,
                                         Referral.claimed_by_id.is_(None))
            .order_by(Referral.id.desc()).limit(count)))  # fmt: skip


def newest(db: Database, count: int = 1) -> list[AuditEvent]:
    with db.sessions() as session:
        return list(reversed(session.scalars(
            sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(count)).all()))  # fmt: skip


def verify_ok(db: Database) -> None:
    report = verify_chain(Desk(db=db, clock=FrozenClock(DEMO_NOW),
                               actor=sign_in_demo_user(db, "alex")))  # fmt: skip
    assert report.intact, report.problems


def test_a_physios_update_in_psql_is_audited_and_the_chain_verifies(
    pg: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = open_referrals(pg, 1)[0]
    priya = as_login(pg, "priya")
    try:
        with priya.engine.begin() as conn:  # what someone could type into psql
            conn.execute(
                sa.text(
                    "UPDATE referral SET status = 'in_call', claimed_at = now(), claimed_by_id = "
                    "(SELECT id FROM app_user WHERE username = 'priya') WHERE id = :r"
                ),
                {"r": rid},
            )
    finally:
        priya.dispose()
    (event,) = newest(pg)
    with pg.sessions() as session:
        patient_id, priya_id = session.execute(sa.text(
            "SELECT r.patient_id, u.id FROM referral r, app_user u "
            "WHERE r.id = :r AND u.username = 'priya'"), {"r": rid}).one()  # fmt: skip
    assert (event.actor, event.user_id, event.action, event.entity, event.entity_id,
            event.patient_id) == ("priya", priya_id, "db.update", "referral", str(rid),
                                  patient_id)  # fmt: skip
    assert event.details == {"columns": ["claimed_at", "claimed_by_id", "status"]}
    assert audit_row_hash(event) == event.row_hash
    # Sam verifies from a terminal as her own login (the test cluster trusts its socket).
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "sams password")
    sam_url = pg.url.set(username="sam").render_as_string(hide_password=False)
    assert main(["audit", "verify", "--database", sam_url, "--as", "sam"]) == 0
    assert "audit chain intact" in capsys.readouterr().out


def test_the_owners_edit_outside_the_app_is_audited_too(pg: Database) -> None:
    rid = open_referrals(pg, 1)[0]
    with pg.engine.begin() as conn:
        conn.execute(sa.text("UPDATE referral SET reason = 'typed in psql' WHERE id = :r"),
                     {"r": rid})  # fmt: skip
    (event,) = newest(pg)
    assert (event.actor, event.action, event.entity_id) == ("root", "db.update", str(rid))
    assert event.details == {"columns": ["reason"]}
    verify_ok(pg)


def test_an_action_the_app_audits_writes_no_second_row(pg: Database) -> None:
    from physioline.services import worklist

    rid = open_referrals(pg, 1)[0]
    priya_db = as_login(pg, "priya")
    try:
        desk = Desk(db=priya_db, clock=FrozenClock(DEMO_NOW),
                    actor=sign_in_demo_user(priya_db, "priya"))  # fmt: skip
        worklist.claim_referral(desk, rid)
    finally:
        priya_db.dispose()
    (event,) = newest(pg)
    assert (event.action, event.actor) == ("referral.claim", "priya")


def test_nobody_appends_in_a_colleagues_name(pg: Database) -> None:
    priya = as_login(pg, "priya")
    try:
        with priya.engine.begin() as conn:
            conn.execute(sa.text(
                "SELECT physioline_audit_append(timestamptz '2020-01-01 00:00+00', 1, 'sam', "
                "'referral.claim', 'referral', '1', NULL, '{}'::json)"))  # fmt: skip
    finally:
        priya.dispose()
    (event,) = newest(pg)
    assert event.actor == "priya"  # not 'sam'
    assert event.occurred_at.year > 2020  # the server's time, not the caller's
    verify_ok(pg)


JSON_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
                    max_size=12)  # fmt: skip
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | JSON_TEXT
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(details=st.dictionaries(JSON_TEXT, JSON, max_size=5), entity_id=st.none() | JSON_TEXT)
def test_python_accepts_every_hash_the_database_computes(
    pg: Database, details: dict[str, Any], entity_id: str | None
) -> None:
    clock = FrozenClock(DEMO_NOW)
    with UnitOfWork(pg, clock, None) as uow:
        returned = uow.audit("test.canonical", 'tést "ent"', entity_id, details=details)
        uow.commit()
    (event,) = newest(pg)
    assert event.row_hash == returned.row_hash
    assert audit_row_hash(event) == event.row_hash, details


def test_many_desks_and_psql_sessions_write_at_once_and_the_chain_holds(pg: Database) -> None:
    targets = open_referrals(pg, 4)
    errors: list[BaseException] = []

    def desk_writes() -> None:
        try:
            for i in range(10):
                with UnitOfWork(pg, FrozenClock(DEMO_NOW), None) as uow:
                    uow.audit("test.event", "test", i, details={"n": i})
                    uow.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def psql_writes(rid: int) -> None:
        login = as_login(pg, "tom")
        try:
            for _ in range(10):
                with login.engine.begin() as conn:
                    conn.execute(sa.text("UPDATE referral SET updated_at = clock_timestamp() "
                                         "WHERE id = :r"), {"r": rid})  # fmt: skip
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            login.dispose()

    threads = [threading.Thread(target=desk_writes) for _ in range(4)]
    threads += [threading.Thread(target=psql_writes, args=(rid,)) for rid in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with pg.sessions() as session:
        captured = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "db.update", AuditEvent.actor == "tom"))  # fmt: skip
    assert captured == 40
    verify_ok(pg)
