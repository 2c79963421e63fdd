"""Make text from data safe to place in Markdown."""
from __future__ import annotations

import html
import re

# Markdown punctuation that could start emphasis, links, attribute lists ({ onclick=... }) or code.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}|#!~])")


def safe(text: str) -> str:
    """Data text as inert Markdown: one line, HTML escaped, Markdown punctuation escaped.

    Data is content, not markup: a '<script>' or '**' typed in a YAML file shows as typed.
    """
    one_line = " ".join(str(text).split())
    return html.escape(_MARKDOWN_SPECIALS.sub(r"\\\1", one_line), quote=False)
