"""The desktop app: windows, dialogs and item models. The only package that imports Qt.

Import order matters for start-up time. Once PySide6 is imported, its import hook reads the
source file of every module imported after it (looking for ``from __feature__ import``), which
costs more than a tenth of a second for SQLAlchemy and our own layers. So the Qt-free modules
that the start-up path needs are imported here, before any module of this package imports
PySide6 (tests/integration/test_smoke_and_install.py keeps it so).
"""

import sqlalchemy.dialects.sqlite  # noqa: F401 - the embedded database's engine loads it at start

import physioline.db.engine
import physioline.db.uow
import physioline.services.identity
import physioline.services.live
import physioline.services.queries
import physioline.services.startup
import physioline.settings  # noqa: F401
