"""A shared database's password: from the keyring, or asked for (saying why), never in a file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from physioline import credentials
from physioline.db.engine import parse_url
from physioline.errors import DatabaseUnavailable
from physioline.services.startup import choose_database, connect, database_location
from physioline.settings import DeskSettings, load_settings, save_settings, settings_path
from tests.fixtures.databases import in_ci
from tests.fixtures.postgres import NoPostgres, ThrowawayCluster

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def scram_cluster() -> Iterator[ThrowawayCluster]:
    """A cluster whose logins need a password (SCRAM-SHA-256)."""
    try:
        cluster = ThrowawayCluster.start(port=55329 + os.getpid() % 500, password=PASSWORD)
    except NoPostgres as exc:
        if in_ci():
            pytest.fail(f"PostgreSQL tests must run in CI: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield cluster
    cluster.stop()


def _location(cluster: ThrowawayCluster) -> str:
    return database_location(parse_url(cluster.url()))


def test_password_from_the_keyring_is_used(scram_cluster: ThrowawayCluster) -> None:
    credentials.store_password("root", _location(scram_cluster), PASSWORD)
    asked: list[str] = []
    db = connect(choose_database(scram_cluster.url(), demo=False),
                 ask_password=lambda user, why: asked.append(why) or None)  # fmt: skip
    try:
        assert asked == []
        assert db.url.password == PASSWORD
    finally:
        db.dispose()


def test_without_a_keyring_the_app_asks_and_says_why(
    scram_cluster: ThrowawayCluster,
) -> None:
    keyring.set_keyring(NoKeyring())
    reasons: list[str] = []

    def ask(user: str, why: str) -> str:
        reasons.append(why)
        return PASSWORD

    db = connect(choose_database(scram_cluster.url(), demo=False), ask_password=ask,
                 remember=lambda: True)  # fmt: skip
    db.dispose()
    assert len(reasons) == 1
    assert "no password store" in reasons[0]
    assert "root" in reasons[0]


def test_a_typed_password_is_remembered_only_in_the_keyring(
    scram_cluster: ThrowawayCluster, physioline_home: Path
) -> None:
    db = connect(choose_database(scram_cluster.url(), demo=False),
                 ask_password=lambda user, why: PASSWORD, remember=lambda: True)  # fmt: skip
    db.dispose()
    assert credentials.get_password("root", _location(scram_cluster)) == PASSWORD
    save_settings(DeskSettings(database_url=scram_cluster.url()))
    assert PASSWORD not in settings_path().read_text()
    assert load_settings().database_url == scram_cluster.url()
    for log in physioline_home.rglob("*.log"):
        assert PASSWORD not in log.read_text()


def test_wrong_password_is_a_clear_refusal(scram_cluster: ThrowawayCluster) -> None:
    with pytest.raises(DatabaseUnavailable, match="refused the sign-in for root"):
        connect(choose_database(scram_cluster.url(), demo=False),
                ask_password=lambda user, why: "wrong")  # fmt: skip


def test_no_password_and_no_way_to_ask_says_what_to_do(scram_cluster: ThrowawayCluster) -> None:
    with pytest.raises(DatabaseUnavailable, match="wants a password"):
        connect(choose_database(scram_cluster.url(), demo=False), ask_password=None)


def test_settings_refuse_a_url_with_a_password(scram_cluster: ThrowawayCluster) -> None:
    from physioline.errors import InvalidInput

    url = scram_cluster.url().replace("root@", f"root:{PASSWORD.replace(' ', '%20')}@")
    with pytest.raises(InvalidInput, match="cannot be saved"):
        save_settings(DeskSettings(database_url=url))
