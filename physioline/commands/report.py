"""`physioline report`: service targets for a period as CSV, PDF or JSON, for commissioners."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from physioline.commands.common import add_database_options


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-01") from None


def register(sub: Any) -> None:
    """Add the ``report`` subcommand."""
    parser = sub.add_parser(
        "report",
        help="the service's targets for a period (team leads): 48-hour contact, seen within "
        "3 weeks, 18 weeks, dispositions",
    )
    add_database_options(parser, subcommand=True)
    parser.add_argument(
        "--from",
        dest="first_day",
        type=_day,
        required=True,
        metavar="DATE",
        help="first day received (YYYY-MM-DD, Europe/London)",
    )
    parser.add_argument(
        "--to",
        dest="last_day",
        type=_day,
        required=True,
        metavar="DATE",
        help="last day received, inclusive (YYYY-MM-DD)",
    )
    parser.add_argument("--format", choices=("csv", "pdf", "json"), default="csv")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from physioline.commands.common import command_desk
    from physioline.errors import InvalidInput
    from physioline.services import report
    from physioline.services.kpi import Period

    period = Period(args.first_day, args.last_day)
    if args.format == "pdf" and not args.output and sys.stdout.isatty():
        raise InvalidInput("A PDF is not for the terminal.", "Add -o report.pdf.")
    with command_desk(args) as desk:
        figures = report.load_report(desk, period)
        data = report.render(figures, args.format, generated_at=desk.clock.now())
    if args.output:
        Path(args.output).write_bytes(data)
        print(
            f"wrote {args.format.upper()} report for {period.label()} to {args.output}",
            file=sys.stderr,
        )
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
