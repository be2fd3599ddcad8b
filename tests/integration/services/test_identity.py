"""Sign-in on the embedded database: argon2id, one message for wrong name or password,
a wait after five failures, disabled accounts, the first administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from physioline.clock import FrozenClock
from physioline.core.referral import Role
from physioline.db.engine import Database
from physioline.db.models import AuditEvent, User
from physioline.errors import InvalidInput, NotPermitted
from physioline.services import identity
from physioline.services.demo import DEMO_PASSWORD


def test_right_password_signs_in_and_is_audited(demo_db: Database, clock: FrozenClock) -> None:
    actor = identity.sign_in(demo_db, clock, "priya", DEMO_PASSWORD)
    assert actor.username == "priya"
    assert actor.role == Role.PHYSIO
    with demo_db.sessions() as session:
        query = sa.select(AuditEvent.action).where(AuditEvent.entity_id == str(actor.user_id))
        actions = session.scalars(query).all()
    assert identity.SIGN_IN in actions


def test_wrong_password_and_unknown_user_read_the_same(
    demo_db: Database, clock: FrozenClock
) -> None:
    with pytest.raises(NotPermitted) as wrong_password:
        identity.sign_in(demo_db, clock, "priya", "not her password")
    with pytest.raises(NotPermitted) as unknown:
        identity.sign_in(demo_db, clock, "nobody", "whatever")
    assert wrong_password.value.message == unknown.value.message


def test_five_failures_make_the_account_wait(demo_db: Database, clock: FrozenClock) -> None:
    for _ in range(identity.FAILURES_BEFORE_WAIT):
        with pytest.raises(NotPermitted, match="not right"):
            identity.sign_in(demo_db, clock, "tom", "guess")
    with pytest.raises(NotPermitted, match=r"wait \d+ seconds"):
        identity.sign_in(demo_db, clock, "tom", DEMO_PASSWORD)  # even the right one waits
    clock.advance(timedelta(seconds=31))
    assert identity.sign_in(demo_db, clock, "tom", DEMO_PASSWORD).username == "tom"
    # the count starts again after a success
    with pytest.raises(NotPermitted, match="not right"):
        identity.sign_in(demo_db, clock, "tom", "guess")


def test_disabled_account_is_refused(demo_db: Database, clock: FrozenClock) -> None:
    with demo_db.sessions.begin() as session:
        session.execute(sa.update(User).where(User.username == "chloe").values(active=False))
    with pytest.raises(NotPermitted, match="disabled"):
        identity.sign_in(demo_db, clock, "chloe", DEMO_PASSWORD)


def test_first_admin_on_an_empty_database(db: Database, clock: FrozenClock) -> None:
    assert not identity.has_users(db)
    with pytest.raises(InvalidInput, match="at least 10"):
        identity.create_first_admin(db, clock, username="it", display_name="IT", password="short")
    actor = identity.create_first_admin(db, clock, username="it", display_name="Alex IT",
                                        password="correct horse battery")  # fmt: skip
    assert actor.role == Role.SYSTEM_ADMIN
    assert identity.sign_in(db, clock, "it", "correct horse battery").user_id == actor.user_id
    with db.sessions() as session:
        stored = session.scalar(sa.select(User.password_hash).where(User.id == actor.user_id))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    with pytest.raises(NotPermitted, match="already has accounts"):
        identity.create_first_admin(db, clock, username="x", display_name="X",
                                    password="another long one")  # fmt: skip


def test_unlock_checks_the_same_users_password(demo_db: Database, clock: FrozenClock) -> None:
    actor = identity.sign_in(demo_db, clock, "priya", DEMO_PASSWORD)
    assert identity.check_password(demo_db, clock, actor, DEMO_PASSWORD)
    assert not identity.check_password(demo_db, clock, actor, "wrong")
