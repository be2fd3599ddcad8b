"""The hazard log cites only tests that exist (DCB0129 evidence cannot silently go stale).

``docs/clinical-safety/hazard-log.md`` names its evidence as ``tests/<path>.py::test_name``.
Each name is checked against the test file's syntax tree (functions, and ``Class::method``).
A control must give either such evidence or ``planned — issue: <issue>``.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HAZARD_LOG = REPO / "docs" / "clinical-safety" / "hazard-log.md"

REQUIRED_HAZARDS = {
    "H1": "Red flag missed",
    "H2": "Red flag silently downgraded",
    "H3": "Wrong protocol version applied",
    "H4": "Wrong patient on the call",
    "H5": "Draft lost",
    "H6": "Score miscalculated",
    "H7": "Letter with wrong advice",
    "H8": "Patient double-booked / appointment lost",
}

HAZARD_HEADING = re.compile(r"^## (H\d+) (.+)$", re.MULTILINE)
CONTROL = re.compile(r"^- \*\*(C\d+\.\d+)\*\*", re.MULTILINE)
TEST_REFERENCE = re.compile(r"`(tests/[^`:\s]+\.py)::([A-Za-z_][\w:]*)`")
PLANNED = re.compile(r"planned — issue: \S")
#: Anything that looks like a reference to a test file, to catch vague or malformed ones.
TEST_PATH_MENTION = re.compile(r"tests/[\w/.-]*")


@functools.cache
def defined_tests(path: Path) -> frozenset[str]:
    """Test names a file defines: ``test_x`` and ``TestClass::test_y``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{child.name}"
                for child in node.body
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return frozenset(names)


def controls(text: str) -> list[tuple[str, str]]:
    """Each control id with its text (up to the next control, hazard or risk paragraph)."""
    starts = [(m.start(), m.group(1)) for m in CONTROL.finditer(text)]
    out = []
    for index, (start, control_id) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        body = text[start:end]
        for stop in ("\n**Proposed risk.**", "\n## ", "\n---"):
            if stop in body:
                body = body[: body.index(stop)]
        out.append((control_id, body))
    return out


def problems_in(text: str, repo: Path) -> list[str]:
    """Everything wrong with a hazard log's evidence, as readable lines (empty when sound)."""
    problems: list[str] = []
    for control_id, body in controls(text):
        references = TEST_REFERENCE.findall(body)
        if "Evidence:" not in body:
            problems.append(f"{control_id}: no 'Evidence:'")
        if not references and not PLANNED.search(body):
            problems.append(f"{control_id}: neither a test reference nor 'planned — issue: …'")
        cited_paths = {path for path, _ in references}
        for mention in TEST_PATH_MENTION.findall(body):
            if mention.rstrip(".") not in cited_paths:
                problems.append(
                    f"{control_id}: '{mention}' is not a `path.py::test_name` reference"
                )
        for path, name in references:
            file = repo / path
            if not file.is_file():
                problems.append(f"{control_id}: {path} does not exist")
            elif name not in defined_tests(file):
                problems.append(f"{control_id}: {path}::{name} does not exist")
            elif not name.split("::")[-1].startswith("test"):
                problems.append(f"{control_id}: {path}::{name} is not a test")
    return problems


def hazard_log() -> str:
    return HAZARD_LOG.read_text(encoding="utf-8")


def test_every_required_hazard_is_in_the_log() -> None:
    headings = dict(HAZARD_HEADING.findall(hazard_log()))
    for hazard_id, title in REQUIRED_HAZARDS.items():
        assert headings.get(hazard_id) == title, hazard_id


def test_every_hazard_has_causes_and_controls() -> None:
    text = hazard_log()
    sections = HAZARD_HEADING.split(text)[1:]  # id, title, body, id, title, body, ...
    assert len(sections) == 3 * len(REQUIRED_HAZARDS)
    for hazard_id, _title, body in zip(sections[::3], sections[1::3], sections[2::3], strict=True):
        assert "**Causes.**" in body, hazard_id
        assert "**Controls.**" in body, hazard_id
        number = hazard_id.removeprefix("H")
        found = [c for c, _ in controls(body)]
        assert found, hazard_id
        assert all(c.startswith(f"C{number}.") for c in found), (hazard_id, found)


def test_every_cited_test_exists_and_every_control_has_evidence() -> None:
    text = hazard_log()
    assert TEST_REFERENCE.findall(text)  # the log does cite tests
    assert problems_in(text, REPO) == []


def test_control_ids_are_unique() -> None:
    ids = [c for c, _ in controls(hazard_log())]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("evidence", "problem"),
    [
        (
            "`tests/unit/core/test_triage_rules.py::test_that_was_renamed`",
            "test_that_was_renamed does not exist",
        ),
        ("`tests/unit/core/test_nowhere.py::test_x`", "test_nowhere.py does not exist"),
        ("tests/unit/core/test_triage_rules.py", "is not a `path.py::test_name` reference"),
        ("a test somewhere", "neither a test reference nor 'planned"),
        (
            "`tests/unit/core/test_triage_rules.py::shipped`",
            "test_triage_rules.py::shipped is not a test",
        ),
    ],
)
def test_the_checker_refuses_evidence_that_does_not_exist(evidence: str, problem: str) -> None:
    text = f"## H9 Example\n\n**Controls.**\n- **C9.1** A control. Evidence: {evidence}\n"
    found = problems_in(text, REPO)
    assert any(problem in p for p in found), found


def test_the_checker_accepts_a_planned_control_and_a_real_test() -> None:
    text = (
        "- **C9.1** Planned. Evidence: planned — issue: assessment form\n"
        "- **C9.2** Tested. Evidence: "
        "`tests/unit/test_hazard_log.py::test_the_checker_accepts_a_planned_control_and_a_real_test`\n"
    )
    assert problems_in(text, REPO) == []
