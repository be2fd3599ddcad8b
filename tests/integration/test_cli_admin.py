"""`physioline admin`: IT manages accounts; passwords are typed or piped, never in argv or logs.

On PostgreSQL the commands run on a SCRAM-only cluster as IT's own login, and the accounts
they make are proved by signing in with them: the login role and the user row change together.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from physioline import credentials
from physioline.cli import main
from physioline.clock import FrozenClock
from physioline.db import schema
from physioline.db.engine import open_database, parse_url
from physioline.errors import DatabaseUnavailable, NotPermitted
from physioline.services import identity
from physioline.services.startup import choose_database, database_location, sign_in_shared
from tests.fixtures.databases import DEMO_NOW, in_ci
from tests.fixtures.postgres import NoPostgres, ThrowawayCluster

ADMIN_PASSWORD = "it admin's own long password"
NEW_PASSWORD = "nadia's first long password"
OWNER_PASSWORD = "schema owner password"


def run(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], *, stdin: str = "", typed: str = ""
) -> int:
    """Run the CLI with ``stdin`` piped in and ``typed`` answering any getpass prompt."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": typed)
    return main(argv)


def no_password_in_logs(home: Path, *passwords: str) -> None:
    for log in home.rglob("*.log*"):
        text = log.read_text(errors="replace")
        for password in passwords:
            assert password not in text


# --- the embedded database -------------------------------------------------------------------


@pytest.fixture
def embedded(tmp_path: Path) -> str:
    """An embedded database whose first administrator is 'it'."""
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    db = open_database(url)
    schema.upgrade(db)
    identity.create_first_admin(db, FrozenClock(DEMO_NOW), username="it",
                                display_name="Alex IT", password=ADMIN_PASSWORD)  # fmt: skip
    db.dispose()
    return url


def test_it_creates_disables_and_resets_an_account_on_the_embedded_database(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    embedded: str,
    physioline_home: Path,
) -> None:
    common = ["--database", embedded, "--as", "it"]
    assert run(monkeypatch, ["admin", "create-user", "nadia", "--name", "Nadia Ali", "--role",
                             "physio", "--password-stdin", *common],
               stdin=NEW_PASSWORD + "\n", typed=ADMIN_PASSWORD) == 0  # fmt: skip
    assert "nadia can now sign in as physio" in capsys.readouterr().out
    db = open_database(embedded)
    clock = FrozenClock(DEMO_NOW)
    try:
        assert identity.sign_in(db, clock, "nadia", NEW_PASSWORD).role.value == "physio"
        assert run(monkeypatch, ["admin", "disable-user", "nadia", *common],
                   typed=ADMIN_PASSWORD) == 0  # fmt: skip
        with pytest.raises(NotPermitted, match="disabled"):
            identity.sign_in(db, clock, "nadia", NEW_PASSWORD)
        assert run(monkeypatch, ["admin", "reset-password", "nadia", "--password-stdin", *common],
                   stdin="another long password\n", typed=ADMIN_PASSWORD) == 0  # fmt: skip
        assert identity.sign_in(db, clock, "nadia", "another long password").username == "nadia"
        assert run(monkeypatch, ["admin", "set-role", "nadia", "team_lead", *common],
                   typed=ADMIN_PASSWORD) == 0  # fmt: skip
        assert identity.sign_in(db, clock, "nadia", "another long password").role.value == (
            "team_lead"
        )
    finally:
        db.dispose()
    no_password_in_logs(physioline_home, NEW_PASSWORD, ADMIN_PASSWORD, "another long password")


def test_a_wrong_admin_password_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], embedded: str
) -> None:
    status = run(monkeypatch, ["admin", "create-user", "nadia", "--name", "Nadia", "--role",
                               "physio", "--password-stdin", "--database", embedded, "--as",
                               "it"], stdin=NEW_PASSWORD + "\n", typed="wrong")  # fmt: skip
    assert status == 6
    assert "not right" in capsys.readouterr().err
    db = open_database(embedded)
    try:
        with db.sessions() as session:
            names = session.scalars(sa.text("SELECT username FROM app_user")).all()
        assert names == ["it"]
    finally:
        db.dispose()


def test_only_it_manages_accounts_and_bad_input_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    create = ["admin", "create-user", "nadia", "--name", "Nadia", "--role", "physio",
              "--password-stdin", "--demo"]  # fmt: skip
    assert run(monkeypatch, [*create, "--as", "priya"], stdin=NEW_PASSWORD) == 6
    assert "may not manage user accounts" in capsys.readouterr().err
    assert run(monkeypatch, [*create, "--as", "alex"], stdin="short\n") == 2
    assert "at least 10 characters" in capsys.readouterr().err
    assert run(monkeypatch, [*create, "--as", "alex"], stdin="") == 2
    assert "No password was given" in capsys.readouterr().err
    assert run(monkeypatch, ["admin", "create-user", "Bad Name!", "--name", "X", "--role",
                             "physio", "--password-stdin", "--demo", "--as", "alex"],
               stdin=NEW_PASSWORD) == 2  # fmt: skip
    assert "cannot be a user name" in capsys.readouterr().err
    assert run(monkeypatch, ["admin", "disable-user", "alex", "--demo", "--as", "alex"]) == 6
    assert "your own account" in capsys.readouterr().err
    assert run(monkeypatch, ["admin", "create-user", "nadia", "--name", "Nadia", "--role",
                             "physio", "--demo", "--as", "alex"]) == 2  # fmt: skip
    assert "--password-stdin" in capsys.readouterr().err  # no terminal to type it on


