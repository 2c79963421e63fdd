"""What a handout is made from. Plain data, so it can cross into worker processes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bs4 import BeautifulSoup


# Said by the pipeline when it cuts the article out, and here if a Chapter is made without one.
NO_ARTICLE = ("no <article> in the built page, so there is nothing to print. "
              "Fix: keep the theme's content block (overrides/main.html calls super()).")


class HandoutError(Exception):
    """A handout cannot be made; the message says which chapter, what went wrong and the fix."""


@dataclass(frozen=True)
class Chapter:
    slug: str               # the PDF's file name without .pdf, e.g. 'is-it-safe'
    title: str
    src_uri: str            # the Markdown file, e.g. 'before/is-it-safe.md' (for error messages)
    page_file: Path         # the built HTML page: relative links and images resolve from here
    online_url: str         # site_url + page URL, printed in the footer
    updated: dt.date | None
    review_due: dt.date | None
    description: str
    article: str            # the built page's <article> element, as the theme wrote it
    evidence_checked: dt.date | None = None
    chrome: str = ""        # CSS selector of what the theme adds inside the article (not printed)

    @cached_property
    def content(self) -> str:
        """The page's rendered content HTML (Markdown + macros, no theme). Parsed only when a PDF
        is made: a warm build hashes `article` and never needs it."""
        soup = BeautifulSoup(self.article, "html.parser")
        article = soup.select_one("article.md-content__inner") or soup.select_one("article")
        if article is None:
            raise HandoutError(f"{self.src_uri}: {NO_ARTICLE}")
        if self.chrome:
            for node in article.select(self.chrome):
                node.decompose()
        return article.decode_contents()

    @property
    def short_url(self) -> str:
        """The online address without 'https://', short enough for a page footer."""
        return self.online_url.split("://", 1)[-1]


@dataclass(frozen=True)
class SourceRef:
    """One entry of a handout's closing 'Sources' list."""
    id: str
    title: str
    publisher: str
    year: int
    url: str
    label: str          # how the text names it: 'NHS, 2024b' (macros/citations.py labels())


@dataclass(frozen=True)
class Cleaned:
    html: str                                        # the content, without its h1
    heading: str                                     # the h1
    cited: list[str] = field(default_factory=list)   # source ids in order of first citation
    files: list[Path] = field(default_factory=list)  # local files the HTML loads (images)
