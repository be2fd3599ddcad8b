# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'worklist_panel.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget

class Ui_WorklistPanel(object):
    def setupUi(self, WorklistPanel):
        if not WorklistPanel.objectName():
            WorklistPanel.setObjectName(u"WorklistPanel")
        WorklistPanel.resize(1200, 720)
        self.panelLayout = QVBoxLayout(WorklistPanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.headerLayout = QHBoxLayout()
        self.headerLayout.setObjectName(u"headerLayout")
        self.countsLabel = QLabel(WorklistPanel)
        self.countsLabel.setObjectName(u"countsLabel")

        self.headerLayout.addWidget(self.countsLabel)

        self.headerSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.headerLayout.addItem(self.headerSpacer)

        self.scopeLabel = QLabel(WorklistPanel)
        self.scopeLabel.setObjectName(u"scopeLabel")

        self.headerLayout.addWidget(self.scopeLabel)

        self.scopeCombo = QComboBox(WorklistPanel)
        self.scopeCombo.setObjectName(u"scopeCombo")

        self.headerLayout.addWidget(self.scopeCombo)

        self.regionLabel = QLabel(WorklistPanel)
        self.regionLabel.setObjectName(u"regionLabel")

        self.headerLayout.addWidget(self.regionLabel)

        self.regionCombo = QComboBox(WorklistPanel)
        self.regionCombo.setObjectName(u"regionCombo")

        self.headerLayout.addWidget(self.regionCombo)

        self.statusLabel = QLabel(WorklistPanel)
        self.statusLabel.setObjectName(u"statusLabel")

        self.headerLayout.addWidget(self.statusLabel)

        self.statusCombo = QComboBox(WorklistPanel)
        self.statusCombo.setObjectName(u"statusCombo")

        self.headerLayout.addWidget(self.statusCombo)

        self.overdueCheck = QCheckBox(WorklistPanel)
        self.overdueCheck.setObjectName(u"overdueCheck")

        self.headerLayout.addWidget(self.overdueCheck)

        self.searchEdit = QLineEdit(WorklistPanel)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setMinimumSize(QSize(260, 0))
        self.searchEdit.setClearButtonEnabled(True)

        self.headerLayout.addWidget(self.searchEdit)


        self.panelLayout.addLayout(self.headerLayout)

        self.splitter = QSplitter(WorklistPanel)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.tableView = QTableView(self.splitter)
        self.tableView.setObjectName(u"tableView")
        self.tableView.setAlternatingRowColors(True)
        self.tableView.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tableView.setDragEnabled(True)
        self.tableView.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tableView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tableView.setSortingEnabled(False)
        self.tableView.setWordWrap(False)
        self.splitter.addWidget(self.tableView)
        self.detailPane = QWidget(self.splitter)
        self.detailPane.setObjectName(u"detailPane")
        self.detailLayout = QVBoxLayout(self.detailPane)
        self.detailLayout.setObjectName(u"detailLayout")
        self.detailLayout.setContentsMargins(6, 0, 0, 0)
        self.needsLabel = QLabel(self.detailPane)
        self.needsLabel.setObjectName(u"needsLabel")
        self.needsLabel.setWordWrap(True)
        self.needsLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.detailLayout.addWidget(self.needsLabel)

        self.detailBrowser = QTextBrowser(self.detailPane)
        self.detailBrowser.setObjectName(u"detailBrowser")
        self.detailBrowser.setOpenLinks(False)

        self.detailLayout.addWidget(self.detailBrowser)

        self.detailButtons = QHBoxLayout()
        self.detailButtons.setObjectName(u"detailButtons")
        self.copyPhoneButton = QPushButton(self.detailPane)
        self.copyPhoneButton.setObjectName(u"copyPhoneButton")

        self.detailButtons.addWidget(self.copyPhoneButton)

        self.claimButton = QPushButton(self.detailPane)
        self.claimButton.setObjectName(u"claimButton")

        self.detailButtons.addWidget(self.claimButton)


        self.detailLayout.addLayout(self.detailButtons)

        self.splitter.addWidget(self.detailPane)

        self.panelLayout.addWidget(self.splitter)

#if QT_CONFIG(shortcut)
        self.scopeLabel.setBuddy(self.scopeCombo)
        self.regionLabel.setBuddy(self.regionCombo)
        self.statusLabel.setBuddy(self.statusCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(WorklistPanel)
    # setupUi

    def retranslateUi(self, WorklistPanel):
        self.countsLabel.setObjectName(QCoreApplication.translate("WorklistPanel", u"countsLabel", None))
        self.countsLabel.setText(QCoreApplication.translate("WorklistPanel", u"due today \u2013 \u00b7 overdue \u2013 \u00b7 done \u2013", None))
#if QT_CONFIG(accessibility)
        self.countsLabel.setAccessibleName(QCoreApplication.translate("WorklistPanel", u"Worklist counts", None))
#endif // QT_CONFIG(accessibility)
        self.scopeLabel.setText(QCoreApplication.translate("WorklistPanel", u"&Show:", None))
#if QT_CONFIG(tooltip)
        self.scopeCombo.setToolTip(QCoreApplication.translate("WorklistPanel", u"Whose referrals to show (Alt+S)", None))
#endif // QT_CONFIG(tooltip)
        self.regionLabel.setText(QCoreApplication.translate("WorklistPanel", u"&Region:", None))
#if QT_CONFIG(tooltip)
        self.regionCombo.setToolTip(QCoreApplication.translate("WorklistPanel", u"Body region (Alt+R)", None))
#endif // QT_CONFIG(tooltip)
        self.statusLabel.setText(QCoreApplication.translate("WorklistPanel", u"S&tatus:", None))
#if QT_CONFIG(tooltip)
        self.statusCombo.setToolTip(QCoreApplication.translate("WorklistPanel", u"Referral status (Alt+T)", None))
#endif // QT_CONFIG(tooltip)
        self.overdueCheck.setText(QCoreApplication.translate("WorklistPanel", u"&Overdue only", None))
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("WorklistPanel", u"Search name, NHS number or phone (Ctrl+F)", None))
#if QT_CONFIG(accessibility)
        self.searchEdit.setAccessibleName(QCoreApplication.translate("WorklistPanel", u"Search patients", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.tableView.setAccessibleName(QCoreApplication.translate("WorklistPanel", u"Worklist", None))
#endif // QT_CONFIG(accessibility)
        self.needsLabel.setObjectName(QCoreApplication.translate("WorklistPanel", u"needsLabel", None))
#if QT_CONFIG(accessibility)
        self.detailBrowser.setAccessibleName(QCoreApplication.translate("WorklistPanel", u"Referral details", None))
#endif // QT_CONFIG(accessibility)
        self.copyPhoneButton.setText(QCoreApplication.translate("WorklistPanel", u"&Copy preferred number", None))
#if QT_CONFIG(tooltip)
        self.copyPhoneButton.setToolTip(QCoreApplication.translate("WorklistPanel", u"Copy the preferred phone number (Ctrl+Shift+C)", None))
#endif // QT_CONFIG(tooltip)
        self.claimButton.setText(QCoreApplication.translate("WorklistPanel", u"Claim and ca&ll (Enter)", None))
        pass
    # retranslateUi

