"""Team leads: move referrals between clinicians, share a list out by capacity, set today's shift.

Only a team lead reassigns work, shares it out and sets shifts and capacity (shared/roles.md);
everyone who sees the worklist may read who is on shift. Every change is one transaction with an
audit row per referral (who, when, from whom to whom, the reason) and tells every open worklist
which referrals changed. A claim in progress is never silently taken: a referral someone is on a
call with is refused, naming who and since when, until the team lead releases the claim
(``worklist.release_claim``). Clinicians off shift get no new work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from physioline.clock import to_london
from physioline.core.due import london_date, london_day_bounds
from physioline.core.referral import OPEN_STATUSES, GpUrgency, Role
from physioline.core.shareout import (
    ClinicianOnShift,
    ReferralToShare,
    ShareOutPreview,
    move_in_preview,
    share_out,
)
from physioline.db.models import Patient, Referral, Shift, User
from physioline.db.uow import UnitOfWork
from physioline.errors import AlreadyClaimed, Conflict, InvalidInput, NotFound, StaleRecord
from physioline.services.desk import CLINICAL_VIEWERS, Desk

log = logging.getLogger(__name__)

TEAM_LEADS = (Role.TEAM_LEAD,)
#: Roles that make triage calls and so can be given referrals.
CLINICIAN_ROLES = (Role.PHYSIO, Role.TEAM_LEAD)
MAX_SESSIONS = 4
MAX_CAPACITY = 200


@dataclass(frozen=True)
class ShiftRow:
    """One clinician's triage duty today, as the team lead sees it.

    Attributes:
        clinician_id: the clinician.
        display_name: their name.
        role: physio or team lead.
        on_duty: whether they are on triage duty that day (off shift: no new work).
        triage_sessions: sessions on the phones that day (0 when off shift).
        calls_per_session: their usual calls per session.
        capacity: calls they can make that day (0 when off shift).
        load: open referrals on their list due by the end of that day (overdue included).
    """

    clinician_id: int
    display_name: str
    role: Role
    on_duty: bool
    triage_sessions: int
    calls_per_session: int
    capacity: int
    load: int

    @property
    def room(self) -> int:
        """Calls they can still take that day."""
        return max(0, self.capacity - self.load) if self.on_duty else 0


@dataclass(frozen=True)
class ReassignResult:
    """What a reassignment did."""

    moved: tuple[int, ...]
    to_clinician_id: int | None
    to_name: str
    #: Referrals that were already where they were asked to go.
    unchanged: tuple[int, ...] = ()

    @property
    def message(self) -> str:
        """One line for the status bar."""
        count = len(self.moved)
        noun = "referral" if count == 1 else "referrals"
        return f"{count} {noun} moved to {self.to_name}." if count else "Nothing to move."


@dataclass(frozen=True)
class SharePlan:
    """A share-out preview with what the screen needs to show and the service to apply it.

    Attributes:
        preview: the core preview (adjust with :meth:`moved`).
        names: clinician id -> display name, for everyone in the preview.
        labels: referral id -> "SURNAME, Given · due Mon 14:00", to show in the preview.
        versions: referral id -> version seen, so a referral changed since is not overwritten.
        on_a_call: referrals left out because a colleague is on a call with them (one line each).
        from_clinician_id: whose list is being shared out (None: the chosen or unassigned ones).
    """

    preview: ShareOutPreview
    names: dict[int, str]
    labels: dict[int, str]
    versions: dict[int, int]
    on_a_call: tuple[str, ...] = ()
    from_clinician_id: int | None = None

    def moved(self, referral_id: int, to_clinician_id: int | None) -> SharePlan:
        """The plan with one referral moved by the team lead (None: leave it unassigned).

        Raises:
            InvalidInput: the referral or clinician is not in this share-out.
        """
        preview = move_in_preview(self.preview, referral_id, to_clinician_id)
        return SharePlan(
            preview, self.names, self.labels, self.versions, self.on_a_call, self.from_clinician_id
        )

    @property
    def referral_count(self) -> int:
        """Referrals in the share-out."""
        return len(self.versions)

    def warnings(self) -> tuple[str, ...]:
        """Plain sentences for the team lead, with names instead of ids."""
        notes = []
        for share in self.preview.shares:
            if share.over_capacity:
                notes.append(
                    f"{self.names[share.clinician_id]} would have {share.load_after} calls, over "
                    f"their capacity of {share.clinician.capacity}."
                )
        if self.preview.left_over:
            count = len(self.preview.left_over)
            notes.append(
                f"{count} referral{'s' if count > 1 else ''} left unassigned: the clinicians on "
                "shift have no room for them today."
            )
        notes.extend(self.on_a_call)
        return tuple(notes)


@dataclass(frozen=True)
class ShareOutApplied:
    """What applying a share-out did."""

    given: dict[int, int]
    left_unassigned: int
    names: dict[int, str]

    @property
    def message(self) -> str:
        """One line for the status bar."""
        parts = [f"{self.names[c]} {n}" for c, n in self.given.items() if n]
        text = "Shared out: " + (", ".join(parts) if parts else "nobody had room")
        if self.left_unassigned:
            text += f"; {self.left_unassigned} left unassigned"
        return text + "."


# --- reading -----------------------------------------------------------------------------------


def _loads(
    session: Session, clinician_ids: Iterable[int], end: datetime, exclude: Iterable[int] = ()
) -> dict[int, int]:
    """Open referrals per clinician due before ``end`` (overdue included), in one query."""
    ids = list(clinician_ids)
    if not ids:
        return {}
    stmt = (
        sa.select(Referral.assigned_to_id, sa.func.count())
        .where(
            Referral.status.in_(OPEN_STATUSES),
            Referral.assigned_to_id.in_(ids),
            Referral.due_at < end,
        )
        .group_by(Referral.assigned_to_id)
    )
    excluded = list(exclude)
    if excluded:
        stmt = stmt.where(Referral.id.not_in(excluded))
    loads = {cid: 0 for cid in ids}
    loads.update({int(cid): int(n) for cid, n in session.execute(stmt) if cid is not None})
    return loads


def shift_rows(session: Session, on_date: date) -> list[ShiftRow]:
    """Every active clinician with their duty on ``on_date``, on duty first, then by name."""
    rows = session.execute(
        sa.select(
            User.id,
            User.display_name,
            User.role,
            User.calls_per_session,
            Shift.id,
            Shift.triage_sessions,
            Shift.capacity,
        )
        .outerjoin(Shift, sa.and_(Shift.clinician_id == User.id, Shift.on_date == on_date))
        .where(User.active.is_(True), User.role.in_(CLINICIAN_ROLES))
    ).all()
    _, end = london_day_bounds(on_date)
    loads = _loads(session, [r[0] for r in rows], end)
    result = [
        ShiftRow(
            clinician_id=uid,
            display_name=name,
            role=role,
            on_duty=shift_id is not None,
            triage_sessions=sessions or 0,
            calls_per_session=per_session,
            capacity=capacity or 0,
            load=loads[uid],
        )
        for uid, name, role, per_session, shift_id, sessions, capacity in rows
    ]
    result.sort(key=lambda r: (not r.on_duty, r.display_name))
    return result


def load_shifts(desk: Desk, on_date: date | None = None) -> list[ShiftRow]:
    """Who is on triage duty (today by default), their capacity and load.

    Raises:
        NotPermitted: the role sees no clinical work (IT).
    """
    desk.require(*CLINICAL_VIEWERS, action="see who is on shift")
    with desk.uow(read_only=True) as uow:
        return shift_rows(uow.session, on_date or london_date(uow.now()))


# --- shifts ------------------------------------------------------------------------------------


def set_shift(
    desk: Desk,
    clinician_id: int,
    *,
    on_duty: bool,
    triage_sessions: int = 2,
    capacity: int | None = None,
    calls_per_session: int | None = None,
    on_date: date | None = None,
) -> ShiftRow:
    """Put a clinician on or off triage duty for a day (today by default) and set their capacity.

    Capacity defaults to sessions × calls per session. ``calls_per_session``, when given, also
    changes the clinician's usual figure for later days.

    Raises:
        NotPermitted: only a team lead sets shifts and capacity.
        NotFound: no active clinician has that id.
        InvalidInput: sessions, calls per session or capacity out of range.
    """
    desk.require(*TEAM_LEADS, action="set shifts and capacity")
    if not 0 <= triage_sessions <= MAX_SESSIONS:
        raise InvalidInput(f"Triage sessions must be between 0 and {MAX_SESSIONS}.")
    for name, value in (("Capacity", capacity), ("Calls per session", calls_per_session)):
        if value is not None and not 0 <= value <= MAX_CAPACITY:
            raise InvalidInput(f"{name} must be between 0 and {MAX_CAPACITY} calls.")
    with desk.uow() as uow:
        session = uow.session
        day = on_date or london_date(uow.now())
        clinician = _clinician(session, clinician_id)
        if calls_per_session is not None and calls_per_session != clinician.calls_per_session:
            uow.audit(
                "user.calls_per_session",
                "app_user",
                clinician.id,
                details={"from": clinician.calls_per_session, "to": calls_per_session},
            )
            clinician.calls_per_session = calls_per_session
        shift = session.scalar(
            sa.select(Shift).where(Shift.clinician_id == clinician_id, Shift.on_date == day)
        )
        before = (
            None
            if shift is None
            else {"sessions": shift.triage_sessions, "capacity": shift.capacity}
        )
        if not on_duty:
            if shift is not None:
                session.delete(shift)
            after = None
        else:
            cap = (
                capacity if capacity is not None else triage_sessions * clinician.calls_per_session
            )
            if shift is None:
                shift = Shift(clinician_id=clinician_id, on_date=day, triage_sessions=0, capacity=0)
                session.add(shift)
            shift.triage_sessions, shift.capacity = triage_sessions, cap
            after = {"sessions": triage_sessions, "capacity": cap}
        if before != after:
            uow.audit(
                "shift.set",
                "app_user",
                clinician.id,
                details={"on_date": day.isoformat(), "from": before, "to": after},
            )
        uow.commit()
        log.info(
            "shift of user %s on %s set by user %s",
            clinician_id,
            day,
            uow.actor.user_id if uow.actor else None,
        )
        return next(r for r in shift_rows(session, day) if r.clinician_id == clinician_id)


def _clinician(session: Session, clinician_id: int) -> User:
    user = session.get(User, clinician_id)
    if user is None or not user.active or user.role not in CLINICIAN_ROLES:
        raise NotFound(
            f"There is no active clinician with id {clinician_id}.",
            "Only physios and team leads make triage calls.",
        )
    return user


def _require_on_shift(session: Session, user: User, day: date) -> None:
    on_shift = session.scalar(
        sa.select(Shift.id).where(Shift.clinician_id == user.id, Shift.on_date == day)
    )
    if on_shift is None:
        raise Conflict(
            f"{user.display_name} is not on triage duty today: clinicians off shift get no new "
            "work.",
            "Put them on today's shift first (Team ▸ Shift and capacity).",
        )


# --- reassigning -------------------------------------------------------------------------------


def _load_open_for_update(uow: UnitOfWork, ids: Sequence[int]) -> list[Referral]:
    referrals = list(
        uow.session.scalars(
            sa.select(Referral).where(Referral.id.in_(ids)).order_by(Referral.id).with_for_update()
        )
    )
    missing = sorted(set(ids) - {r.id for r in referrals})
    if missing:
        raise NotFound(
            f"There is no referral {', '.join(str(i) for i in missing[:5])}.",
            "Refresh the worklist.",
        )
    closed = [r for r in referrals if not r.status.is_open]
    if closed:
        first = closed[0]
        more = f" (and {len(closed) - 1} more)" if len(closed) > 1 else ""
        raise Conflict(
            f"Referral {first.id} is {first.status.value.replace('_', ' ')}{more}: only referrals "
            "still waiting for their call can be reassigned.",
            "Refresh the worklist and choose again.",
        )
    return referrals


def _claims_message(session: Session, claimed: Sequence[Referral]) -> AlreadyClaimed:
    """Name who is on a call with which patient and since when."""
    people = dict(
        session.execute(
            sa.select(User.id, User.display_name).where(
                User.id.in_({r.claimed_by_id for r in claimed})
            )
        ).all()
    )
    patients = dict(
        session.execute(
            sa.select(Referral.id, Patient.family_name + ", " + Patient.given_name)
            .join(Patient, Patient.id == Referral.patient_id)
            .where(Referral.id.in_([r.id for r in claimed]))
        ).all()
    )
    lines = [
        f"{people.get(r.claimed_by_id or 0, 'A colleague')} is on a call with "
        f"{patients.get(r.id, f'referral {r.id}')} (referral {r.id})"
        + (f" since {to_london(r.claimed_at):%H:%M}" if r.claimed_at else "")
        for r in claimed[:5]
    ]
    if len(claimed) > 5:
        lines.append(f"and {len(claimed) - 5} more")
    count = len(claimed)
    return AlreadyClaimed(
        f"{count} of these referral{'s is' if count == 1 else 's are'} on a call, so nothing was "
        "moved: " + "; ".join(lines) + ".",
        "Check with them, release the claim (Worklist ▸ Release claim), then reassign.",
    )


def reassign(
    desk: Desk, referral_ids: Iterable[int], to_clinician_id: int | None, *, reason: str = ""
) -> ReassignResult:
    """Move open referrals to a colleague on shift, or back to unassigned, in one transaction.

    All or nothing: if any referral is on a call, closed or missing, nothing moves. Each moved
    referral gets an audit row with who, when, from whom, to whom and the reason.

    Raises:
        NotPermitted: only a team lead reassigns referrals.
        AlreadyClaimed: a referral is on a call (names who, with whom, since when).
        Conflict: a referral is no longer open, or the colleague is off shift today.
        NotFound: a referral or the colleague does not exist.
        InvalidInput: no referrals were chosen.
    """
    actor = desk.require(*TEAM_LEADS, action="reassign referrals")
    ids = sorted({int(i) for i in referral_ids})
    if not ids:
        raise InvalidInput("Choose at least one referral to reassign.")
    with desk.uow() as uow:
        session = uow.session
        to_name = "Unassigned"
        if to_clinician_id is not None:
            target = _clinician(session, to_clinician_id)
            _require_on_shift(session, target, london_date(uow.now()))
            to_name = target.display_name
        referrals = _load_open_for_update(uow, ids)
        claimed = [r for r in referrals if r.claimed_by_id is not None]
        if claimed:
            raise _claims_message(session, claimed)
        moved, unchanged = _move(uow, referrals, to_clinician_id, reason, via="reassign")
        uow.commit()
        log.info(
            "user %s reassigned %s referrals to %s", actor.user_id, len(moved), to_clinician_id
        )
        return ReassignResult(tuple(moved), to_clinician_id, to_name, tuple(unchanged))


def _move(
    uow: UnitOfWork, referrals: Iterable[Referral], to: int | None, reason: str, *, via: str
) -> tuple[list[int], list[int]]:
    moved: list[int] = []
    unchanged: list[int] = []
    now = uow.now()
    for referral in referrals:
        if referral.assigned_to_id == to:
            unchanged.append(referral.id)
            continue
        previous = referral.assigned_to_id
        referral.assigned_to_id = to
        referral.updated_at = now
        uow.changed_referrals.add(referral.id)
        uow.audit(
            "referral.reassign",
            "referral",
            referral.id,
            patient_id=referral.patient_id,
            details={"from": previous, "to": to, "reason": reason.strip(), "via": via},
        )
        moved.append(referral.id)
    return moved, unchanged


def open_referral_ids(desk: Desk, clinician_id: int | None) -> list[int]:
    """Every open referral on a clinician's list (None: the unassigned ones), most urgent first.

    Raises:
        NotPermitted: the role sees no clinical work.
    """
    desk.require(*CLINICAL_VIEWERS, action="see the worklist")
    with desk.uow(read_only=True) as uow:
        who = (
            Referral.assigned_to_id.is_(None)
            if clinician_id is None
            else Referral.assigned_to_id == clinician_id
        )
        return list(
            uow.session.scalars(
                sa.select(Referral.id)
                .where(Referral.status.in_(OPEN_STATUSES), who)
                .order_by(Referral.due_at, Referral.id)
            )
        )


def reassign_whole_list(
    desk: Desk, from_clinician_id: int, to_clinician_id: int | None, *, reason: str = ""
) -> ReassignResult:
    """Move every open referral on one clinician's list (see :func:`reassign`)."""
    desk.require(*TEAM_LEADS, action="reassign referrals")
    ids = open_referral_ids(desk, from_clinician_id)
    if not ids:
        raise InvalidInput("That clinician has no open referrals to move.")
    return reassign(desk, ids, to_clinician_id, reason=reason)


