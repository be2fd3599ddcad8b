"""Designer forms: every committed ui_<name>.py is what pyside6-uic makes of ui/<name>.ui."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from build_forms import compile_form  # noqa: E402

FORMS = sorted((ROOT / "ui").glob("*.ui"))
_HEADER = re.compile(r"## Created by: Qt User Interface Compiler version .*\n")


def test_there_are_forms() -> None:
    assert {f.stem for f in FORMS} >= {"main_window", "worklist_panel", "sign_in_dialog"}


@pytest.mark.parametrize("ui", FORMS, ids=lambda p: p.stem)
def test_compiled_form_is_fresh(ui: Path) -> None:
    committed = ROOT / "physioline" / "gui" / "forms" / f"ui_{ui.stem}.py"
    assert committed.exists(), f"{committed} is missing: run `python tools/build_forms.py`"
    fresh = _HEADER.sub("", compile_form(ui))
    current = _HEADER.sub("", committed.read_text(encoding="utf-8"))
    assert fresh == current, f"{committed.name} is stale: run `python tools/build_forms.py`"
