# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'cancel_appointment_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget

class Ui_CancelAppointmentDialog(object):
    def setupUi(self, CancelAppointmentDialog):
        if not CancelAppointmentDialog.objectName():
            CancelAppointmentDialog.setObjectName(u"CancelAppointmentDialog")
        CancelAppointmentDialog.resize(620, 330)
        self.layout = QVBoxLayout(CancelAppointmentDialog)
        self.layout.setSpacing(8)
        self.layout.setObjectName(u"layout")
        self.summaryLabel = QLabel(CancelAppointmentDialog)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setTextFormat(Qt.TextFormat.RichText)
        self.summaryLabel.setWordWrap(True)

        self.layout.addWidget(self.summaryLabel)

        self.whoGroup = QGroupBox(CancelAppointmentDialog)
        self.whoGroup.setObjectName(u"whoGroup")
        self.whoLayout = QHBoxLayout(self.whoGroup)
        self.whoLayout.setObjectName(u"whoLayout")
        self.patientRadio = QRadioButton(self.whoGroup)
        self.patientRadio.setObjectName(u"patientRadio")

        self.whoLayout.addWidget(self.patientRadio)

        self.serviceRadio = QRadioButton(self.whoGroup)
        self.serviceRadio.setObjectName(u"serviceRadio")

        self.whoLayout.addWidget(self.serviceRadio)


        self.layout.addWidget(self.whoGroup)

        self.reasonLabel = QLabel(CancelAppointmentDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.layout.addWidget(self.reasonLabel)

        self.reasonEdit = QLineEdit(CancelAppointmentDialog)
        self.reasonEdit.setObjectName(u"reasonEdit")

        self.layout.addWidget(self.reasonEdit)

        self.blockCheck = QCheckBox(CancelAppointmentDialog)
        self.blockCheck.setObjectName(u"blockCheck")

        self.layout.addWidget(self.blockCheck)

        self.hintLabel = QLabel(CancelAppointmentDialog)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)

        self.layout.addWidget(self.hintLabel)

        self.buttonBox = QDialogButtonBox(CancelAppointmentDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.layout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.patientRadio, self.serviceRadio)
        QWidget.setTabOrder(self.serviceRadio, self.reasonEdit)
        QWidget.setTabOrder(self.reasonEdit, self.blockCheck)
        QWidget.setTabOrder(self.blockCheck, self.buttonBox)

        self.retranslateUi(CancelAppointmentDialog)
    # setupUi

    def retranslateUi(self, CancelAppointmentDialog):
        CancelAppointmentDialog.setWindowTitle(QCoreApplication.translate("CancelAppointmentDialog", u"Cancel the appointment", None))
        self.whoGroup.setTitle(QCoreApplication.translate("CancelAppointmentDialog", u"Who asked for the cancellation?", None))
        self.patientRadio.setText(QCoreApplication.translate("CancelAppointmentDialog", u"The &patient", None))
        self.serviceRadio.setText(QCoreApplication.translate("CancelAppointmentDialog", u"The &service", None))
        self.reasonLabel.setText(QCoreApplication.translate("CancelAppointmentDialog", u"&Reason (kept in the appointment's history):", None))
        self.reasonEdit.setPlaceholderText(QCoreApplication.translate("CancelAppointmentDialog", u"e.g. Patient moving away; clinician off sick", None))
#if QT_CONFIG(accessibility)
        self.reasonEdit.setAccessibleName(QCoreApplication.translate("CancelAppointmentDialog", u"Reason", None))
#endif // QT_CONFIG(accessibility)
        self.blockCheck.setText(QCoreApplication.translate("CancelAppointmentDialog", u"&Block the slot too (the service cannot offer it: clinician absent, room lost)", None))
    # retranslateUi

