"""Alembic environment, configured in code: the connection comes in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from physioline.db import models  # noqa: F401  (registers every table on Base.metadata)
from physioline.db.base import Base
from physioline.db.models import SLOT_OVERLAP_GUARD

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through physioline.db.schema
    raise RuntimeError("PhysioLine migrations run through `physioline db upgrade`.")


def _compared(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave out of ``alembic check`` what autogenerate cannot compare.

    The guard against overlapping slots of one clinician (migration 0003) is an exclusion
    constraint on PostgreSQL and triggers on SQLite: the models cannot declare either portably,
    and autogenerate compares neither (SQLAlchemy 2.1 reflects neither today; if a later one
    reflects the constraint's gist index, it must not show up as drift to drop). The migration
    and tests/integration/db/test_slot_overlap.py own them instead.
    """
    return name not in SLOT_OVERLAP_GUARD


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=_compared,
)
with context.begin_transaction():
    context.run_migrations()
