"""Reading a handout PDF's layout back: where each text run sits, in what size, under which heading.

Tests use it to measure what a reader sees on paper (stranded headings, split exercises,
near-empty last pages, type size) instead of trusting the CSS that asked for it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import Destination

MM = 72 / 25.4


@dataclass(frozen=True)
class Run:
    y: float      # baseline, PDF points from the page foot
    x: float
    size: float   # effective font size in points
    text: str


@dataclass(frozen=True)
class Heading:
    title: str
    page: int     # 0-based
    top: float    # where the heading box starts, PDF points from the page foot


def runs(page, top_margin: float = 20 * MM, bottom_margin: float = 24 * MM) -> list[Run]:
    """The text runs of the page body (the running header and footer left out), top to bottom."""
    height = float(page.mediabox.height)
    found: list[Run] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        if bottom_margin <= y <= height - top_margin:
            found.append(Run(y, x, size * abs(tm[3] * cm[3]), text))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda r: (-round(r.y, 1), r.x))


def headings(reader: PdfReader) -> list[Heading]:
    """Every bookmark (WeasyPrint bookmarks each h1-h4) with its page and position."""
    out: list[Heading] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif isinstance(item, Destination):
                out.append(Heading(item.title, reader.get_destination_page_number(item), float(item.top or 0)))

    walk(reader.outline)
    return out


def _words(text: str) -> list[str]:
    return text.split()


def stranded(reader: PdfReader, min_lines: int = 2) -> list[Heading]:
    """Headings left at a page foot: fewer than min_lines of their own content below them on
    their page, while the document goes on overleaf (the figure and steps went to the next page)."""
    found = []
    marks = headings(reader)
    for heading in marks:
        title = " ".join(_words(heading.title))
        below = [r for r in runs(reader.pages[heading.page]) if r.y < heading.top]
        # The heading's own lines (a long heading wraps) come first; anything after them is content.
        while below and " ".join(_words(below[0].text)) in title:
            below.pop(0)
        lines = {round(r.y) for r in below}
        if len(lines) < min_lines and heading.page + 1 < len(reader.pages) and not (
                below and _opens_with_heading(reader, heading.page + 1, marks)):
            found.append(heading)
    return found


def _opens_with_heading(reader: PdfReader, page: int, marks: list[Heading]) -> bool:
    """The page starts with a new heading: the section above ended on the page before (a
    one-line section at a page foot is whole, not stranded)."""
    top = runs(reader.pages[page])
    first = " ".join(_words(top[0].text)) if top else ""
    return bool(first) and any(" ".join(_words(h.title)).startswith(first) for h in marks if h.page == page)


def text_below(reader: PdfReader, heading: Heading) -> str:
    """The text under a heading on the heading's own page."""
    return " ".join(r.text for r in runs(reader.pages[heading.page]) if r.y < heading.top)


def lines(page) -> list[str]:
    """The page body's lines of text, top to bottom (runs on one baseline joined)."""
    found: dict[int, list[Run]] = {}
    for run in runs(page):
        found.setdefault(round(run.y), []).append(run)
    return [" ".join(r.text.strip() for r in sorted(line, key=lambda r: r.x)) for _, line in sorted(found.items(), reverse=True)]


def text_depth(page) -> float:
    """How far down the body (A4, 20 mm and 24 mm margins) the page's text reaches: 0 to 1."""
    top, foot = float(page.mediabox.height) - 20 * MM, 24 * MM
    found = runs(page)
    return (top - min(r.y for r in found)) / (top - foot) if found else 0.0


def chapter_starts(reader: PdfReader) -> set[int]:
    """Pages (0-based) where a top-level bookmark sits: a chapter's title, the cover, the sources."""
    return {reader.get_destination_page_number(item) for item in reader.outline if isinstance(item, Destination)}


def body_words(page) -> int:
    return sum(len(_words(r.text)) for r in runs(page))


def body_font_size(reader: PdfReader) -> float:
    """The size most characters of running text are set in (headings and notes are fewer)."""
    sizes: Counter[float] = Counter()
    for page in reader.pages:
        for run in runs(page):
            sizes[round(run.size, 1)] += len(run.text.strip())
    return sizes.most_common(1)[0][0]
