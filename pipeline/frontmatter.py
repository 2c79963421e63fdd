"""Read a page's YAML front matter (the block between the first two '---' lines)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import PipelineError


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        raise PipelineError(f"{path}: the front matter has no closing '---' line. Fix: add one after the last field.")
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise PipelineError(f"{path}: the front matter is not valid YAML ({exc}). "
                            "Fix: quote values that contain a colon, and use real dates (YYYY-MM-DD).") from None
    if not isinstance(meta, dict):
        raise PipelineError(f"{path}: the front matter must be 'field: value' lines.")
    return meta
