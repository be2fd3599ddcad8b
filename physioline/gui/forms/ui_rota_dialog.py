# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'rota_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QSize, QTime, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QSpinBox, QTabWidget, QTableWidget, QTimeEdit, QVBoxLayout, QWidget

class Ui_RotaDialog(object):
    def setupUi(self, RotaDialog):
        if not RotaDialog.objectName():
            RotaDialog.setObjectName(u"RotaDialog")
        RotaDialog.resize(1180, 780)
        self.dialogLayout = QVBoxLayout(RotaDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.introLabel = QLabel(RotaDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.introLabel)

        self.tabs = QTabWidget(RotaDialog)
        self.tabs.setObjectName(u"tabs")
        self.sessionsTab = QWidget()
        self.sessionsTab.setObjectName(u"sessionsTab")
        self.sessionsLayout = QVBoxLayout(self.sessionsTab)
        self.sessionsLayout.setObjectName(u"sessionsLayout")
        self.filterLayout = QHBoxLayout()
        self.filterLayout.setObjectName(u"filterLayout")
        self.filterLabel = QLabel(self.sessionsTab)
        self.filterLabel.setObjectName(u"filterLabel")

        self.filterLayout.addWidget(self.filterLabel)

        self.filterCombo = QComboBox(self.sessionsTab)
        self.filterCombo.setObjectName(u"filterCombo")
        self.filterCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filterCombo.setMinimumSize(QSize(220, 0))

        self.filterLayout.addWidget(self.filterCombo)

        self.filterSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filterLayout.addItem(self.filterSpacer)

        self.sessionCountLabel = QLabel(self.sessionsTab)
        self.sessionCountLabel.setObjectName(u"sessionCountLabel")

        self.filterLayout.addWidget(self.sessionCountLabel)


        self.sessionsLayout.addLayout(self.filterLayout)

        self.sessionsTable = QTableWidget(self.sessionsTab)
        self.sessionsTable.setObjectName(u"sessionsTable")
        self.sessionsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessionsTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sessionsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sessionsTable.setAlternatingRowColors(True)
        self.sessionsTable.setTabKeyNavigation(False)

        self.sessionsLayout.addWidget(self.sessionsTable)

        self.sessionButtonsLayout = QHBoxLayout()
        self.sessionButtonsLayout.setObjectName(u"sessionButtonsLayout")
        self.endSessionButton = QPushButton(self.sessionsTab)
        self.endSessionButton.setObjectName(u"endSessionButton")
        self.endSessionButton.setAutoDefault(False)

        self.sessionButtonsLayout.addWidget(self.endSessionButton)

        self.sessionButtonsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.sessionButtonsLayout.addItem(self.sessionButtonsSpacer)


        self.sessionsLayout.addLayout(self.sessionButtonsLayout)

        self.sessionGroup = QGroupBox(self.sessionsTab)
        self.sessionGroup.setObjectName(u"sessionGroup")
        self.sessionGrid = QGridLayout(self.sessionGroup)
        self.sessionGrid.setObjectName(u"sessionGrid")
        self.sessionClinicianLabel = QLabel(self.sessionGroup)
        self.sessionClinicianLabel.setObjectName(u"sessionClinicianLabel")

        self.sessionGrid.addWidget(self.sessionClinicianLabel, 0, 0, 1, 1)

        self.sessionClinicianCombo = QComboBox(self.sessionGroup)
        self.sessionClinicianCombo.setObjectName(u"sessionClinicianCombo")

        self.sessionGrid.addWidget(self.sessionClinicianCombo, 0, 1, 1, 1)

        self.sessionClinicLabel = QLabel(self.sessionGroup)
        self.sessionClinicLabel.setObjectName(u"sessionClinicLabel")

        self.sessionGrid.addWidget(self.sessionClinicLabel, 0, 2, 1, 1)

        self.sessionClinicCombo = QComboBox(self.sessionGroup)
        self.sessionClinicCombo.setObjectName(u"sessionClinicCombo")

        self.sessionGrid.addWidget(self.sessionClinicCombo, 0, 3, 1, 1)

        self.weekdayLabel = QLabel(self.sessionGroup)
        self.weekdayLabel.setObjectName(u"weekdayLabel")

        self.sessionGrid.addWidget(self.weekdayLabel, 0, 4, 1, 1)

        self.weekdayCombo = QComboBox(self.sessionGroup)
        self.weekdayCombo.setObjectName(u"weekdayCombo")

        self.sessionGrid.addWidget(self.weekdayCombo, 0, 5, 1, 1)

        self.startsLabel = QLabel(self.sessionGroup)
        self.startsLabel.setObjectName(u"startsLabel")

        self.sessionGrid.addWidget(self.startsLabel, 1, 0, 1, 1)

        self.startsEdit = QTimeEdit(self.sessionGroup)
        self.startsEdit.setObjectName(u"startsEdit")
        self.startsEdit.setTime(QTime(9, 0, 0))

        self.sessionGrid.addWidget(self.startsEdit, 1, 1, 1, 1)

        self.endsLabel = QLabel(self.sessionGroup)
        self.endsLabel.setObjectName(u"endsLabel")

        self.sessionGrid.addWidget(self.endsLabel, 1, 2, 1, 1)

        self.endsEdit = QTimeEdit(self.sessionGroup)
        self.endsEdit.setObjectName(u"endsEdit")
        self.endsEdit.setTime(QTime(12, 45, 0))

        self.sessionGrid.addWidget(self.endsEdit, 1, 3, 1, 1)

        self.typeLabel = QLabel(self.sessionGroup)
        self.typeLabel.setObjectName(u"typeLabel")

        self.sessionGrid.addWidget(self.typeLabel, 1, 4, 1, 1)

        self.typeCombo = QComboBox(self.sessionGroup)
        self.typeCombo.setObjectName(u"typeCombo")

        self.sessionGrid.addWidget(self.typeCombo, 1, 5, 1, 1)

        self.minutesLabel = QLabel(self.sessionGroup)
        self.minutesLabel.setObjectName(u"minutesLabel")

        self.sessionGrid.addWidget(self.minutesLabel, 2, 0, 1, 1)

        self.minutesSpin = QSpinBox(self.sessionGroup)
        self.minutesSpin.setObjectName(u"minutesSpin")
        self.minutesSpin.setMinimum(5)
        self.minutesSpin.setMaximum(240)
        self.minutesSpin.setValue(45)

        self.sessionGrid.addWidget(self.minutesSpin, 2, 1, 1, 1)

        self.heldLabel = QLabel(self.sessionGroup)
        self.heldLabel.setObjectName(u"heldLabel")

        self.sessionGrid.addWidget(self.heldLabel, 2, 2, 1, 1)

        self.heldSpin = QSpinBox(self.sessionGroup)
        self.heldSpin.setObjectName(u"heldSpin")
        self.heldSpin.setMinimum(0)
        self.heldSpin.setMaximum(20)
        self.heldSpin.setValue(0)

        self.sessionGrid.addWidget(self.heldSpin, 2, 3, 1, 1)

        self.slotsLabel = QLabel(self.sessionGroup)
        self.slotsLabel.setObjectName(u"slotsLabel")

        self.sessionGrid.addWidget(self.slotsLabel, 2, 4, 1, 1)

        self.validFromLabel = QLabel(self.sessionGroup)
        self.validFromLabel.setObjectName(u"validFromLabel")

        self.sessionGrid.addWidget(self.validFromLabel, 3, 0, 1, 1)

        self.validFromEdit = QDateEdit(self.sessionGroup)
        self.validFromEdit.setObjectName(u"validFromEdit")
        self.validFromEdit.setCalendarPopup(True)

        self.sessionGrid.addWidget(self.validFromEdit, 3, 1, 1, 1)

        self.untilCheck = QCheckBox(self.sessionGroup)
        self.untilCheck.setObjectName(u"untilCheck")

        self.sessionGrid.addWidget(self.untilCheck, 3, 2, 1, 1)

        self.validUntilEdit = QDateEdit(self.sessionGroup)
        self.validUntilEdit.setObjectName(u"validUntilEdit")
        self.validUntilEdit.setCalendarPopup(True)

        self.sessionGrid.addWidget(self.validUntilEdit, 3, 3, 1, 1)

        self.addSessionButton = QPushButton(self.sessionGroup)
        self.addSessionButton.setObjectName(u"addSessionButton")
        self.addSessionButton.setAutoDefault(False)

        self.sessionGrid.addWidget(self.addSessionButton, 3, 5, 1, 1)

        self.sessionGrid.setColumnStretch(1, 1)
        self.sessionGrid.setColumnStretch(3, 1)
        self.sessionGrid.setColumnStretch(5, 1)

        self.sessionsLayout.addWidget(self.sessionGroup)

        self.tabs.addTab(self.sessionsTab, "")
        self.exceptionsTab = QWidget()
        self.exceptionsTab.setObjectName(u"exceptionsTab")
        self.exceptionsLayout = QVBoxLayout(self.exceptionsTab)
        self.exceptionsLayout.setObjectName(u"exceptionsLayout")
        self.exceptionsTable = QTableWidget(self.exceptionsTab)
        self.exceptionsTable.setObjectName(u"exceptionsTable")
        self.exceptionsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.exceptionsTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.exceptionsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.exceptionsTable.setAlternatingRowColors(True)
        self.exceptionsTable.setTabKeyNavigation(False)

        self.exceptionsLayout.addWidget(self.exceptionsTable)

        self.exceptionButtonsLayout = QHBoxLayout()
        self.exceptionButtonsLayout.setObjectName(u"exceptionButtonsLayout")
        self.removeExceptionButton = QPushButton(self.exceptionsTab)
        self.removeExceptionButton.setObjectName(u"removeExceptionButton")
        self.removeExceptionButton.setAutoDefault(False)

        self.exceptionButtonsLayout.addWidget(self.removeExceptionButton)

        self.exceptionButtonsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.exceptionButtonsLayout.addItem(self.exceptionButtonsSpacer)


        self.exceptionsLayout.addLayout(self.exceptionButtonsLayout)

        self.exceptionGroup = QGroupBox(self.exceptionsTab)
        self.exceptionGroup.setObjectName(u"exceptionGroup")
        self.exceptionGrid = QGridLayout(self.exceptionGroup)
        self.exceptionGrid.setObjectName(u"exceptionGrid")
        self.kindLabel = QLabel(self.exceptionGroup)
        self.kindLabel.setObjectName(u"kindLabel")

        self.exceptionGrid.addWidget(self.kindLabel, 0, 0, 1, 1)

        self.kindCombo = QComboBox(self.exceptionGroup)
        self.kindCombo.setObjectName(u"kindCombo")

        self.exceptionGrid.addWidget(self.kindCombo, 0, 1, 1, 1)

        self.exceptionClinicianLabel = QLabel(self.exceptionGroup)
        self.exceptionClinicianLabel.setObjectName(u"exceptionClinicianLabel")

        self.exceptionGrid.addWidget(self.exceptionClinicianLabel, 0, 2, 1, 1)

        self.exceptionClinicianCombo = QComboBox(self.exceptionGroup)
        self.exceptionClinicianCombo.setObjectName(u"exceptionClinicianCombo")

        self.exceptionGrid.addWidget(self.exceptionClinicianCombo, 0, 3, 1, 1)

        self.exceptionClinicLabel = QLabel(self.exceptionGroup)
        self.exceptionClinicLabel.setObjectName(u"exceptionClinicLabel")

        self.exceptionGrid.addWidget(self.exceptionClinicLabel, 0, 4, 1, 1)

        self.exceptionClinicCombo = QComboBox(self.exceptionGroup)
        self.exceptionClinicCombo.setObjectName(u"exceptionClinicCombo")

        self.exceptionGrid.addWidget(self.exceptionClinicCombo, 0, 5, 1, 1)

        self.firstDayLabel = QLabel(self.exceptionGroup)
        self.firstDayLabel.setObjectName(u"firstDayLabel")

        self.exceptionGrid.addWidget(self.firstDayLabel, 1, 0, 1, 1)

        self.firstDayEdit = QDateEdit(self.exceptionGroup)
        self.firstDayEdit.setObjectName(u"firstDayEdit")
        self.firstDayEdit.setCalendarPopup(True)

        self.exceptionGrid.addWidget(self.firstDayEdit, 1, 1, 1, 1)

        self.lastDayLabel = QLabel(self.exceptionGroup)
        self.lastDayLabel.setObjectName(u"lastDayLabel")

        self.exceptionGrid.addWidget(self.lastDayLabel, 1, 2, 1, 1)

        self.lastDayEdit = QDateEdit(self.exceptionGroup)
        self.lastDayEdit.setObjectName(u"lastDayEdit")
        self.lastDayEdit.setCalendarPopup(True)

        self.exceptionGrid.addWidget(self.lastDayEdit, 1, 3, 1, 1)

        self.partDayCheck = QCheckBox(self.exceptionGroup)
        self.partDayCheck.setObjectName(u"partDayCheck")

        self.exceptionGrid.addWidget(self.partDayCheck, 2, 0, 1, 1)

        self.partStartsEdit = QTimeEdit(self.exceptionGroup)
        self.partStartsEdit.setObjectName(u"partStartsEdit")
        self.partStartsEdit.setTime(QTime(9, 0, 0))

        self.exceptionGrid.addWidget(self.partStartsEdit, 2, 1, 1, 1)

        self.partUntilLabel = QLabel(self.exceptionGroup)
        self.partUntilLabel.setObjectName(u"partUntilLabel")

        self.exceptionGrid.addWidget(self.partUntilLabel, 2, 2, 1, 1)

        self.partEndsEdit = QTimeEdit(self.exceptionGroup)
        self.partEndsEdit.setObjectName(u"partEndsEdit")
        self.partEndsEdit.setTime(QTime(13, 0, 0))

        self.exceptionGrid.addWidget(self.partEndsEdit, 2, 3, 1, 1)

        self.noteLabel = QLabel(self.exceptionGroup)
        self.noteLabel.setObjectName(u"noteLabel")

        self.exceptionGrid.addWidget(self.noteLabel, 3, 0, 1, 1)

        self.noteEdit = QLineEdit(self.exceptionGroup)
        self.noteEdit.setObjectName(u"noteEdit")

        self.exceptionGrid.addWidget(self.noteEdit, 3, 1, 1, 3)

        self.addExceptionButton = QPushButton(self.exceptionGroup)
        self.addExceptionButton.setObjectName(u"addExceptionButton")
        self.addExceptionButton.setAutoDefault(False)

        self.exceptionGrid.addWidget(self.addExceptionButton, 3, 5, 1, 1)

        self.exceptionGrid.setColumnStretch(1, 1)
        self.exceptionGrid.setColumnStretch(3, 1)
        self.exceptionGrid.setColumnStretch(5, 1)

        self.exceptionsLayout.addWidget(self.exceptionGroup)

        self.tabs.addTab(self.exceptionsTab, "")

        self.dialogLayout.addWidget(self.tabs)

        self.messageLabel = QLabel(RotaDialog)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextFormat(Qt.TextFormat.RichText)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.messageLabel)

        self.bottomLayout = QHBoxLayout()
        self.bottomLayout.setObjectName(u"bottomLayout")
        self.generateButton = QPushButton(RotaDialog)
        self.generateButton.setObjectName(u"generateButton")
        self.generateButton.setAutoDefault(False)

        self.bottomLayout.addWidget(self.generateButton)

        self.weeksLabel = QLabel(RotaDialog)
        self.weeksLabel.setObjectName(u"weeksLabel")

        self.bottomLayout.addWidget(self.weeksLabel)

        self.weeksSpin = QSpinBox(RotaDialog)
        self.weeksSpin.setObjectName(u"weeksSpin")
        self.weeksSpin.setMinimum(1)
        self.weeksSpin.setMaximum(52)
        self.weeksSpin.setValue(12)

        self.bottomLayout.addWidget(self.weeksSpin)

        self.bottomSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.bottomLayout.addItem(self.bottomSpacer)

        self.closeButton = QPushButton(RotaDialog)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setAutoDefault(False)

        self.bottomLayout.addWidget(self.closeButton)


        self.dialogLayout.addLayout(self.bottomLayout)

