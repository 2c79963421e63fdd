"""Where generated links point. Links are Markdown links to .md files, so MkDocs checks them."""
from __future__ import annotations

import posixpath

SOURCES_PAGE = "reference/sources.md"
EXERCISES_PAGE = "aftercare/exercises.md"
SAFETY_PAGE = "before/is-it-safe.md"
# Where the signs to watch for after a session are the subject (search finds them there).
AFTER_SESSION_PAGE = "aftercare/immediate-effects.md"
# The id of that page's care card, which opens with the signs after a session (the home page links it).
AFTER_SESSION_ANCHOR = "after-a-session"
# The practitioners' plan builder: its printed plan carries the care card (#plan-care).
PLAN_BUILDER_PAGE = "reference/plan-builder.md"
# An exercise's heading id on EXERCISES_PAGE is this plus its id (macros/routines.py exercise_anchor);
# the handouts keep each exercise on one page by it (handout_pdf/clean.py).
EXERCISE_ANCHOR_PREFIX = "ex-"


def relative(target: str, from_page: str, anchor: str = "") -> str:
    """Path from one page's Markdown file to another's, e.g. '../reference/sources.md#src-nhs'."""
    start = posixpath.dirname(from_page) or "."
    path = posixpath.relpath(target, start)
    return f"{path}#{anchor}" if anchor else path
