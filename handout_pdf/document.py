"""The handout HTML documents: one chapter, or the whole guide with a contents page."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import jinja2

from .chapter import Chapter, Cleaned, HandoutError, SourceRef
from .clean import clean
from macros.dates import long_date

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "handout.css"
_PROJECT = Path(__file__).parent.parent
# Paper rules shared with browser print (docs/stylesheets/print.css imports the same file).
PAPER_STYLESHEET = _PROJECT / "docs" / "stylesheets" / "paper.css"
# Added for the large-print variant (handouts/large-print/<slug>.pdf).
LARGE_PRINT_STYLESHEET = Path(__file__).parent / "large-print.css"
# Template parts shared with the web theme (the "not medical advice" wording).
THEME_TEMPLATES = _PROJECT / "overrides"
# Files outside this package that shape every handout: recipes.py hashes them into the cache key.
SHARED_INPUTS = (PAPER_STYLESHEET, THEME_TEMPLATES / "partials" / "not-medical-advice.html")


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    author: str
    description: str
    site_dir: Path
    sources: Mapping[str, SourceRef]
    # Honest review status and the "report a mistake" words, from data/review.yml (macros/review.py).
    review_status: str = "Clinical review: not yet"
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
        sources=_sources(site, cleaned.cited, chapter.src_uri))
    return html, cleaned.files


def guide_document(chapters: Sequence[Chapter], site: Site) -> tuple[str, list[Path]]:
    """(handout HTML, local files it loads) for the whole guide; ids are prefixed per chapter."""
    parts = [Part(ch, clean(ch, site.site_dir, site.url, id_prefix=ch.slug, chapter_titles=site.chapter_titles),
                  f"chapter-{ch.slug}")
             for ch in chapters]
    cited: list[str] = []
    for part in parts:
        cited += [i for i in part.cleaned.cited if i not in cited]
    html = _environment().get_template("guide.html").render(
        paper_css=paper_css(),
        title=site.name, author=site.author, description=site.description, site_name=site.name,
        site=site, site_url=site.url, site_url_short=site.url.split("://", 1)[-1], parts=parts,
        sources=_sources(site, cited, "The guide"))
    return html, [f for part in parts for f in part.cleaned.files]