# --- sharing out -------------------------------------------------------------------------------


def preview_share_out(
    desk: Desk,
    *,
    referral_ids: Iterable[int] | None = None,
    from_clinician_id: int | None = None,
    clinician_ids: Iterable[int] | None = None,
) -> SharePlan:
    """Propose how to share referrals across clinicians on shift today (rule in core.shareout).

    What is shared: the chosen ``referral_ids``; else every open referral on
    ``from_clinician_id``'s list (someone going home); else every unassigned open referral.
    Who takes them: ``clinician_ids`` (each must be on shift today), else everyone on shift,
    never the clinician whose list is being shared. Referrals someone is on a call with are left
    out and named in the warnings. Nothing is written.

    Raises:
        NotPermitted: only a team lead shares out.
        Conflict: a chosen clinician is off shift today, or nobody is on shift.
        InvalidInput: there is nothing open to share.
    """
    desk.require(*TEAM_LEADS, action="share out referrals")
    with desk.uow(read_only=True) as uow:
        session = uow.session
        today = london_date(uow.now())
        cond: sa.ColumnElement[bool]
        if referral_ids is not None:
            cond = Referral.id.in_(sorted({int(i) for i in referral_ids}))
        elif from_clinician_id is not None:
            cond = Referral.assigned_to_id == from_clinician_id
        else:
            cond = Referral.assigned_to_id.is_(None)
        rows = session.execute(
            sa.select(
                Referral.id,
                Referral.due_at,
                Referral.gp_urgency,
                Referral.version,
                Referral.claimed_by_id,
                Referral.claimed_at,
                Patient.family_name,
                Patient.given_name,
                User.display_name,
            )
            .join(Patient, Patient.id == Referral.patient_id)
            .outerjoin(User, User.id == Referral.claimed_by_id)
            .where(cond, Referral.status.in_(OPEN_STATUSES))
            .order_by(Referral.due_at, Referral.id)
        ).all()
        to_share: list[ReferralToShare] = []
        labels: dict[int, str] = {}
        versions: dict[int, int] = {}
        on_a_call: list[str] = []
        for rid, due, urgency, version, claimer, since, family, given, claimer_name in rows:
            label = f"{family.upper()}, {given}"
            if claimer is not None:
                at = f" since {to_london(since):%H:%M}" if since else ""
                on_a_call.append(
                    f"{label} (referral {rid}) is left out: {claimer_name} is on a call with "
                    f"them{at}. Release the claim first to share it."
                )
                continue
            to_share.append(ReferralToShare(rid, due, urgent=urgency == GpUrgency.URGENT))
            labels[rid] = f"{label} · due {to_london(due):%a %H:%M}"
            versions[rid] = version
        if not to_share and not on_a_call:
            raise InvalidInput("There are no open referrals to share out.")
        team = [r for r in shift_rows(session, today) if r.on_duty]
        if clinician_ids is not None:
            chosen = {int(c) for c in clinician_ids}
            off = [
                r for r in shift_rows(session, today) if r.clinician_id in chosen and not r.on_duty
            ]
            if off:
                raise Conflict(
                    f"{off[0].display_name} is not on triage duty today: clinicians off shift "
                    "get no new work.",
                    "Put them on today's shift first (Team ▸ Shift and capacity).",
                )
            team = [r for r in team if r.clinician_id in chosen]
        team = [r for r in team if r.clinician_id != from_clinician_id]
        if not team:
            raise Conflict(
                "Nobody is on triage duty today to share these with.",
                "Put clinicians on today's shift first (Team ▸ Shift and capacity).",
            )
        _, end = london_day_bounds(today)
        loads = _loads(session, [r.clinician_id for r in team], end, exclude=list(versions))
        preview = share_out(
            to_share,
            [ClinicianOnShift(r.clinician_id, r.capacity, loads[r.clinician_id]) for r in team],
        )
        names = {r.clinician_id: r.display_name for r in team}
        return SharePlan(preview, names, labels, versions, tuple(on_a_call), from_clinician_id)


