"""What a handout is made from. Plain data, so it can cross into worker processes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from macros.review import SHORT_NOT_YET


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
    # Honest review status of this chapter as it now reads, from data/review.yml (macros/review.py).
    review_status: str = SHORT_NOT_YET

    def content_soup(self):  # type: ignore[no-untyped-def]
        """The page's rendered content (Markdown + macros, no theme), parsed: the article's
        children, without what the theme adds. Parsed only when a PDF is made: a warm build
        hashes `article` and never needs it."""
        from bs4 import BeautifulSoup  # here: the join process imports this module, not the parser

        soup = BeautifulSoup(self.article, "html.parser")
        article = soup.select_one("article.md-content__inner") or soup.select_one("article")
        if article is None:
            raise HandoutError(f"{self.src_uri}: {NO_ARTICLE}")
        if self.chrome:
            for chrome in article.select(self.chrome):
                chrome.decompose()
        for outside in [n for n in soup.contents if n is not article]:
            outside.extract()
        article.unwrap()  # its children are the document: no second parse of the content
        return soup

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
class Word:
    """A glossary term as a tooltip gave it: paper prints the definition instead."""
    term: str
    definition: str     # plain text: the templates escape it


def first_of_each(words: Iterable[Word]) -> list[Word]:
    """Each term once, as first met (the same term in other capitals is the same word)."""
    seen: dict[str, Word] = {}
    for word in words:
        seen.setdefault(word.term.casefold(), word)
    return list(seen.values())


@dataclass(frozen=True)
class Cleaned:
    html: str                                        # the content, without its h1
    heading: str                                     # the h1
    cited: list[str] = field(default_factory=list)   # source ids in order of first citation
    files: list[Path] = field(default_factory=list)  # local files the HTML loads (images)
    words: list[Word] = field(default_factory=list)  # glossary terms in order of first use
