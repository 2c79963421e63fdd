"""The one date format readers see, on pages and on paper: '24 November 2026'."""
from __future__ import annotations

import datetime as dt


def long_date(day: dt.date | str | None) -> str:
    if not day:
        return "not recorded"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day} {day:%B %Y}"
