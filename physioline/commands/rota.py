"""`physioline rota`: clinicians' weekly sessions and leave, training and closures, headless.

``rota list`` shows the sessions in force and the exceptions not yet over, with their ids;
``add-session``, ``end-session``, ``add-exception`` and ``remove-exception`` change them through
the same services as the rota screen, each in one transaction that also brings the slots into
line (booked and blocked slots are never touched; booked ones outside the rota are listed for
rebooking). Team leads and IT only (roles.md); clinicians by user name, clinics by code.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from physioline.commands.common import add_database_options

TYPES = {"new": "new_patient", "new_patient": "new_patient", "follow_up": "follow_up"}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def register(sub: Any) -> None:
    """Add the ``rota`` subcommand and its actions."""
    rota = sub.add_parser("rota", help="list and change rota sessions and exceptions")
    actions = rota.add_subparsers(dest="rota_command", metavar="ACTION", required=True)

    show = actions.add_parser("list", help="sessions in force and exceptions not yet over")
    add_database_options(show, subcommand=True)
    show.add_argument("--clinician", metavar="USERNAME", help="only this clinician's")
    show.add_argument("--format", choices=("table", "json"), default="table")
    show.set_defaults(handler=_list)

    add = actions.add_parser("add-session", help="add a weekly session; its slots follow")
    add_database_options(add, subcommand=True)
    add.add_argument("--clinician", required=True, metavar="USERNAME")
    add.add_argument("--clinic", required=True, metavar="CODE")
    add.add_argument("--day", required=True, choices=DAY_NAMES, help="day of the week")
    add.add_argument("--start", required=True, metavar="HH:MM", help="London wall time")
    add.add_argument("--end", required=True, metavar="HH:MM", help="London wall time")
    add.add_argument("--type", required=True, choices=("new", "follow_up"))
    add.add_argument("--minutes", type=int, help="appointment length (default 45 new, 30 f/u)")
    add.add_argument("--held", type=int, default=0, metavar="N",
                     help="first N new-patient slots held for urgent patients")  # fmt: skip
    add.add_argument("--from", dest="valid_from", metavar="YYYY-MM-DD", help="default today")
    add.add_argument("--until", dest="valid_until", metavar="YYYY-MM-DD", help="last day")
    add.set_defaults(handler=_add_session)

    end = actions.add_parser("end-session", help="end a session from today")
    add_database_options(end, subcommand=True)
    end.add_argument("--session", type=int, required=True, metavar="ID")
    end.set_defaults(handler=_end_session)

    exc = actions.add_parser("add-exception", help="record leave, training or a closure")
    add_database_options(exc, subcommand=True)
    exc.add_argument("--kind", required=True, choices=("leave", "training", "closure"))
    exc.add_argument("--clinician", metavar="USERNAME", help="for leave and training")
    exc.add_argument("--clinic", metavar="CODE", help="for a closure")
    exc.add_argument("--from", dest="first_day", required=True, metavar="YYYY-MM-DD")
    exc.add_argument("--to", dest="last_day", metavar="YYYY-MM-DD", help="default: --from")
    exc.add_argument("--start", metavar="HH:MM", help="part days only: from this time each day")
    exc.add_argument("--end", metavar="HH:MM", help="part days only: until this time each day")
    exc.add_argument("--note", default="", help="for colleagues reading the rota")
    exc.set_defaults(handler=_add_exception)

    remove = actions.add_parser("remove-exception", help="remove one entered in error")
    add_database_options(remove, subcommand=True)
    remove.add_argument("--exception", type=int, required=True, metavar="ID")
    remove.set_defaults(handler=_remove_exception)


def _day(text: str, what: str) -> Any:
    from datetime import date

    from physioline.errors import InvalidInput

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} '{text}' is not a date like 2026-12-01.") from None


def _time(text: str, what: str) -> Any:
    from datetime import time

    from physioline.errors import InvalidInput

    try:
        parsed = time.fromisoformat(text.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.second or parsed.tzinfo is not None or len(text.strip()) != 5:
        raise InvalidInput(f"{what} '{text}' is not a time like 09:00 (London wall time).")
    return parsed


def _clinician_id(desk: Any, username: str) -> int:
    import sqlalchemy as sa

    from physioline.db.models import User
    from physioline.errors import NotFound

    with desk.db.sessions() as session:
        found: int | None = session.scalar(sa.select(User.id).where(User.username == username))
    if found is None:
        raise NotFound(f"There is no clinician called '{username}'.")
    return found


def _clinic_id(desk: Any, code: str) -> int:
    from physioline.services import booking

    (clinic_id,) = booking.clinic_ids(desk, [code])
    return clinic_id


def _print_change(change: Any) -> None:
    print(change.done)
    print(change.report.message)


def _list(args: argparse.Namespace) -> int:
    import json

    from physioline.commands.common import command_desk
    from physioline.services import rota

    with command_desk(args) as desk:
        overview = rota.rota_overview(desk)
        only = _clinician_id(desk, args.clinician) if args.clinician else None
    sessions = [s for s in overview.sessions if only is None or s.clinician_id == only]
    exceptions = [e for e in overview.exceptions
                  if only is None or e.clinician_id in (None, only)]  # fmt: skip
    if args.format == "json":
        json.dump({
            "today": overview.today.isoformat(),
            "sessions": [{
                "id": s.template_id, "clinician": s.clinician_name, "clinic_code": s.clinic_code,
                "clinic": s.clinic_name, "day": DAY_NAMES[s.weekday],
                "start": f"{s.starts:%H:%M}", "end": f"{s.ends:%H:%M}",
                "type": s.appointment_type.value, "minutes": s.slot_minutes,
                "slots": s.slot_count, "held_for_urgent": s.held_for_urgent,
                "from": s.valid_from.isoformat(),
                "until": s.valid_until.isoformat() if s.valid_until else None,
            } for s in sessions],
            "exceptions": [{
                "id": e.exception_id, "kind": e.kind.value, "who": e.who,
                "first_day": e.first_day.isoformat(), "last_day": e.last_day.isoformat(),
                "period": e.period, "note": e.note,
            } for e in exceptions],
        }, sys.stdout, indent=1, ensure_ascii=False)  # fmt: skip
        sys.stdout.write("\n")
        return 0
    print(f"Sessions in force from {overview.today:%a %d %b %Y} ({len(sessions)}):")
    for s in sessions:
        until = f" until {s.valid_until:%d %b %Y}" if s.valid_until else ""
        held = f", {s.held_for_urgent} held for urgent" if s.held_for_urgent else ""
        kind = "new" if s.appointment_type.value == "new_patient" else "follow-up"
        print(f"{s.template_id:>6}  {s.clinician_name:<20} {DAY_NAMES[s.weekday]} "
              f"{s.starts:%H:%M}–{s.ends:%H:%M} {s.clinic_code:<4} {kind} {s.slot_minutes} min "
              f"× {s.slot_count}{held}{until}")  # fmt: skip
    print(f"Leave, training and closures not yet over ({len(exceptions)}):")
    for e in exceptions:
        note = f" — {e.note}" if e.note else ""
        print(f"{e.exception_id:>6}  {e.describe()}{note}")
    return 0


def _add_session(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    starts, ends = _time(args.start, "--start"), _time(args.end, "--end")
    valid_from = _day(args.valid_from, "--from") if args.valid_from else None
    valid_until = _day(args.valid_until, "--until") if args.valid_until else None
    with command_desk(args) as desk:
        change = rota.add_rota_session(
            desk, clinician_id=_clinician_id(desk, args.clinician),
            clinic_id=_clinic_id(desk, args.clinic), weekday=DAY_NAMES.index(args.day),
            starts=starts, ends=ends, appointment_type=TYPES[args.type],
            slot_minutes=args.minutes, held_for_urgent=args.held, valid_from=valid_from,
            valid_until=valid_until,
        )  # fmt: skip
    print(f"session {change.row_id} added")
    _print_change(change)
    return 0


def _end_session(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    with command_desk(args) as desk:
        change = rota.end_rota_session(desk, args.session)
    _print_change(change)
    return 0


def _add_exception(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    first = _day(args.first_day, "--from")
    last = _day(args.last_day, "--to") if args.last_day else first
    starts = _time(args.start, "--start") if args.start else None
    ends = _time(args.end, "--end") if args.end else None
    with command_desk(args) as desk:
        change = rota.add_rota_exception(
            desk, kind=args.kind, first_day=first, last_day=last,
            clinician_id=_clinician_id(desk, args.clinician) if args.clinician else None,
            clinic_id=_clinic_id(desk, args.clinic) if args.clinic else None,
            starts=starts, ends=ends, note=args.note,
        )  # fmt: skip
    print(f"exception {change.row_id} recorded")
    _print_change(change)
    return 0


def _remove_exception(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    with command_desk(args) as desk:
        change = rota.remove_rota_exception(desk, args.exception)
    _print_change(change)
    return 0
