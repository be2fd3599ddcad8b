"""The declarative base of the ORM classes: it shares the Core tables' metadata (``db.tables``)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from physioline.db import tables
from physioline.db.tables import UTCDateTime, enum_type

__all__ = ["Base", "UTCDateTime", "enum_type"]


class Base(DeclarativeBase):
    """Base of every PhysioLine ORM class; the tables themselves are in ``db.tables``."""

    metadata = tables.metadata