#if QT_CONFIG(shortcut)
        self.filterLabel.setBuddy(self.filterCombo)
        self.sessionClinicianLabel.setBuddy(self.sessionClinicianCombo)
        self.sessionClinicLabel.setBuddy(self.sessionClinicCombo)
        self.weekdayLabel.setBuddy(self.weekdayCombo)
        self.startsLabel.setBuddy(self.startsEdit)
        self.endsLabel.setBuddy(self.endsEdit)
        self.typeLabel.setBuddy(self.typeCombo)
        self.minutesLabel.setBuddy(self.minutesSpin)
        self.heldLabel.setBuddy(self.heldSpin)
        self.slotsLabel.setBuddy(self.startsEdit)
        self.validFromLabel.setBuddy(self.validFromEdit)
        self.kindLabel.setBuddy(self.kindCombo)
        self.exceptionClinicianLabel.setBuddy(self.exceptionClinicianCombo)
        self.exceptionClinicLabel.setBuddy(self.exceptionClinicCombo)
        self.firstDayLabel.setBuddy(self.firstDayEdit)
        self.lastDayLabel.setBuddy(self.lastDayEdit)
        self.partUntilLabel.setBuddy(self.partEndsEdit)
        self.noteLabel.setBuddy(self.noteEdit)
        self.weeksLabel.setBuddy(self.weeksSpin)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.tabs, self.filterCombo)
        QWidget.setTabOrder(self.filterCombo, self.sessionsTable)
        QWidget.setTabOrder(self.sessionsTable, self.endSessionButton)
        QWidget.setTabOrder(self.endSessionButton, self.sessionClinicianCombo)
        QWidget.setTabOrder(self.sessionClinicianCombo, self.sessionClinicCombo)
        QWidget.setTabOrder(self.sessionClinicCombo, self.weekdayCombo)
        QWidget.setTabOrder(self.weekdayCombo, self.startsEdit)
        QWidget.setTabOrder(self.startsEdit, self.endsEdit)
        QWidget.setTabOrder(self.endsEdit, self.typeCombo)
        QWidget.setTabOrder(self.typeCombo, self.minutesSpin)
        QWidget.setTabOrder(self.minutesSpin, self.heldSpin)
        QWidget.setTabOrder(self.heldSpin, self.validFromEdit)
        QWidget.setTabOrder(self.validFromEdit, self.untilCheck)
        QWidget.setTabOrder(self.untilCheck, self.validUntilEdit)
        QWidget.setTabOrder(self.validUntilEdit, self.addSessionButton)
        QWidget.setTabOrder(self.addSessionButton, self.exceptionsTable)
        QWidget.setTabOrder(self.exceptionsTable, self.removeExceptionButton)
        QWidget.setTabOrder(self.removeExceptionButton, self.kindCombo)
        QWidget.setTabOrder(self.kindCombo, self.exceptionClinicianCombo)
        QWidget.setTabOrder(self.exceptionClinicianCombo, self.exceptionClinicCombo)
        QWidget.setTabOrder(self.exceptionClinicCombo, self.firstDayEdit)
        QWidget.setTabOrder(self.firstDayEdit, self.lastDayEdit)
        QWidget.setTabOrder(self.lastDayEdit, self.partDayCheck)
        QWidget.setTabOrder(self.partDayCheck, self.partStartsEdit)
        QWidget.setTabOrder(self.partStartsEdit, self.partEndsEdit)
        QWidget.setTabOrder(self.partEndsEdit, self.noteEdit)
        QWidget.setTabOrder(self.noteEdit, self.addExceptionButton)
        QWidget.setTabOrder(self.addExceptionButton, self.generateButton)
        QWidget.setTabOrder(self.generateButton, self.weeksSpin)
        QWidget.setTabOrder(self.weeksSpin, self.closeButton)

        self.retranslateUi(RotaDialog)

        self.tabs.setCurrentIndex(0)

    # setupUi

    def retranslateUi(self, RotaDialog):
        RotaDialog.setWindowTitle(QCoreApplication.translate("RotaDialog", u"Rota, leave and closures", None))
        self.introLabel.setText(QCoreApplication.translate("RotaDialog", u"Clinicians' weekly clinic sessions, and leave, training and clinic closures. Each change brings the slots already on offer into line at once: booked and blocked slots are never changed, and booked appointments outside the rota are listed for rebooking.", None))
        self.filterLabel.setText(QCoreApplication.translate("RotaDialog", u"&Show:", None))
