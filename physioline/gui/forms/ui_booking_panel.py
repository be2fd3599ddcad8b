# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'booking_panel.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QTreeView, QVBoxLayout, QWidget

class Ui_BookingPanel(object):
    def setupUi(self, BookingPanel):
        if not BookingPanel.objectName():
            BookingPanel.setObjectName(u"BookingPanel")
        BookingPanel.resize(1280, 780)
        self.panelLayout = QVBoxLayout(BookingPanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.patientLabel = QLabel(BookingPanel)
        self.patientLabel.setObjectName(u"patientLabel")
        self.patientLabel.setTextFormat(Qt.TextFormat.RichText)
        self.patientLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panelLayout.addWidget(self.patientLabel)

        self.needsLabel = QLabel(BookingPanel)
        self.needsLabel.setObjectName(u"needsLabel")
        self.needsLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.needsLabel)

        self.windowLabel = QLabel(BookingPanel)
        self.windowLabel.setObjectName(u"windowLabel")
        self.windowLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.windowLabel)

        self.rebookLabel = QLabel(BookingPanel)
        self.rebookLabel.setObjectName(u"rebookLabel")
        self.rebookLabel.setWordWrap(True)
        self.rebookLabel.setVisible(False)

        self.panelLayout.addWidget(self.rebookLabel)

        self.splitter = QSplitter(BookingPanel)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.filtersBox = QGroupBox(self.splitter)
        self.filtersBox.setObjectName(u"filtersBox")
        self.filtersLayout = QVBoxLayout(self.filtersBox)
        self.filtersLayout.setObjectName(u"filtersLayout")
        self.clinicsLabel = QLabel(self.filtersBox)
        self.clinicsLabel.setObjectName(u"clinicsLabel")
        self.clinicsLabel.setWordWrap(True)

        self.filtersLayout.addWidget(self.clinicsLabel)

        self.clinicList = QListWidget(self.filtersBox)
        self.clinicList.setObjectName(u"clinicList")
        self.clinicList.setMinimumSize(QSize(0, 150))

        self.filtersLayout.addWidget(self.clinicList)

        self.daysBox = QGroupBox(self.filtersBox)
        self.daysBox.setObjectName(u"daysBox")
        self.daysBox.setFlat(True)
        self.daysLayout = QGridLayout(self.daysBox)
        self.daysLayout.setObjectName(u"daysLayout")
        self.monCheck = QCheckBox(self.daysBox)
        self.monCheck.setObjectName(u"monCheck")

        self.daysLayout.addWidget(self.monCheck, 0, 0, 1, 1)

        self.tueCheck = QCheckBox(self.daysBox)
        self.tueCheck.setObjectName(u"tueCheck")

        self.daysLayout.addWidget(self.tueCheck, 0, 1, 1, 1)

        self.wedCheck = QCheckBox(self.daysBox)
        self.wedCheck.setObjectName(u"wedCheck")

        self.daysLayout.addWidget(self.wedCheck, 0, 2, 1, 1)

        self.thuCheck = QCheckBox(self.daysBox)
        self.thuCheck.setObjectName(u"thuCheck")

        self.daysLayout.addWidget(self.thuCheck, 0, 3, 1, 1)

        self.friCheck = QCheckBox(self.daysBox)
        self.friCheck.setObjectName(u"friCheck")

        self.daysLayout.addWidget(self.friCheck, 1, 0, 1, 1)

        self.satCheck = QCheckBox(self.daysBox)
        self.satCheck.setObjectName(u"satCheck")

        self.daysLayout.addWidget(self.satCheck, 1, 1, 1, 1)

        self.sunCheck = QCheckBox(self.daysBox)
        self.sunCheck.setObjectName(u"sunCheck")

        self.daysLayout.addWidget(self.sunCheck, 1, 2, 1, 1)


        self.filtersLayout.addWidget(self.daysBox)

        self.timesBox = QGroupBox(self.filtersBox)
        self.timesBox.setObjectName(u"timesBox")
        self.timesBox.setFlat(True)
        self.timesLayout = QVBoxLayout(self.timesBox)
        self.timesLayout.setObjectName(u"timesLayout")
        self.morningCheck = QCheckBox(self.timesBox)
        self.morningCheck.setObjectName(u"morningCheck")

        self.timesLayout.addWidget(self.morningCheck)

        self.afternoonCheck = QCheckBox(self.timesBox)
        self.afternoonCheck.setObjectName(u"afternoonCheck")

        self.timesLayout.addWidget(self.afternoonCheck)

        self.eveningCheck = QCheckBox(self.timesBox)
        self.eveningCheck.setObjectName(u"eveningCheck")

        self.timesLayout.addWidget(self.eveningCheck)


        self.filtersLayout.addWidget(self.timesBox)

        self.sexLayout = QHBoxLayout()
        self.sexLayout.setObjectName(u"sexLayout")
        self.sexLabel = QLabel(self.filtersBox)
        self.sexLabel.setObjectName(u"sexLabel")

        self.sexLayout.addWidget(self.sexLabel)

        self.sexCombo = QComboBox(self.filtersBox)
        self.sexCombo.setObjectName(u"sexCombo")

        self.sexLayout.addWidget(self.sexCombo)


        self.filtersLayout.addLayout(self.sexLayout)

        self.stepFreeCheck = QCheckBox(self.filtersBox)
        self.stepFreeCheck.setObjectName(u"stepFreeCheck")

        self.filtersLayout.addWidget(self.stepFreeCheck)

        self.interpreterCheck = QCheckBox(self.filtersBox)
        self.interpreterCheck.setObjectName(u"interpreterCheck")

        self.filtersLayout.addWidget(self.interpreterCheck)

        self.filtersSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.filtersLayout.addItem(self.filtersSpacer)

        self.splitter.addWidget(self.filtersBox)
        self.slotsPane = QWidget(self.splitter)
        self.slotsPane.setObjectName(u"slotsPane")
        self.slotsLayout = QVBoxLayout(self.slotsPane)
        self.slotsLayout.setObjectName(u"slotsLayout")
        self.slotsLayout.setContentsMargins(6, 0, 0, 0)
        self.slotsLabel = QLabel(self.slotsPane)
        self.slotsLabel.setObjectName(u"slotsLabel")

        self.slotsLayout.addWidget(self.slotsLabel)

        self.slotsView = QTreeView(self.slotsPane)
        self.slotsView.setObjectName(u"slotsView")
        self.slotsView.setRootIsDecorated(False)
        self.slotsView.setItemsExpandable(False)
        self.slotsView.setUniformRowHeights(True)
        self.slotsView.setAllColumnsShowFocus(True)
        self.slotsView.setAlternatingRowColors(False)
        self.slotsView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.slotsView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.slotsView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.slotsLayout.addWidget(self.slotsView)

        self.splitter.addWidget(self.slotsPane)

        self.panelLayout.addWidget(self.splitter)

        self.selectedLabel = QLabel(BookingPanel)
        self.selectedLabel.setObjectName(u"selectedLabel")
        self.selectedLabel.setWordWrap(True)
        self.selectedLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panelLayout.addWidget(self.selectedLabel)

        self.messageLabel = QLabel(BookingPanel)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panelLayout.addWidget(self.messageLabel)

        self.buttonsLayout = QHBoxLayout()
        self.buttonsLayout.setObjectName(u"buttonsLayout")
        self.bookButton = QPushButton(BookingPanel)
        self.bookButton.setObjectName(u"bookButton")

        self.buttonsLayout.addWidget(self.bookButton)

        self.moreButton = QPushButton(BookingPanel)
        self.moreButton.setObjectName(u"moreButton")

        self.buttonsLayout.addWidget(self.moreButton)

        self.waitingButton = QPushButton(BookingPanel)
        self.waitingButton.setObjectName(u"waitingButton")

        self.buttonsLayout.addWidget(self.waitingButton)

        self.icsButton = QPushButton(BookingPanel)
        self.icsButton.setObjectName(u"icsButton")

        self.buttonsLayout.addWidget(self.icsButton)

        self.buttonsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonsLayout.addItem(self.buttonsSpacer)

        self.closeButton = QPushButton(BookingPanel)
        self.closeButton.setObjectName(u"closeButton")

        self.buttonsLayout.addWidget(self.closeButton)


        self.panelLayout.addLayout(self.buttonsLayout)

        self.panelLayout.setStretch(4, 1)
