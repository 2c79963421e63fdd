"""data/vocabulary.yml as a script for the browser: readers' words -> the guide's words.

docs/assets/javascripts/search-words.js reads `window.psoasVocabulary` and expands a reader's
query before Material's search worker sees it. The generated file is never edited by hand.
"""
from __future__ import annotations

import json

from .schema import VocabularyFile

# Written before the engine runs (pipeline/generate.py's GENERATED table; gitignored).
VOCABULARY_SCRIPT = "docs/assets/javascripts/vocabulary.js"


def vocabulary_map(vocabulary: VocabularyFile) -> dict[str, list[str]]:
    """Each reader phrase -> the guide's single words (stop words dropped: they are not indexed)."""
    stop = set(vocabulary.stop_words)
    words: dict[str, list[str]] = {}
    for entry in vocabulary.entries:
        guide = [w for phrase in entry.guide for w in phrase.split() if w not in stop]
        for phrase in entry.reader:
            words[phrase] = list(dict.fromkeys(guide))
    return words


def vocabulary_script(data) -> str:
    """The whole script; data is a GuideData (or anything with a .vocabulary)."""
    payload = {"stop": sorted(set(data.vocabulary.stop_words)), "words": vocabulary_map(data.vocabulary)}
    # JSON is valid JavaScript; "<" escaped so the text is inert even if someone inlines it.
    body = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    return ("/* Generated from data/vocabulary.yml by macros/vocabulary.py: do not edit. */\n"
            f"window.psoasVocabulary={body};\n")

