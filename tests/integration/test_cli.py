"""The `physioline` command: cheap start, headless without Qt, clear messages for bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from physioline.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "physioline", *args], capture_output=True, text=True,
        cwd=cwd, env={**os.environ, **(env or {})}, timeout=120, check=False,
    )  # fmt: skip


def test_version_imports_neither_qt_nor_sqlalchemy() -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['physioline', '--version']\n"
        "try:\n    runpy.run_module('physioline', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "physioline 0.1.0" in out.stdout
    assert "LOADED []" in out.stdout


def test_starting_the_app_parses_without_loading_the_subcommands() -> None:
    """The app's own options need no subcommand module; anything else gets the full parser."""
    probe = (
        "import sys\n"
        "from physioline import cli\n"
        "args = cli._parse(['--demo', '--smoke-test', '--as', 'priya'])\n"
        "loaded = [m for m in sys.modules if m.startswith('physioline.commands.')]\n"
        "print(args.demo, args.smoke_test, args.as_user, getattr(args, 'handler', None), loaded)\n"
        "args = cli._parse(['demo', 'seed', '--referrals', '10'])\n"
        "print(args.referrals, args.handler is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, check=True)  # fmt: skip
    first, second = out.stdout.splitlines()
    assert first == "True True priya None ['physioline.commands.common']"
    assert second == "10 True"


def test_headless_commands_do_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from physioline.cli import main\n"
        f"status = main(['db', 'upgrade', '--database', 'sqlite:///{tmp_path}/x.db'])\n"
        "print('STATUS', status)\n"
        "print('QT', [m for m in sys.modules if m.startswith('PySide6')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ})  # fmt: skip
    assert "STATUS 0" in out.stdout
    assert "QT []" in out.stdout


def test_db_upgrade_then_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/desk.db"
    assert main(["db", "upgrade", "--database", url]) == 0
    assert "upgraded from empty" in capsys.readouterr().out
    assert main(["db", "upgrade", "--database", url]) == 0
    assert "already at schema" in capsys.readouterr().out
    assert main(["db", "current", "--database", url]) == 0
    assert "(current)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://someone@host/db", "SQLite or PostgreSQL, not mysql"),
        ("not a url", "is not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:9/nowhere", "Cannot reach the PostgreSQL"),
        ("sqlite:////no/such/folder/x.db", "folder for the database file"),
    ],
)
def test_bad_database_urls_get_a_clear_message_and_exit_4(
    url: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "current", "--database", url]) == 4
    err = capsys.readouterr().err
    assert err.startswith("physioline: ")
    assert expected in err
    assert "Traceback" not in err


def test_corrupt_sqlite_file_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database file at all" * 100)
    before = path.read_bytes()
    assert main(["db", "upgrade", "--database", f"sqlite:///{path}"]) == 4
    assert "damaged or is not a PhysioLine database" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_read_only_sqlite_file_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ro.db"
    assert main(["db", "upgrade", "--database", f"sqlite:///{path}"]) == 0
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)
    assert main(["db", "upgrade", "--database", f"sqlite:///{path}"]) == 4
    assert "read-only" in capsys.readouterr().err


def test_newer_database_is_refused_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    path = tmp_path / "newer.db"
    assert main(["db", "upgrade", "--database", f"sqlite:///{path}"]) == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    conn.close()
    capsys.readouterr()
    assert main(["db", "upgrade", "--database", f"sqlite:///{path}"]) == 4
    assert "newer version of PhysioLine" in capsys.readouterr().err


def test_missing_data_folder_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from physioline import paths
    from physioline.errors import DataFolderMissing

    monkeypatch.setattr(paths, "_candidate_roots", lambda: [tmp_path / "nowhere"])
    with pytest.raises(DataFolderMissing, match="were not found; looked in"):
        paths.protocols_dir()


def test_resource_paths_cannot_escape_resources() -> None:
    from physioline.paths import resource

    with pytest.raises(ValueError, match="inside resources"):
        resource("..", "pyproject.toml")
    assert resource("demo", "clinics.csv").is_file()


def test_python_dash_m_runs_from_another_directory(tmp_path: Path) -> None:
    out = run_cli("--version", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.strip() == "physioline 0.1.0"


def test_demo_as_is_refused_on_a_database_not_marked_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/real.db"
    assert main(["db", "upgrade", "--database", url]) == 0
    from physioline.clock import SystemClock
    from physioline.db.engine import open_database
    from physioline.errors import NotPermitted
    from physioline.services.startup import sign_in_demo_user

    db = open_database(url)
    try:
        with pytest.raises(NotPermitted, match="only allowed on the demo database"):
            sign_in_demo_user(db, "priya")
    finally:
        db.dispose()
    assert SystemClock().now().tzinfo is not None
