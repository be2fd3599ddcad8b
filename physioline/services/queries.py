"""Read side: small frozen rows for screens and the CLI, straight from SQL, never ORM objects.

The worklist is read in keyset pages (``WHERE (due_at, id) > (:due, :id) ORDER BY due_at, id``)
so 20,000 open referrals load as fast as the first 500, and filters that cut rows run in SQL.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa

from physioline.core.due import london_date, london_day_bounds
from physioline.core.nhs_number import format_nhs_number
from physioline.core.referral import OPEN_STATUSES, GpUrgency, ReferralStatus
from physioline.db.driver import (
    DriverQuery,
    ReadSource,
    as_utc,
    compile_for_driver,
    connection_of,
    fetch_rows,
    utc_from_text,
)
from physioline.db.tables import (
    UTCDateTime,
    app_user,
    call_attempt,
    gp_practice,
    patient,
    patient_phone,
    referral,
)
from physioline.services.desk import CLINICAL_VIEWERS, Desk

#: The first page paints the screen; later pages come as the physio scrolls, fewer and larger.
PAGE_SIZE = 500
NEXT_PAGE_SIZE = 2_500
_STATUS_BY_VALUE = {s.value: s for s in ReferralStatus}
_URGENCY_BY_VALUE = {u.value: u for u in GpUrgency}
SelectT = TypeVar("SelectT", bound="sa.Select[*tuple[Any, ...]]")


class Scope(StrEnum):
    """Whose referrals a worklist shows."""

    MINE = "mine"
    UNASSIGNED = "unassigned"
    TEAM = "team"
    CLINICIAN = "clinician"


@dataclass(frozen=True)
class WorklistFilter:
    """What to show: filters that cut rows run in SQL, so the list is complete."""

    scope: Scope = Scope.TEAM
    clinician_id: int | None = None
    statuses: tuple[ReferralStatus, ...] = OPEN_STATUSES
    body_region: str | None = None
    overdue_only: bool = False
    search: str = ""


class WorklistRow(NamedTuple):
    """One referral on the worklist, as the physio scans it.

    A named tuple, not a dataclass: the team list builds 20,000 of them, and a tuple is built
    seven times faster. The other records here are named tuples too, for start-up: Python
    3.11 takes about a millisecond to make each dataclass, and this module loads before the
    desk's first paint.
    """

    referral_id: int
    due_at: datetime
    given_name: str
    family_name: str
    age: int
    nhs_number: str
    body_region: str
    gp_urgency: GpUrgency
    status: ReferralStatus
    attempts: int
    assigned_to: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    interpreter_language: str | None
    version: int

    @property
    def nhs_number_formatted(self) -> str:
        """The NHS number as 3-3-4."""
        return format_nhs_number(self.nhs_number)

    @property
    def patient_name(self) -> str:
        """'SURNAME, Given', the way a list of patients is scanned."""
        return f"{self.family_name.upper()}, {self.given_name}"


class WorklistPage(NamedTuple):
    """A page of rows and the key to ask for the next one."""

    rows: tuple[WorklistRow, ...]
    next_key: tuple[datetime, int] | None


class WorklistCounts(NamedTuple):
    """The header counts of the worklist."""

    due_today: int
    overdue: int
    done_today: int


def age_on(date_of_birth: date, today: date) -> int:
    """Age in whole years on ``today``."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


def _apply_filter(stmt: SelectT, flt: WorklistFilter, actor_id: int | None) -> SelectT:
    if flt.statuses:
        # Written literally (the values are our own enum's), so SQLite can use the partial
        # index of open referrals in due order, whose WHERE names them literally too.
        literal: list[sa.ColumnElement[Any]] = [
            sa.literal_column(f"'{ReferralStatus(s).value}'") for s in flt.statuses
        ]
        stmt = stmt.where(referral.c.status.in_(literal))
    if flt.scope == Scope.MINE:
        stmt = stmt.where(referral.c.assigned_to_id == actor_id)
    elif flt.scope == Scope.UNASSIGNED:
        stmt = stmt.where(referral.c.assigned_to_id.is_(None))
    elif flt.scope == Scope.CLINICIAN:
        stmt = stmt.where(referral.c.assigned_to_id == flt.clinician_id)
    if flt.body_region:
        stmt = stmt.where(referral.c.body_region == flt.body_region)
    text = flt.search.strip()
    if text:
        digits = re.sub(r"\D", "", text)
        conditions: list[sa.ColumnElement[bool]] = []
        if digits and len(digits) >= 3 and len(digits) == len(re.sub(r"[\s-]", "", text)):
            conditions.append(patient.c.nhs_number.startswith(digits))
            phone_match = sa.select(patient_phone.c.patient_id).where(
                patient_phone.c.digits.contains(digits)
            )
            conditions.append(patient.c.id.in_(phone_match))
        else:
            like = f"%{text.lower()}%"
            conditions.append(sa.func.lower(patient.c.family_name).like(like))
            conditions.append(sa.func.lower(patient.c.given_name).like(like))
            full = sa.func.lower(patient.c.given_name + " " + patient.c.family_name)
            conditions.append(full.like(like))
        stmt = stmt.where(sa.or_(*conditions))
    return stmt


