"""Honest review status and the "report a mistake" route, as plain text for pages and handouts.

Only data/review.yml can make a page say "Reviewed by": with no named reviewer (name, role,
registration, date) the status is "Clinical review: not yet". Text is built here, in Python,
so templates need no date formatting (dates in words come from macros/dates.py).
"""
from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from .dates import long_date

if TYPE_CHECKING:  # handout_pdf imports this module in its worker processes: no pydantic there
    from . import schema

NOT_YET = "Clinical review: not yet. No health professional has checked this guide."
SHORT_NOT_YET = "Not yet checked by a health professional"
# A review vouches for the words the reviewer read. A page updated after it says so, rather than
# lending the review to words nobody checked.
CHANGED = "This page has changed since then, and the changes have not been reviewed yet."
# The shared facts (data/: safety signs, doses, sources) changed after the review: every page may show them.
DATA_CHANGED = "The guide's shared facts have changed since then, and the changes have not been reviewed yet."
SHORT_CHANGED = "changed since, not yet checked again"


def data_changed(review: schema.ReviewFile, fingerprint: str | None) -> bool:
    """The data now is not the data the reviewer read (fingerprint None: not known, not compared)."""
    return review.reviewer is not None and fingerprint is not None and fingerprint != review.reviewer.data_fingerprint


def changed_since_review(review: schema.ReviewFile, updated: dt.date | None, fingerprint: str | None = None) -> bool:
    page_changed = review.reviewer is not None and updated is not None and updated > review.reviewer.date
    return page_changed or data_changed(review, fingerprint)


def status(review: schema.ReviewFile, updated: dt.date | None = None, fingerprint: str | None = None) -> str:
    r = review.reviewer
    if r is None:
        return NOT_YET
    said = f"Reviewed by {r.name}, {r.role} ({r.registration}), on {long_date(r.date)}."
    if data_changed(review, fingerprint):
        return f"{said} {DATA_CHANGED}"
    return f"{said} {CHANGED}" if changed_since_review(review, updated) else said


def short_status(review: schema.ReviewFile, updated: dt.date | None = None, fingerprint: str | None = None) -> str:
    """For a handout's header line, read on paper by a client: 'Not yet checked by a health professional' or 'Reviewed by
    NAME, DATE' (with 'changed since, not yet checked again' when the chapter or the guide's shared facts
    changed after the review)."""
    r = review.reviewer
    if r is None:
        return SHORT_NOT_YET
    said = f"Reviewed by {r.name}, {long_date(r.date)}"
    return f"{said}; {SHORT_CHANGED}" if changed_since_review(review, updated, fingerprint) else said


# Without an inbox (data/review.yml has none until a publisher adds theirs), the route that
# always exists: the person who handed over the guide, or the clinic whose website it is.
NO_INBOX = "Tell the practitioner or clinic that gave you this guide."


def report_text(review: schema.ReviewFile) -> str:
    """The form of words, without the version date (the page or handout adds its own)."""
    if review.report_contact is None:
        return f"{review.report_how} {NO_INBOX}"
    return f"{review.report_how} Send it to {review.report_contact}."


# The theme's page-review partial includes these two files, written from data/review.yml before
# every build (pipeline/generate.py): templates cannot read data/, and a generated include works
# the same under MkDocs and Zensical.
STATUS_PARTIAL = "overrides/partials/generated/review-status.html"
REPORT_PARTIAL = "overrides/partials/generated/review-report.html"
_MADE = "{#- Made from data/review.yml before each build (pipeline/generate.py); do not edit. -#}\n"


def _inert(text: str) -> str:
    """Text for a file the theme includes as a template: HTML-escaped, and its braces as character
    references, so no '{{', '{%' or '{#' in the data can run or hide anything (the data load refuses
    them too; this holds even if that check is bypassed)."""
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


def status_partial(review: schema.ReviewFile, fingerprint: str | None = None) -> str:
    """The status for the page being rendered. With a reviewer, the page's own `updated` date picks
    the words: ISO dates compare as text, and the review date is a validated date, not data text.
    Data changed since the review: every page says so."""
    if review.reviewer is None or data_changed(review, fingerprint):
        return _MADE + _inert(status(review, fingerprint=fingerprint)) + "\n"
    after = review.reviewer.date + dt.timedelta(days=1)
    return (_MADE
            + f'{{%- if page.meta.updated and (page.meta.updated | string) >= "{after.isoformat()}" -%}}\n'
            + _inert(status(review, after)) + "\n{%- else -%}\n" + _inert(status(review)) + "\n{%- endif -%}\n")


def report_partial(review: schema.ReviewFile) -> str:
    return _MADE + _inert(report_text(review)) + "\n"
