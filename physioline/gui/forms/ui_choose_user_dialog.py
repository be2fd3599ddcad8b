# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'choose_user_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QLabel, QListWidget, QListWidgetItem, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_ChooseUserDialog(object):
    def setupUi(self, ChooseUserDialog):
        if not ChooseUserDialog.objectName():
            ChooseUserDialog.setObjectName(u"ChooseUserDialog")
        ChooseUserDialog.resize(460, 420)
        self.layout = QVBoxLayout(ChooseUserDialog)
        self.layout.setObjectName(u"layout")
        self.introLabel = QLabel(ChooseUserDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.layout.addWidget(self.introLabel)

        self.userList = QListWidget(ChooseUserDialog)
        self.userList.setObjectName(u"userList")

        self.layout.addWidget(self.userList)

        self.buttonBox = QDialogButtonBox(ChooseUserDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.layout.addWidget(self.buttonBox)


        self.retranslateUi(ChooseUserDialog)
    # setupUi

    def retranslateUi(self, ChooseUserDialog):
        ChooseUserDialog.setWindowTitle(QCoreApplication.translate("ChooseUserDialog", u"PhysioLine demo: who are you?", None))
        self.introLabel.setText(QCoreApplication.translate("ChooseUserDialog", u"This is the demo database: every patient is fictional. Choose the demo person you want to be. (A real service signs each person in with their own password.)", None))
#if QT_CONFIG(accessibility)
        self.userList.setAccessibleName(QCoreApplication.translate("ChooseUserDialog", u"Demo users", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