# --- PostgreSQL: personal SCRAM logins --------------------------------------------------------


@pytest.fixture(scope="module")
def scram() -> Iterator[ThrowawayCluster]:
    """A SCRAM-only cluster with a migrated database and IT's own login 'alex'."""
    try:
        cluster = ThrowawayCluster.start(port=56329 + os.getpid() % 500, password=OWNER_PASSWORD)
    except NoPostgres as exc:
        if in_ci():
            pytest.fail(f"PostgreSQL tests must run in CI: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    owner_url = parse_url(cluster.url()).set(password=OWNER_PASSWORD)
    engine = sa.create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE physioline")
    engine.dispose()
    db = open_database(owner_url.set(database="physioline"))
    schema.upgrade(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE ROLE alex LOGIN PASSWORD '{ADMIN_PASSWORD.replace(chr(39), chr(39) * 2)}' "
            "IN ROLE physioline_system_admin"
        )
        conn.exec_driver_sql(
            "INSERT INTO app_user (username, display_name, role, profession, sex, languages, "
            "calls_per_session, active, created_at) VALUES ('alex', 'Alex Kim', 'system_admin', "
            "'IT', 'unknown', '[]', 0, true, now())"
        )
    db.dispose()
    yield cluster
    cluster.stop()


def _url(cluster: ThrowawayCluster, user: str) -> str:
    return cluster.url("physioline", user=user)


@pytest.mark.postgres
def test_it_manages_personal_logins_on_postgresql(
    scram: ThrowawayCluster, monkeypatch: pytest.MonkeyPatch, physioline_home: Path
) -> None:
    alex = _url(scram, "alex")
    credentials.store_password("alex", database_location(parse_url(alex)), ADMIN_PASSWORD)
    choice = choose_database(_url(scram, "nadia"), demo=False)
    assert run(monkeypatch, ["admin", "create-user", "nadia", "--name", "Nadia Ali", "--role",
                             "physio", "--password-stdin", "--database", alex],
               stdin=NEW_PASSWORD + "\n") == 0  # fmt: skip
    db, actor = sign_in_shared(choice, "nadia", NEW_PASSWORD)  # the server checks her password
    db.dispose()
    assert (actor.username, actor.role.value) == ("nadia", "physio")

    assert run(monkeypatch, ["admin", "disable-user", "nadia", "--database", alex]) == 0
    with pytest.raises(DatabaseUnavailable):
        sign_in_shared(choice, "nadia", NEW_PASSWORD)

    assert run(monkeypatch, ["admin", "reset-password", "nadia", "--password-stdin",
                             "--database", alex], stdin="a brand new password\n") == 0  # fmt: skip
    with pytest.raises(DatabaseUnavailable):
        sign_in_shared(choice, "nadia", NEW_PASSWORD)
    db, actor = sign_in_shared(choice, "nadia", "a brand new password")
    db.dispose()

    server_log = (scram.root / "log").read_text(errors="replace")
    for password in (NEW_PASSWORD, "a brand new password", ADMIN_PASSWORD):
        assert password not in server_log  # the server only ever saw SCRAM verifiers
    no_password_in_logs(physioline_home, NEW_PASSWORD, "a brand new password", ADMIN_PASSWORD)


@pytest.mark.postgres
def test_a_clinical_login_cannot_run_account_commands(
    scram: ThrowawayCluster, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = open_database(parse_url(scram.url("physioline")).set(password=OWNER_PASSWORD))
    with owner.engine.begin() as conn:
        conn.exec_driver_sql("CREATE ROLE kim LOGIN PASSWORD 'kims long password' "
                             "IN ROLE physioline_physio")  # fmt: skip
        conn.exec_driver_sql(
            "INSERT INTO app_user (username, display_name, role, profession, sex, languages, "
            "calls_per_session, active, created_at) VALUES ('kim', 'Kim Lee', 'physio', "
            "'Physiotherapist', 'unknown', '[]', 6, true, now())"
        )
    owner.dispose()
    kim = _url(scram, "kim")
    credentials.store_password("kim", database_location(parse_url(kim)), "kims long password")
    assert run(monkeypatch, ["admin", "create-user", "eve", "--name", "Eve", "--role",
                             "system_admin", "--password-stdin", "--database", kim],
               stdin=NEW_PASSWORD) == 6  # fmt: skip
    assert "may not manage user accounts" in capsys.readouterr().err
