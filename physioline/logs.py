"""Logging without patient data: identifiers only, NHS-number-shaped text masked."""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

_NHS_SHAPED = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")


class MaskNhsNumbers(logging.Filter):
    """Last line of defence: mask anything shaped like an NHS number in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with NHS-number-shaped text masked."""
        message = record.getMessage()
        masked = _NHS_SHAPED.sub("[nhs-number]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def defect_reference() -> str:
    """A short reference a user can quote to support; the log has the traceback."""
    return secrets.token_hex(2).upper()


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``physioline.log`` in ``log_dir`` (mode 0600) with NHS numbers masked."""
    path = log_dir / "physioline.log"
    root = logging.getLogger()
    for existing in root.handlers:
        if getattr(existing, "baseFilename", None) == str(path):
            return path
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskNhsNumbers())
    root.setLevel(level)
    root.addHandler(handler)
    return path