#if QT_CONFIG(accessibility)
        self.filterCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Show the sessions of", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.sessionCountLabel.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Sessions shown", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.sessionsTable.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Weekly sessions", None))
#endif // QT_CONFIG(accessibility)
        self.endSessionButton.setText(QCoreApplication.translate("RotaDialog", u"&End selected session\u2026 (Del)", None))
#if QT_CONFIG(tooltip)
        self.endSessionButton.setToolTip(QCoreApplication.translate("RotaDialog", u"End the session from today: its free slots are withdrawn, booked ones listed for rebooking", None))
#endif // QT_CONFIG(tooltip)
        self.sessionGroup.setTitle(QCoreApplication.translate("RotaDialog", u"Add a weekly session", None))
        self.sessionClinicianLabel.setText(QCoreApplication.translate("RotaDialog", u"&Clinician:", None))
#if QT_CONFIG(accessibility)
        self.sessionClinicianCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Clinician working the session", None))
#endif // QT_CONFIG(accessibility)
        self.sessionClinicLabel.setText(QCoreApplication.translate("RotaDialog", u"Cl&inic:", None))
#if QT_CONFIG(accessibility)
        self.sessionClinicCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Clinic of the session", None))
#endif // QT_CONFIG(accessibility)
        self.weekdayLabel.setText(QCoreApplication.translate("RotaDialog", u"&Day:", None))
