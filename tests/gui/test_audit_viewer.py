"""The audit viewer: team leads and IT only; filters, CSV export (audited) and chain check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from physioline.gui.audit_viewer import AuditViewer
from physioline.gui.main_window import MainWindow
from physioline.services import queries
from physioline.services.desk import Desk


def open_viewer(qtbot: QtBot, desk: Desk) -> AuditViewer:
    viewer = AuditViewer(desk)
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.ui.searchButton.isEnabled() and viewer.model.rowCount() > 0)
    return viewer


def test_the_menu_opens_it_for_team_leads_and_it_only(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    for username, enabled in (("priya", False), ("jo", False), ("sam", True), ("alex", True)):
        window = MainWindow(make_desk(username))
        qtbot.addWidget(window)
        assert window.ui.actionAuditViewer.isEnabled() is enabled, username
        if username != "alex":  # IT prints no letters; its start-up work runs at once
            # Let the start-up work queued for after the first paint run before closing.
            qtbot.waitUntil(window.ui.actionPrintQueue.isEnabled, timeout=10_000)
        if enabled:
            window.ui.actionAuditViewer.trigger()
            viewer = window.audit_viewer
            assert viewer.isVisible(), username
            qtbot.waitUntil(viewer.ui.searchButton.isEnabled)
            viewer.close()
        window.close()


def test_a_team_lead_finds_who_opened_a_record_and_exports_it(
    qtbot: QtBot, make_desk: Callable[[str], Desk], tmp_path: Path
) -> None:
    priya = make_desk("priya")
    page = queries.load_worklist_page(priya, queries.WorklistFilter())
    detail = queries.load_referral_detail(priya, page.rows[0].referral_id)
    assert detail is not None
    viewer = open_viewer(qtbot, make_desk("sam"))
    assert "your team's actions" in viewer.windowTitle()
    viewer.ui.patientEdit.setText(str(detail.patient_id))
    viewer.ui.actionEdit.setText("patient.view")
    viewer.ui.searchButton.click()
    qtbot.waitUntil(lambda: viewer.model.rowCount() == 1)
    assert viewer.model.rows[0].actor == "priya"
    assert viewer.model.data(viewer.model.index(0, 1)) == "priya"
    target = tmp_path / "views.csv"
    viewer.export(str(target))
    qtbot.waitUntil(lambda: "Exported 1 row" in viewer.ui.statusLabel.text())
    assert target.stat().st_mode & 0o777 == 0o600
    assert ",priya," in target.read_text(encoding="utf-8")
    viewer.verify()
    qtbot.waitUntil(lambda: "intact" in viewer.ui.statusLabel.text(), timeout=10_000)


def test_it_sees_every_action_including_account_work(
    qtbot: QtBot, make_desk: Callable[[str], Desk]
) -> None:
    viewer = open_viewer(qtbot, make_desk("alex"))
    assert "everyone's actions" in viewer.windowTitle()
    viewer.ui.datesCheck.setChecked(True)
    assert viewer.ui.fromDate.isEnabled()
    viewer.ui.userEdit.setText("system")
    viewer.ui.datesCheck.setChecked(False)
    viewer.search()
    qtbot.waitUntil(lambda: viewer.ui.searchButton.isEnabled())
    assert {r.actor for r in viewer.model.rows} == {"system"}
