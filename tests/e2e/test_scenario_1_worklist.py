"""Scenario 1, Monday morning: Priya's worklist at 08:55, most urgent first, overdue marked,
counts in the header, search narrowing at once, and what she needs before dialling."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from physioline.gui.models.worklist import WorklistModel
from physioline.services.queries import Scope
from tests.e2e.conftest import OpenDesk


def test_monday_morning_on_the_worklist(qtbot: QtBot, open_desk: OpenDesk) -> None:
    window = open_desk("priya")
    panel = window.worklist
    model = panel.model
    # It opens on her own worklist, most urgent first.
    assert panel.current_filter().scope == Scope.MINE
    rows = [model.row_at(i) for i in range(model.rowCount())]
    assert rows
    assert [r.due_at for r in rows if r] == sorted(r.due_at for r in rows if r)
    # Overdue rows are marked by text, not colour alone, and the header counts them.
    now = window.desk.clock.now()
    overdue = [i for i, r in enumerate(rows) if r and r.due_at < now]
    for i in overdue:
        assert model.index(i, WorklistModel.DUE).data().startswith("⚠ OVERDUE")
    qtbot.waitUntil(
        lambda: bool(re.search(r"overdue \d", panel.ui.countsLabel.text())), timeout=5000
    )
    counts = re.sub("<[^>]+>", "", panel.ui.countsLabel.text())
    assert f"overdue {len(overdue)}" in counts
    assert re.search(r"due today \d+ · overdue \d+ · done today \d+", counts)

    # She types part of a surname: the list narrows; Escape clears it.
    target = rows[-1]
    assert target is not None
    everyone = model.rowCount()
    qtbot.keyClick(window.worklist.ui.tableView, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.ui.searchEdit.hasFocus()
    with qtbot.waitSignal(model.loaded, timeout=5000):
        qtbot.keyClicks(panel.ui.searchEdit, target.family_name[:4])
    assert 0 < model.rowCount() <= everyone
    assert target.referral_id in [model.row_at(i).referral_id for i in range(model.rowCount())]  # type: ignore[union-attr]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        qtbot.keyClick(panel.ui.searchEdit, Qt.Key.Key_Escape)
    assert model.rowCount() == everyone

    # The right panel: the GP's text, age, phone (one key copies it), needs in bold.
    panel.ui.tableView.setFocus()
    panel.select_next_due()
    qtbot.waitUntil(lambda: panel.detail is not None, timeout=5000)
    detail = panel.detail
    assert detail is not None
    text = panel.ui.detailBrowser.toPlainText()
    assert detail.reason[:25] in text
    assert f"Age {detail.age}" in text
    if detail.preferred_phone:
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(panel.ui.tableView, Qt.Key.Key_C, ctrl_shift)
        assert QGuiApplication.clipboard().text() == detail.preferred_phone.number


def test_interpreter_need_is_shown_in_bold_before_dialling(
    qtbot: QtBot, open_desk: OpenDesk
) -> None:
    window = open_desk("sam")  # the whole team's list, so a patient needing an interpreter shows
    panel = window.worklist
    model = panel.model
    needing = [i for i in range(model.rowCount()) if model.row_at(i).interpreter_language]  # type: ignore[union-attr]
    assert needing, "the demo has patients who need an interpreter"
    row = model.row_at(needing[0])
    assert row is not None
    assert f"[Interpreter: {row.interpreter_language}]" in model.index(needing[0], 1).data()
    panel.ui.tableView.setFocus()
    panel.ui.tableView.selectRow(needing[0])
    qtbot.waitUntil(lambda: panel.detail is not None and panel.ui.needsLabel.isVisible(),
                    timeout=5000)  # fmt: skip
    label = panel.ui.needsLabel.text()
    assert f"Interpreter: {row.interpreter_language}" in label
    assert label.startswith("<b>")
