"""Personal sign-in on the embedded database: argon2id password hashes, slowed after failures.

On a shared PostgreSQL database the server checks each person's own login role and password
(see ``services.startup``); here, on one desk's SQLite file, users are rows with argon2id
hashes (OWASP parameters). Failed sign-ins are audited, and after five in a row the account
waits before the next try. No default account ships: the first start creates an administrator.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from physioline.clock import Clock
from physioline.core.referral import Role, Sex
from physioline.db.driver import ReadSource
from physioline.db.engine import Database
from physioline.db.tables import app_user, audit_event
from physioline.db.uow import Actor, UnitOfWork
from physioline.errors import InvalidInput, NotPermitted

log = logging.getLogger(__name__)

#: Consecutive failures after which the account must wait before another try.
FAILURES_BEFORE_WAIT = 5
#: The first wait; it doubles with every further failure, up to MAX_WAIT.
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

SIGN_IN = "auth.sign_in"
SIGN_IN_FAILED = "auth.sign_in_failed"
SIGN_OUT = "auth.sign_out"
#: Written by services.admin.reset_password: a new password starts the failure count again.
PASSWORD_RESET = "user.reset_password"  # noqa: S105 - an audit action name


def password_hasher() -> object:
    """argon2id with OWASP's recommended parameters (19 MiB, 2 iterations, 1 lane)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    """An argon2id hash of a new password.

    Raises:
        InvalidInput: shorter than MIN_PASSWORD_LENGTH characters.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            "A few unrelated words make a long password that is easy to type.",
        )
    hashed: str = password_hasher().hash(password)  # type: ignore[attr-defined]
    return hashed


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(password_hasher().verify(stored, password))  # type: ignore[attr-defined]
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class FailureState:
    """Consecutive failed sign-ins of one account and when it may try again."""

    consecutive: int
    retry_after: datetime | None


def failure_state(session: ReadSource, user_id: int, now: datetime) -> FailureState:
    """Count failures since the last successful sign-in (or password reset), from the audit."""
    event = audit_event.c
    last_ok = session.scalar(
        sa.select(sa.func.max(event.id)).where(
            event.action.in_((SIGN_IN, PASSWORD_RESET)), event.entity_id == str(user_id)
        )
    )
    failures = session.execute(
        sa.select(event.occurred_at)
        .where(event.action == SIGN_IN_FAILED, event.entity_id == str(user_id))
        .where(event.id > (last_ok or 0))
        .order_by(event.id)
    ).scalars().all()  # fmt: skip
    count = len(failures)
    if count < FAILURES_BEFORE_WAIT:
        return FailureState(count, None)
    wait = min(FIRST_WAIT * 2 ** (count - FAILURES_BEFORE_WAIT), MAX_WAIT)
    retry = failures[-1] + wait
    return FailureState(count, retry if retry > now else None)


def sign_in(db: Database, clock: Clock, username: str, password: str) -> Actor:
    """Check a person's password on the embedded database and return who they are.

    Raises:
        NotPermitted: wrong user name or password (one message for both), a disabled
            account, or an account waiting after repeated failures (says how long).
    """
    wrong = NotPermitted(
        "The user name or password is not right.",
        "Check Caps Lock and try again; after five failures the account waits before the next.",
    )
    with UnitOfWork(db, clock, None) as uow:
        connection = uow.connection()
        account = app_user.c
        user = connection.execute(
            sa.select(account.id, account.username, account.display_name, account.role,
                      account.active, account.password_hash)
            .where(account.username == username.strip())
        ).first()  # fmt: skip
        if user is None:
            log.info("sign-in failed for an unknown user name")
            raise wrong
        now = uow.now()
        state = failure_state(connection, user.id, now)
        if state.retry_after is not None:
            seconds = int((state.retry_after - now).total_seconds()) + 1
            raise NotPermitted(
                f"Too many failed sign-ins for {user.username}: wait {seconds} seconds.",
                "If you have forgotten your password, ask IT to reset it.",
            )
        if not user.active:
            uow.audit(SIGN_IN_FAILED, "user", user.id, details={"reason": "disabled"})
            uow.commit()
            raise NotPermitted(f"The account {user.username} is disabled.", "Ask IT to enable it.")
        if not user.password_hash or not _verify(user.password_hash, password):
            uow.audit(SIGN_IN_FAILED, "user", user.id, details={"reason": "password"})
            uow.commit()
            log.info("sign-in failed for user %s", user.id)
            raise wrong
        actor = Actor(user.id, user.username, user.display_name, user.role)
        uow.actor = actor
        uow.audit(SIGN_IN, "user", user.id)
        uow.commit()
        log.info("user %s signed in", user.id)
        return actor


