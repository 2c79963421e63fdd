"""Files the engine reads but nobody edits: made from data/ before every build (gitignored).

To add one, write a pure function GuideData -> str and add one line to GENERATED.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from macros.data import GuideData
from macros import review
from macros.glossary import abbreviations
from macros.vocabulary import VOCABULARY_SCRIPT, vocabulary_script

from . import plan_bundle
from .workspace import write_text

GENERATED: dict[str, Callable[[GuideData], str]] = {
    # Appended to every page by pymdownx.snippets (auto_append in mkdocs.yml): the abbr extension
    # then marks each glossary term; postprocess.py keeps only its first use on each page.
    # Outside docs/, so it is never published or taken for a page.
    "includes/abbreviations.md": lambda data: abbreviations(data.glossary) + "\n",
    # Included by overrides/partials/page-review.html: review status and report-a-mistake words.
    review.STATUS_PARTIAL: lambda data: review.status_partial(data.review, data.fingerprint),
    review.REPORT_PARTIAL: lambda data: review.report_partial(data.review),
    # Readers' words for the search box (data/vocabulary.yml); search-words.js fetches it on first use.
    VOCABULARY_SCRIPT: vocabulary_script,
}

# Made from other files of the project rather than from data/: each function takes the project root.
# None: the project has no such sources, so there is nothing to write.
GENERATED_FROM_SOURCES: dict[str, Callable[[Path], str | None]] = {
    # The plan builder's ES modules joined into one classic script: Chromium will not load
    # modules from file://, and the offline folder must work.
    f"{plan_bundle.PLAN_DIR}/{plan_bundle.BUNDLE}": plan_bundle.bundle_dir,
}


def _texts(root: Path, data: GuideData) -> list[tuple[str, str]]:
    texts: list[tuple[str, str | None]] = [(rel, make(data)) for rel, make in GENERATED.items()]
    texts += [(rel, make(root)) for rel, make in GENERATED_FROM_SOURCES.items()]
    return [(rel, text) for rel, text in texts if text is not None]


def out_of_date(root: Path, data: GuideData) -> dict[str, str]:
    """{path: text} of the generated files whose text is not what data/ (and their sources) make now."""
    return {rel: text for rel, text in _texts(root, data) if not _current(root / rel, text)}


def _current(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def write_generated(root: Path, data: GuideData) -> None:
    """Write every generated file; one whose text has not changed is left alone (serve stays quiet)."""
    for rel, text in out_of_date(root, data).items():
        write_text(root / rel, text)


def generated_paths(root: Path) -> list[Path]:
    """Every file write_generated may write: the build's own output, not an edit made while it ran."""
    return [root / rel for rel in (*GENERATED, *GENERATED_FROM_SOURCES)]