@functools.lru_cache(maxsize=64)
def _worklist_select(flt: WorklistFilter, actor_id: int | None) -> sa.Select[*tuple[Any, ...]]:
    """The worklist's columns, filtered, most urgent (earliest due) first.

    Built once per filter and reused: ``now`` is the bound parameter ``now`` (overdue only).
    """
    assigned = app_user.alias()
    claimer = app_user.alias()
    attempts = (
        sa.select(sa.func.count())
        .where(call_attempt.c.referral_id == referral.c.id)
        .correlate(referral)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            referral.c.id,
            referral.c.due_at,
            patient.c.given_name,
            patient.c.family_name,
            patient.c.date_of_birth,
            patient.c.nhs_number,
            referral.c.body_region,
            referral.c.gp_urgency,
            referral.c.status,
            attempts,
            assigned.c.display_name,
            claimer.c.display_name,
            referral.c.claimed_at,
            patient.c.interpreter_language,
            referral.c.version,
        )
        .select_from(referral)
        .join(patient, patient.c.id == referral.c.patient_id)
        .outerjoin(assigned, assigned.c.id == referral.c.assigned_to_id)
        .outerjoin(claimer, claimer.c.id == referral.c.claimed_by_id)
        .order_by(referral.c.due_at, referral.c.id)
    )
    stmt = _apply_filter(stmt, flt, actor_id)
    if flt.overdue_only:
        stmt = stmt.where(referral.c.due_at < sa.bindparam("now", type_=UTCDateTime()))
    return stmt


@functools.lru_cache(maxsize=64)
def _page_select(
    flt: WorklistFilter, actor_id: int | None, keyset: bool, limit: int
) -> sa.Select[*tuple[Any, ...]]:
    """One page: the first, or the one after the bound key (``after_due``, ``after_id``)."""
    stmt = _worklist_select(flt, actor_id).limit(limit + 1)
    if keyset:
        # (due_at, id) > (:due, :id), spelt so the planners estimate it from due_at alone:
        # PostgreSQL misjudges a row comparison and then sorts instead of walking the index.
        due = sa.bindparam("after_due", type_=UTCDateTime())
        stmt = stmt.where(
            referral.c.due_at >= due,
            sa.or_(
                referral.c.due_at > due, referral.c.id > sa.bindparam("after_id", type_=sa.Integer)
            ),
        )
    return stmt


@functools.lru_cache(maxsize=128)
def _driver_query(
    flt: WorklistFilter, actor_id: int | None, keyset: bool, limit: int, dialect: str
) -> DriverQuery:
    return compile_for_driver(_page_select(flt, actor_id, keyset, limit), dialect)


def _rows(raw: Sequence[Any], today: date, *, sqlite: bool) -> list[WorklistRow]:
    """WorklistRows from driver rows: SQLite gives text for timestamps and dates."""
    status, urgency = _STATUS_BY_VALUE, _URGENCY_BY_VALUE
    parse: Callable[[Any], datetime]
    day: Callable[[Any], date]
    if sqlite:
        parse, day = utc_from_text, date.fromisoformat
    else:
        parse, day = as_utc, _same
    return [
        WorklistRow(
            r[0],
            parse(r[1]),
            r[2],
            r[3],
            age_on(day(r[4]), today),
            r[5],
            r[6],
            urgency[r[7]],
            status[r[8]],
            r[9],
            r[10],
            r[11],
            None if r[12] is None else parse(r[12]),
            r[13],
            r[14],
        )
        for r in raw
    ]


def _same(value: date) -> date:
    return value


def worklist_page(
    session: ReadSource,
    flt: WorklistFilter,
    *,
    actor_id: int | None,
    now: datetime,
    after: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
) -> WorklistPage:
    """One keyset page of the worklist, most urgent (earliest due) first."""
    dialect = connection_of(session).dialect.name
    query = _driver_query(flt, actor_id, after is not None, limit, dialect)
    values: dict[str, Any] = {"now": now}
    if after is not None:
        values["after_due"], values["after_id"] = after
    raw = fetch_rows(session, query, values)
    rows = _rows(raw[:limit], london_date(now), sqlite=dialect == "sqlite")
    has_more = len(raw) > limit
    next_key = (rows[-1].due_at, rows[-1].referral_id) if has_more else None
    return WorklistPage(rows=tuple(rows), next_key=next_key)


