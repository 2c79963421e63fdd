"""Process lifetime: children that stop with their parent, commands that end at once (imports
nothing heavy: the engine step uses it before anything else is loaded)."""
from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
from typing import Callable, NoReturn


def _find_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not Linux
        return None


# Looked up once, here in the parent: a child forked from a process with threads (`guide serve`)
# then runs no dlopen, which could wait forever for a loader lock another thread held at the fork.
_PRCTL = _find_prctl()


def die_with_parent() -> None:
    """Linux: SIGTERM this process when its parent dies, even by SIGKILL (the PDF workers, the
    join, and the engine the pipeline starts)."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def exit_now(code: int) -> NoReturn:
    """End a finished command without Python's teardown of its heap: 0.1-0.15 s for the MkDocs
    build, on the critical path of every `guide build` (mypy ends the same way). Only after the
    command's own cleanup has run: files closed, workers joined."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
