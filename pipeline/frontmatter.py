"""Read a page's YAML front matter (the block between the first two '---' lines)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from macros import yamlfile

from .errors import PipelineError


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        raise PipelineError(f"{path}: the front matter has no closing '---' line. Fix: add one after the last field.")
    try:  # the strict loader of data/ and of the page check (pages.py), with libyaml's parser
        meta = yamlfile.parse(text[3:end], str(path)) or {}
    except yamlfile.InputError as exc:
        raise PipelineError(str(exc)) from None
    if not isinstance(meta, dict):
        raise PipelineError(f"{path}: the front matter must be 'field: value' lines.")
    return meta