#if QT_CONFIG(accessibility)
        self.weekdayCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Day of the week", None))
#endif // QT_CONFIG(accessibility)
        self.startsLabel.setText(QCoreApplication.translate("RotaDialog", u"S&tarts:", None))
        self.startsEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"HH:mm", None))
#if QT_CONFIG(accessibility)
        self.startsEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Session starts (London time)", None))
#endif // QT_CONFIG(accessibility)
        self.endsLabel.setText(QCoreApplication.translate("RotaDialog", u"E&nds:", None))
        self.endsEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"HH:mm", None))
#if QT_CONFIG(accessibility)
        self.endsEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Session ends (London time)", None))
#endif // QT_CONFIG(accessibility)
        self.typeLabel.setText(QCoreApplication.translate("RotaDialog", u"T&ype:", None))
#if QT_CONFIG(accessibility)
        self.typeCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Appointment type", None))
#endif // QT_CONFIG(accessibility)
        self.minutesLabel.setText(QCoreApplication.translate("RotaDialog", u"&Minutes each:", None))
        self.minutesSpin.setSuffix(QCoreApplication.translate("RotaDialog", u" min", None))
#if QT_CONFIG(accessibility)
        self.minutesSpin.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Appointment length in minutes", None))
#endif // QT_CONFIG(accessibility)
        self.heldLabel.setText(QCoreApplication.translate("RotaDialog", u"&Held for urgent:", None))
        self.heldSpin.setSuffix(QCoreApplication.translate("RotaDialog", u" slots", None))
