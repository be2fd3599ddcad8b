"""The TLS rule: a PostgreSQL connection to another host must insist on TLS, or be accepted."""

from __future__ import annotations

import pytest

from physioline.cli import main
from physioline.commands.common import check_transport
from physioline.db.engine import parse_url
from physioline.errors import NotPermitted
from physioline.services.transport import unencrypted_remote

REMOTE = "postgresql+psycopg://priya@db.trust.nhs.uk/physioline"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///desk.sqlite3",
        "postgresql+psycopg://priya@/physioline",  # the default unix socket
        "postgresql+psycopg://priya@/physioline?host=/var/run/postgresql",
        "postgresql+psycopg://priya@localhost/physioline",
        "postgresql+psycopg://priya@127.0.0.1:5433/physioline",
        "postgresql+psycopg://priya@[::1]/physioline",
        f"{REMOTE}?sslmode=require",
        f"{REMOTE}?sslmode=verify-ca",
        f"{REMOTE}?sslmode=verify-full",
    ],
)
def test_local_or_encrypted_connections_need_no_warning(url: str) -> None:
    assert unencrypted_remote(parse_url(url)) is None


@pytest.mark.parametrize(
    ("url", "host", "mode"),
    [
        (REMOTE, "db.trust.nhs.uk", "prefer"),
        (f"{REMOTE}?sslmode=disable", "db.trust.nhs.uk", "disable"),
        (f"{REMOTE}?sslmode=allow", "db.trust.nhs.uk", "allow"),
        (f"{REMOTE}?sslmode=prefer", "db.trust.nhs.uk", "prefer"),
        ("postgresql+psycopg://priya@10.1.2.3/physioline", "10.1.2.3", "prefer"),
        ("postgresql+psycopg://priya@/physioline?host=db.trust.nhs.uk", "db.trust.nhs.uk",
         "prefer"),
        ("postgresql+psycopg://priya@/physioline?host=localhost,db2.trust.nhs.uk",
         "db2.trust.nhs.uk", "prefer"),
    ],
)  # fmt: skip
def test_a_remote_host_without_required_tls_is_named(url: str, host: str, mode: str) -> None:
    warning = unencrypted_remote(parse_url(url))
    assert warning is not None
    assert (warning.host, warning.sslmode) == (host, mode)
    assert host in warning.message
    assert "sslmode=verify-full" in warning.hint


def test_pgsslmode_counts_when_the_url_names_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGSSLMODE", "verify-full")
    assert unencrypted_remote(parse_url(REMOTE)) is None
    monkeypatch.setenv("PGSSLMODE", "disable")
    assert unencrypted_remote(parse_url(f"{REMOTE}?sslmode=require")) is None  # the URL wins


def test_the_cli_refuses_until_an_administrator_accepts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["worklist", "--team", "--database", REMOTE, "--as", "priya"]) == 6
    err = capsys.readouterr().err
    assert "db.trust.nhs.uk is not required to be encrypted" in err
    assert "--accept-unencrypted" in err
    with pytest.raises(NotPermitted):
        check_transport(parse_url(REMOTE), accepted=False)
    check_transport(parse_url(REMOTE), accepted=True)  # goes on, saying why it should not
    assert "warning: The connection to the database server db.trust.nhs.uk" in (
        capsys.readouterr().err
    )
