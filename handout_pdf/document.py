"""The handout HTML documents: one chapter, or the whole guide with a contents page."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import jinja2

from .chapter import Chapter, Cleaned, HandoutError, SourceRef, Word, first_of_each
from .clean import clean
from .render import LINK_SCHEME, Book
from .sheets import LARGE_PRINT_STYLESHEET, PAPER_STYLESHEET, TEMPLATES
from macros.dates import long_date

_PROJECT = Path(__file__).parent.parent
# Template parts shared with the web theme (the "not medical advice" wording).
THEME_TEMPLATES = _PROJECT / "overrides"
# Files outside this package that shape every handout: recipes.py hashes them into the cache key
# (render.code_fingerprint hashes only this package). macros/dates.py writes every date on paper
# (the long_date filter): without it here, a new date format left cached PDFs in the old one.
SHARED_INPUTS = (PAPER_STYLESHEET, THEME_TEMPLATES / "partials" / "not-medical-advice.html",
                 _PROJECT / "macros" / "dates.py")


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    author: str
    description: str
    site_dir: Path
    sources: Mapping[str, SourceRef]
    # The "report a mistake" words, from data/review.yml (macros/review.py).
    report: str = ""
    # {built page path: title} of every chapter with a handout, so paper can say where a link goes.
    chapter_titles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    chapter: Chapter
    cleaned: Cleaned
    section_id: str


def paper_css(large_print: bool = False) -> str:
    """The stylesheets a handout carries inside itself (handout.css is given to WeasyPrint)."""
    sheets = [PAPER_STYLESHEET, *([LARGE_PRINT_STYLESHEET] if large_print else [])]
    try:
        return "\n".join(sheet.read_text("utf-8") for sheet in sheets).replace("</", "<\\/")
    except OSError as exc:
        raise HandoutError(f"the handout stylesheet {exc.filename} cannot be read: {exc.strerror}.") from None


@functools.cache  # built once per process: compiling the templates per document cost ~1 s per 100
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES, THEME_TEMPLATES]), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["long_date"] = long_date
    return env


def _sources(site: Site, ids: Sequence[str], where: str) -> list[SourceRef]:
    missing = [i for i in ids if i not in site.sources]
    if missing:
        raise HandoutError(f"{where} cites {', '.join(missing)}, which is not in data/sources.yml.")
    return [site.sources[i] for i in ids]


def chapter_document(chapter: Chapter, site: Site, large_print: bool = False) -> tuple[str, list[Path]]:
    """(handout HTML, local files it loads) for one chapter; large_print sets the body in 16 pt."""
    cleaned = clean(chapter, site.site_dir, site.url, chapter_titles=site.chapter_titles)
    html = _environment().get_template("chapter.html").render(
        paper_css=paper_css(large_print), large_print=large_print,
        title=chapter.title, author=site.author, description=chapter.description, site_name=site.name,
        site=site, chapter=chapter, cleaned=cleaned, section_id=f"chapter-{chapter.slug}", with_notice=True,
        sources=_sources(site, cleaned.cited, chapter.src_uri), words=cleaned.words)
    return html, cleaned.files


# About 40 pages per part of the whole guide. WeasyPrint's memory grows with the part, and the
# book's worker runs beside the chapters' one: at 16x the build's peak, all processes, was 293 MB
# with 60-page parts (the book's worker 142 MB) and 272-277 MB with these (the book's worker
# 122 MB; the join's phase about as high). Not smaller: each part carries its own copy of the
# fonts' glyphs (16x PDF +2%).
PART_HTML_BYTES = 100_000


def guide_book(chapters: Sequence[Chapter], site: Site) -> Book:
    """The whole guide as a Book: a cover with contents, runs of chapters, then one source list.
    Ids are prefixed per chapter, so every anchor is unique in the joined PDF."""
    parts = [Part(ch, clean(ch, site.site_dir, site.url, id_prefix=ch.slug, chapter_titles=site.chapter_titles),
                  f"chapter-{ch.slug}")
             for ch in chapters]
    cited: list[str] = []
    for part in parts:
        cited += [i for i in part.cleaned.cited if i not in cited]
    common = dict(paper_css=paper_css(), title=site.name, author=site.author, description=site.description,
                  site_name=site.name, site=site, site_url=site.url, site_url_short=site.url.split("://", 1)[-1],
                  sources=_sources(site, cited, "The guide"), words=guide_words(parts))
    env = _environment()

    def front(pages: Mapping[str, int], total: int) -> str:
        return linked_across_parts(env.get_template("guide.html").render(**common, parts=parts, pages=pages,
                                                                          total=total))

    def body(run: Sequence[Part], last: bool) -> Callable[[int], str]:
        def part(first_page: int) -> str:
            html = env.get_template("guide-part.html").render(
                **common, parts=run, first_page=first_page, is_last=last)
            return linked_across_parts(html)
        return part

    runs = _runs(parts)
    return Book(front, tuple(body(run, n == len(runs) - 1) for n, run in enumerate(runs)),
                chapters[0].page_file.as_uri())


def guide_words(parts: Sequence[Part]) -> list[Word]:
    """Every chapter's words, once, from A to Z: a book's readers look a word up at the back, and
    one box per chapter would print "GP" eleven times."""
    return sorted(first_of_each(word for part in parts for word in part.cleaned.words),
                  key=lambda word: word.term.casefold())


def _runs(parts: Sequence[Part], limit: int | None = None) -> list[list[Part]]:
    """Consecutive chapters, grouped up to PART_HTML_BYTES of content each (a long one alone)."""
    limit = PART_HTML_BYTES if limit is None else limit
    runs: list[list[Part]] = []
    size = 0
    for part in parts:
        if not runs or size + len(part.cleaned.html) > limit:
            runs.append([])
            size = 0
        runs[-1].append(part)
        size += len(part.cleaned.html)
    return runs


_ID = re.compile(r'\sid="([^"]+)"')
_HREF_TO_ANCHOR = re.compile(r'href="#([^"]+)"')


def linked_across_parts(html: str) -> str:
    """Links to anchors that are in another part of the book (our own serialised HTML, so
    attributes are always double-quoted): WeasyPrint would drop them; join.py restores them."""
    ids = set(_ID.findall(html))
    return _HREF_TO_ANCHOR.sub(lambda m: m[0] if m[1] in ids else f'href="{LINK_SCHEME}{m[1]}"', html)