#if QT_CONFIG(shortcut)
        self.clinicsLabel.setBuddy(self.clinicList)
        self.sexLabel.setBuddy(self.sexCombo)
        self.slotsLabel.setBuddy(self.slotsView)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(BookingPanel)
    # setupUi

    def retranslateUi(self, BookingPanel):
        BookingPanel.setWindowTitle(QCoreApplication.translate("BookingPanel", u"Book an appointment", None))
        self.patientLabel.setText(QCoreApplication.translate("BookingPanel", u"Loading the referral\u2026", None))
#if QT_CONFIG(accessibility)
        self.patientLabel.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Patient being booked", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.needsLabel.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Communication needs", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.windowLabel.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Target window", None))
#endif // QT_CONFIG(accessibility)
        self.filtersBox.setTitle(QCoreApplication.translate("BookingPanel", u"The patient's preferences", None))
        self.clinicsLabel.setText(QCoreApplication.translate("BookingPanel", u"&Clinics, nearest first (none ticked: all). Space ticks.", None))
#if QT_CONFIG(accessibility)
        self.clinicList.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Clinics", None))
#endif // QT_CONFIG(accessibility)
        self.daysBox.setTitle(QCoreApplication.translate("BookingPanel", u"&Days (none ticked: any)", None))
        self.monCheck.setText(QCoreApplication.translate("BookingPanel", u"Mon", None))
        self.tueCheck.setText(QCoreApplication.translate("BookingPanel", u"Tue", None))
        self.wedCheck.setText(QCoreApplication.translate("BookingPanel", u"Wed", None))
        self.thuCheck.setText(QCoreApplication.translate("BookingPanel", u"Thu", None))
        self.friCheck.setText(QCoreApplication.translate("BookingPanel", u"Fri", None))
        self.satCheck.setText(QCoreApplication.translate("BookingPanel", u"Sat", None))
        self.sunCheck.setText(QCoreApplication.translate("BookingPanel", u"Sun", None))
        self.timesBox.setTitle(QCoreApplication.translate("BookingPanel", u"&Time of day (none ticked: any)", None))
        self.morningCheck.setText(QCoreApplication.translate("BookingPanel", u"Morning (before 12:00)", None))
        self.afternoonCheck.setText(QCoreApplication.translate("BookingPanel", u"Afternoon (12:00\u201317:00)", None))
        self.eveningCheck.setText(QCoreApplication.translate("BookingPanel", u"Evening (from 17:00)", None))
        self.sexLabel.setText(QCoreApplication.translate("BookingPanel", u"C&linician:", None))
