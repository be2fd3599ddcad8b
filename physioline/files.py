"""Files PhysioLine writes for people (calendar files, exports): whole, or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` so that nobody ever sees part of it.

    The text goes to a temporary file in the same folder, is flushed to disk and then renamed
    over ``path`` (``os.replace``, atomic on one file system): a reader, a mail client attaching
    the file or a test waiting for it finds either no file or the whole of it. Line endings are
    written as given (an iCalendar file needs its CRLFs). The file is readable by its owner only,
    as it may describe a patient's appointment.

    Raises:
        OSError: the folder cannot be written; no partial file is left behind.
    """
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below before the rename
        "w", encoding=encoding, newline="", dir=target.parent, prefix=f".{target.name}.",
        suffix=".tmp", delete=False,
    )  # fmt: skip
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return target
