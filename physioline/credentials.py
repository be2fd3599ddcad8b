"""Credentials a person chooses to keep on their own machine, in the system keyring only.

Never in a settings file, a command line or a log. On a machine with no keyring backend
(headless Linux) every call raises ``SecretStoreUnavailable`` and the app asks instead, saying why.
"""

from __future__ import annotations

import contextlib
import logging

from physioline.errors import SecretStoreUnavailable

log = logging.getLogger(__name__)

KEYRING_SERVICE = "PhysioLine"

NO_KEYRING_REASON = (
    "This computer has no password store (system keyring), so PhysioLine cannot remember "
    "the password and will ask for it each time."
)


def _account(username: str, location: str) -> str:
    return f"{username}@{location}"


def get_password(username: str, location: str) -> str | None:
    """The stored password of ``username`` for a database ``location`` (host/db), if any.

    Raises:
        SecretStoreUnavailable: no keyring backend on this machine.
    """
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, _account(username, location))
    except keyring.errors.NoKeyringError as exc:
        raise SecretStoreUnavailable(NO_KEYRING_REASON) from exc


def store_password(username: str, location: str, password: str) -> None:
    """Keep a password in the system keyring.

    Raises:
        SecretStoreUnavailable: no keyring backend on this machine.
    """
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, _account(username, location), password)
    except keyring.errors.NoKeyringError as exc:
        raise SecretStoreUnavailable(NO_KEYRING_REASON) from exc
    log.info("stored a database credential in the system keyring")


def forget_password(username: str, location: str) -> None:
    """Remove a stored password, if there is one (no keyring: nothing to forget)."""
    import keyring
    import keyring.errors

    with contextlib.suppress(keyring.errors.PasswordDeleteError, keyring.errors.NoKeyringError):
        keyring.delete_password(KEYRING_SERVICE, _account(username, location))