def check_password(db: Database, clock: Clock, actor: Actor, password: str) -> bool:
    """Whether ``password`` is the signed-in person's (unlocking the screen); failures audited.

    An account with a stored argon2id hash (the embedded database, the demo) is checked against
    it; a PostgreSQL login role is checked by the server, by opening one connection as it.
    """
    with db.read_connection() as connection:
        account = app_user.c
        stored = connection.scalar(
            sa.select(account.password_hash).where(account.id == actor.user_id)
        )
    if stored:  # an embedded (or demo) account: its own argon2id hash
        ok = _verify(stored, password)
    elif db.is_sqlite:
        ok = False
    else:  # a PostgreSQL login role: the server checks the password
        ok = _server_accepts(db, actor.username, password)
    with UnitOfWork(db, clock, actor) as uow:
        uow.audit("auth.unlock" if ok else "auth.unlock_failed", "user", actor.user_id)
        uow.commit()
        return ok


def _server_accepts(db: Database, username: str, password: str) -> bool:
    from physioline.db.engine import open_database

    probe = open_database(db.url.set(username=username, password=password), pool_size=1)
    try:
        with probe.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        probe.dispose()


def record_lock(db: Database, clock: Clock, actor: Actor) -> None:
    """Audit that the screen was locked."""
    with UnitOfWork(db, clock, actor) as uow:
        uow.audit("auth.lock", "user", actor.user_id)
        uow.commit()


def record_sign_out(db: Database, clock: Clock, actor: Actor) -> None:
    """Audit a sign-out."""
    with UnitOfWork(db, clock, actor) as uow:
        uow.audit(SIGN_OUT, "user", actor.user_id)
        uow.commit()


def has_users(db: Database) -> bool:
    """Whether any account exists (a fresh embedded database asks for its first admin)."""
    with db.read_connection() as connection:
        return bool(connection.scalar(sa.select(sa.func.count()).select_from(app_user)))


def create_first_admin(
    db: Database, clock: Clock, *, username: str, display_name: str, password: str
) -> Actor:
    """Create the first account of an empty embedded database: a system administrator.

    Raises:
        NotPermitted: the database already has accounts.
        InvalidInput: a blank name or a short password.
    """
    username, display_name = username.strip(), display_name.strip()
    if not username or not display_name:
        raise InvalidInput("Give a user name and the person's name.")
    password_hash = hash_password(password)
    with UnitOfWork(db, clock, None) as uow:
        connection = uow.connection()
        if connection.scalar(sa.select(sa.func.count()).select_from(app_user)):
            raise NotPermitted("This database already has accounts; sign in instead.")
        inserted = connection.execute(sa.insert(app_user).values(
            username=username, display_name=display_name, role=Role.SYSTEM_ADMIN,
            profession="IT", sex=Sex.UNKNOWN, languages=[], calls_per_session=0,
            password_hash=password_hash, active=True, created_at=uow.now(),
        ))  # fmt: skip
        key = inserted.inserted_primary_key
        assert key is not None  # noqa: S101 - an INSERT of one row always has its key
        user_id = int(key[0])
        actor = Actor(user_id, username, display_name, Role.SYSTEM_ADMIN)
        uow.actor = actor
        uow.audit("user.create_first_admin", "user", user_id)
        uow.commit()
        return actor
