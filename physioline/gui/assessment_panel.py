"""The red-flag panel: every standing red flag with its mandated action, word for word, to read out.

The panel sits beside the form, outside its scroll area, in no splitter or dock: it cannot be
collapsed, scrolled away, closed or hidden while a flag stands (hazard H1, control C1.8). A flag
stands until the answers change so that its rule is false (spec 8.5); choosing another
disposition never removes it (spec 10).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from physioline.core.protocol import RedFlagRule
from physioline.services.assessment import DESTINATION_LABELS, DISPOSITION_LABELS


class RedFlagPanel(QFrame):
    """Standing red flags, each with its mandated action as plain text for reading out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagPanel")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(440)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 10)
        self._layout.setSpacing(4)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("redFlagTitle")
        self.title_label.setWordWrap(True)
        self._layout.addWidget(self.title_label)
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self._layout.addWidget(self.note_label)
        self._flag_widgets: list[QWidget] = []
        self._action_labels: list[QLabel] = []
        self._rules: tuple[RedFlagRule, ...] | None = None
        self.show_flags(())

    @property
    def standing(self) -> tuple[RedFlagRule, ...]:
        """The red flags on the panel now."""
        return self._rules or ()

    def action_texts(self) -> list[str]:
        """The mandated actions shown, exactly as displayed (plain text)."""
        return [label.text() for label in self._action_labels]

    def show_flags(self, rules: tuple[RedFlagRule, ...]) -> None:
        """Show these triggered red flags (most recent answers); nothing else removes them."""
        if rules == self._rules:
            return
        self._rules = rules
        for widget in self._flag_widgets:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self._flag_widgets = []
        self._action_labels = []
        if not rules:
            self.title_label.setText("No red flag so far")
            self.note_label.setText(
                "A red flag appears here with the action to read out to the patient, and stays "
                "until the answers change."
            )
        else:
            count = len(rules)
            self.title_label.setText(f"⚠ RED FLAG{'S' if count > 1 else ''} STANDING: {count}")
            self.note_label.setText("Read the action to the patient, word for word:")
        for rule in rules:
            name = QLabel(self)
            name.setObjectName("redFlagName")
            name.setTextFormat(Qt.TextFormat.RichText)
            name.setWordWrap(True)
            name.setText(f"⚠ {html.escape(rule.title)} <tt>({html.escape(rule.id)})</tt>")
            action = QLabel(rule.action, self)
            action.setObjectName("redFlagAction")
            action.setTextFormat(Qt.TextFormat.PlainText)
            action.setWordWrap(True)
            action.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            where = QLabel(self)
            where.setObjectName("redFlagWhere")
            where.setWordWrap(True)
            destination = (
                f" · {DESTINATION_LABELS[rule.destination]}" if rule.destination is not None else ""
            )
            where.setText(f"→ {DISPOSITION_LABELS[rule.disposition]}{destination}")
            for widget in (name, action, where):
                self._layout.addWidget(widget)
                self._flag_widgets.append(widget)
            self._action_labels.append(action)
        self.setProperty("standing", "true" if rules else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def setVisible(self, visible: bool) -> None:  # noqa: N802
        """Refuse to hide while a red flag stands."""
        if not visible and self.standing:
            return
        super().setVisible(visible)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Refuse to close while a red flag stands."""
        if self.standing:
            event.ignore()
            return
        super().closeEvent(event)


__all__ = ["RedFlagPanel"]
