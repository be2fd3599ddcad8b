# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'database_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_DatabaseDialog(object):
    def setupUi(self, DatabaseDialog):
        if not DatabaseDialog.objectName():
            DatabaseDialog.setObjectName(u"DatabaseDialog")
        DatabaseDialog.resize(560, 300)
        self.layout = QVBoxLayout(DatabaseDialog)
        self.layout.setObjectName(u"layout")
        self.embeddedRadio = QRadioButton(DatabaseDialog)
        self.embeddedRadio.setObjectName(u"embeddedRadio")
        self.embeddedRadio.setChecked(True)

        self.layout.addWidget(self.embeddedRadio)

        self.sharedRadio = QRadioButton(DatabaseDialog)
        self.sharedRadio.setObjectName(u"sharedRadio")

        self.layout.addWidget(self.sharedRadio)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.urlLabel = QLabel(DatabaseDialog)
        self.urlLabel.setObjectName(u"urlLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.urlLabel)

        self.urlEdit = QLineEdit(DatabaseDialog)
        self.urlEdit.setObjectName(u"urlEdit")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.urlEdit)

        self.rememberCheck = QCheckBox(DatabaseDialog)
        self.rememberCheck.setObjectName(u"rememberCheck")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.rememberCheck)


        self.layout.addLayout(self.form)

        self.resultLabel = QLabel(DatabaseDialog)
        self.resultLabel.setObjectName(u"resultLabel")
        self.resultLabel.setWordWrap(True)

        self.layout.addWidget(self.resultLabel)

        self.spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.layout.addItem(self.spacer)

        self.buttons = QHBoxLayout()
        self.buttons.setObjectName(u"buttons")
        self.testButton = QPushButton(DatabaseDialog)
        self.testButton.setObjectName(u"testButton")

        self.buttons.addWidget(self.testButton)

        self.buttonBox = QDialogButtonBox(DatabaseDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.buttons.addWidget(self.buttonBox)


        self.layout.addLayout(self.buttons)

#if QT_CONFIG(shortcut)
        self.urlLabel.setBuddy(self.urlEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(DatabaseDialog)
    # setupUi

    def retranslateUi(self, DatabaseDialog):
        DatabaseDialog.setWindowTitle(QCoreApplication.translate("DatabaseDialog", u"Database for this desk", None))
        self.embeddedRadio.setText(QCoreApplication.translate("DatabaseDialog", u"&Embedded database on this computer (one desk only)", None))
        self.sharedRadio.setText(QCoreApplication.translate("DatabaseDialog", u"&Shared PostgreSQL database (the whole service)", None))
        self.urlLabel.setText(QCoreApplication.translate("DatabaseDialog", u"&Address:", None))
        self.urlEdit.setPlaceholderText(QCoreApplication.translate("DatabaseDialog", u"postgresql+psycopg://USER@HOST/DATABASE", None))
#if QT_CONFIG(accessibility)
        self.urlEdit.setAccessibleName(QCoreApplication.translate("DatabaseDialog", u"Database address", None))
#endif // QT_CONFIG(accessibility)
        self.rememberCheck.setText(QCoreApplication.translate("DatabaseDialog", u"&Remember the password in this computer's password store (keyring)", None))
        self.resultLabel.setText(QCoreApplication.translate("DatabaseDialog", u"The password is never saved in a file. PhysioLine asks for it when the server needs one.", None))
        self.testButton.setText(QCoreApplication.translate("DatabaseDialog", u"&Test connection", None))
    # retranslateUi

