"""`physioline worklist`: the worklist for scripts and checks, as table, CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from physioline.commands.common import add_database_options


def register(sub: Any) -> None:
    """Add the ``worklist`` subcommand."""
    parser = sub.add_parser("worklist", help="print a worklist (most urgent first)")
    add_database_options(parser, subcommand=True)
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--team", action="store_true", help="the whole team's open referrals")
    scope.add_argument("--unassigned", action="store_true", help="open referrals nobody has")
    scope.add_argument("--clinician", metavar="USERNAME", help="one clinician's worklist")
    scope.add_argument("--mine", action="store_true", help="the worklist of the --as user")
    parser.add_argument("--overdue", action="store_true", help="only referrals past their due time")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.set_defaults(handler=_worklist)


COLUMNS = ("referral_id", "due_at", "time_left", "patient", "age", "nhs_number", "body_region",
           "gp_urgency", "attempts", "assigned_to", "status", "claimed_by")  # fmt: skip


def _worklist(args: argparse.Namespace) -> int:
    import csv
    import json

    import sqlalchemy as sa

    from physioline.clock import to_london
    from physioline.commands.common import command_desk
    from physioline.core.due import describe_time_left
    from physioline.db.models import User
    from physioline.errors import NotFound
    from physioline.services import queries

    with command_desk(args) as desk:
        clinician_id = None
        if args.clinician:
            with desk.db.sessions() as session:
                clinician_id = session.scalar(
                    sa.select(User.id).where(User.username == args.clinician)
                )
            if clinician_id is None:
                raise NotFound(f"There is no clinician called '{args.clinician}'.")
        scope = (
            queries.Scope.TEAM if args.team
            else queries.Scope.UNASSIGNED if args.unassigned
            else queries.Scope.MINE if args.mine
            else queries.Scope.CLINICIAN
        )  # fmt: skip
        flt = queries.WorklistFilter(scope=scope, clinician_id=clinician_id,
                                     overdue_only=args.overdue)  # fmt: skip
        rows: list[queries.WorklistRow] = []
        after = None
        while True:
            page = queries.load_worklist_page(desk, flt, after)
            rows.extend(page.rows)
            if page.next_key is None:
                break
            after = page.next_key
        now = desk.clock.now()

    records = [
        {
            "referral_id": r.referral_id,
            "due_at": to_london(r.due_at).isoformat(timespec="minutes"),
            "time_left": describe_time_left(r.due_at, now),
            "patient": r.patient_name,
            "age": r.age,
            "nhs_number": r.nhs_number_formatted,
            "body_region": r.body_region,
            "gp_urgency": r.gp_urgency.value,
            "attempts": r.attempts,
            "assigned_to": r.assigned_to or "",
            "status": r.status.value,
            "claimed_by": r.claimed_by or "",
        }
        for r in rows
    ]
    if args.format == "json":
        json.dump(records, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    else:
        shown = ("due_at", "time_left", "patient", "age", "nhs_number", "body_region",
                 "gp_urgency", "attempts", "assigned_to", "status")  # fmt: skip
        widths = {c: max([len(c)] + [len(str(rec[c])) for rec in records]) for c in shown}
        print("  ".join(c.ljust(widths[c]) for c in shown))
        for rec in records:
            print("  ".join(str(rec[c]).ljust(widths[c]) for c in shown))
        print(f"{len(records)} referrals", file=sys.stderr)
    return 0
