"""User accounts: IT creates, disables, resets and re-roles them, login role and user row together.

On a shared PostgreSQL database each person is their own login role (SCRAM-SHA-256), a member
of exactly one group role (``physioline_<role>``); the login and the ``app_user`` row change in
one transaction, run by a system administrator's own login using the CREATEROLE that only the
``physioline_system_admin`` group holds. The password never reaches the server as text: libpq
computes the SCRAM verifier here. On the embedded SQLite database users are rows with argon2id
hashes. Every change is audited; passwords are never logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from physioline.core.referral import Role, Sex
from physioline.db.models import User
from physioline.db.uow import UnitOfWork
from physioline.errors import Conflict, InvalidInput, NotFound, NotPermitted
from physioline.services.desk import Desk
from physioline.services.identity import MIN_PASSWORD_LENGTH, PASSWORD_RESET, hash_password

log = logging.getLogger(__name__)

#: The PostgreSQL group role of each PhysioLine role.
GROUP_ROLES = {role: f"physioline_{role.value}" for role in Role}
USERNAME = re.compile(r"[a-z][a-z0-9_.]{1,62}")
_ACTION = "manage user accounts"


@dataclass(frozen=True)
class AccountChange:
    """What an account command did."""

    user_id: int
    username: str
    message: str


def _check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME.fullmatch(username) or username.startswith(("pg_", "physioline")):
        raise InvalidInput(
            f"'{username}' cannot be a user name.",
            "Use 2 to 63 lower-case letters, digits, dots or underscores, starting with a "
            "letter (for example priya.shah).",
        )
    return username


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            "A few unrelated words make a long password that is easy to type.",
        )


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(f"'{value}' is not a role.", f"Use one of: {names}.") from None


def _scram_verifier(uow: UnitOfWork, username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed by libpq on this desk."""
    driver: Any = uow.session.connection().connection.dbapi_connection
    verifier: bytes = driver.pgconn.encrypt_password(
        password.encode("utf-8"), username.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def _ddl(uow: UnitOfWork, template: str, *identifiers: str, literal: str | None = None) -> None:
    """Run one role command with safely quoted identifiers (and one quoted literal)."""
    from psycopg import sql

    parts: dict[str, Any] = {f"i{n}": sql.Identifier(v) for n, v in enumerate(identifiers)}
    if literal is not None:
        parts["literal"] = sql.Literal(literal)
    driver: Any = uow.session.connection().connection.dbapi_connection
    text = sql.SQL(template).format(**parts).as_string(driver)
    uow.session.connection().exec_driver_sql(text)


def _as_system_admin(uow: UnitOfWork) -> None:
    # Role attributes such as CREATEROLE are not inherited: use the group role for this
    # transaction only. The session user (who is audited) stays the person's own login.
    uow.session.execute(sa.text("SET LOCAL ROLE physioline_system_admin"))


def _managed_login(uow: UnitOfWork, username: str) -> None:
    """Refuse to touch a login that is not a PhysioLine user (the schema owner, a superuser)."""
    row = uow.session.execute(
        sa.text(
            "SELECT r.rolsuper, EXISTS (SELECT 1 FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid "
            "AND g.rolname LIKE 'physioline\\_%') FROM pg_roles r WHERE r.rolname = :u"
        ),
        {"u": username},
    ).first()
    if row is None:
        raise NotFound(f"There is no database login called {username}.")
    if row[0] or not row[1]:
        raise NotPermitted(
            f"{username} is not a PhysioLine user's login; it is not changed here.",
            "The schema owner and superusers are managed by the database administrator.",
        )


def _user(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalar(sa.select(User).where(User.username == username).with_for_update())
    if user is None:
        raise NotFound(f"There is no PhysioLine user called {username}.")
    return user


def create_user(
    desk: Desk,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    password: str,
    profession: str = "",
    registration_number: str | None = None,
) -> AccountChange:
    """Create a person's account: on PostgreSQL their login role in their role's group too.

    Raises:
        NotPermitted: only a system administrator manages accounts.
        InvalidInput: a bad user name, a blank name, an unknown role or a short password.
        Conflict: the user name (or the database login) is taken.
    """
    desk.require(Role.SYSTEM_ADMIN, action=_ACTION)
    username = _check_username(username)
    display_name = display_name.strip()
    if not display_name:
        raise InvalidInput("Give the person's name as it should appear on letters and screens.")
    role = _role(role)
    _check_password(password)
    with desk.uow() as uow:
        session = uow.session
        if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"The user name {username} is taken.", "Choose another.")
        on_server = not desk.db.is_sqlite
        if on_server:
            taken = session.scalar(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": username}
            )
            if taken:
                raise Conflict(f"The database already has a login called {username}.",
                               "Choose another user name.")  # fmt: skip
            _as_system_admin(uow)
            _ddl(uow, "CREATE ROLE {i0} LOGIN PASSWORD {literal} IN ROLE {i1}", username,
                 GROUP_ROLES[role], literal=_scram_verifier(uow, username, password))  # fmt: skip
        user = User(
            username=username, display_name=display_name, role=role, profession=profession,
            registration_number=registration_number or None, sex=Sex.UNKNOWN, languages=[],
            calls_per_session=6 if role in (Role.PHYSIO, Role.TEAM_LEAD) else 0,
            password_hash=None if on_server else hash_password(password),
            active=True, created_at=uow.now(),
        )  # fmt: skip
        session.add(user)
        session.flush()
        uow.audit("user.create", "user", user.id, details={"role": role.value})
        uow.commit()
    log.info("user %s created with role %s", user.id, role.value)
    return AccountChange(user.id, username, f"{username} can now sign in as {role.value}.")


def disable_user(desk: Desk, username: str) -> AccountChange:
    """Stop a person signing in: the login role loses LOGIN and the account is inactive.

    Their records and audit rows stay. A session already open goes on until it ends.

    Raises:
        NotPermitted: not a system administrator, or the account is your own.
        NotFound: no such user.
    """
    actor = desk.require(Role.SYSTEM_ADMIN, action=_ACTION)
    username = username.strip()
    if username == actor.username:
        raise NotPermitted("You cannot disable your own account.", "Ask another administrator.")
    with desk.uow() as uow:
        user = _user(uow, username)
        if not desk.db.is_sqlite:
            _managed_login(uow, username)
            _as_system_admin(uow)
            _ddl(uow, "ALTER ROLE {i0} NOLOGIN", username)
        user.active = False
        uow.audit("user.disable", "user", user.id)
        uow.commit()
    log.info("user %s disabled", user.id)
    return AccountChange(user.id, username, f"{username} can no longer sign in.")


def reset_password(desk: Desk, username: str, password: str) -> AccountChange:
    """Give a person a new password (and let a disabled account sign in again).

    Raises:
        NotPermitted: not a system administrator.
        NotFound: no such user.
        InvalidInput: a short password.
    """
    desk.require(Role.SYSTEM_ADMIN, action=_ACTION)
    username = username.strip()
    _check_password(password)
    with desk.uow() as uow:
        user = _user(uow, username)
        if desk.db.is_sqlite:
            user.password_hash = hash_password(password)
        else:
            _managed_login(uow, username)
            _as_system_admin(uow)
            _ddl(uow, "ALTER ROLE {i0} LOGIN PASSWORD {literal}", username,
                 literal=_scram_verifier(uow, username, password))  # fmt: skip
        user.active = True
        uow.audit(PASSWORD_RESET, "user", user.id)
        uow.commit()
    log.info("password of user %s reset", user.id)
    return AccountChange(user.id, username, f"{username} has a new password.")


def set_role(desk: Desk, username: str, role: Role | str) -> AccountChange:
    """Change a person's role: on PostgreSQL they leave their group role and join the new one.

    Raises:
        NotPermitted: not a system administrator, or the account is your own.
        NotFound: no such user.
        InvalidInput: an unknown role.
    """
    actor = desk.require(Role.SYSTEM_ADMIN, action=_ACTION)
    role = _role(role)
    username = username.strip()
    if username == actor.username:
        raise NotPermitted("You cannot change your own role.", "Ask another administrator.")
    with desk.uow() as uow:
        user = _user(uow, username)
        previous = user.role
        if not desk.db.is_sqlite:
            _managed_login(uow, username)
            _as_system_admin(uow)
            groups = uow.session.scalars(
                sa.text(
                    "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                    "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :u"
                ),
                {"u": username},
            ).all()
            for group in groups:
                if group in GROUP_ROLES.values():
                    _ddl(uow, "REVOKE {i0} FROM {i1}", group, username)
            _ddl(uow, "GRANT {i0} TO {i1}", GROUP_ROLES[role], username)
        user.role = role
        uow.audit("user.set_role", "user", user.id,
                  details={"from": previous.value, "to": role.value})  # fmt: skip
        uow.commit()
    log.info("role of user %s changed", user.id)
    return AccountChange(user.id, username, f"{username} is now {role.value}.")
