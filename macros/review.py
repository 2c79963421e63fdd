"""Honest review status and the "report a mistake" route, as plain text for pages and handouts.

Only data/review.yml can make a page say "Reviewed by": with no named reviewer (name, role,
registration, date) the status is "Clinical review: not yet". Text is built here, in Python,
so templates need no date formatting (dates in words come from macros/dates.py).
"""
from __future__ import annotations

from . import schema
from .dates import long_date

NOT_YET = "Clinical review: not yet. No health professional has checked this guide."


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
    }