def worklist_rows(
    session: ReadSource,
    flt: WorklistFilter,
    ids: Iterable[int],
    *,
    actor_id: int | None,
    now: datetime,
) -> list[WorklistRow]:
    """The rows of these referrals that the filter shows (for live updates of changed rows)."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return []
    dialect = connection_of(session).dialect.name
    stmt = _worklist_select(flt, actor_id).where(
        referral.c.id.in_([sa.literal_column(str(i)) for i in wanted])
    )
    raw = fetch_rows(session, compile_for_driver(stmt, dialect), {"now": now})
    return _rows(raw, london_date(now), sqlite=dialect == "sqlite")


def load_worklist_rows(desk: Desk, flt: WorklistFilter, ids: Iterable[int]) -> list[WorklistRow]:
    """Changed referrals' rows for the signed-in user's worklist view."""
    actor = desk.require(*CLINICAL_VIEWERS, action="see the worklist")
    with desk.uow(read_only=True) as uow:
        return worklist_rows(uow.connection(), flt, ids, actor_id=actor.user_id, now=uow.now())


def worklist_counts(
    session: ReadSource, flt: WorklistFilter, *, actor_id: int | None, now: datetime
) -> WorklistCounts:
    """Due today (open, due before midnight London time), overdue, and calls done today."""
    start, end = london_day_bounds(london_date(now))
    scope_only = WorklistFilter(scope=flt.scope, clinician_id=flt.clinician_id, statuses=())
    base = _apply_filter(
        sa.select(sa.func.count()).select_from(referral).join(patient), scope_only, actor_id
    )
    open_ = referral.c.status.in_(OPEN_STATUSES)
    due_today = session.scalar(base.where(open_, referral.c.due_at >= now, referral.c.due_at < end))
    overdue = session.scalar(base.where(open_, referral.c.due_at < now))
    done_today = session.scalar(
        base.where(~open_, referral.c.closed_at >= start, referral.c.closed_at < end)
    )
    return WorklistCounts(
        due_today=due_today or 0, overdue=overdue or 0, done_today=done_today or 0
    )


def load_worklist_page(
    desk: Desk, flt: WorklistFilter, after: tuple[datetime, int] | None = None
) -> WorklistPage:
    """The worklist page for the signed-in user (a read-only transaction)."""
    actor = desk.require(*CLINICAL_VIEWERS, action="see the worklist")
    limit = PAGE_SIZE if after is None else NEXT_PAGE_SIZE
    with desk.uow(read_only=True) as uow:
        return worklist_page(
            uow.connection(), flt, actor_id=actor.user_id, now=uow.now(), after=after, limit=limit
        )


def load_worklist_counts(desk: Desk, flt: WorklistFilter) -> WorklistCounts:
    """The header counts for the signed-in user's worklist view."""
    actor = desk.require(*CLINICAL_VIEWERS, action="see the worklist")
    with desk.uow(read_only=True) as uow:
        return worklist_counts(uow.connection(), flt, actor_id=actor.user_id, now=uow.now())


class PhoneNumber(NamedTuple):
    """A patient's phone number as shown before dialling."""

    number: str
    kind: str
    preferred: bool
    note: str


class AttemptSummary(NamedTuple):
    """One call attempt on a referral."""

    made_at: datetime
    made_by: str
    result: str
    note: str


class EarlierReferral(NamedTuple):
    """A previous referral of the same patient."""

    referral_id: int
    received_at: datetime
    body_region: str
    status: ReferralStatus


class ReferralDetail(NamedTuple):
    """What a physio needs on screen before dialling."""

    referral_id: int
    version: int
    status: ReferralStatus
    patient_id: int
    patient_name: str
    title: str
    nhs_number: str
    date_of_birth: date
    age: int
    sex: str
    address: str
    postcode: str | None
    gp_practice: str | None
    referrer: str
    source: str
    received_at: datetime
    due_at: datetime
    body_region: str
    gp_urgency: GpUrgency
    reason: str
    assigned_to: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    phones: tuple[PhoneNumber, ...]
    interpreter_language: str | None
    large_print: bool
    easy_read: bool
    braille: bool
    carer_name: str | None
    carer_phone: str | None
    communication_notes: str
    attempts: tuple[AttemptSummary, ...] = ()
    earlier: tuple[EarlierReferral, ...] = ()

    @property
    def preferred_phone(self) -> PhoneNumber | None:
        """The number to dial first, or None when there is no phone (write to the patient)."""
        return self.phones[0] if self.phones else None

    @property
    def communication_needs(self) -> tuple[str, ...]:
        """Accessible Information Standard needs, as short phrases to show prominently."""
        needs = []
        if self.interpreter_language:
            needs.append(f"Interpreter: {self.interpreter_language}")
        if self.large_print:
            needs.append("Large print letters")
        if self.easy_read:
            needs.append("Easy read letters")
        if self.braille:
            needs.append("Braille")
        if self.carer_name:
            carer = f"Carer to contact: {self.carer_name}"
            needs.append(f"{carer} ({self.carer_phone})" if self.carer_phone else carer)
        if self.communication_notes:
            needs.append(self.communication_notes)
        return tuple(needs)


