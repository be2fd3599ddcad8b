# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'assessment_window.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from physioline.gui.frames import OpaqueFrame
from physioline.gui.labels import (ColumnLabel, WrappedLabel)

class Ui_AssessmentWindow(object):
    def setupUi(self, AssessmentWindow):
        if not AssessmentWindow.objectName():
            AssessmentWindow.setObjectName(u"AssessmentWindow")
        AssessmentWindow.resize(1500, 940)
        self.outerLayout = QVBoxLayout(AssessmentWindow)
        self.outerLayout.setSpacing(6)
        self.outerLayout.setObjectName(u"outerLayout")
        self.headerFrame = QFrame(AssessmentWindow)
        self.headerFrame.setObjectName(u"headerFrame")
        self.headerLayout = QGridLayout(self.headerFrame)
        self.headerLayout.setObjectName(u"headerLayout")
        self.headerLayout.setHorizontalSpacing(16)
        self.headerLayout.setVerticalSpacing(2)
        self.patientLabel = WrappedLabel(self.headerFrame)
        self.patientLabel.setObjectName(u"patientLabel")
        self.patientLabel.setTextFormat(Qt.RichText)
        self.patientLabel.setWordWrap(True)

        self.headerLayout.addWidget(self.patientLabel, 0, 0, 1, 1)

        self.callTimerLabel = QLabel(self.headerFrame)
        self.callTimerLabel.setObjectName(u"callTimerLabel")
        self.callTimerLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.headerLayout.addWidget(self.callTimerLabel, 0, 1, 1, 1)

        self.identityLabel = WrappedLabel(self.headerFrame)
        self.identityLabel.setObjectName(u"identityLabel")
        self.identityLabel.setTextFormat(Qt.RichText)
        self.identityLabel.setWordWrap(True)

        self.headerLayout.addWidget(self.identityLabel, 1, 0, 1, 1)

        self.protocolLabel = QLabel(self.headerFrame)
        self.protocolLabel.setObjectName(u"protocolLabel")
        self.protocolLabel.setAlignment(Qt.AlignRight|Qt.AlignVCenter)

        self.headerLayout.addWidget(self.protocolLabel, 1, 1, 1, 1)

        self.ageCheckLabel = WrappedLabel(self.headerFrame)
        self.ageCheckLabel.setObjectName(u"ageCheckLabel")
        self.ageCheckLabel.setWordWrap(True)

        self.headerLayout.addWidget(self.ageCheckLabel, 2, 0, 1, 2)


        self.outerLayout.addWidget(self.headerFrame)

        self.bodyLayout = QHBoxLayout()
        self.bodyLayout.setSpacing(10)
        self.bodyLayout.setObjectName(u"bodyLayout")
        self.formScroll = QScrollArea(AssessmentWindow)
        self.formScroll.setObjectName(u"formScroll")
        self.formScroll.setWidgetResizable(True)
        self.formScroll.setFocusPolicy(Qt.NoFocus)
        self.formContainer = QWidget()
        self.formContainer.setObjectName(u"formContainer")
        self.formLayout = QVBoxLayout(self.formContainer)
        self.formLayout.setSpacing(4)
        self.formLayout.setObjectName(u"formLayout")
        self.formScroll.setWidget(self.formContainer)

        self.bodyLayout.addWidget(self.formScroll)

        self.sideColumn = QWidget(AssessmentWindow)
        self.sideColumn.setObjectName(u"sideColumn")
        self.sideColumn.setMinimumSize(QSize(470, 0))
        self.sideColumn.setMaximumSize(QSize(560, 16777215))
        self.sideLayout = QVBoxLayout(self.sideColumn)
        self.sideLayout.setObjectName(u"sideLayout")
        self.sideLayout.setContentsMargins(0, 0, 0, 0)
        self.recommendationFrame = OpaqueFrame(self.sideColumn)
        self.recommendationFrame.setObjectName(u"recommendationFrame")
        self.recommendationLayout = QVBoxLayout(self.recommendationFrame)
        self.recommendationLayout.setSpacing(2)
        self.recommendationLayout.setObjectName(u"recommendationLayout")
        self.recommendationLabel = ColumnLabel(self.recommendationFrame)
        self.recommendationLabel.setObjectName(u"recommendationLabel")
        self.recommendationLabel.setTextFormat(Qt.RichText)
        self.recommendationLabel.setWordWrap(True)

        self.recommendationLayout.addWidget(self.recommendationLabel)

        self.scoreLabel = ColumnLabel(self.recommendationFrame)
        self.scoreLabel.setObjectName(u"scoreLabel")
        self.scoreLabel.setTextFormat(Qt.PlainText)
        self.scoreLabel.setWordWrap(True)

        self.recommendationLayout.addWidget(self.scoreLabel)

        self.completenessLabel = ColumnLabel(self.recommendationFrame)
        self.completenessLabel.setObjectName(u"completenessLabel")
        self.completenessLabel.setTextFormat(Qt.PlainText)
        self.completenessLabel.setWordWrap(True)

        self.recommendationLayout.addWidget(self.completenessLabel)


        self.sideLayout.addWidget(self.recommendationFrame)

        self.decisionFrame = OpaqueFrame(self.sideColumn)
        self.decisionFrame.setObjectName(u"decisionFrame")
        self.decisionLayout = QVBoxLayout(self.decisionFrame)
        self.decisionLayout.setSpacing(4)
        self.decisionLayout.setObjectName(u"decisionLayout")
        self.decisionTitle = QLabel(self.decisionFrame)
        self.decisionTitle.setObjectName(u"decisionTitle")

        self.decisionLayout.addWidget(self.decisionTitle)

        self.dispositionList = QListWidget(self.decisionFrame)
        self.dispositionList.setObjectName(u"dispositionList")
        self.dispositionList.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.dispositionList.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)

        self.decisionLayout.addWidget(self.dispositionList)

        self.downgradeLabel = ColumnLabel(self.decisionFrame)
        self.downgradeLabel.setObjectName(u"downgradeLabel")
        self.downgradeLabel.setWordWrap(True)

        self.decisionLayout.addWidget(self.downgradeLabel)

        self.destinationLayout = QHBoxLayout()
        self.destinationLayout.setObjectName(u"destinationLayout")
        self.destinationLabel = QLabel(self.decisionFrame)
        self.destinationLabel.setObjectName(u"destinationLabel")

        self.destinationLayout.addWidget(self.destinationLabel)

        self.destinationCombo = QComboBox(self.decisionFrame)
        self.destinationCombo.setObjectName(u"destinationCombo")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.destinationCombo.sizePolicy().hasHeightForWidth())
        self.destinationCombo.setSizePolicy(sizePolicy)

        self.destinationLayout.addWidget(self.destinationCombo)


        self.decisionLayout.addLayout(self.destinationLayout)

        self.notesLabel = QLabel(self.decisionFrame)
        self.notesLabel.setObjectName(u"notesLabel")

        self.decisionLayout.addWidget(self.notesLabel)

        self.notesEdit = QPlainTextEdit(self.decisionFrame)
        self.notesEdit.setObjectName(u"notesEdit")
        self.notesEdit.setMaximumSize(QSize(16777215, 72))
        self.notesEdit.setTabChangesFocus(True)

        self.decisionLayout.addWidget(self.notesEdit)

        self.messageLabel = ColumnLabel(self.decisionFrame)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.RichText)
        self.messageLabel.setWordWrap(True)

        self.decisionLayout.addWidget(self.messageLabel)

        self.signOffButton = QPushButton(self.decisionFrame)
        self.signOffButton.setObjectName(u"signOffButton")

        self.decisionLayout.addWidget(self.signOffButton)


        self.sideLayout.addWidget(self.decisionFrame)

        self.signedFrame = OpaqueFrame(self.sideColumn)
        self.signedFrame.setObjectName(u"signedFrame")
        self.signedLayout = QVBoxLayout(self.signedFrame)
        self.signedLayout.setSpacing(4)
        self.signedLayout.setObjectName(u"signedLayout")
        self.signedLabel = ColumnLabel(self.signedFrame)
        self.signedLabel.setObjectName(u"signedLabel")
        self.signedLabel.setTextFormat(Qt.RichText)
        self.signedLabel.setWordWrap(True)
        self.signedLabel.setTextInteractionFlags(Qt.TextSelectableByMouse|Qt.TextSelectableByKeyboard)

        self.signedLayout.addWidget(self.signedLabel)

        self.addendumLabel = ColumnLabel(self.signedFrame)
        self.addendumLabel.setObjectName(u"addendumLabel")
        self.addendumLabel.setWordWrap(True)

        self.signedLayout.addWidget(self.addendumLabel)

        self.addendumEdit = QPlainTextEdit(self.signedFrame)
        self.addendumEdit.setObjectName(u"addendumEdit")
        self.addendumEdit.setMaximumSize(QSize(16777215, 72))
        self.addendumEdit.setTabChangesFocus(True)

        self.signedLayout.addWidget(self.addendumEdit)

        self.addendumButton = QPushButton(self.signedFrame)
        self.addendumButton.setObjectName(u"addendumButton")

        self.signedLayout.addWidget(self.addendumButton)


        self.sideLayout.addWidget(self.signedFrame)

        self.sideSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.sideLayout.addItem(self.sideSpacer)


        self.bodyLayout.addWidget(self.sideColumn)

        self.bodyLayout.setStretch(0, 1)

        self.outerLayout.addLayout(self.bodyLayout)

        self.statusLayout = QHBoxLayout()
        self.statusLayout.setObjectName(u"statusLayout")
        self.statusLabel = QLabel(AssessmentWindow)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setMinimumSize(QSize(430, 0))
        self.statusLabel.setMaximumSize(QSize(430, 16777215))
        self.statusLabel.setTextFormat(Qt.PlainText)

        self.statusLayout.addWidget(self.statusLabel)

        self.keysLabel = WrappedLabel(AssessmentWindow)
        self.keysLabel.setObjectName(u"keysLabel")
        sizePolicy1 = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy1.setHorizontalStretch(1)
        sizePolicy1.setVerticalStretch(0)
        sizePolicy1.setHeightForWidth(self.keysLabel.sizePolicy().hasHeightForWidth())
        self.keysLabel.setSizePolicy(sizePolicy1)
        self.keysLabel.setTextFormat(Qt.RichText)
        self.keysLabel.setWordWrap(True)

        self.statusLayout.addWidget(self.keysLabel)


        self.outerLayout.addLayout(self.statusLayout)

