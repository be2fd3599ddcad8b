"""Connection security: warn before a PostgreSQL connection crosses the network without TLS.

A shared database on another host carries patient records and each person's sign-in over the
network. Unless the URL asks libpq to insist on TLS (``sslmode=require``, ``verify-ca`` or
``verify-full``), the connection may be plain text, so the app warns and an administrator must
accept the risk (a dialog in the desktop app; ``--accept-unencrypted`` on the command line).
A unix socket or this machine's loopback address never leaves the machine and needs no TLS.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from sqlalchemy.engine import URL

#: sslmode values with which libpq refuses to talk to the server without TLS.
ENCRYPTED_SSLMODES = frozenset({"require", "verify-ca", "verify-full"})
#: libpq's default when neither the URL nor PGSSLMODE names one: TLS only if the server offers.
DEFAULT_SSLMODE = "prefer"


@dataclass(frozen=True)
class UnencryptedConnection:
    """A PostgreSQL connection to another host that may not be encrypted."""

    host: str
    sslmode: str

    @property
    def message(self) -> str:
        """What is wrong, for the dialog or stderr."""
        return (
            f"The connection to the database server {self.host} is not required to be encrypted "
            f"(sslmode={self.sslmode}): patient records and passwords could cross the network "
            "readable by others."
        )

    @property
    def hint(self) -> str:
        """What to do about it."""
        return (
            "Ask IT to set up TLS on the server and add sslmode=verify-full to the database "
            "URL. Connect without it only if an administrator has accepted the risk for this "
            "network."
        )


def _query_value(url: URL, key: str) -> str:
    value = url.query.get(key)
    if isinstance(value, tuple):
        return ",".join(value)
    return value or ""


def hosts(url: URL) -> list[str]:
    """The host names or socket folders libpq will try, in order."""
    named = url.host or _query_value(url, "host")
    return [h.strip() for h in named.split(",")] if named else [""]


def is_local(host: str) -> bool:
    """True for a unix socket folder (or the default socket) and this machine's loopback."""
    if not host or host.startswith(("/", "@")):
        return True
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def sslmode(url: URL) -> str:
    """The sslmode libpq will use: the URL's, else PGSSLMODE, else its default."""
    return _query_value(url, "sslmode") or os.environ.get("PGSSLMODE", "") or DEFAULT_SSLMODE


def unencrypted_remote(url: URL) -> UnencryptedConnection | None:
    """The first remote host reached without required TLS, or None when the connection is safe."""
    if url.get_backend_name() != "postgresql":
        return None
    mode = sslmode(url)
    if mode in ENCRYPTED_SSLMODES:
        return None
    for host in hosts(url):
        if not is_local(host):
            return UnencryptedConnection(host, mode)
    return None
