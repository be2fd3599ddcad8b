# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'clinic_calendar.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QTableWidget, QVBoxLayout

class Ui_ClinicCalendar(object):
    def setupUi(self, ClinicCalendar):
        if not ClinicCalendar.objectName():
            ClinicCalendar.setObjectName(u"ClinicCalendar")
        ClinicCalendar.resize(1400, 820)
        self.calendarLayout = QVBoxLayout(ClinicCalendar)
        self.calendarLayout.setObjectName(u"calendarLayout")
        self.chooserLayout = QHBoxLayout()
        self.chooserLayout.setObjectName(u"chooserLayout")
        self.viewLabel = QLabel(ClinicCalendar)
        self.viewLabel.setObjectName(u"viewLabel")

        self.chooserLayout.addWidget(self.viewLabel)

        self.viewCombo = QComboBox(ClinicCalendar)
        self.viewCombo.setObjectName(u"viewCombo")

        self.chooserLayout.addWidget(self.viewCombo)

        self.entityCombo = QComboBox(ClinicCalendar)
        self.entityCombo.setObjectName(u"entityCombo")
        self.entityCombo.setMinimumSize(QSize(300, 0))

        self.chooserLayout.addWidget(self.entityCombo)

        self.previousButton = QPushButton(ClinicCalendar)
        self.previousButton.setObjectName(u"previousButton")

        self.chooserLayout.addWidget(self.previousButton)

        self.dateEdit = QDateEdit(ClinicCalendar)
        self.dateEdit.setObjectName(u"dateEdit")
        self.dateEdit.setCalendarPopup(True)

        self.chooserLayout.addWidget(self.dateEdit)

        self.nextButton = QPushButton(ClinicCalendar)
        self.nextButton.setObjectName(u"nextButton")

        self.chooserLayout.addWidget(self.nextButton)

        self.dayRadio = QRadioButton(ClinicCalendar)
        self.dayRadio.setObjectName(u"dayRadio")

        self.chooserLayout.addWidget(self.dayRadio)

        self.weekRadio = QRadioButton(ClinicCalendar)
        self.weekRadio.setObjectName(u"weekRadio")
        self.weekRadio.setChecked(True)

        self.chooserLayout.addWidget(self.weekRadio)

        self.chooserSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.chooserLayout.addItem(self.chooserSpacer)

        self.countsLabel = QLabel(ClinicCalendar)
        self.countsLabel.setObjectName(u"countsLabel")

        self.chooserLayout.addWidget(self.countsLabel)


        self.calendarLayout.addLayout(self.chooserLayout)

        self.calendarTable = QTableWidget(ClinicCalendar)
        self.calendarTable.setObjectName(u"calendarTable")
        self.calendarTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calendarTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.calendarTable.setWordWrap(True)

        self.calendarLayout.addWidget(self.calendarTable)

        self.detailLabel = QLabel(ClinicCalendar)
        self.detailLabel.setObjectName(u"detailLabel")
        self.detailLabel.setWordWrap(True)
        self.detailLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.calendarLayout.addWidget(self.detailLabel)

        self.messageLabel = QLabel(ClinicCalendar)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextFormat(Qt.TextFormat.RichText)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.calendarLayout.addWidget(self.messageLabel)

        self.buttonsLayout = QHBoxLayout()
        self.buttonsLayout.setObjectName(u"buttonsLayout")
        self.addButton = QPushButton(ClinicCalendar)
        self.addButton.setObjectName(u"addButton")

        self.buttonsLayout.addWidget(self.addButton)

        self.blockButton = QPushButton(ClinicCalendar)
        self.blockButton.setObjectName(u"blockButton")

        self.buttonsLayout.addWidget(self.blockButton)

        self.releaseButton = QPushButton(ClinicCalendar)
        self.releaseButton.setObjectName(u"releaseButton")

        self.buttonsLayout.addWidget(self.releaseButton)

        self.cancelButton = QPushButton(ClinicCalendar)
        self.cancelButton.setObjectName(u"cancelButton")

        self.buttonsLayout.addWidget(self.cancelButton)

        self.waitingButton = QPushButton(ClinicCalendar)
        self.waitingButton.setObjectName(u"waitingButton")

        self.buttonsLayout.addWidget(self.waitingButton)

        self.icsButton = QPushButton(ClinicCalendar)
        self.icsButton.setObjectName(u"icsButton")

        self.buttonsLayout.addWidget(self.icsButton)

        self.buttonsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonsLayout.addItem(self.buttonsSpacer)

        self.closeButton = QPushButton(ClinicCalendar)
        self.closeButton.setObjectName(u"closeButton")

        self.buttonsLayout.addWidget(self.closeButton)


        self.calendarLayout.addLayout(self.buttonsLayout)

