"""The red-flag panel: every standing red flag with its mandated action, word for word, to read out.

The panel sits beside the form, outside its scroll area, in no splitter or dock: it cannot be
collapsed, scrolled away, closed or hidden while a flag stands (hazard H1, control C1.8). A flag
stands until the answers change so that its rule is false (spec 8.5); choosing another
disposition never removes it (spec 10).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from physioline.core.protocol import RedFlagRule
from physioline.gui.frames import OpaqueFrame
from physioline.gui.labels import ColumnLabel
from physioline.services.assessment import DESTINATION_LABELS, DISPOSITION_LABELS


class RedFlagPanel(OpaqueFrame):
    """Standing red flags, each with its mandated action as plain text for reading out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagPanel")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(440)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 10)
        self._layout.setSpacing(4)
        self.title_label = ColumnLabel(self)
        self.title_label.setObjectName("redFlagTitle")
        self.title_label.setWordWrap(True)
        self._layout.addWidget(self.title_label)
        self.note_label = ColumnLabel(self)
        self.note_label.setWordWrap(True)
        self._layout.addWidget(self.note_label)
        self._slots: list[tuple[QLabel, QLabel, QLabel]] = []
        self._action_labels: list[QLabel] = []
        self._rules: tuple[RedFlagRule, ...] | None = None
        # The first flag's labels are made and styled with the form, not on the key that
        # raises it: that took about a millisecond of its repaint (issue #6).
        self._slots.append(self._new_slot())
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
        was_standing = bool(self._rules)
        self._rules = rules
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
        while len(self._slots) < len(rules):
            self._slots.append(self._new_slot())
        self._action_labels = []
        for index, (name, action, where) in enumerate(self._slots):
            used = index < len(rules)
            if used:
                rule = rules[index]
                name.setText(f"⚠ {rule.title} ({rule.id})")
                action.setText(rule.action)
                destination = (
                    f" · {DESTINATION_LABELS[rule.destination]}" if rule.destination else ""
                )
                where.setText(f"→ {DISPOSITION_LABELS[rule.disposition]}{destination}")
                self._action_labels.append(action)
            for label in (name, action, where):
                if label.isHidden() == used:  # showing and hiding relays the panel: only on change
                    label.setHidden(not used)
        if bool(rules) != was_standing or self.property("standing") is None:
            self.setProperty("standing", "true" if rules else "false")
            self.style().unpolish(self)
            self.style().polish(self)

    def _new_slot(self) -> tuple[QLabel, QLabel, QLabel]:
        """Labels for one red flag (kept and reused: building widgets is the slow part)."""
        labels = []
        for name in ("redFlagName", "redFlagAction", "redFlagWhere"):
            label = ColumnLabel(self)
            label.setObjectName(name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            self._layout.addWidget(label)
            labels.append(label)
        labels[1].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in labels:
            label.ensurePolished()  # its style sheet's font now, not when first shown
        return labels[0], labels[1], labels[2]

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
