"""The `physioline` command: starts the desktop app, or runs a headless subcommand.

Headless subcommands never import Qt, and ``--version`` imports neither Qt nor SQLAlchemy.
Each subcommand area lives in ``physioline/commands/<area>.py`` with a ``register(subparsers)``
function; their handlers import what they need lazily, so start-up stays cheap.
"""

from __future__ import annotations

import sys

from physioline import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs --version 7 ms
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

#: Modules that add subcommands. Each has ``register(subparsers: argparse._SubParsersAction)``.
COMMAND_MODULES = (
    "physioline.commands.db",
    "physioline.commands.demo",
    "physioline.commands.triage",
    "physioline.commands.worklist",
    "physioline.commands.booking",
    "physioline.commands.rota",
    "physioline.commands.letters",
    "physioline.commands.audit",
    "physioline.commands.admin",
    "physioline.commands.report",
)

EXIT_OK = 0
EXIT_DEFECT = 1


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand registered (or none: the app's own
    options alone, which is all that starting the desktop app needs)."""
    import argparse
    import importlib

    from physioline.commands.common import add_database_options

    parser = argparse.ArgumentParser(
        prog="physioline",
        description="PhysioLine: the MSK telephone triage desk. "
        "With no subcommand, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"physioline {__version__}")
    add_database_options(parser)
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="open as this demo user with no prompt (demo database only)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="with --demo: rebuild the demo database from scratch"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window, wait for the first worklist paint, print "
        "startup_s=<seconds> and exit",
    )
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # an area not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run PhysioLine; return the process exit status.

    Exit statuses: 0 success; 1 a defect (see the log); 2 invalid input; 3 a data folder is
    missing; 4 the database cannot be used; 5 not found; 6 not permitted; 7 a conflict with a
    colleague's change.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:  # the cheapest answer: nothing else is imported
        print(f"physioline {__version__}")
        return EXIT_OK
    import logging

    from physioline.errors import PhysioLineError

    log = logging.getLogger(__name__)
    args = _parse(arguments)
    _log_to_file()
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            from physioline.gui.app import run_app  # the one lazy edge into Qt

            return run_app(args)
        status: int = handler(args)
        return status
    except PhysioLineError as exc:
        print(f"physioline: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except Exception:
        from physioline.logs import defect_reference

        ref = defect_reference()
        log.exception("defect %s", ref)
        print(
            f"physioline: something went wrong (ref {ref}); the log has the details.",
            file=sys.stderr,
        )
        return EXIT_DEFECT


def _parse(arguments: list[str]) -> argparse.Namespace:
    """Parse the command line. Starting the app (only the app's own options given) skips
    loading every subcommand's module, which the app's start-up would otherwise pay for."""
    if not {"-h", "--help"} & set(arguments):
        args, rest = build_parser(commands=False).parse_known_args(arguments)
        if not rest:
            return args
    return build_parser().parse_args(arguments)


def _log_to_file() -> None:
    """Send log records to the user's log file, never to the terminal."""
    import logging

    from physioline.logs import configure_logging
    from physioline.paths import user_log_dir

    try:
        configure_logging(user_log_dir())
    except OSError:
        logging.getLogger().addHandler(logging.NullHandler())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
