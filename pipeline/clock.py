"""Today's date for every check that compares with it (future 'updated' dates, overdue reviews).

GUIDE_TODAY=YYYY-MM-DD builds the guide as on that day: the tests pin it to the content's own
"as of" date, so they do not start failing when a review date passes; an editor can also ask
"what would a build say on that day?".
"""
from __future__ import annotations

import datetime as dt
import os
import re
from typing import Mapping

from .errors import PipelineError

TODAY_ENV = "GUIDE_TODAY"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    value = environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    try:  # only YYYY-MM-DD: fromisoformat also takes '20270131' and week dates, which read as typos here
        if _ISO_DAY.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise PipelineError(f"{TODAY_ENV}={value!r} is not a date. Fix: write it as YYYY-MM-DD (e.g. "
                        f"{TODAY_ENV}=2027-01-31), or unset it to use today's date.")