#if QT_CONFIG(accessibility)
        self.heldSpin.setAccessibleName(QCoreApplication.translate("RotaDialog", u"How many of the first slots are held for urgent patients", None))
#endif // QT_CONFIG(accessibility)
        self.slotsLabel.setText("")
        self.validFromLabel.setText(QCoreApplication.translate("RotaDialog", u"&From:", None))
        self.validFromEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"ddd d MMM yyyy", None))
#if QT_CONFIG(accessibility)
        self.validFromEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"First day the session runs", None))
#endif // QT_CONFIG(accessibility)
        self.untilCheck.setText(QCoreApplication.translate("RotaDialog", u"&Until:", None))
#if QT_CONFIG(tooltip)
        self.untilCheck.setToolTip(QCoreApplication.translate("RotaDialog", u"Tick to give the session a last day; unticked, it runs until ended", None))
#endif // QT_CONFIG(tooltip)
        self.validUntilEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"ddd d MMM yyyy", None))
#if QT_CONFIG(accessibility)
        self.validUntilEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Last day the session runs", None))
#endif // QT_CONFIG(accessibility)
        self.addSessionButton.setText(QCoreApplication.translate("RotaDialog", u"&Add session (Enter)", None))
#if QT_CONFIG(tooltip)
        self.addSessionButton.setToolTip(QCoreApplication.translate("RotaDialog", u"Add the session and generate its slots at once", None))
