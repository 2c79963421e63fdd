"""Today's date for every check that compares with it (future 'updated' dates, overdue reviews,
a review dated in the future).

GUIDE_TODAY=YYYY-MM-DD checks the guide as on that day: the tests pin it to the content's own
"as of" date, so they do not start failing when a review date passes; an editor can also ask
"what would a build say on that day?". Here, not in pipeline/, so the data schema reads the same day.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from typing import Mapping

TODAY_ENV = "GUIDE_TODAY"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """ValueError, saying the fix, when GUIDE_TODAY is set but is not a date."""
    value = environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    try:  # only YYYY-MM-DD: fromisoformat also takes '20270131' and week dates, which read as typos here
        if _ISO_DAY.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{TODAY_ENV}={value!r} is not a date. Fix: write it as YYYY-MM-DD (e.g. "
                     f"{TODAY_ENV}=2027-01-31), or unset it to use today's date.")