def apply_share_out(desk: Desk, plan: SharePlan, *, reason: str = "") -> ShareOutApplied:
    """Apply a (possibly adjusted) share-out in one transaction.

    Left-over referrals become unassigned, so the whole team sees them. If any referral in the
    plan changed since the preview (claimed, called, closed, moved), nothing is applied.

    Raises:
        NotPermitted: only a team lead shares out.
        StaleRecord: a referral changed since the preview (preview again).
        Conflict: a clinician in the plan went off shift since the preview.
    """
    actor = desk.require(*TEAM_LEADS, action="share out referrals")
    with desk.uow() as uow:
        session = uow.session
        today = london_date(uow.now())
        ids = sorted(plan.versions)
        referrals = {
            r.id: r
            for r in session.scalars(
                sa.select(Referral)
                .where(Referral.id.in_(ids))
                .order_by(Referral.id)
                .with_for_update()
            )
        }
        changed = [
            rid
            for rid in ids
            if rid not in referrals
            or referrals[rid].version != plan.versions[rid]
            or not referrals[rid].status.is_open
            or referrals[rid].claimed_by_id is not None
        ]
        if changed:
            count = len(changed)
            raise StaleRecord(
                f"{count} of the referrals changed since the preview (a call started, a colleague "
                "moved or closed it); nothing was shared out.",
                "Preview the share-out again.",
            )
        given: dict[int, int] = {}
        for share in plan.preview.shares:
            if share.referrals:
                _require_on_shift(session, _clinician(session, share.clinician_id), today)
            _move(
                uow,
                [referrals[i] for i in share.referral_ids],
                share.clinician_id,
                reason,
                via="share_out",
            )
            given[share.clinician_id] = len(share.referral_ids)
        _move(
            uow, [referrals[i] for i in plan.preview.left_over_ids], None, reason, via="share_out"
        )
        uow.audit(
            "share_out.apply",
            "referral",
            None,
            details={
                "given": {str(c): n for c, n in given.items()},
                "left_unassigned": len(plan.preview.left_over),
                "from_clinician": plan.from_clinician_id,
                "reason": reason.strip(),
            },
        )
        uow.commit()
        log.info("user %s shared out %s referrals", actor.user_id, len(ids))
        return ShareOutApplied(given, len(plan.preview.left_over), dict(plan.names))
