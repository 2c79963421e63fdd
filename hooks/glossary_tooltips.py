"""Glossary terms become tooltips: defined once in data/glossary.yml, explained on first use.

on_page_markdown appends the abbreviation lines so the abbr extension (and Material's
content.tooltips) marks the terms; on_page_content then keeps only each term's first
<abbr> on the page, as health writers explain a word once. Fewer tooltips is also less
work for the browser on load.
"""
from __future__ import annotations

import re
from pathlib import Path

from macros.data import load_data
from macros.glossary import abbreviations

_ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')


def on_page_markdown(markdown: str, page, config, files) -> str:
    data = load_data(Path(config.config_file_path).parent / "data")
    return f"{markdown}\n\n{abbreviations(data.glossary)}\n"


def first_use_only(html: str) -> str:
    seen: set[str] = set()

    def keep_first(match: re.Match) -> str:
        term = match.group(1).casefold()
        if term in seen:
            return match.group(1)
        seen.add(term)
        return match.group(0)

    return _ABBR.sub(keep_first, html)


def on_page_content(html: str, page, config, files) -> str:
    return first_use_only(html)
