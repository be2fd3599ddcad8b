"""File ▸ Database…: choose a shared database, test it, save it without any password."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from physioline.gui.database_dialog import DatabaseDialog
from physioline.settings import load_settings, settings_path


def test_embedded_database_is_the_default(qtbot: QtBot) -> None:
    dialog = DatabaseDialog()
    qtbot.addWidget(dialog)
    assert dialog.ui.embeddedRadio.isChecked()
    assert not dialog.ui.urlEdit.isEnabled()
    assert dialog.url() == ""


def test_a_wrong_address_is_explained_and_not_saved(qtbot: QtBot) -> None:
    dialog = DatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.ui.sharedRadio.setChecked(True)
    qtbot.keyClicks(dialog.ui.urlEdit, "mysql://x@y/z")
    dialog.ui.testButton.click()
    assert "SQLite or PostgreSQL" in dialog.ui.resultLabel.text()
    assert dialog.ui.resultLabel.text().startswith("✗")


def test_saving_a_shared_address_keeps_no_password(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = DatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.ui.sharedRadio.setChecked(True)
    qtbot.keyClicks(dialog.ui.urlEdit, "postgresql+psycopg://priya:secret@db.example/msk")
    dialog.save()
    assert "cannot be saved" in dialog.ui.resultLabel.text()
    assert not settings_path().exists()
    dialog.ui.urlEdit.setText("postgresql+psycopg://priya@db.example/msk")
    dialog.save()
    assert load_settings().database_url == "postgresql+psycopg://priya@db.example/msk"


def test_a_working_database_is_confirmed(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = DatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.ui.sharedRadio.setChecked(True)
    dialog.ui.urlEdit.setText(f"sqlite:///{tmp_path}/other.db")
    dialog.ui.testButton.click()
    assert dialog.ui.resultLabel.text().startswith("✓ Connected")