#endif // QT_CONFIG(tooltip)
        self.tabs.setTabText(self.tabs.indexOf(self.sessionsTab), QCoreApplication.translate("RotaDialog", u"&Weekly sessions", None))
#if QT_CONFIG(accessibility)
        self.exceptionsTable.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Leave, training and closures not yet over", None))
#endif // QT_CONFIG(accessibility)
        self.removeExceptionButton.setText(QCoreApplication.translate("RotaDialog", u"R&emove selected\u2026 (Del)", None))
#if QT_CONFIG(tooltip)
        self.removeExceptionButton.setToolTip(QCoreApplication.translate("RotaDialog", u"Remove leave, training or a closure entered in error; its slots come back", None))
#endif // QT_CONFIG(tooltip)
        self.exceptionGroup.setTitle(QCoreApplication.translate("RotaDialog", u"Record leave, training or a closure", None))
        self.kindLabel.setText(QCoreApplication.translate("RotaDialog", u"&Kind:", None))
#if QT_CONFIG(accessibility)
        self.kindCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Leave, training or clinic closure", None))
#endif // QT_CONFIG(accessibility)
        self.exceptionClinicianLabel.setText(QCoreApplication.translate("RotaDialog", u"&Clinician:", None))
#if QT_CONFIG(accessibility)
        self.exceptionClinicianCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Clinician on leave or training", None))
