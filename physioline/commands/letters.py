"""`physioline letters`: render a patient's or GP's letter to a PDF file, list the print queue.

Both act as a person (``--as`` on the demo database until sign-in exists), because who may see
which letters depends on their role, and a rendered letter is a view of a patient's record that
the audit trail keeps.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from physioline.commands.common import add_database_options

KINDS = ("advice", "appointment", "unable_to_contact", "gp")


def register(sub: Any) -> None:
    """Add the ``letters`` subcommand and its ``render`` and ``print-queue`` actions."""
    parser = sub.add_parser("letters", help="render letters and list the print queue")
    actions = parser.add_subparsers(dest="letters_command", metavar="ACTION", required=True)

    render = actions.add_parser(
        "render", help="render a referral's queued letter to a PDF file (stored and audited)"
    )
    add_database_options(render, subcommand=True)
    render.add_argument("--kind", choices=KINDS, required=True, help="which letter")
    render.add_argument("--referral", type=int, required=True, metavar="ID", help="referral id")
    render.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="PDF to write")
    render.set_defaults(handler=_render)

    queue = actions.add_parser("print-queue", help="letters waiting to print, held ones with why")
    add_database_options(queue, subcommand=True)
    scope = queue.add_mutually_exclusive_group()
    scope.add_argument("--team", action="store_true", help="the whole team's letters (default)")
    scope.add_argument("--mine", action="store_true", help="letters the --as user queued")
    queue.add_argument("--format", choices=("table", "json"), default="table")
    queue.set_defaults(handler=_print_queue)


def _render(args: argparse.Namespace) -> int:
    from pathlib import Path

    from physioline.commands.common import command_desk
    from physioline.services import letters

    with command_desk(args) as desk:
        document = letters.render_for_referral(desk, args.kind, args.referral)
    output = Path(args.output)
    output.write_bytes(document.pdf)
    print(
        f"letter {document.letter_id} ({letters.kind_label(document.kind)}) written to {output}; "
        f"sha256 {document.sha256}",
        file=sys.stderr,
    )
    for need in document.needs:
        print(f"communication need: {need}", file=sys.stderr)
    return 0


def _print_queue(args: argparse.Namespace) -> int:
    import json

    from physioline.clock import to_london
    from physioline.commands.common import command_desk
    from physioline.core.referral import Role
    from physioline.services import letters

    with command_desk(args) as desk:
        mine = args.mine or (not args.team and desk.actor.role == Role.PHYSIO)
        scope = letters.QueueScope.MINE if mine else letters.QueueScope.TEAM
        rows = letters.print_queue(desk, scope)
    records: list[dict[str, Any]] = [
        {
            "letter_id": r.letter_id,
            "kind": r.kind.value,
            "status": r.status.value,
            "ready": r.ready,
            "held_reason": r.held_reason,
            "patient": r.patient_label,
            "nhs_number": r.nhs_number,
            "referral_id": r.referral_id,
            "created_by": r.created_by,
            "created_at": to_london(r.created_at).isoformat(timespec="minutes"),
            "large_print": r.large_print,
            "communication_needs": list(r.needs),
            "print_count": r.print_count,
        }
        for r in rows
    ]
    if args.format == "json":
        json.dump(records, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    shown = ("letter_id", "kind", "patient", "nhs_number", "created_by", "created_at")
    widths = {c: max([len(c)] + [len(str(rec[c])) for rec in records]) for c in shown}
    print("  ".join(c.ljust(widths[c]) for c in shown) + "  notes")
    for rec in records:
        notes = []
        if rec["held_reason"]:
            notes.append(f"HELD: {rec['held_reason']}")
        if rec["large_print"]:
            notes.append("LARGE PRINT")
        notes += [str(n) for n in rec["communication_needs"] if "Large print" not in str(n)]
        print("  ".join(str(rec[c]).ljust(widths[c]) for c in shown) + "  " + "; ".join(notes))
    held = sum(1 for rec in records if not rec["ready"])
    print(f"{len(records)} letters waiting, {held} held", file=sys.stderr)
    return 0
