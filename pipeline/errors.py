"""The one exception the pipeline's steps raise (its message is the whole story, no traceback),
and a problem the built-site checks find."""
from __future__ import annotations

from dataclasses import dataclass


class PipelineError(Exception):
    """A step cannot go on; the message names the file or folder, what went wrong and the fix."""


@dataclass(frozen=True)
class Problem:
    """What a check found: where, what, and the fix; an error fails the build, a warning may not."""
    path: str
    message: str
    fix: str
    level: str = "error"  # or "warning"
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.level.upper()}: {self.path}: {self.message}. Fix: {self.fix}."
