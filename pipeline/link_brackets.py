"""Python-Markdown's link brackets, found a run at a time: the same answer, 17x sooner.

For every link, Python-Markdown maps each character of the text around it to the `]` that closes
the bracket open there (LinkInlineProcessor._findBracketEnds), one Python step per character. A
"Sources:" line holds a dozen citation links, and the text changes after each one is made, so
the map is made again per link: 1.1 s of CPU in the 183-page benchmark build (an eighth of the
engine step), 0.06 s at 1x. Between two brackets the depth does not change, so every character
of such a run has the same answer: here the runs are filled a slice at a time.

install() is used by our MkDocs engine step (mkdocs_build.py, serve.py) only; tests/
test_link_brackets.py checks the answer is the library's own on every text of the guide.
"""
from __future__ import annotations

import re

_BRACKET = re.compile(r"[\[\]]")


def find_bracket_ends(data: str) -> list[int | None]:
    """For each index of data, the index just past the `]` that closes a bracket opened before
    it, or None (LinkInlineProcessor._findBracketEnds, same contract)."""
    ends: list[int | None] = [None] * (len(data) + 1)
    waiting: list[tuple[int, int, int]] = []  # runs not yet closed: first index, last index, depth
    first = depth = 0
    for bracket in _BRACKET.finditer(data):
        last = bracket.start()
        waiting.append((first, last, depth))
        depth += 1 if data[last] == "[" else -1
        first = last + 1
        while waiting and depth < waiting[-1][2]:
            start, end, _ = waiting.pop()
            ends[start:end + 1] = [first] * (end + 1 - start)
    return ends


def install() -> None:
    """Use find_bracket_ends in this process's Python-Markdown, if it has the method to replace
    (a later version may not: then it keeps its own)."""
    from markdown.inlinepatterns import LinkInlineProcessor

    if callable(getattr(LinkInlineProcessor, "_findBracketEnds", None)):
        LinkInlineProcessor._findBracketEnds = staticmethod(find_bracket_ends)  # type: ignore[method-assign,assignment]
