"""Every dashboard figure against a hand-counted fixture, on SQLite and PostgreSQL.

The fixture, times in Europe/London; "now" is Friday 27 November 2026 12:00. Calls are given as
time after receipt; "appt" is the first appointment's start after receipt.

- R1  Sun 8 Nov 23:59, triaged: no answer at 47h59, answered at 48h01.
- R2  Sun 8 Nov 23:58, triaged: first call (answered) at 48h01.
- R3  Mon 9 Nov 00:01, triaged: answered at 2h.
- R4  Tue 3 Nov 10:00, cancelled: never called.
- R5  Wed 4 Nov 10:00, unable to contact: no answer at 1h, 4h, 11h.
- R6  Mon 2 Nov 09:00, routine_f2f, appt booked at +20 d.
- R7  Tue 3 Nov 09:00, urgent_f2f, appt at +7 d cancelled, appt at +23 d did not attend.
- R18 Wed 4 Nov 09:00, routine_f2f, appt attended at exactly +21 d.
- R8  Thu 26 Nov 09:00, routine_f2f, answered at 5h (its due time has not passed).
- R9  Thu 5 Nov 09:00, self_management.   R10 Fri 6 Nov, onward_referral / orthopaedics.
- R11 Fri 13 Nov 09:00, emergency / emergency_department.
- R12 Thu 26 Nov 14:00 (Pat's, open, due Sat); R19 Wed 25 Nov 13:00 (Pat's, open, due today
  13:00, no answer today 11:00); R20 Wed 25 Nov 10:00 (Pat's, open, overdue since 10:00).
- R13 Mon 6 Jul 00:30 BST (Sunday in UTC), self_management signed +1 d; R14 Mon 6 Jul,
  routine_f2f appt +127 d; R15 Tue 7 Jul, routine_f2f appt +125 d; R16 Wed 8 Jul,
  onward_referral; R17 Wed 1 Jul, unable to contact.

Four weeks 2-29 Nov: received 14 (R4 cancelled left out); 48-hour contact 9 of 11 (due passed:
all but R8, R12, R19; missed: R2 at 48h01, R20 never called); conversation 7 of 11 (also R1
answered only at 48h01, R5 never answered); seen within 3 weeks 2 of 3 (R6, R18 at exactly 21 d;
R7's cancelled appointment does not count and its DNA is at 23 d; R8 received less than 21 days
before the cut-off); 18 weeks n/a; unable to contact 1 of 14.
1 June - 29 November: referral to treatment 2 of 5 (R13 advice, R15 at 125 d; R14 at 127 d,
R16 onward and R17 unable to contact are not).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from physioline.clock import FrozenClock
from physioline.core.referral import (
    AppointmentStatus,
    AppointmentType,
    AssessmentState,
    GpUrgency,
    ReferralSource,
    ReferralStatus,
    Role,
    Sex,
    SlotState,
)
from physioline.db.engine import Database
from physioline.db.models import (
    Appointment,
    Assessment,
    CallAttempt,
    Clinic,
    Patient,
    ProtocolVersion,
    Referral,
    ServiceSetting,
    Slot,
    User,
)
from physioline.db.uow import Actor
from physioline.errors import InvalidInput, NotPermitted
from physioline.services import kpi
from physioline.services.desk import Desk
from physioline.services.kpi import FigureRef, Measure, Period, Ratio

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)
NOVEMBER = Period(date(2026, 11, 2), date(2026, 11, 29))
HALF_YEAR = Period(date(2026, 6, 1), date(2026, 11, 29))


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def h(hours: int) -> timedelta:
    return timedelta(hours=hours)


def d(days: int) -> timedelta:
    return timedelta(days=days)


def hm(hours: int, minutes: int) -> timedelta:
    return timedelta(hours=hours, minutes=minutes)


@dataclass
class Fixture:
    ids: dict[str, int]
    pat: int
    kim: int
    lead: int


def build(db: Database) -> Fixture:
    counter = itertools.count(1)
    with db.sessions() as s:
        s.add(ServiceSetting(key="demo", value=True, updated_at=NOW))
        users = {
            name: User(username=name, display_name=name.title(), role=role, created_at=NOW)
            for name, role in (("pat", Role.PHYSIO), ("kim", Role.PHYSIO), ("lead", Role.TEAM_LEAD))
        }
        s.add_all(users.values())
        s.add(
            ProtocolVersion(
                sha256="a" * 64,
                protocol_id="lumbar",
                version="1.1",
                content=b"x",
                first_used_at=NOW,
            )
        )
        clinic = Clinic(code="C1", name="Clinic", address="1 Road", postcode="SE1 1AA")
        s.add(clinic)
        s.flush()
        ids: dict[str, int] = {}

        def referral(
            name: str,
            received: datetime,
            status: ReferralStatus,
            *,
            who: str = "kim",
            calls: tuple[tuple[timedelta, str], ...] = (),
            disposition: str | None = None,
            destination: str | None = None,
            signed_after: timedelta = timedelta(hours=1),
            appointments: tuple[tuple[timedelta, AppointmentStatus], ...] = (),
        ) -> None:
            n = next(counter)
            patient = Patient(
                nhs_number=f"99900{n:05d}",
                given_name=f"Given{n}",
                family_name=f"Family{n}",
                date_of_birth=date(1970, 1, 1),
                sex=Sex.FEMALE,
            )
            s.add(patient)
            s.flush()
            row = Referral(
                patient_id=patient.id,
                source=ReferralSource.GP,
                received_at=received,
                due_at=received + timedelta(hours=48),
                body_region="lumbar",
                gp_urgency=GpUrgency.ROUTINE,
                status=status,
                assigned_to_id=users[who].id,
                closed_at=None if status.is_open else received + timedelta(hours=50),
                updated_at=received,
            )
            s.add(row)
            s.flush()
            ids[name] = row.id
            for after, result in calls:
                s.add(
                    CallAttempt(
                        referral_id=row.id,
                        made_at=received + after,
                        made_by_id=users[who].id,
                        result=result,
                    )
                )
            if disposition:
                signed = received + signed_after
                s.add(
                    Assessment(
                        referral_id=row.id,
                        clinician_id=users[who].id,
                        protocol_id="lumbar",
                        protocol_version="1.1",
                        protocol_sha256="a" * 64,
                        chosen_disposition=disposition,
                        destination=destination,
                        state=AssessmentState.SIGNED,
                        started_at=signed,
                        updated_at=signed,
                        signed_at=signed,
                    )
                )
            for after, appt_status in appointments:
                start = received + after
                slot = Slot(
                    clinic_id=clinic.id,
                    clinician_id=users["kim"].id,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=30),
                    appointment_type=AppointmentType.NEW_PATIENT,
                    state=SlotState.FREE
                    if appt_status == AppointmentStatus.CANCELLED
                    else SlotState.BOOKED,
                )
                s.add(slot)
                s.flush()
                cancelled = appt_status == AppointmentStatus.CANCELLED
                s.add(
                    Appointment(
                        slot_id=slot.id,
                        patient_id=patient.id,
                        referral_id=row.id,
                        booked_by_id=users[who].id,
                        booked_at=received,
                        status=appt_status,
                        cancelled_at=received + timedelta(days=2) if cancelled else None,
                    )
                )

        rs = ReferralStatus
        f2f_booked = AppointmentStatus.BOOKED
        referral(
            "R1",
            at(11, 8, 23, 59),
            rs.TRIAGED,
            calls=((hm(47, 59), "no_answer"), (hm(48, 1), "answered")),
        )
        referral("R2", at(11, 8, 23, 58), rs.TRIAGED, calls=((hm(48, 1), "answered"),))
        referral("R3", at(11, 9, 0, 1), rs.TRIAGED, calls=((h(2), "answered"),))
        referral("R4", at(11, 3, 10), rs.CANCELLED)
        referral(
            "R5",
            at(11, 4, 10),
            rs.UNABLE_TO_CONTACT,
            calls=((h(1), "no_answer"), (h(4), "no_answer"), (h(11), "voicemail_left")),
        )
        referral(
            "R6",
            at(11, 2, 9),
            rs.BOOKED,
            calls=((h(3), "answered"),),
            disposition="routine_f2f",
            appointments=((d(20), f2f_booked),),
        )
        referral(
            "R7",
            at(11, 3, 9),
            rs.BOOKED,
            calls=((h(1), "answered"),),
            disposition="urgent_f2f",
            appointments=(
                (d(7), AppointmentStatus.CANCELLED),
                (d(23), AppointmentStatus.DID_NOT_ATTEND),
            ),
        )
        referral(
            "R18",
            at(11, 4, 9),
            rs.BOOKED,
            calls=((h(1), "answered"),),
            disposition="routine_f2f",
            appointments=((d(21), AppointmentStatus.ATTENDED),),
        )
        referral(
            "R8", at(11, 26, 9), rs.TRIAGED, calls=((h(5), "answered"),), disposition="routine_f2f"
        )
        referral(
            "R9",
            at(11, 5, 9),
            rs.DISCHARGED_WITH_ADVICE,
            calls=((h(1), "answered"),),
            disposition="self_management",
        )
        referral(
            "R10",
            at(11, 6, 9),
            rs.REFERRED_ON,
            calls=((h(1), "answered"),),
            disposition="onward_referral",
            destination="orthopaedics",
        )
        referral(
            "R11",
            at(11, 13, 9),
            rs.REFERRED_ON,
            calls=((h(1), "answered"),),
            disposition="emergency",
            destination="emergency_department",
        )
        referral("R12", at(11, 26, 14), rs.AWAITING_CALL, who="pat")
        referral(
            "R19", at(11, 25, 13), rs.AWAITING_CALL, who="pat", calls=((hm(46, 0), "no_answer"),)
        )
        referral("R20", at(11, 25, 10), rs.AWAITING_CALL, who="pat")
        referral(
            "R13",
            at(7, 6, 0, 30),
            rs.DISCHARGED_WITH_ADVICE,
            calls=((h(1), "answered"),),
            disposition="self_management",
            signed_after=d(1),
        )
        referral(
            "R14",
            at(7, 6, 10),
            rs.BOOKED,
            calls=((h(1), "answered"),),
            disposition="routine_f2f",
            appointments=((d(127), f2f_booked),),
        )
        referral(
            "R15",
            at(7, 7, 10),
            rs.BOOKED,
            calls=((h(1), "answered"),),
            disposition="routine_f2f",
            appointments=((d(125), f2f_booked),),
        )
        referral(
            "R16",
            at(7, 8, 10),
            rs.REFERRED_ON,
            calls=((h(1), "answered"),),
            disposition="onward_referral",
            destination="orthopaedics",
        )
        referral(
            "R17",
            at(7, 1, 10),
            rs.UNABLE_TO_CONTACT,
            calls=((h(1), "no_answer"), (h(4), "no_answer"), (h(11), "no_answer")),
        )
        s.commit()
        return Fixture(ids, users["pat"].id, users["kim"].id, users["lead"].id)


@pytest.fixture
def fixture(db: Database) -> Fixture:
    return build(db)


def figures(db: Database, period: Period) -> kpi.Figures:
    with Session(db.engine) as session:
        return kpi.compute_figures(session, period, NOW.astimezone(ZoneInfo("UTC")))


def behind(db: Database, fx: Fixture, period: Period, ref: FigureRef) -> dict[str, bool | None]:
    names = {rid: name for name, rid in fx.ids.items()}
    with Session(db.engine) as session:
        rows = kpi.referrals_behind(session, period, ref, NOW)
    return {names[r.referral_id]: r.met for r in rows}


def test_the_period_figures_match_the_hand_count(db: Database, fixture: Fixture) -> None:
    f = figures(db, NOVEMBER)
    t = f.total
    assert t.received == 14
    assert t.contact_48h == Ratio(9, 11)
    assert t.conversation_48h == Ratio(7, 11)
    assert t.seen_3_weeks == Ratio(2, 3)
    assert t.treated_18_weeks == Ratio(0, 0)
    assert t.treated_18_weeks.text() == "n/a (none yet)"
    assert t.unable_to_contact == Ratio(1, 14)
    assert t.contact_48h.text() == "81.8 % (9 of 11)"


def test_weeks_run_monday_to_sunday_in_london(db: Database, fixture: Fixture) -> None:
    weeks = dict(figures(db, NOVEMBER).weeks)
    assert list(weeks) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
    ]
    first, second = weeks[date(2026, 11, 2)], weeks[date(2026, 11, 9)]
    # R1 and R2, received a minute or two before Sunday midnight, belong to the first week.
    assert first.received == 8
    assert first.contact_48h == Ratio(7, 8)
    assert first.conversation_48h == Ratio(5, 8)
    assert second.received == 2  # R3 one minute after midnight, and R11
    assert second.contact_48h == Ratio(2, 2)
    assert weeks[date(2026, 11, 16)].received == 0
    last = weeks[date(2026, 11, 23)]
    assert (last.received, last.contact_48h) == (4, Ratio(0, 1))  # only R20's due time passed
    # Summer time: 00:30 BST on Monday 6 July is still Sunday in UTC, but Monday in London.
    summer = dict(figures(db, HALF_YEAR).weeks)
    assert summer[date(2026, 7, 6)].received == 4
    assert summer[date(2026, 6, 29)].received == 1


def test_referral_to_treatment_within_18_weeks(db: Database, fixture: Fixture) -> None:
    f = figures(db, HALF_YEAR)
    assert f.total.treated_18_weeks == Ratio(2, 5)
    assert behind(db, fixture, HALF_YEAR, FigureRef(Measure.TREATED_18_WEEKS)) == {
        "R13": True,
        "R14": False,
        "R15": True,
        "R16": False,
        "R17": False,
    }


def test_dispositions_and_destinations(db: Database, fixture: Fixture) -> None:
    f = figures(db, NOVEMBER)
    assert f.dispositions == {
        "routine_f2f": 3,
        "urgent_f2f": 1,
        "self_management": 1,
        "onward_referral": 1,
        "emergency": 1,
        "not_triaged": 7,
    }
    assert f.destinations == {"orthopaedics": 1, "emergency_department": 1}
    by_week = dict(f.dispositions_by_week)
    assert by_week[date(2026, 11, 9)] == {"not_triaged": 1, "emergency": 1}
    assert set(
        behind(db, fixture, NOVEMBER, FigureRef(Measure.DESTINATION, key="orthopaedics"))
    ) == {"R10"}
    assert set(
        behind(db, fixture, NOVEMBER, FigureRef(Measure.DISPOSITION, key="routine_f2f"))
    ) == {"R6", "R8", "R18"}


def test_calls_due_done_and_overdue_today_by_clinician(db: Database, fixture: Fixture) -> None:
    today = {c.name: c for c in figures(db, NOVEMBER).today}
    assert (today["Pat"].due, today["Pat"].overdue, today["Pat"].done) == (1, 1, 1)
    assert "Kim" not in today
    assert set(
        behind(db, fixture, NOVEMBER, FigureRef(Measure.OVERDUE, clinician_id=fixture.pat))
    ) == {"R20"}
    assert set(
        behind(db, fixture, NOVEMBER, FigureRef(Measure.DUE_TODAY, clinician_id=fixture.pat))
    ) == {"R19"}
    assert set(
        behind(db, fixture, NOVEMBER, FigureRef(Measure.DONE_TODAY, clinician_id=fixture.pat))
    ) == {"R19"}


def test_click_through_lists_the_referrals_behind_each_figure(
    db: Database, fixture: Fixture
) -> None:
    week = date(2026, 11, 2)
    assert behind(db, fixture, NOVEMBER, FigureRef(Measure.CONTACT_48H, week=week)) == {
        "R1": True,
        "R2": False,
        "R5": True,
        "R6": True,
        "R7": True,
        "R18": True,
        "R9": True,
        "R10": True,
    }
    assert behind(db, fixture, NOVEMBER, FigureRef(Measure.CONVERSATION_48H)) == {
        "R1": False,
        "R2": False,
        "R3": True,
        "R5": False,
        "R6": True,
        "R7": True,
        "R18": True,
        "R9": True,
        "R10": True,
        "R11": True,
        "R20": False,
    }
    assert behind(db, fixture, NOVEMBER, FigureRef(Measure.SEEN_3_WEEKS)) == {
        "R6": True,
        "R7": False,
        "R18": True,
    }
    unable = behind(db, fixture, NOVEMBER, FigureRef(Measure.UNABLE_TO_CONTACT))
    assert len(unable) == 14
    assert "R4" not in unable
    assert unable["R5"] is True
    with pytest.raises(InvalidInput):
        behind(db, fixture, NOVEMBER, FigureRef(Measure.CONTACT_48H, week=date(2026, 12, 7)))


def test_only_team_leads_see_the_dashboard(db: Database, fixture: Fixture) -> None:
    clock = FrozenClock(NOW)

    def desk(uid: int, role: Role) -> Desk:
        return Desk(db=db, clock=clock, actor=Actor(uid, "x", "X", role))

    lead = desk(fixture.lead, Role.TEAM_LEAD)
    assert kpi.load_figures(lead, NOVEMBER).total.received == 14
    assert kpi.load_referrals_behind(lead, NOVEMBER, FigureRef(Measure.RECEIVED))
    for role in (Role.PHYSIO, Role.ADMIN_STAFF, Role.SYSTEM_ADMIN):
        with pytest.raises(NotPermitted, match="may not see the dashboard and period reports"):
            kpi.load_figures(desk(fixture.pat, role), NOVEMBER)
        with pytest.raises(NotPermitted):
            kpi.load_referrals_behind(
                desk(fixture.pat, role), NOVEMBER, FigureRef(Measure.RECEIVED)
            )


def test_periods_are_checked() -> None:
    with pytest.raises(InvalidInput, match="ends"):
        Period(date(2026, 11, 2), date(2026, 11, 1))
    weeks = Period.weeks_to(date(2026, 11, 27), 4)
    assert weeks == NOVEMBER
    assert NOVEMBER.label() == "2 Nov 2026 – 29 Nov 2026"
