"""Recipes for the two kinds of handout: one chapter, or the whole guide.

A recipe is plain data (it crosses into worker processes). Its cache key is computed from its
inputs (chapter HTML, dates, addresses, sources, the images it shows) without cleaning the HTML
or running the templates: a warm build only hashes.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import unquote, urlsplit

from .chapter import Chapter
from .document import SHARED_INPUTS, Site, chapter_document, guide_book
from .render import Book, Document

_IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]*)"')


def _site_parts(site: Site) -> bytes:
    # Every field but where the site was built: a new field is in the key without anyone
    # remembering to add it (the report-a-mistake words once were not, and stale PDFs kept old ones).
    fields = {k: v for k, v in vars(site).items() if k != "site_dir"}
    fields["sources"] = {k: vars(v) for k, v in sorted(site.sources.items())}
    fields["chapter_titles"] = dict(site.chapter_titles)
    shared = b"".join(path.read_bytes() for path in SHARED_INPUTS)  # paper.css, the notice wording, the date format
    return json.dumps(fields, sort_keys=True).encode() + shared


def _chapter_parts(chapter: Chapter, root: Path) -> Iterable[bytes]:
    fields = {k: str(v) for k, v in vars(chapter).items() if k not in ("page_file", "article")}
    yield json.dumps(fields, sort_keys=True).encode()
    yield chapter.page_file.resolve().relative_to(root).as_posix().encode()
    yield chapter.article.encode()  # the raw article: no parsing to make a key
    for src in dict.fromkeys(_IMG_SRC.findall(chapter.article)):
        if urlsplit(src).scheme:
            continue  # refused when the document is made; nothing to hash
        path = (chapter.page_file.parent / unquote(urlsplit(unescape(src)).path)).resolve()
        if path.is_file():
            yield path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes()


@dataclass(frozen=True)
class ChapterRecipe:
    chapter: Chapter
    site: Site
    large_print: bool = False   # the 16 pt variant (handout_pdf/large-print.css)

    def key_parts(self, root: Path) -> Iterable[bytes]:
        yield b"chapter, large print" if self.large_print else b"chapter"
        yield _site_parts(self.site)
        yield from _chapter_parts(self.chapter, root)

    def make(self) -> Document:
        html, files = chapter_document(self.chapter, self.site, self.large_print)
        return Document(html, self.chapter.page_file.as_uri(), tuple(files))


@dataclass(frozen=True)
class GuideRecipe:
    chapters: Sequence[Chapter]
    site: Site

    def key_parts(self, root: Path) -> Iterable[bytes]:
        yield b"guide"
        yield _site_parts(self.site)
        for chapter in self.chapters:
            yield from _chapter_parts(chapter, root)

    def make(self) -> Book:
        return guide_book(self.chapters, self.site)
