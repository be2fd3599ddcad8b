# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'downgrade_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

class Ui_DowngradeDialog(object):
    def setupUi(self, DowngradeDialog):
        if not DowngradeDialog.objectName():
            DowngradeDialog.setObjectName(u"DowngradeDialog")
        DowngradeDialog.resize(640, 460)
        self.layout = QVBoxLayout(DowngradeDialog)
        self.layout.setSpacing(8)
        self.layout.setObjectName(u"layout")
        self.headlineLabel = QLabel(DowngradeDialog)
        self.headlineLabel.setObjectName(u"headlineLabel")
        self.headlineLabel.setTextFormat(Qt.RichText)
        self.headlineLabel.setWordWrap(True)

        self.layout.addWidget(self.headlineLabel)

        self.summaryLabel = QLabel(DowngradeDialog)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setTextFormat(Qt.RichText)
        self.summaryLabel.setWordWrap(True)

        self.layout.addWidget(self.summaryLabel)

        self.reasonLabel = QLabel(DowngradeDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")
        self.reasonLabel.setWordWrap(True)

        self.layout.addWidget(self.reasonLabel)

        self.reasonEdit = QPlainTextEdit(DowngradeDialog)
        self.reasonEdit.setObjectName(u"reasonEdit")
        self.reasonEdit.setTabChangesFocus(True)

        self.layout.addWidget(self.reasonEdit)

        self.hintLabel = QLabel(DowngradeDialog)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)

        self.layout.addWidget(self.hintLabel)

        self.buttonBox = QDialogButtonBox(DowngradeDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(DowngradeDialog)
    # setupUi

    def retranslateUi(self, DowngradeDialog):
        DowngradeDialog.setWindowTitle(QCoreApplication.translate("DowngradeDialog", u"Less severe than recommended: reason required", None))
        self.reasonLabel.setText(QCoreApplication.translate("DowngradeDialog", u"&Reason (required; stored on the record, the audit trail and the GP letter):", None))
        self.reasonEdit.setPlaceholderText(QCoreApplication.translate("DowngradeDialog", u"e.g. X-ray yesterday at the urgent treatment centre showed no fracture.", None))
    # retranslateUi

