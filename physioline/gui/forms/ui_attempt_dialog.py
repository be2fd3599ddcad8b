# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'attempt_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

class Ui_AttemptDialog(object):
    def setupUi(self, AttemptDialog):
        if not AttemptDialog.objectName():
            AttemptDialog.setObjectName(u"AttemptDialog")
        AttemptDialog.resize(460, 330)
        self.layout = QVBoxLayout(AttemptDialog)
        self.layout.setObjectName(u"layout")
        self.patientLabel = QLabel(AttemptDialog)
        self.patientLabel.setObjectName(u"patientLabel")
        self.patientLabel.setWordWrap(True)

        self.layout.addWidget(self.patientLabel)

        self.helpLabel = QLabel(AttemptDialog)
        self.helpLabel.setObjectName(u"helpLabel")
        self.helpLabel.setWordWrap(True)

        self.layout.addWidget(self.helpLabel)

        self.answeredButton = QPushButton(AttemptDialog)
        self.answeredButton.setObjectName(u"answeredButton")

        self.layout.addWidget(self.answeredButton)

        self.noAnswerButton = QPushButton(AttemptDialog)
        self.noAnswerButton.setObjectName(u"noAnswerButton")

        self.layout.addWidget(self.noAnswerButton)

        self.voicemailButton = QPushButton(AttemptDialog)
        self.voicemailButton.setObjectName(u"voicemailButton")

        self.layout.addWidget(self.voicemailButton)

        self.wrongNumberButton = QPushButton(AttemptDialog)
        self.wrongNumberButton.setObjectName(u"wrongNumberButton")

        self.layout.addWidget(self.wrongNumberButton)

        self.declinedButton = QPushButton(AttemptDialog)
        self.declinedButton.setObjectName(u"declinedButton")

        self.layout.addWidget(self.declinedButton)

        self.noteLayout = QHBoxLayout()
        self.noteLayout.setObjectName(u"noteLayout")
        self.noteLabel = QLabel(AttemptDialog)
        self.noteLabel.setObjectName(u"noteLabel")

        self.noteLayout.addWidget(self.noteLabel)

        self.noteEdit = QLineEdit(AttemptDialog)
        self.noteEdit.setObjectName(u"noteEdit")

        self.noteLayout.addWidget(self.noteEdit)


        self.layout.addLayout(self.noteLayout)

#if QT_CONFIG(shortcut)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(AttemptDialog)
    # setupUi

    def retranslateUi(self, AttemptDialog):
        AttemptDialog.setWindowTitle(QCoreApplication.translate("AttemptDialog", u"Record call attempt", None))
        self.helpLabel.setText(QCoreApplication.translate("AttemptDialog", u"Press the letter of the result. To add a note first, press Tab, type it, then Alt + the letter.", None))
        self.answeredButton.setText(QCoreApplication.translate("AttemptDialog", u"[A] &Answered", None))
        self.noAnswerButton.setText(QCoreApplication.translate("AttemptDialog", u"[N] &No answer", None))
        self.voicemailButton.setText(QCoreApplication.translate("AttemptDialog", u"[V] &Voicemail left", None))
        self.wrongNumberButton.setText(QCoreApplication.translate("AttemptDialog", u"[W] &Wrong number", None))
        self.declinedButton.setText(QCoreApplication.translate("AttemptDialog", u"[D] &Declined (patient does not want the service)", None))
        self.noteLabel.setText(QCoreApplication.translate("AttemptDialog", u"No&te:", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("AttemptDialog", u"optional, e.g. \"rang mobile and home\"", None))
    # retranslateUi

