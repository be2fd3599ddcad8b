"""The desktop app warns before a remote database connection without TLS; Cancel is the default."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from physioline.db.engine import parse_url
from physioline.gui import transport_warning
from physioline.services.transport import unencrypted_remote

REMOTE = "postgresql+psycopg://priya@db.trust.nhs.uk/physioline"


def test_the_warning_names_the_host_and_defaults_to_cancel(qtbot: QtBot) -> None:
    warning = unencrypted_remote(parse_url(REMOTE))
    assert warning is not None
    box = transport_warning.unencrypted_box(None, warning)
    qtbot.addWidget(box)
    assert "db.trust.nhs.uk" in box.text()
    assert "administrator" in box.informativeText()
    assert box.defaultButton() is box.escapeButton()
    assert box.buttonRole(box.defaultButton()) == QMessageBox.ButtonRole.RejectRole


def test_declining_signs_nobody_in_and_connects_to_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from physioline.gui import app

    asked: list[str] = []

    def decline(parent: object, warning: object) -> bool:
        asked.append(getattr(warning, "host", ""))
        return False

    monkeypatch.setattr(transport_warning, "confirm_unencrypted", decline)
    args = argparse.Namespace(demo=False, reset=False, database=REMOTE, as_user=None)
    controller = app.DeskController(args)
    assert controller.sign_in() is None
    assert asked == ["db.trust.nhs.uk"]
    assert controller.db is None
