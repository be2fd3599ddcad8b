"""Alembic environment, configured in code: the connection comes in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from physioline.db import models  # noqa: F401  (registers every table on Base.metadata)
from physioline.db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through physioline.db.schema
    raise RuntimeError("PhysioLine migrations run through `physioline db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
