"""`physioline audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

import argparse
from typing import Any

from physioline.commands.common import add_database_options

EXIT_BROKEN = 8


def register(sub: Any) -> None:
    """Add the ``audit`` subcommands."""
    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="check that no audit row was changed, inserted or removed"
    )
    add_database_options(verify, subcommand=True)
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from physioline.commands.common import command_desk
    from physioline.services.audit import verify_chain

    with command_desk(args) as desk:
        report = verify_chain(desk)
    if report.intact:
        print(f"audit chain intact: {report.rows} rows; last hash {report.last_hash}")
        return 0
    for problem in report.problems:
        print(f"BROKEN: {problem.message}")
    print(f"audit chain broken: {len(report.problems)} problem(s) in {report.rows} rows")
    return EXIT_BROKEN