#if QT_CONFIG(accessibility)
        self.sexCombo.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Clinician's sex", None))
#endif // QT_CONFIG(accessibility)
        self.stepFreeCheck.setText(QCoreApplication.translate("BookingPanel", u"Step-&free access needed", None))
        self.interpreterCheck.setText(QCoreApplication.translate("BookingPanel", u"&Interpreter needed: clinician speaks the patient's language", None))
        self.slotsLabel.setText(QCoreApplication.translate("BookingPanel", u"Free &slots, earliest first \u2014 \u2191 \u2193 to choose, Enter books", None))
#if QT_CONFIG(accessibility)
        self.slotsView.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Free slots by day", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.selectedLabel.setAccessibleName(QCoreApplication.translate("BookingPanel", u"Slot chosen", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("BookingPanel", u"What happened", None))
#endif // QT_CONFIG(accessibility)
        self.bookButton.setText(QCoreApplication.translate("BookingPanel", u"&Book this slot (Enter)", None))
#if QT_CONFIG(tooltip)
        self.bookButton.setToolTip(QCoreApplication.translate("BookingPanel", u"Book the selected slot for this patient now", None))
#endif // QT_CONFIG(tooltip)
        self.moreButton.setText(QCoreApplication.translate("BookingPanel", u"Show &more (Ctrl+M)", None))
        self.waitingButton.setText(QCoreApplication.translate("BookingPanel", u"&Waiting list (Ctrl+W)", None))
#if QT_CONFIG(tooltip)
        self.waitingButton.setToolTip(QCoreApplication.translate("BookingPanel", u"Nothing suits: put the patient on the waiting list for the ticked clinics", None))
#endif // QT_CONFIG(tooltip)
        self.icsButton.setText(QCoreApplication.translate("BookingPanel", u"&Export .ics (Ctrl+E)", None))
#if QT_CONFIG(tooltip)
        self.icsButton.setToolTip(QCoreApplication.translate("BookingPanel", u"Save the booked appointment as a calendar file for the patient's email", None))
#endif // QT_CONFIG(tooltip)
        self.closeButton.setText(QCoreApplication.translate("BookingPanel", u"Close (Esc)", None))
    # retranslateUi

