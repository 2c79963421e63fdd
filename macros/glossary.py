"""The glossary page and the abbreviation lines that turn terms into tooltips on every page."""
from __future__ import annotations

from . import schema
from .text import safe


def glossary(terms: list[schema.Term]) -> str:
    lines = []
    for t in sorted(terms, key=lambda t: t.term.lower()):
        lines += [safe(t.term), f":   {safe(t.definition)}", ""]
    return "\n".join(lines)


def abbreviations(terms: list[schema.Term]) -> str:
    """'*[term]: definition' lines for the abbr extension; tooltips need plain text, no markup."""
    return "\n".join(f"*[{t.term}]: {' '.join(t.definition.split())}" for t in terms)
