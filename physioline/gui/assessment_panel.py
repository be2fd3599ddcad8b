"""The red-flag panel: every standing red flag with its mandated action, word for word, to read out.

The panel sits beside the form, outside its scroll area, in no splitter or dock: it cannot be
collapsed, scrolled away, closed or hidden while a flag stands (hazard H1, control C1.8). A flag
stands until the answers change so that its rule is false (spec 8.5); choosing another
disposition never removes it (spec 10).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from physioline.core.protocol import RedFlagRule
from physioline.gui.frames import OpaqueFrame
from physioline.gui.labels import ColumnLabel
from physioline.services.assessment import DESTINATION_LABELS, DISPOSITION_LABELS

#: What comes before the flags in the panel's layout: its title and its note.
_HEADING_WIDGETS = 2


@dataclass(frozen=True, slots=True)
class _FlagLabels:
    """One red flag's three labels: its name, its mandated action and where it sends."""

    name: ColumnLabel
    action: ColumnLabel
    where: ColumnLabel

    def all(self) -> tuple[ColumnLabel, ColumnLabel, ColumnLabel]:
        return self.name, self.action, self.where


class RedFlagPanel(OpaqueFrame):
    """Standing red flags, each with its mandated action as plain text for reading out.

    Each of the protocol's red flags has labels of its own, made and laid out ahead, while the
    physio has not pressed a key yet (:meth:`prepare_next`), and shown or hidden as the flag
    stands or is withdrawn. Their texts never change, so a red flag raised on a key shows text
    already measured, instead of building, styling and laying out three labels then (about
    four milliseconds of the key's repaint, issue #6).
    """

    def __init__(self, rules: Iterable[RedFlagRule] = (), parent: QWidget | None = None) -> None:
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
        #: The flags that may be raised, in the engine's order (by id), each made once.
        self._known: dict[str, RedFlagRule] = {}
        self._labels: dict[str, _FlagLabels] = {}  # in the layout's order
        self._unmeasured: list[str] = []
        self._rules: tuple[RedFlagRule, ...] | None = None
        for rule in sorted(rules, key=lambda r: r.id):
            self._known.setdefault(rule.id, rule)
        self.show_flags(())

    @property
    def standing(self) -> tuple[RedFlagRule, ...]:
        """The red flags on the panel now."""
        return self._rules or ()

    def action_texts(self) -> list[str]:
        """The mandated actions shown, exactly as displayed (plain text), top to bottom."""
        return [labels.action.text() for labels in self._labels.values()
                if not labels.action.isHidden()]  # fmt: skip

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
        for rule in rules:
            known = self._known.get(rule.id)
            if known is not rule and known != rule:  # not the protocol's flag: new labels
                self._forget(rule.id)
                self._known[rule.id] = rule
            if rule.id not in self._labels:
                self._make(rule.id)
        self._in_order([rule.id for rule in rules])
        standing = {rule.id for rule in rules}
        for rule_id, labels in self._labels.items():
            hidden = rule_id not in standing
            for label in labels.all():
                if label.isHidden() != hidden:  # showing and hiding relays the panel: on change
                    label.setHidden(hidden)
        if bool(rules) != was_standing or self.property("standing") is None:
            self.setProperty("standing", "true" if rules else "false")
            self.style().unpolish(self)
            self.style().polish(self)

    @property
    def prepared(self) -> bool:
        """Every flag's labels are made and measured (nothing left for :meth:`prepare_next`)."""
        return not self._unmeasured and self._unmade() is None

    def prepare_next(self) -> None:
        """Make, or measure, one more flag's labels ahead of the key that raises it.

        Each step takes under a millisecond (a key pressed meanwhile never waits longer).
        """
        unmade = self._unmade()
        if unmade is not None:
            self._make(unmade)
        elif self._unmeasured:
            labels = self._labels.get(self._unmeasured.pop(0))
            if labels is not None and labels.name.isHidden():
                self._measure(labels)

    def _unmade(self) -> str | None:
        """The first flag, in the engine's order, with no labels yet."""
        return next((i for i in self._known if i not in self._labels), None)

    def _make(self, rule_id: str) -> None:
        """The flag's labels, styled, with their texts, hidden, after the others."""
        rule = self._known[rule_id]
        destination = f" · {DESTINATION_LABELS[rule.destination]}" if rule.destination else ""
        texts = (
            f"⚠ {rule.title} ({rule.id})",
            rule.action,
            f"→ {DISPOSITION_LABELS[rule.disposition]}{destination}",
        )
        made = []
        for name, text in zip(("redFlagName", "redFlagAction", "redFlagWhere"), texts,
                              strict=True):  # fmt: skip
            label = ColumnLabel(self)
            label.setObjectName(name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setHidden(True)
            label.setText(text)
            label.ensurePolished()  # its style sheet's font now, not when first shown
            made.append(label)
        made[1].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        labels = _FlagLabels(*made)
        for offset, label in enumerate(labels.all()):  # last: show_flags puts them in order
            self._layout.insertWidget(_HEADING_WIDGETS + 3 * len(self._labels) + offset, label)
        self._labels[rule_id] = labels
        self._unmeasured.append(rule_id)

    def _measure(self, labels: _FlagLabels) -> None:
        """Lay the hidden labels' texts out at the widths the layout will ask for, now.

        Those are the width the panel's labels have, and (while Qt lays the panel out) the
        panel's width less the layout's margins: a few pixels more, the panel's border not
        taken off. A hidden label is given its width too, as the layout will: its size hint
        is asked at the width it has.
        """
        width = self.title_label.width()
        if width <= 0:
            return  # not laid out yet: measured when shown
        margins = self._layout.contentsMargins()
        widths = (width, self.width() - margins.left() - margins.right())
        for label in labels.all():
            label.resize(width, label.height())
            label.measure(widths)

    def _in_order(self, rule_ids: list[str]) -> None:
        """Put the labels of these flags in this order (the engine lists flags by id)."""
        wanted = set(rule_ids)
        shown = [i for i in self._labels if i in wanted]
        if shown == rule_ids:
            return
        others = [i for i in self._labels if i not in wanted]
        order = [*rule_ids, *others]
        for at, rule_id in enumerate(order):
            for offset, label in enumerate(self._labels[rule_id].all()):
                self._layout.removeWidget(label)
                self._layout.insertWidget(_HEADING_WIDGETS + 3 * at + offset, label)
        self._labels = {i: self._labels[i] for i in order}

    def _forget(self, rule_id: str) -> None:
        """Drop a flag's labels (the rule shown under its id is not the one they were made for)."""
        labels = self._labels.pop(rule_id, None)
        if labels is not None:
            for label in labels.all():
                self._layout.removeWidget(label)
                label.deleteLater()

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
