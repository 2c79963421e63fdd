"""Child processes that stop with their parent (imports nothing heavy: the engine step uses it
before anything else is loaded)."""
from __future__ import annotations

import ctypes
import signal


def die_with_parent() -> None:
    """Linux: SIGTERM this process when its parent dies, even by SIGKILL (the PDF workers, the
    join, and the engine the pipeline starts)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