#if QT_CONFIG(shortcut)
        self.destinationLabel.setBuddy(self.destinationCombo)
        self.notesLabel.setBuddy(self.notesEdit)
        self.addendumLabel.setBuddy(self.addendumEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(AssessmentWindow)
    # setupUi

    def retranslateUi(self, AssessmentWindow):
        AssessmentWindow.setWindowTitle(QCoreApplication.translate("AssessmentWindow", u"Triage call", None))
        self.decisionTitle.setText(QCoreApplication.translate("AssessmentWindow", u"Decision (Ctrl+D) \u2014 press 1\u20136 to choose", None))
        self.destinationLabel.setText(QCoreApplication.translate("AssessmentWindow", u"Des&tination:", None))
        self.notesLabel.setText(QCoreApplication.translate("AssessmentWindow", u"&Plan / notes for the letters (optional):", None))
        self.signOffButton.setText(QCoreApplication.translate("AssessmentWindow", u"Sign off  (Ctrl+Enter)", None))
        self.addendumLabel.setText(QCoreApplication.translate("AssessmentWindow", u"&Addendum (a correction or addition; the signed record does not change):", None))
        self.addendumButton.setText(QCoreApplication.translate("AssessmentWindow", u"Add addendum  (Ctrl+Enter)", None))
    # retranslateUi