#if QT_CONFIG(shortcut)
        self.viewLabel.setBuddy(self.viewCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ClinicCalendar)
    # setupUi

    def retranslateUi(self, ClinicCalendar):
        ClinicCalendar.setWindowTitle(QCoreApplication.translate("ClinicCalendar", u"Clinic calendar", None))
        self.viewLabel.setText(QCoreApplication.translate("ClinicCalendar", u"&Show:", None))
#if QT_CONFIG(accessibility)
        self.viewCombo.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"Clinic or clinician", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.entityCombo.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"Which clinic or clinician", None))
#endif // QT_CONFIG(accessibility)
        self.previousButton.setText(QCoreApplication.translate("ClinicCalendar", u"\u25c0 &Previous (PgUp)", None))
        self.dateEdit.setDisplayFormat(QCoreApplication.translate("ClinicCalendar", u"ddd d MMM yyyy", None))
#if QT_CONFIG(accessibility)
        self.dateEdit.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"First day shown", None))
#endif // QT_CONFIG(accessibility)
        self.nextButton.setText(QCoreApplication.translate("ClinicCalendar", u"Ne&xt (PgDn) \u25b6", None))
        self.dayRadio.setText(QCoreApplication.translate("ClinicCalendar", u"&Day", None))
        self.weekRadio.setText(QCoreApplication.translate("ClinicCalendar", u"&Week", None))
        self.countsLabel.setText("")
#if QT_CONFIG(accessibility)
        self.countsLabel.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"Slot counts", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.calendarTable.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"Slots by day and time", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.detailLabel.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"Selected slot", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("ClinicCalendar", u"What the last action did", None))
#endif // QT_CONFIG(accessibility)
        self.addButton.setText(QCoreApplication.translate("ClinicCalendar", u"&Add a slot\u2026", None))
#if QT_CONFIG(tooltip)
        self.addButton.setToolTip(QCoreApplication.translate("ClinicCalendar", u"Add one free slot outside the rota (an extra clinic)", None))
#endif // QT_CONFIG(tooltip)
        self.blockButton.setText(QCoreApplication.translate("ClinicCalendar", u"&Block slot\u2026 (Del)", None))
#if QT_CONFIG(tooltip)
        self.blockButton.setToolTip(QCoreApplication.translate("ClinicCalendar", u"Take the selected free slot off offer, with the reason", None))
#endif // QT_CONFIG(tooltip)
        self.releaseButton.setText(QCoreApplication.translate("ClinicCalendar", u"&Release slot (Ins)", None))
#if QT_CONFIG(tooltip)
        self.releaseButton.setToolTip(QCoreApplication.translate("ClinicCalendar", u"Free a blocked slot, or release a slot held for urgent patients", None))
#endif // QT_CONFIG(tooltip)
        self.cancelButton.setText(QCoreApplication.translate("ClinicCalendar", u"&Cancel appointment\u2026", None))
#if QT_CONFIG(tooltip)
        self.cancelButton.setToolTip(QCoreApplication.translate("ClinicCalendar", u"Cancel the selected appointment, with the reason and who asked; the freed slot is offered to the waiting list", None))
#endif // QT_CONFIG(tooltip)
        self.waitingButton.setText(QCoreApplication.translate("ClinicCalendar", u"Book for longest wai&ting (Ctrl+W)", None))
#if QT_CONFIG(tooltip)
        self.waitingButton.setToolTip(QCoreApplication.translate("ClinicCalendar", u"Book the selected free slot for the patient who has waited longest for it on the waiting list", None))
#endif // QT_CONFIG(tooltip)
        self.icsButton.setText(QCoreApplication.translate("ClinicCalendar", u"&Export .ics\u2026 (Ctrl+E)", None))
#if QT_CONFIG(tooltip)
        self.icsButton.setToolTip(QCoreApplication.translate("ClinicCalendar", u"Save the selected appointment as a calendar file", None))
#endif // QT_CONFIG(tooltip)
        self.closeButton.setText(QCoreApplication.translate("ClinicCalendar", u"Close (Esc)", None))
    # retranslateUi