#endif // QT_CONFIG(accessibility)
        self.exceptionClinicLabel.setText(QCoreApplication.translate("RotaDialog", u"Cl&inic:", None))
#if QT_CONFIG(accessibility)
        self.exceptionClinicCombo.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Clinic that closes", None))
#endif // QT_CONFIG(accessibility)
        self.firstDayLabel.setText(QCoreApplication.translate("RotaDialog", u"&From:", None))
        self.firstDayEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"ddd d MMM yyyy", None))
#if QT_CONFIG(accessibility)
        self.firstDayEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"First day", None))
#endif // QT_CONFIG(accessibility)
        self.lastDayLabel.setText(QCoreApplication.translate("RotaDialog", u"&To:", None))
        self.lastDayEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"ddd d MMM yyyy", None))
#if QT_CONFIG(accessibility)
        self.lastDayEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Last day (inclusive)", None))
#endif // QT_CONFIG(accessibility)
        self.partDayCheck.setText(QCoreApplication.translate("RotaDialog", u"&Part of each day:", None))
#if QT_CONFIG(tooltip)
        self.partDayCheck.setToolTip(QCoreApplication.translate("RotaDialog", u"Unticked: whole days. Ticked: only these hours on each day", None))
#endif // QT_CONFIG(tooltip)
        self.partStartsEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"HH:mm", None))
#if QT_CONFIG(accessibility)
        self.partStartsEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Part-day exception starts", None))
#endif // QT_CONFIG(accessibility)
        self.partUntilLabel.setText(QCoreApplication.translate("RotaDialog", u"until", None))
        self.partEndsEdit.setDisplayFormat(QCoreApplication.translate("RotaDialog", u"HH:mm", None))
#if QT_CONFIG(accessibility)
        self.partEndsEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Part-day exception ends", None))
#endif // QT_CONFIG(accessibility)
        self.noteLabel.setText(QCoreApplication.translate("RotaDialog", u"N&ote:", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("RotaDialog", u"optional, for colleagues reading the rota", None))
#if QT_CONFIG(accessibility)
        self.noteEdit.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Note", None))
#endif // QT_CONFIG(accessibility)
        self.addExceptionButton.setText(QCoreApplication.translate("RotaDialog", u"&Record (Enter)", None))
#if QT_CONFIG(tooltip)
        self.addExceptionButton.setToolTip(QCoreApplication.translate("RotaDialog", u"Record it and take its free slots off offer at once", None))
#endif // QT_CONFIG(tooltip)
        self.tabs.setTabText(self.tabs.indexOf(self.exceptionsTab), QCoreApplication.translate("RotaDialog", u"&Leave, training and closures", None))
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("RotaDialog", u"What happened", None))
#endif // QT_CONFIG(accessibility)
        self.generateButton.setText(QCoreApplication.translate("RotaDialog", u"Re&generate slots", None))
#if QT_CONFIG(tooltip)
        self.generateButton.setToolTip(QCoreApplication.translate("RotaDialog", u"Bring the slots of the coming weeks into line with the rota", None))
#endif // QT_CONFIG(tooltip)
        self.weeksLabel.setText(QCoreApplication.translate("RotaDialog", u"for the next", None))
        self.weeksSpin.setSuffix(QCoreApplication.translate("RotaDialog", u" weeks", None))
#if QT_CONFIG(accessibility)
        self.weeksSpin.setAccessibleName(QCoreApplication.translate("RotaDialog", u"Weeks ahead to generate", None))
#endif // QT_CONFIG(accessibility)
        self.closeButton.setText(QCoreApplication.translate("RotaDialog", u"Close (Esc)", None))
#if QT_CONFIG(tooltip)
        self.closeButton.setToolTip(QCoreApplication.translate("RotaDialog", u"Close the rota", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

