"""The one place that knows where PhysioLine's data folders and user files live.

Shipped data (protocols/, resources/, ui/) is found in a PyInstaller bundle, an installed
wheel (``physioline/_data``) or a source checkout, in that order. User data (the embedded
database, logs, settings) lives in the platform's user folders (platformdirs).
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

from physioline.errors import DataFolderMissing

APP_NAME = "PhysioLine"
_DATA_FOLDERS = ("protocols", "resources", "ui")


def _candidate_roots() -> list[Path]:
    roots: list[Path] = []
    override = os.environ.get("PHYSIOLINE_DATA_ROOT")
    if override:
        roots.append(Path(override))
    if getattr(sys, "frozen", False):  # PyInstaller bundle
        roots.append(Path(getattr(sys, "_MEIPASS", ".")) / "physioline" / "_data")
    roots.append(Path(str(files("physioline") / "_data")))  # installed wheel
    roots.append(Path(__file__).resolve().parents[1])  # source checkout
    return roots


def data_root() -> Path:
    """Folder holding protocols/, resources/ and ui/, wherever PhysioLine runs from.

    Raises:
        DataFolderMissing: none of the places looked in holds all three folders.
    """
    roots = _candidate_roots()
    for root in roots:
        if all((root / name).is_dir() for name in _DATA_FOLDERS):
            return root
    looked = ", ".join(str(r) for r in roots)
    raise DataFolderMissing(
        f"PhysioLine's data folders (protocols, resources, ui) were not found; "
        f"looked in: {looked}.",
        "Reinstall PhysioLine, or set PHYSIOLINE_DATA_ROOT to the folder that holds them.",
    )


def _data_folder(name: str) -> Path:
    folder = data_root() / name
    if not folder.is_dir():  # pragma: no cover - data_root checked it
        raise DataFolderMissing(f"The {name} folder is missing at {folder}.")
    return folder


def protocols_dir() -> Path:
    """The folder of clinical protocol files (YAML) and their schema."""
    return _data_folder("protocols")


def resources_dir() -> Path:
    """The folder of icons, letter templates, advice texts and demo-data tables."""
    return _data_folder("resources")


def ui_dir() -> Path:
    """The folder of Qt Designer forms and the stylesheet."""
    return _data_folder("ui")


def resource(*parts: str) -> Path:
    """Path of a file under resources/, refusing absolute paths and ``..``.

    Raises:
        DataFolderMissing: the file does not exist.
    """
    for part in parts:
        if Path(part).is_absolute() or ".." in Path(part).parts:
            raise ValueError(f"resource path must be relative and inside resources/: {part!r}")
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise DataFolderMissing(
            f"The resource {'/'.join(parts)} is missing at {path}.",
            "Reinstall PhysioLine or restore the file.",
        )
    return path


def user_data_dir() -> Path:
    """Per-user folder for the embedded database and drafts (created on demand)."""
    override = os.environ.get("PHYSIOLINE_HOME")
    if override:
        path = Path(override) / "data"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    """Per-user folder for settings.toml (created on demand)."""
    override = os.environ.get("PHYSIOLINE_HOME")
    if override:
        path = Path(override) / "config"
    else:
        from platformdirs import user_config_path

        path = user_config_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_log_dir() -> Path:
    """Per-user folder for log files (created on demand, owner-only)."""
    override = os.environ.get("PHYSIOLINE_HOME")
    if override:
        path = Path(override) / "logs"
    else:
        from platformdirs import user_log_path

        path = user_log_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_database_path() -> Path:
    """The embedded (single-desk) SQLite database file."""
    return user_data_dir() / "physioline.sqlite3"


def demo_database_path() -> Path:
    """The demo SQLite database file used by ``physioline --demo``."""
    return user_data_dir() / "physioline-demo.sqlite3"
