# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'print_queue.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QTableView, QVBoxLayout, QWidget

class Ui_PrintQueueDialog(object):
    def setupUi(self, PrintQueueDialog):
        if not PrintQueueDialog.objectName():
            PrintQueueDialog.setObjectName(u"PrintQueueDialog")
        PrintQueueDialog.resize(1500, 900)
        self.layout = QVBoxLayout(PrintQueueDialog)
        self.layout.setObjectName(u"layout")
        self.filterLayout = QHBoxLayout()
        self.filterLayout.setObjectName(u"filterLayout")
        self.scopeLabel = QLabel(PrintQueueDialog)
        self.scopeLabel.setObjectName(u"scopeLabel")

        self.filterLayout.addWidget(self.scopeLabel)

        self.scopeCombo = QComboBox(PrintQueueDialog)
        self.scopeCombo.setObjectName(u"scopeCombo")

        self.filterLayout.addWidget(self.scopeCombo)

        self.printedCheck = QCheckBox(PrintQueueDialog)
        self.printedCheck.setObjectName(u"printedCheck")

        self.filterLayout.addWidget(self.printedCheck)

        self.filterSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filterLayout.addItem(self.filterSpacer)

        self.countsLabel = QLabel(PrintQueueDialog)
        self.countsLabel.setObjectName(u"countsLabel")

        self.filterLayout.addWidget(self.countsLabel)


        self.layout.addLayout(self.filterLayout)

        self.splitter = QSplitter(PrintQueueDialog)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.tableView = QTableView(self.splitter)
        self.tableView.setObjectName(u"tableView")
        self.tableView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tableView.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tableView.setAlternatingRowColors(True)
        self.tableView.setWordWrap(False)
        self.tableView.setTabKeyNavigation(False)
        self.splitter.addWidget(self.tableView)
        self.previewPanel = QWidget(self.splitter)
        self.previewPanel.setObjectName(u"previewPanel")
        self.previewLayout = QVBoxLayout(self.previewPanel)
        self.previewLayout.setObjectName(u"previewLayout")
        self.previewLayout.setContentsMargins(0, 0, 0, 0)
        self.letterLabel = QLabel(self.previewPanel)
        self.letterLabel.setObjectName(u"letterLabel")
        self.letterLabel.setWordWrap(True)

        self.previewLayout.addWidget(self.letterLabel)

        self.needsLabel = QLabel(self.previewPanel)
        self.needsLabel.setObjectName(u"needsLabel")
        self.needsLabel.setWordWrap(True)
        self.needsLabel.setTextFormat(Qt.TextFormat.RichText)

        self.previewLayout.addWidget(self.needsLabel)

        self.splitter.addWidget(self.previewPanel)

        self.layout.addWidget(self.splitter)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.previewButton = QPushButton(PrintQueueDialog)
        self.previewButton.setObjectName(u"previewButton")
        self.previewButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.previewButton)

        self.printButton = QPushButton(PrintQueueDialog)
        self.printButton.setObjectName(u"printButton")
        self.printButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.printButton)

        self.printAllButton = QPushButton(PrintQueueDialog)
        self.printAllButton.setObjectName(u"printAllButton")
        self.printAllButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.printAllButton)

        self.saveButton = QPushButton(PrintQueueDialog)
        self.saveButton.setObjectName(u"saveButton")
        self.saveButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.saveButton)

        self.refreshButton = QPushButton(PrintQueueDialog)
        self.refreshButton.setObjectName(u"refreshButton")
        self.refreshButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.refreshButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.closeButton = QPushButton(PrintQueueDialog)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.closeButton)


        self.layout.addLayout(self.buttonLayout)

        self.statusLabel = QLabel(PrintQueueDialog)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)

        self.layout.addWidget(self.statusLabel)

        self.layout.setStretch(1, 1)
#if QT_CONFIG(shortcut)
        self.scopeLabel.setBuddy(self.scopeCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(PrintQueueDialog)
    # setupUi

    def retranslateUi(self, PrintQueueDialog):
        PrintQueueDialog.setWindowTitle(QCoreApplication.translate("PrintQueueDialog", u"Print queue \u2014 PhysioLine", None))
        self.scopeLabel.setText(QCoreApplication.translate("PrintQueueDialog", u"S&how:", None))
        self.printedCheck.setText(QCoreApplication.translate("PrintQueueDialog", u"Include letters printed &today (for reprints)", None))
        self.countsLabel.setText(QCoreApplication.translate("PrintQueueDialog", u"Loading\u2026", None))
#if QT_CONFIG(accessibility)
        self.tableView.setAccessibleName(QCoreApplication.translate("PrintQueueDialog", u"Letters waiting to print", None))
#endif // QT_CONFIG(accessibility)
        self.letterLabel.setText(QCoreApplication.translate("PrintQueueDialog", u"Select a letter and press Enter to preview it.", None))
#if QT_CONFIG(accessibility)
        self.needsLabel.setAccessibleName(QCoreApplication.translate("PrintQueueDialog", u"Communication needs", None))
#endif // QT_CONFIG(accessibility)
        self.previewButton.setText(QCoreApplication.translate("PrintQueueDialog", u"&Preview (Enter)", None))
        self.printButton.setText(QCoreApplication.translate("PrintQueueDialog", u"Print &selected (Ctrl+P)", None))
        self.printAllButton.setText(QCoreApplication.translate("PrintQueueDialog", u"Print &all ready (Ctrl+Shift+P)", None))
        self.saveButton.setText(QCoreApplication.translate("PrintQueueDialog", u"Save P&DF\u2026 (Ctrl+S)", None))
        self.refreshButton.setText(QCoreApplication.translate("PrintQueueDialog", u"&Refresh (F5)", None))
        self.closeButton.setText(QCoreApplication.translate("PrintQueueDialog", u"&Close (Esc)", None))
#if QT_CONFIG(accessibility)
        self.statusLabel.setAccessibleName(QCoreApplication.translate("PrintQueueDialog", u"Print queue status", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

