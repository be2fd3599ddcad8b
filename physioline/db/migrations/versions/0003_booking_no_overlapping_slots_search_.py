"""Booking: no overlapping slots per clinician, search by day and time, rebook history

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:40:00

* A clinician cannot have two live (free or booked) slots whose times overlap: on PostgreSQL an
  exclusion constraint over ``tstzrange(starts_at, ends_at)`` (btree_gist, a trusted extension
  since PostgreSQL 13), on SQLite triggers that refuse the insert or update. Blocked slots do
  not count, so a blocked 45-minute slot can be replaced by a 30-minute one; releasing it again
  is then refused. Together with ``uq_appointment_live_slot`` (one live appointment per slot)
  this makes an overlapping appointment for one clinician impossible whatever code writes.
* ``slot.weekday`` and ``slot.start_minute``: the Europe/London weekday and wall-clock minute of
  the start, so "Thursday afternoons" is plain SQL on both databases. Added as nullable columns:
  SQLite can add a NOT NULL column only with a default, and rebuilding ``slot`` to change that
  would fail on a database holding appointments (SQLite drops a parent table row by row, and
  foreign keys cannot be switched off inside the migration's transaction).
* ``appointment.rebooked_from_id``: the cancelled appointment a rebooking replaced.
* Indexes for the booking panel's keyset search and the clinic calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FREE = sa.text("state = 'free'")
_LONDON = ZoneInfo("Europe/London")

# The newest live slot of the clinician starting before the new one ends is the only one that
# can overlap it: live slots of one clinician never overlap each other, so ordered by start they
# are ordered by end too. One index probe on uq_slot_clinician_id_starts_at per row written.
_SQLITE_OVERLAP = """
CREATE TRIGGER {name} BEFORE {event} ON slot
WHEN NEW.state <> 'blocked' AND EXISTS (
    SELECT 1 FROM (
        SELECT s.ends_at FROM slot AS s
        WHERE s.clinician_id = NEW.clinician_id AND s.state <> 'blocked'
          AND s.starts_at < NEW.ends_at {not_self}
        ORDER BY s.starts_at DESC LIMIT 1
    ) AS latest
    WHERE latest.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'ex_slot_clinician_no_overlap: the clinician already has a slot then');
END
"""


def _backfill_wall_clock(bind: sa.Connection) -> None:
    """Fill weekday and start minute of existing slots from their UTC start."""
    slot = sa.table(
        "slot",
        sa.column("id", sa.Integer),
        sa.column("starts_at", sa.DateTime(timezone=True)),
        sa.column("weekday", sa.SmallInteger),
        sa.column("start_minute", sa.SmallInteger),
    )
    rows = bind.execute(sa.select(slot.c.id, slot.c.starts_at)).all()
    updates = []
    for slot_id, starts_at in rows:
        if isinstance(starts_at, str):  # SQLite keeps naive UTC text
            starts_at = datetime.fromisoformat(starts_at)
        if starts_at.tzinfo is None:
            starts_at = starts_at.replace(tzinfo=UTC)
        local = starts_at.astimezone(_LONDON)
        updates.append(
            {"sid": slot_id, "wd": local.weekday(), "sm": local.hour * 60 + local.minute}
        )
    if updates:
        bind.execute(
            sa.update(slot)
            .where(slot.c.id == sa.bindparam("sid"))
            .values(weekday=sa.bindparam("wd"), start_minute=sa.bindparam("sm")),
            updates,
        )


def upgrade() -> None:
    """Apply this revision."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column("slot", sa.Column("weekday", sa.SmallInteger(), nullable=True))
    op.add_column("slot", sa.Column("start_minute", sa.SmallInteger(), nullable=True))
    _backfill_wall_clock(bind)
    op.create_index(
        "ix_slot_free_type_starts_at_id",
        "slot",
        ["appointment_type", "starts_at", "id"],
        unique=False,
        sqlite_where=_FREE,
        postgresql_where=_FREE,
    )
    op.create_index("ix_slot_clinic_id_starts_at", "slot", ["clinic_id", "starts_at"])

    if sqlite:
        # SQLite adds a column with a foreign key only inline; no table rebuild needed.
        op.execute(
            "ALTER TABLE appointment ADD COLUMN rebooked_from_id INTEGER "
            "CONSTRAINT fk_appointment_rebooked_from_id_appointment REFERENCES appointment (id)"
        )
        op.execute(_SQLITE_OVERLAP.format(
            name="tr_slot_no_overlap_insert", event="INSERT", not_self=""))  # fmt: skip
        op.execute(_SQLITE_OVERLAP.format(
            name="tr_slot_no_overlap_update",
            event="UPDATE OF clinician_id, starts_at, ends_at, state",
            not_self="AND s.id <> NEW.id"))  # fmt: skip
    else:
        op.add_column("appointment", sa.Column("rebooked_from_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_appointment_rebooked_from_id_appointment",
            "appointment",
            "appointment",
            ["rebooked_from_id"],
            ["id"],
        )
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE slot ADD CONSTRAINT ex_slot_clinician_no_overlap "
            "EXCLUDE USING gist (clinician_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (state <> 'blocked')"
        )


def downgrade() -> None:
    """Revert this revision (btree_gist stays installed: other objects may use it)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tr_slot_no_overlap_update")
        op.execute("DROP TRIGGER IF EXISTS tr_slot_no_overlap_insert")
        # SQLite cannot drop a column used by a foreign key without rebuilding the table.
        with op.batch_alter_table("appointment", recreate="always") as batch_op:
            batch_op.drop_column("rebooked_from_id")
    else:
        op.execute("ALTER TABLE slot DROP CONSTRAINT ex_slot_clinician_no_overlap")
        op.drop_constraint(
            "fk_appointment_rebooked_from_id_appointment", "appointment", type_="foreignkey"
        )
        op.drop_column("appointment", "rebooked_from_id")
    op.drop_index("ix_slot_clinic_id_starts_at", table_name="slot")
    op.drop_index(
        "ix_slot_free_type_starts_at_id",
        table_name="slot",
        sqlite_where=_FREE,
        postgresql_where=_FREE,
    )
    op.drop_column("slot", "start_minute")
    op.drop_column("slot", "weekday")
