"""This desk's settings: which database to open. Service-wide rules live in the database.

One frozen, typed dataclass read from ``settings.toml`` in the user's config folder, with a
``schema_version``. Older files are upgraded by ordered functions after a backup copy; a file
from a newer PhysioLine is read but never written. No secret is ever stored here: database
passwords live in the system keyring (see ``physioline.credentials``).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from physioline.errors import InvalidInput
from physioline.paths import user_config_dir

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class DeskSettings:
    """Settings of this desktop installation."""

    schema_version: int = SCHEMA_VERSION
    #: Database URL without a password; empty means the embedded SQLite database.
    database_url: str = ""
    #: Minutes of inactivity before the screen locks.
    idle_lock_minutes: int = 10
    #: True when the file came from a newer PhysioLine: used as read, never written back.
    read_only: bool = False


#: Ordered upgrades: UPGRADES[n] turns a version-n mapping into version n+1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def settings_path() -> Path:
    """Where this desk's settings file lives."""
    return user_config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> DeskSettings:
    """Read the settings file, upgrading an older one (after a backup) and defaulting a missing one.

    Raises:
        InvalidInput: the file is not valid TOML or has values of the wrong type.
    """
    path = path or settings_path()
    if not path.exists():
        return DeskSettings()
    import tomllib  # only when there is a file: a desk's start-up usually has none

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"The settings file {path} is not valid TOML ({exc}).",
            "Fix or delete it; PhysioLine will start with default settings.",
        ) from exc
    version = int(raw.get("schema_version", 1))
    if version > SCHEMA_VERSION:
        log.warning("settings file is from a newer PhysioLine (v%s); not writing it", version)
        return _from_mapping(raw, read_only=True)
    if version < SCHEMA_VERSION:
        shutil.copy2(path, path.with_suffix(f".v{version}.bak"))
        while version < SCHEMA_VERSION:
            raw = UPGRADES[version](raw)
            version += 1
        raw["schema_version"] = version
        settings = _from_mapping(raw, read_only=False)
        save_settings(settings, path)
        return settings
    return _from_mapping(raw, read_only=False)


def _from_mapping(raw: dict[str, Any], *, read_only: bool) -> DeskSettings:
    database_url = raw.get("database_url", "")
    idle = raw.get("idle_lock_minutes", 10)
    if not isinstance(database_url, str) or not isinstance(idle, int) or idle < 1:
        raise InvalidInput(
            "The settings file has a wrong value for database_url or idle_lock_minutes.",
            "database_url must be text and idle_lock_minutes a whole number of minutes.",
        )
    return DeskSettings(
        schema_version=SCHEMA_VERSION,
        database_url=database_url,
        idle_lock_minutes=idle,
        read_only=read_only,
    )


def save_settings(settings: DeskSettings, path: Path | None = None) -> None:
    """Write the settings file (never when it came from a newer PhysioLine).

    Raises:
        InvalidInput: the URL carries a password, which belongs in the keyring only.
    """
    if settings.read_only:
        return
    from physioline.db.engine import parse_url  # lazy: settings load without SQLAlchemy

    if settings.database_url and parse_url(settings.database_url).password:
        raise InvalidInput(
            "A database password cannot be saved in the settings file.",
            "Leave it out of the URL; PhysioLine keeps it in the system keyring.",
        )
    path = path or settings_path()
    text = (
        f"schema_version = {SCHEMA_VERSION}\n"
        f"database_url = {_toml_string(settings.database_url)}\n"
        f"idle_lock_minutes = {settings.idle_lock_minutes}\n"
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def with_database(settings: DeskSettings, url: str) -> DeskSettings:
    """A copy of ``settings`` pointing at another database."""
    return replace(settings, database_url=url)
