"""Evidence grades in words plus a scale shape: meaning never carried by colour alone."""
from __future__ import annotations

# Short, self-contained words (no "Evidence: Limited evidence"); docs/reference/about.md explains.
GRADE_LABELS = {
    "supported": "Supported by research",
    "limited": "Limited evidence",
    "anecdotal": "Personal reports only",
    "not-supported": "Not supported by research",
}


def grade_badge(grade: str) -> str:
    """Inline HTML badge: three bars (full, two, one, or struck through) beside the words.

    The bars are decoration (aria-hidden); the words carry the meaning on screen, aloud and on paper.
    """
    scale = '<span class="grade__scale" aria-hidden="true"><span></span><span></span><span></span></span>'
    return f'<span class="grade grade--{grade}">{scale}<span class="grade__label">{GRADE_LABELS[grade]}</span></span>'
