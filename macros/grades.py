"""Evidence grades in words: meaning never carried by colour alone."""
from __future__ import annotations

GRADE_LABELS = {
    "supported": "Supported by research",
    "limited": "Limited evidence",
    "anecdotal": "Personal reports only",
    "not-supported": "Not supported by research",
}


def grade_badge(grade: str) -> str:
    """Inline HTML badge; the words carry the meaning, the class only adds a border style."""
    return f'<span class="grade grade--{grade}"><span class="grade__label">Evidence:</span> {GRADE_LABELS[grade]}</span>'
