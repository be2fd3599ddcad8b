"""Errors a clinician or administrator can act on: what is wrong and what to do.

Core and services raise these; the GUI shows them once through ``show_error`` and the CLI
prints ``physioline: <message>`` with the exit status below. Anything else is a defect.
"""

from __future__ import annotations


class PhysioLineError(Exception):
    """A problem the user can act on. ``message`` says what is wrong, ``hint`` what to do."""

    exit_status = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InvalidInput(PhysioLineError):
    """Input that fails validation (an answers file, a form field, an argument)."""

    exit_status = 2


class InvalidNhsNumber(InvalidInput):
    """An NHS number that is not 10 digits or fails the Modulus 11 check."""


class ProtocolFileError(InvalidInput):
    """A protocol file that cannot be loaded or fails the checker."""


class DataFolderMissing(PhysioLineError):
    """protocols/, resources/ or ui/ cannot be found where PhysioLine looks for them."""

    exit_status = 3


class DatabaseUnavailable(PhysioLineError):
    """The database cannot be reached, opened or authenticated against."""

    exit_status = 4


class SchemaTooNew(DatabaseUnavailable):
    """The database was created by a newer PhysioLine than this one."""


class SchemaTooOld(DatabaseUnavailable):
    """The database needs ``physioline db upgrade`` by its schema owner before use."""


class NotFound(PhysioLineError):
    """A referral, slot, patient or user that does not exist."""

    exit_status = 5


class NotPermitted(PhysioLineError):
    """The signed-in user's role does not allow this action (see roles.md)."""

    exit_status = 6


class Conflict(PhysioLineError):
    """Someone else changed the same record first; nothing of this action was written."""

    exit_status = 7


class StaleRecord(Conflict):
    """The record changed since this screen read it."""


class AlreadyClaimed(Conflict):
    """A colleague is already on a call with this patient."""


class SlotTaken(Conflict):
    """The slot was booked by a colleague a moment ago."""


class SecretStoreUnavailable(PhysioLineError):
    """No system keyring backend exists on this machine."""
