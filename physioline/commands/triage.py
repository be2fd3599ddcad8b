"""CLI: ``triage evaluate`` (the machine interface of spec section 9) and ``protocols check``.

``triage evaluate`` prints exactly one JSON object on stdout and exits 0, or, for invalid input,
exactly one line on stderr naming the item (or the protocol id / file problem), nothing on
stdout, and exits 2. A defect exits 1 with a reference; the traceback goes to the log only.
Imports are lazy so ``physioline --help`` stays cheap; nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_DEFECT = 1
EXIT_INVALID_INPUT = 2


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``triage evaluate`` and ``protocols check`` to the main parser."""
    triage = subparsers.add_parser(
        "triage", help="evaluate triage answers against a protocol (machine interface)"
    )
    triage_actions = triage.add_subparsers(dest="triage_action", metavar="ACTION", required=True)
    evaluate = triage_actions.add_parser(
        "evaluate",
        help="recommend a disposition for an answers file (clinical-spec.md section 9)",
        description="Print the recommendation for FILE.json under protocol ID as one JSON "
        "object. Exit 0 on valid input (also when incomplete or a red flag triggered); 2 on "
        "invalid input, with one line on stderr naming the problem.",
    )
    evaluate.add_argument("--protocol", required=True, metavar="ID", help="protocol id, e.g. knee")
    evaluate.add_argument(
        "--answers",
        required=True,
        metavar="FILE.json",
        help="JSON object mapping item ids to answers (UTF-8, no BOM)",
    )
    evaluate.add_argument("--format", choices=["json"], default="json", help="output format")
    evaluate.set_defaults(handler=evaluate_command)

    protocols = subparsers.add_parser("protocols", help="check the clinical protocol files")
    protocol_actions = protocols.add_subparsers(
        dest="protocols_action", metavar="ACTION", required=True
    )
    check = protocol_actions.add_parser(
        "check",
        help="check protocol files (default: every shipped protocol)",
        description="Load and check protocol files: YAML, schema, references, vocabulary and "
        "reachability. Prints file:line: message per problem and exits 2 if there is any.",
    )
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="protocol files or folders"
    )
    check.set_defaults(handler=check_command)


def evaluate_command(args: argparse.Namespace) -> int:
    """``physioline triage evaluate``: one JSON object on stdout, or one line on stderr."""
    try:
        return _evaluate(args.protocol, Path(args.answers))
    except Exception:  # a defect: never a traceback on the terminal (spec 9)
        return _defect()


def _evaluate(protocol_id: str, answers_path: Path) -> int:
    import json

    from physioline.core.answers import AnswersError, read_answers
    from physioline.core.protocol import ProtocolCheckFailed, UnknownProtocol, load_protocol
    from physioline.core.triage import evaluate
    from physioline.errors import DataFolderMissing

    try:
        protocol = load_protocol(protocol_id)
    except UnknownProtocol as exc:
        return _refuse(str(exc))
    except ProtocolCheckFailed as exc:
        # The shipped protocol is broken: a defect of the installation, not of the input.
        _error_line(f"protocol file for {protocol_id} is invalid: {exc.problems[0]}")
        return EXIT_DEFECT
    except DataFolderMissing as exc:
        _error_line(str(exc))
        return exc.exit_status
    try:
        data = answers_path.read_bytes()
    except OSError as exc:
        return _refuse(f"cannot read the answers file {answers_path}: {exc.strerror or exc}")
    try:
        answers = read_answers(protocol, data)
    except AnswersError as exc:
        return _refuse(f"invalid answers: {exc.message}")
    result = evaluate(protocol, answers)
    sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_OK


def check_command(args: argparse.Namespace) -> int:
    """``physioline protocols check [PATH ...]``: every problem as ``file:line: message``."""
    from physioline.core.protocol import check_paths

    paths: list[Path] = list(args.paths)
    report = check_paths(paths)
    for problem in report.problems:
        print(_one_line(str(problem)))
    if report.problems:
        count = len(report.problems)
        print(
            f"protocols check: {count} problem{'s' if count != 1 else ''} in "
            f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}",
            file=sys.stderr,
        )
        return EXIT_INVALID_INPUT
    summary = ", ".join(f"{p.id} {p.version}" for p in report.protocols)
    print(f"protocols check: OK, {len(report.protocols)} protocol files ({summary})")
    return EXIT_OK


def _refuse(message: str) -> int:
    _error_line(message)
    return EXIT_INVALID_INPUT


def _error_line(message: str) -> None:
    sys.stderr.write(f"physioline: {_one_line(message)}\n")
    sys.stderr.flush()


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _defect() -> int:
    import logging

    from physioline.logs import configure_logging, defect_reference

    ref = defect_reference()
    try:
        from physioline.paths import user_log_dir

        configure_logging(user_log_dir())
        logging.getLogger(__name__).exception("defect %s in triage evaluate", ref)
    except Exception:  # noqa: S110 - the log is unavailable; the reference still goes out
        pass
    _error_line(f"something went wrong (ref {ref}); the log has the details.")
    return EXIT_DEFECT
