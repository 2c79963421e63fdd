"""Append the glossary's abbreviation lines to every page, so each term gets a tooltip everywhere.

The terms live once, in data/glossary.yml; the abbr extension and Material's content.tooltips
do the rest.
"""
from __future__ import annotations

from pathlib import Path

from macros.data import load_data
from macros.glossary import abbreviations


def on_page_markdown(markdown: str, page, config, files) -> str:
    data = load_data(Path(config.config_file_path).parent / "data")
    return f"{markdown}\n\n{abbreviations(data.glossary)}\n"
