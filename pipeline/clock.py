"""Today's date for the pipeline's checks: macros/clock.py's (GUIDE_TODAY can set it), with a bad
GUIDE_TODAY reported as the pipeline's own error."""
from __future__ import annotations

import datetime as dt
import os
from typing import Mapping

from macros import clock
from macros.clock import TODAY_ENV

from .errors import PipelineError

__all__ = ["TODAY_ENV", "today"]


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    try:
        return clock.today(environ)
    except ValueError as exc:
        raise PipelineError(str(exc)) from None
