"""The app starts on the demo database from a process, and `pip install .` gives a working app."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_demo_smoke_test_paints_the_worklist(tmp_path: Path) -> None:
    env = {**os.environ, "PHYSIOLINE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(2):  # first run builds the demo database, the second reuses it
        out = subprocess.run(
            [sys.executable, "-m", "physioline", "--demo", "--smoke-test", "--as", "priya"],
            capture_output=True, text=True, env=env, timeout=180, check=False,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        lines = out.stdout.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("startup_s=")
        assert float(lines[0].split("=")[1]) > 0
    assert (tmp_path / "data" / "physioline-demo.sqlite3").stat().st_mode & 0o077 == 0

    # What was imported by the time the worklist first painted (issue 4: no Alembic, keyring,
    # ReportLab or protocol loading before the first paint; the call, booking and team areas
    # load just after it), and in what order SQLAlchemy and PySide6 came in.
    probe = (
        "import sys\n"
        "import physioline.gui.app as app\n"
        "age = app.process_age_s\n"
        "def at_paint():\n"
        "    print('MODULES', ' '.join(sys.modules))\n"
        "    return age()\n"
        "app.process_age_s = at_paint\n"
        "from physioline.cli import main\n"
        "sys.exit(main(['--demo', '--smoke-test', '--as', 'priya']))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                         timeout=180, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr
    modules = next(x for x in out.stdout.splitlines() if x.startswith("MODULES ")).split()[1:]
    roots = {m.split(".")[0] for m in modules}
    for heavy in ("alembic", "keyring", "reportlab", "yaml", "jsonschema", "argon2"):
        assert heavy not in roots, f"{heavy} imported before the first paint"
    # Sign-in and the first page run on Core: the ORM, its mapped classes and the PostgreSQL
    # dialect (which the partial indexes' postgresql_where would load) come after the paint.
    for orm in ("sqlalchemy.orm", "physioline.db.models", "sqlalchemy.dialects.postgresql"):
        assert orm not in modules, f"{orm} imported before the first paint"
    areas = ("assessment_window", "booking_panel", "print_queue", "teamlead", "dashboard",
             "rota_dialog", "clinic_calendar", "audit_viewer")  # fmt: skip
    for area in areas:
        assert f"physioline.gui.{area}" not in modules, f"{area} loaded before the first paint"
    # PySide6's import hook reads the source of every module imported after it: the Qt-free
    # layers come first (physioline/gui/__init__.py).
    first_qt = modules.index("PySide6.QtCore")
    layers = ("sqlalchemy.sql", "sqlalchemy.dialects.sqlite", "physioline.db.tables",
              "physioline.services.queries")  # fmt: skip
    for layer in layers:
        assert modules.index(layer) < first_qt, f"{layer} imported after PySide6"


def test_smoke_test_refuses_as_on_a_database_not_marked_demo(tmp_path: Path) -> None:
    env = {**os.environ, "PHYSIOLINE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    url = f"sqlite:///{tmp_path}/real.db"
    out = subprocess.run(
        [sys.executable, "-m", "physioline", "--database", url, "--smoke-test", "--as", "priya"],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )  # fmt: skip
    assert out.returncode == 6
    assert "only allowed on the demo database" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.slow
def test_pip_install_gives_a_working_app_outside_the_checkout(tmp_path: Path) -> None:
    """Build the wheel, install it (not editable) into a fresh venv, run it from elsewhere.

    The fresh venv reuses this environment's third-party packages through a .pth file, so the
    test checks our wheel (entry point, data folders, migrations) without downloading Qt.
    """
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, timeout=300)  # fmt: skip
    wheel = next(wheels.glob("physioline-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run([str(python), "-c", purelib], capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip
    (Path(site) / "host_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["PHYSIOLINE_HOME"] = str(tmp_path / "home")
    physioline = venv / "bin" / "physioline"
    version = subprocess.run([str(physioline), "--version"], capture_output=True, text=True,
                             cwd=elsewhere, env=env, check=True)  # fmt: skip
    assert version.stdout.strip() == "physioline 0.1.0"
    upgrade = subprocess.run([str(physioline), "db", "upgrade", "--database", "sqlite:///x.db"],
                             capture_output=True, text=True, cwd=elsewhere, env=env,
                             check=False)  # fmt: skip
    assert upgrade.returncode == 0, upgrade.stderr
    assert (elsewhere / "x.db").exists()
    where = subprocess.run(
        [str(python), "-c", "import physioline.paths as p; print(p.data_root())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    )  # fmt: skip
    assert str(ROOT) not in where.stdout, "the installed app must use its own data folders"
    assert "_data" in where.stdout
    check = subprocess.run([str(physioline), "protocols", "check"], capture_output=True,
                           text=True, cwd=elsewhere, env=env, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    smoke = subprocess.run(
        [str(physioline), "--demo", "--smoke-test", "--as", "priya"], capture_output=True,
        text=True, cwd=elsewhere, env={**env, "QT_QPA_PLATFORM": "offscreen"}, timeout=180,
        check=False,
    )  # fmt: skip
    assert smoke.returncode == 0, smoke.stderr
    assert smoke.stdout.startswith("startup_s=")
