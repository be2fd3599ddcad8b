"""Reading the audit trail: every view of a record is in it; team leads see their team's actions."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.db.engine import Database
from physioline.db.models import AuditEvent, Referral
from physioline.errors import InvalidInput
from physioline.services import admin, queries
from physioline.services.audit import AuditFilter, export_audit_csv, search_audit
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user
from tests.fixtures.logins import fresh_username


def desk_as(db: Database, clock: FrozenClock, username: str) -> Desk:
    return Desk(db=db, clock=clock, actor=sign_in_demo_user(db, username))


def a_referral(db: Database) -> tuple[int, int]:
    with db.sessions() as session:
        rid, pid = session.execute(
            sa.select(Referral.id, Referral.patient_id).order_by(Referral.id).limit(1)
        ).one()
    return rid, pid


def test_opening_a_patients_record_is_audited(demo_db: Database, clock: FrozenClock) -> None:
    rid, pid = a_referral(demo_db)
    detail = queries.load_referral_detail(desk_as(demo_db, clock, "priya"), rid)
    assert detail is not None
    with demo_db.sessions() as session:
        event = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.action, event.actor, event.entity, event.entity_id, event.patient_id) == (
        "patient.view", "priya", "patient", str(pid), pid)  # fmt: skip
    assert event.details == {"referral_id": rid}


def test_filters_combine_and_a_patient_is_found_by_nhs_number(
    demo_db: Database, clock: FrozenClock
) -> None:
    rid, pid = a_referral(demo_db)
    queries.load_referral_detail(desk_as(demo_db, clock, "priya"), rid)
    queries.load_referral_detail(desk_as(demo_db, clock, "tom"), rid)
    sam = desk_as(demo_db, clock, "sam")
    with demo_db.sessions() as session:
        nhs = session.scalar(sa.text("SELECT nhs_number FROM patient WHERE id = :p"), {"p": pid})
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    for patient in (str(pid), nhs, spaced):
        rows = search_audit(sam, AuditFilter(patient=patient, action="patient.view"))
        assert {r.actor for r in rows} == {"priya", "tom"}
    rows = search_audit(sam, AuditFilter(patient=str(pid), user="tom", action="patient."))
    assert [r.actor for r in rows] == ["tom"]
    today = clock.now().date()
    assert search_audit(sam, AuditFilter(user="tom", first_day=today, last_day=today))
    assert not search_audit(sam, AuditFilter(user="tom", last_day=date(2026, 1, 1)))
    with pytest.raises(InvalidInput, match="your role does not look up NHS numbers"):
        search_audit(desk_as(demo_db, clock, "alex"), AuditFilter(patient=nhs))


def test_team_leads_see_their_teams_actions_and_it_sees_everything(
    demo_db: Database, clock: FrozenClock
) -> None:
    alex = desk_as(demo_db, clock, "alex")
    admin.create_user(alex, username=fresh_username("nadia"), display_name="Nadia", role="physio",
                      password="a long enough password")  # fmt: skip
    rid, _pid = a_referral(demo_db)
    queries.load_referral_detail(desk_as(demo_db, clock, "jo"), rid)
    team = {r.actor for r in search_audit(desk_as(demo_db, clock, "sam"), AuditFilter())}
    everyone = {r.actor for r in search_audit(alex, AuditFilter())}
    assert "jo" in team
    assert "alex" not in team
    assert {"alex", "jo"} <= everyone


def test_csv_export_has_every_matching_row_and_is_audited(
    demo_db: Database, clock: FrozenClock
) -> None:
    rid, pid = a_referral(demo_db)
    priya = desk_as(demo_db, clock, "priya")
    for _ in range(3):
        queries.load_referral_detail(priya, rid)
    out = io.StringIO()
    sam = desk_as(demo_db, clock, "sam")
    assert export_audit_csv(sam, AuditFilter(patient=str(pid), action="patient.view"), out) == 3
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,occurred_at_utc,actor,user_id,role,action")
    assert len(lines) == 4
    assert all(",priya," in line for line in lines[1:])
    (last,) = search_audit(sam, AuditFilter(action="audit.export"))
    assert last.patient_id == pid
    assert '"rows": 3' in last.details
