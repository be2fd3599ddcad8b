"""GUI test helpers: a desk on the demo database, signed in as a demo user."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from physioline.clock import FrozenClock
from physioline.db.engine import Database
from physioline.gui.ops import wait_for_background
from physioline.services.desk import Desk
from physioline.services.startup import sign_in_demo_user


@pytest.fixture
def make_desk(demo_db: Database, clock: FrozenClock) -> Iterator[Callable[[str], Desk]]:
    """A desk on the demo database as the named demo user; background work ends with the test."""

    def make(username: str) -> Desk:
        return Desk(db=demo_db, clock=clock, actor=sign_in_demo_user(demo_db, username))

    yield make
    wait_for_background()
