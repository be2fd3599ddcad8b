"""The app's memory between keypresses: long-lived objects kept out of garbage collection."""

from __future__ import annotations

import gc


def freeze_start_up_objects() -> None:
    """Leave everything made so far out of Python's cyclic garbage collector from now on.

    Modules, Qt wrappers, SQLAlchemy's tables, mappers and compiled statements live as long as
    the app. A full collection walked all of them (about 170,000 objects): 60–100 ms on the GUI
    thread, a keypress on the triage form stalled for several frames (issue #6). Frozen, a
    collection walks only what was made since. Once per process, after the first start-up
    (signing in as someone else makes no new long-lived objects); the few reference cycles of
    start-up garbage among them are never freed.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()


__all__ = ["freeze_start_up_objects"]