def referral_detail(
    session: ReadSource, referral_id: int, *, now: datetime
) -> ReferralDetail | None:
    """Everything the side panel shows about one referral, or None if it does not exist."""
    assigned = app_user.alias()
    claimer = app_user.alias()
    ref, pat = referral.c, patient.c
    row = session.execute(
        sa.select(
            ref.id, ref.version, ref.status, ref.referrer, ref.source, ref.received_at,
            ref.due_at, ref.body_region, ref.gp_urgency, ref.reason, ref.claimed_at,
            pat.id.label("patient_id"), pat.given_name, pat.family_name, pat.title,
            pat.nhs_number, pat.date_of_birth, pat.sex, pat.address, pat.postcode,
            pat.interpreter_language, pat.large_print, pat.easy_read, pat.braille,
            pat.carer_name, pat.carer_phone, pat.communication_notes,
            assigned.c.display_name.label("assigned_to"),
            claimer.c.display_name.label("claimed_by"),
            gp_practice.c.name.label("gp_practice"),
        )
        .select_from(referral)
        .join(patient, pat.id == ref.patient_id)
        .outerjoin(assigned, assigned.c.id == ref.assigned_to_id)
        .outerjoin(claimer, claimer.c.id == ref.claimed_by_id)
        .outerjoin(gp_practice, gp_practice.c.id == pat.gp_practice_id)
        .where(ref.id == referral_id)
    ).first()  # fmt: skip
    if row is None:
        return None
    phone = patient_phone.c
    phones = session.execute(
        sa.select(phone.number, phone.kind, phone.preferred, phone.note)
        .where(phone.patient_id == row.patient_id)
        .order_by(phone.preferred.desc(), phone.position)
    ).all()
    attempt = call_attempt.c
    attempts = session.execute(
        sa.select(attempt.made_at, app_user.c.display_name, attempt.result, attempt.note)
        .join(app_user, app_user.c.id == attempt.made_by_id)
        .where(attempt.referral_id == referral_id)
        .order_by(attempt.made_at)
    ).all()
    earlier = session.execute(
        sa.select(ref.id, ref.received_at, ref.body_region, ref.status)
        .where(ref.patient_id == row.patient_id, ref.id != referral_id)
        .order_by(ref.received_at.desc())
    ).all()
    return ReferralDetail(
        referral_id=row.id,
        version=row.version,
        status=row.status,
        patient_id=row.patient_id,
        patient_name=f"{row.given_name} {row.family_name}",
        title=row.title,
        nhs_number=row.nhs_number,
        date_of_birth=row.date_of_birth,
        age=age_on(row.date_of_birth, london_date(now)),
        sex=row.sex.value,
        address=row.address,
        postcode=row.postcode,
        gp_practice=row.gp_practice,
        referrer=row.referrer,
        source=row.source.value,
        received_at=row.received_at,
        due_at=row.due_at,
        body_region=row.body_region,
        gp_urgency=row.gp_urgency,
        reason=row.reason,
        assigned_to=row.assigned_to,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        phones=tuple(PhoneNumber(n, k.value, p, note) for n, k, p, note in phones),
        interpreter_language=row.interpreter_language,
        large_print=row.large_print,
        easy_read=row.easy_read,
        braille=row.braille,
        carer_name=row.carer_name,
        carer_phone=row.carer_phone,
        communication_notes=row.communication_notes,
        attempts=tuple(AttemptSummary(*a) for a in attempts),
        earlier=tuple(EarlierReferral(*e) for e in earlier),
    )


def load_referral_detail(desk: Desk, referral_id: int) -> ReferralDetail | None:
    """The side panel's detail for the signed-in user; the view is audited (``patient.view``).

    One short write transaction: the read and its audit row, so nobody sees a patient's record
    without the audit trail saying who, when and which record.
    """
    desk.require(*CLINICAL_VIEWERS, action="see patient records")
    with desk.uow() as uow:
        detail = referral_detail(uow.connection(), referral_id, now=uow.now())
        if detail is not None:
            uow.audit("patient.view", "patient", detail.patient_id, patient_id=detail.patient_id,
                      details={"referral_id": referral_id})  # fmt: skip
            uow.commit()
        return detail


__all__: Sequence[str] = (
    "PAGE_SIZE",
    "Scope",
    "WorklistCounts",
    "WorklistFilter",
    "WorklistPage",
    "WorklistRow",
    "load_referral_detail",
    "load_worklist_counts",
    "load_worklist_page",
    "referral_detail",
    "worklist_counts",
    "worklist_page",
)
