"""Honest review status and the "report a mistake" route, as plain text for pages and handouts.

Only data/review.yml can make a page say "Reviewed by": with no named reviewer (name, role,
registration, date) the status is "Clinical review: not yet". Text is built here, in Python,
so templates need no date formatting (Zensical's MiniJinja has no strftime).
"""
from __future__ import annotations

import datetime as dt

from . import schema

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
NOT_YET = "Clinical review: not yet. No health professional has checked this guide."


def long_date(day: dt.date | str | None) -> str:
    """'24 November 2026' from a date or an ISO 'YYYY-MM-DD' string; '' for None."""
    if day is None or day == "":
        return ""
    if not isinstance(day, dt.date):
        day = dt.date.fromisoformat(str(day)[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def status(review: schema.ReviewFile) -> str:
    r = review.reviewer
    if r is None:
        return NOT_YET
    return f"Reviewed by {r.name}, {r.role} ({r.registration}), on {long_date(r.date)}."


def report_text(review: schema.ReviewFile) -> str:
    """The form of words, without the version date (the page or handout adds its own)."""
    return f"{review.report_how} {review.report_contact}."


def theme_context(review: schema.ReviewFile) -> dict:
    """What overrides/partials/page-review.html reads as config.extra.review."""
    return {
        "reviewed": review.reviewer is not None,
        "status": status(review),
        "report": report_text(review),
        "contact": review.report_contact,
        "months": list(MONTHS),
    }
