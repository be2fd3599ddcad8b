"""db.tables: tables are built on first use; complete() gives the whole schema."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_tables_are_built_on_first_use_and_complete_builds_the_rest() -> None:
    probe = (
        "from physioline.db import tables\n"
        "print(sorted(tables.metadata.tables))\n"
        "from physioline.db.tables import referral\n"
        "print(sorted(tables.metadata.tables), referral is tables.referral)\n"
        "tables.complete()\n"
        "print(len(tables.metadata.tables), sorted(ix.name for ix in tables.slot.indexes))\n"
        "import sys; print('sqlalchemy.orm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, check=True).stdout.splitlines()  # fmt: skip
    assert out[0] == "[]"
    assert out[1] == "['referral'] True"
    count, slot_indexes = out[2].split(" ", 1)
    assert count == "20"
    assert "ix_slot_free_type_starts_at_id" in slot_indexes
    assert out[3] == "False"  # the Core schema needs no ORM


def test_an_unknown_table_name_is_an_attribute_error() -> None:
    from physioline.db import tables

    with pytest.raises(AttributeError, match="no_such_table"):
        _ = tables.no_such_table
