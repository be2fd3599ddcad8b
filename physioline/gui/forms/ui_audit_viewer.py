# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'audit_viewer.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QDateEdit, QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

class Ui_AuditViewer(object):
    def setupUi(self, AuditViewer):
        if not AuditViewer.objectName():
            AuditViewer.setObjectName(u"AuditViewer")
        AuditViewer.resize(1040, 620)
        self.layout = QVBoxLayout(AuditViewer)
        self.layout.setObjectName(u"layout")
        self.filterLayout = QGridLayout()
        self.filterLayout.setObjectName(u"filterLayout")
        self.patientLabel = QLabel(AuditViewer)
        self.patientLabel.setObjectName(u"patientLabel")

        self.filterLayout.addWidget(self.patientLabel, 0, 0, 1, 1)

        self.patientEdit = QLineEdit(AuditViewer)
        self.patientEdit.setObjectName(u"patientEdit")

        self.filterLayout.addWidget(self.patientEdit, 0, 1, 1, 1)

        self.userLabel = QLabel(AuditViewer)
        self.userLabel.setObjectName(u"userLabel")

        self.filterLayout.addWidget(self.userLabel, 0, 2, 1, 1)

        self.userEdit = QLineEdit(AuditViewer)
        self.userEdit.setObjectName(u"userEdit")

        self.filterLayout.addWidget(self.userEdit, 0, 3, 1, 1)

        self.actionLabel = QLabel(AuditViewer)
        self.actionLabel.setObjectName(u"actionLabel")

        self.filterLayout.addWidget(self.actionLabel, 0, 4, 1, 1)

        self.actionEdit = QLineEdit(AuditViewer)
        self.actionEdit.setObjectName(u"actionEdit")

        self.filterLayout.addWidget(self.actionEdit, 0, 5, 1, 1)

        self.datesCheck = QCheckBox(AuditViewer)
        self.datesCheck.setObjectName(u"datesCheck")

        self.filterLayout.addWidget(self.datesCheck, 1, 0, 1, 1)

        self.fromDate = QDateEdit(AuditViewer)
        self.fromDate.setObjectName(u"fromDate")
        self.fromDate.setEnabled(False)
        self.fromDate.setCalendarPopup(True)

        self.filterLayout.addWidget(self.fromDate, 1, 1, 1, 1)

        self.toLabel = QLabel(AuditViewer)
        self.toLabel.setObjectName(u"toLabel")

        self.filterLayout.addWidget(self.toLabel, 1, 2, 1, 1)

        self.toDate = QDateEdit(AuditViewer)
        self.toDate.setObjectName(u"toDate")
        self.toDate.setEnabled(False)
        self.toDate.setCalendarPopup(True)

        self.filterLayout.addWidget(self.toDate, 1, 3, 1, 1)

        self.buttonsLayout = QHBoxLayout()
        self.buttonsLayout.setObjectName(u"buttonsLayout")
        self.searchButton = QPushButton(AuditViewer)
        self.searchButton.setObjectName(u"searchButton")

        self.buttonsLayout.addWidget(self.searchButton)

        self.exportButton = QPushButton(AuditViewer)
        self.exportButton.setObjectName(u"exportButton")

        self.buttonsLayout.addWidget(self.exportButton)

        self.verifyButton = QPushButton(AuditViewer)
        self.verifyButton.setObjectName(u"verifyButton")

        self.buttonsLayout.addWidget(self.verifyButton)


        self.filterLayout.addLayout(self.buttonsLayout, 1, 4, 1, 2)


        self.layout.addLayout(self.filterLayout)

        self.tableView = QTableView(AuditViewer)
        self.tableView.setObjectName(u"tableView")
        self.tableView.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tableView.setAlternatingRowColors(True)
        self.tableView.setWordWrap(False)

        self.layout.addWidget(self.tableView)

        self.statusLabel = QLabel(AuditViewer)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)

        self.layout.addWidget(self.statusLabel)

        self.buttonBox = QDialogButtonBox(AuditViewer)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Close)

        self.layout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.patientLabel.setBuddy(self.patientEdit)
        self.userLabel.setBuddy(self.userEdit)
        self.actionLabel.setBuddy(self.actionEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.patientEdit, self.userEdit)
        QWidget.setTabOrder(self.userEdit, self.actionEdit)
        QWidget.setTabOrder(self.actionEdit, self.datesCheck)
        QWidget.setTabOrder(self.datesCheck, self.fromDate)
        QWidget.setTabOrder(self.fromDate, self.toDate)
        QWidget.setTabOrder(self.toDate, self.searchButton)
        QWidget.setTabOrder(self.searchButton, self.exportButton)
        QWidget.setTabOrder(self.exportButton, self.verifyButton)
        QWidget.setTabOrder(self.verifyButton, self.tableView)

        self.retranslateUi(AuditViewer)

        self.searchButton.setDefault(True)

    # setupUi

    def retranslateUi(self, AuditViewer):
        AuditViewer.setWindowTitle(QCoreApplication.translate("AuditViewer", u"Audit trail", None))
        self.patientLabel.setText(QCoreApplication.translate("AuditViewer", u"&Patient:", None))
        self.patientEdit.setPlaceholderText(QCoreApplication.translate("AuditViewer", u"patient id or NHS number", None))
        self.userLabel.setText(QCoreApplication.translate("AuditViewer", u"&User:", None))
        self.userEdit.setPlaceholderText(QCoreApplication.translate("AuditViewer", u"user name, e.g. priya", None))
        self.actionLabel.setText(QCoreApplication.translate("AuditViewer", u"A&ction:", None))
        self.actionEdit.setPlaceholderText(QCoreApplication.translate("AuditViewer", u"e.g. patient.view, or letter. for every letter action", None))
        self.datesCheck.setText(QCoreApplication.translate("AuditViewer", u"&Dates:", None))
        self.fromDate.setDisplayFormat(QCoreApplication.translate("AuditViewer", u"dd MMM yyyy", None))
        self.toLabel.setText(QCoreApplication.translate("AuditViewer", u"to", None))
        self.toDate.setDisplayFormat(QCoreApplication.translate("AuditViewer", u"dd MMM yyyy", None))
        self.searchButton.setText(QCoreApplication.translate("AuditViewer", u"&Search", None))
        self.exportButton.setText(QCoreApplication.translate("AuditViewer", u"&Export CSV\u2026", None))
        self.verifyButton.setText(QCoreApplication.translate("AuditViewer", u"&Verify chain", None))
    # retranslateUi

