"""Partial indexes: open referrals in due order

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:54:26.015108
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_status_due_at_id"))
        batch_op.create_index(
            "ix_referral_open_assigned_due_at_id",
            ["assigned_to_id", "due_at", "id"],
            unique=False,
            sqlite_where=sa.text("status IN ('awaiting_call', 'in_call')"),
            postgresql_where=sa.text("status IN ('awaiting_call', 'in_call')"),
        )
        batch_op.create_index(
            "ix_referral_open_due_at_id",
            ["due_at", "id"],
            unique=False,
            sqlite_where=sa.text("status IN ('awaiting_call', 'in_call')"),
            postgresql_where=sa.text("status IN ('awaiting_call', 'in_call')"),
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_referral_open_due_at_id",
            sqlite_where=sa.text("status IN ('awaiting_call', 'in_call')"),
            postgresql_where=sa.text("status IN ('awaiting_call', 'in_call')"),
        )
        batch_op.drop_index(
            "ix_referral_open_assigned_due_at_id",
            sqlite_where=sa.text("status IN ('awaiting_call', 'in_call')"),
            postgresql_where=sa.text("status IN ('awaiting_call', 'in_call')"),
        )
        batch_op.create_index(
            batch_op.f("ix_referral_status_due_at_id"), ["status", "due_at", "id"], unique=False
        )
