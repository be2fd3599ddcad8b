"""`physioline slots` and `physioline book`: capacity and booking for scripts and checks.

``slots generate`` brings the rota's slots up to date; ``slots search`` lists the earliest free
slots for an urgency (its target window, and whether slots held for urgent patients may be
offered); ``book`` books one for a referral; ``appointment cancel|rebook|ics`` keep the history;
``slots waiting`` says who on the waiting list a freed slot fits and ``--book`` books it for the
longest waiting.
They act as a person (``--as`` on the demo database until sign-in exists): who may do what
depends on the role, and every change is audited under that name.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from physioline.commands.common import add_database_options

TYPES = {"new": "new_patient", "new_patient": "new_patient", "follow_up": "follow_up"}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def register(sub: Any) -> None:
    """Add the ``slots``, ``book`` and ``appointment`` subcommands."""
    slots = sub.add_parser("slots", help="generate, search, add, block and release slots")
    actions = slots.add_subparsers(dest="slots_command", metavar="ACTION", required=True)

    generate = actions.add_parser("generate", help="bring slots into line with the rota")
    add_database_options(generate, subcommand=True)
    generate.add_argument("--weeks", type=int, default=12, help="horizon in weeks (default 12)")
    generate.set_defaults(handler=_generate)

    search = actions.add_parser("search", help="earliest free slots within the target window")
    add_database_options(search, subcommand=True)
    search.add_argument("--type", choices=("new", "follow_up"), required=True,
                        help="new patient or follow-up")  # fmt: skip
    search.add_argument("--urgency", choices=("urgent", "routine"), required=True,
                        help="urgent: 5 working days, held slots too; routine 21 days")  # fmt: skip
    search.add_argument("--referral", type=int, metavar="ID",
                        help="the window of this referral (default: one received now)")  # fmt: skip
    search.add_argument("--clinic", action="append", default=[], metavar="CODE",
                        help="only this clinic (code such as LDW; repeat for several)")  # fmt: skip
    search.add_argument("--after", metavar="WHEN",
                        help="from this London day (2026-12-01) or time (…T13:00)")  # fmt: skip
    search.add_argument("--days", metavar="mon,thu", help="only these days of the week")
    search.add_argument("--times", metavar="morning,afternoon,evening",
                        help="only these parts of the day")  # fmt: skip
    search.add_argument("--sex", choices=("female", "male"), help="clinician's sex")
    search.add_argument("--step-free", action="store_true", help="step-free clinics only")
    search.add_argument("--language", help="interpreter needed: clinician speaks this language")
    search.add_argument("--limit", type=int, default=20, help="how many slots (default 20)")
    search.add_argument("--format", choices=("table", "json"), default="table")
    search.set_defaults(handler=_search)

    add = actions.add_parser("add", help="add one slot outside the rota")
    add_database_options(add, subcommand=True)
    add.add_argument("--clinic", required=True, metavar="CODE")
    add.add_argument("--clinician", required=True, metavar="USERNAME")
    add.add_argument("--start", required=True, metavar="2026-12-01T13:00", help="London time")
    add.add_argument("--type", choices=("new", "follow_up"), required=True)
    add.add_argument("--minutes", type=int, help="length (default 45 new, 30 follow-up)")
    add.add_argument("--held", action="store_true", help="held for urgent patients")
    add.set_defaults(handler=_add)

    block = actions.add_parser("block", help="take a free slot off offer, with the reason")
    add_database_options(block, subcommand=True)
    block.add_argument("--slot", type=int, required=True, metavar="ID")
    block.add_argument("--reason", required=True)
    block.set_defaults(handler=_block)

    release = actions.add_parser("release", help="free a blocked slot, or release a held one")
    add_database_options(release, subcommand=True)
    release.add_argument("--slot", type=int, required=True, metavar="ID")
    release.set_defaults(handler=_release)

    waiting = actions.add_parser("waiting", help="who on the waiting list a free slot fits")
    add_database_options(waiting, subcommand=True)
    waiting.add_argument("--slot", type=int, required=True, metavar="ID")
    waiting.add_argument("--book", action="store_true",
                         help="book it for the patient who has waited longest")  # fmt: skip
    waiting.set_defaults(handler=_waiting)

    book = sub.add_parser("book", help="book a slot for a referral's patient")
    add_database_options(book, subcommand=True)
    book.add_argument("--referral", type=int, required=True, metavar="ID")
    book.add_argument("--slot", type=int, required=True, metavar="ID")
    book.add_argument("--format", choices=("text", "json"), default="text")
    book.set_defaults(handler=_book)

    appointment = sub.add_parser("appointment", help="cancel, rebook or export an appointment")
    appt = appointment.add_subparsers(dest="appointment_command", metavar="ACTION", required=True)
    cancel = appt.add_parser("cancel", help="cancel, keeping who, when, why and who asked")
    add_database_options(cancel, subcommand=True)
    cancel.add_argument("--appointment", type=int, required=True, metavar="ID")
    cancel.add_argument("--reason", required=True)
    cancel.add_argument("--by", choices=("patient", "service"), required=True,
                        help="who asked for the cancellation")  # fmt: skip
    cancel.add_argument("--block-slot", action="store_true", help="block the slot too")
    cancel.set_defaults(handler=_cancel)
    rebook = appt.add_parser("rebook", help="move an appointment to another slot")
    add_database_options(rebook, subcommand=True)
    rebook.add_argument("--appointment", type=int, required=True, metavar="ID")
    rebook.add_argument("--slot", type=int, required=True, metavar="ID")
    rebook.add_argument("--reason", required=True)
    rebook.add_argument("--by", choices=("patient", "service"), required=True)
    rebook.set_defaults(handler=_rebook)
    ics = appt.add_parser("ics", help="the appointment as an iCalendar file")
    add_database_options(ics, subcommand=True)
    ics.add_argument("--appointment", type=int, required=True, metavar="ID")
    ics.add_argument("-o", "--output", metavar="FILE.ics", help="write here (default stdout)")
    ics.set_defaults(handler=_ics)


def _london(text: str) -> Any:
    """An aware UTC instant from a London date ('2026-12-01') or date-time."""
    from datetime import date, datetime, time

    from physioline.core.due import london_wall_time
    from physioline.errors import InvalidInput

    try:
        if len(text.strip()) == 10:
            return london_wall_time(date.fromisoformat(text.strip()), time(0))
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date (2026-12-01) or date-time "
                           "(2026-12-01T13:00).") from None  # fmt: skip
    if parsed.tzinfo is not None:
        return parsed
    return london_wall_time(parsed.date(), parsed.time())


def _offer_json(offer: Any, window_ends: Any) -> dict[str, Any]:
    from physioline.clock import to_london

    local = to_london(offer.starts_at)
    return {
        "slot_id": offer.slot_id,
        "starts_at": local.isoformat(timespec="minutes"),
        "ends_at": to_london(offer.ends_at).isoformat(timespec="minutes"),
        "day": f"{local:%a %d %b %Y}",
        "time": f"{local:%H:%M}",
        "minutes": offer.minutes,
        "type": offer.appointment_type.value,
        "clinic_code": offer.clinic_code,
        "clinic": offer.clinic_name,
        "step_free": offer.step_free,
        "clinician": offer.clinician_name,
        "clinician_sex": offer.clinician_sex.value,
        "held_for_urgent": offer.held_for_urgent,
        "within_window": window_ends is None or offer.starts_at < window_ends,
        "version": offer.version,
    }


def _preferences(args: argparse.Namespace, desk: Any) -> Any:
    from physioline.errors import InvalidInput
    from physioline.services import booking

    days: set[int] = set()
    for name in (args.days or "").split(","):
        if name.strip():
            key = name.strip().lower()[:3]
            if key not in DAY_NAMES:
                raise InvalidInput(f"'{name}' is not a day of the week.", "Use mon,tue,...,sun.")
            days.add(DAY_NAMES.index(key))
    parts = [p.strip().lower() for p in (args.times or "").split(",") if p.strip()]
    return booking.SlotPreferences(
        clinic_ids=booking.clinic_ids(desk, args.clinic) if args.clinic else frozenset(),
        weekdays=frozenset(days),
        day_parts=frozenset(parts),  # type: ignore[arg-type]  # checked by SlotPreferences
        clinician_sex=args.sex,
        step_free=args.step_free,
        language=args.language,
    )


def _search(args: argparse.Namespace) -> int:
    import json

    from physioline.clock import to_london
    from physioline.commands.common import command_desk
    from physioline.core.referral import AppointmentType
    from physioline.services import booking

    with command_desk(args) as desk:
        urgent = args.urgency == "urgent"
        window_ends = booking.target_window(desk, urgent=urgent, referral_id=args.referral)
        rules = booking.current_rules(desk)
        query = booking.SlotQuery(
            appointment_type=AppointmentType(TYPES[args.type]),
            urgent=urgent,
            window_ends=window_ends,
            preferences=_preferences(args, desk),
            not_before=_london(args.after) if args.after else None,
            hold_release_days=rules.hold_release_days,
            min_notice=rules.min_notice,
        )
        result = booking.find_slots(desk, query, limit=max(1, args.limit))
    if args.format == "json":
        json.dump({
            "urgency": args.urgency,
            "type": TYPES[args.type],
            "window_ends": to_london(window_ends).isoformat(timespec="minutes"),
            "filters": query.preferences.describe(),
            "nothing_fits": result.nothing_fits,
            "message": result.message,
            "slots": [_offer_json(o, window_ends) for o in result.offers],
            "beyond_window": None if result.beyond_window is None
            else _offer_json(result.beyond_window, window_ends),
        }, sys.stdout, indent=1, ensure_ascii=False)  # fmt: skip
        sys.stdout.write("\n")
        return 0
    print(f"Window ends {to_london(window_ends):%a %d %b %Y %H:%M} ({args.urgency}); "
          f"filters: {query.preferences.describe()}")  # fmt: skip
    for offer in result.offers or ((result.beyond_window,) if result.beyond_window else ()):
        row = _offer_json(offer, window_ends)
        print(f"{row['slot_id']:>7}  {row['day']}  {row['time']}  {row['minutes']:>3} min  "
              f"{row['clinic_code']:<4} {row['clinician']:<22} "
              f"{'held ' if row['held_for_urgent'] else ''}"
              f"{'' if row['within_window'] else 'AFTER THE WINDOW'}".rstrip())  # fmt: skip
    print(result.message, file=sys.stderr)
    return 0


def _book(args: argparse.Namespace) -> int:
    import json

    from physioline.clock import to_london
    from physioline.commands.common import command_desk
    from physioline.services import booking

    with command_desk(args) as desk:
        booked = booking.book_slot(desk, args.referral, args.slot)
    if args.format == "json":
        json.dump({
            "appointment_id": booked.appointment_id, "referral_id": booked.referral_id,
            "slot_id": booked.slot_id,
            "starts_at": to_london(booked.starts_at).isoformat(timespec="minutes"),
            "clinic": booked.clinic_name, "clinician": booked.clinician_name,
            "within_target": booked.within_target, "letter_id": booked.letter_id,
            "letter_held_reason": booked.letter_held_reason,
        }, sys.stdout, indent=1, ensure_ascii=False)  # fmt: skip
        sys.stdout.write("\n")
    else:
        print(f"appointment {booked.appointment_id}: {booked.message}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    with command_desk(args) as desk:
        report = rota.generate_slots_for(desk, weeks=args.weeks)
    print(report.message)
    return 0


def _add(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from physioline.commands.common import command_desk
    from physioline.db.models import User
    from physioline.errors import NotFound
    from physioline.services import booking, rota

    with command_desk(args) as desk:
        (clinic_id,) = booking.clinic_ids(desk, [args.clinic])
        with desk.db.sessions() as session:
            clinician_id = session.scalar(sa.select(User.id).where(User.username == args.clinician))
        if clinician_id is None:
            raise NotFound(f"There is no clinician called '{args.clinician}'.")
        slot_id = rota.add_slot(desk, clinic_id=clinic_id, clinician_id=clinician_id,
                                starts_at=_london(args.start), appointment_type=TYPES[args.type],
                                minutes=args.minutes, held_for_urgent=args.held)  # fmt: skip
    print(f"slot {slot_id} added")
    return 0


def _block(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    with command_desk(args) as desk:
        rota.block_slot(desk, args.slot, args.reason)
    print(f"slot {args.slot} blocked")
    return 0


def _release(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import rota

    with command_desk(args) as desk:
        print(rota.release_slot(desk, args.slot))
    return 0


def _cancel(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import booking

    with command_desk(args) as desk:
        cancelled = booking.cancel_appointment(
            desk, args.appointment, reason=args.reason, initiator=args.by,
            block_slot=args.block_slot,
        )  # fmt: skip
    print(f"appointment {cancelled.appointment_id}: {cancelled.message}")
    return 0


def _rebook(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import booking

    with command_desk(args) as desk:
        booked = booking.rebook_appointment(desk, args.appointment, args.slot,
                                            reason=args.reason, initiator=args.by)  # fmt: skip
    print(f"appointment {booked.appointment_id} replaces {args.appointment}: {booked.message}")
    return 0


def _ics(args: argparse.Namespace) -> int:
    from pathlib import Path

    from physioline.commands.common import command_desk
    from physioline.services import booking

    with command_desk(args) as desk:
        text = booking.appointment_ics(desk, args.appointment)
    if args.output:
        from physioline.files import write_text_atomic

        write_text_atomic(Path(args.output), text)
        print(f"appointment {args.appointment} written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _waiting(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services import booking

    with command_desk(args) as desk:
        waiting = booking.waiting_for_slot(desk, args.slot)
        print(waiting.message)
        if args.book:
            booked = booking.book_from_waiting_list(desk, args.slot, entry_id=waiting.entry_id)
            print(f"appointment {booked.appointment_id} for referral {booked.referral_id}: "
                  f"{booked.message}")  # fmt: skip
    return 0
