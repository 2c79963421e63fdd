"""The PDF handouts: one per chapter (`handout: true`) and the whole guide, from the built HTML.

Reads the manifest and each chapter's built page (the article's content only, none of the
theme around it); handout_pdf/ cleans and typesets. The Handouts page's marker becomes a table
of the PDFs with their real page counts and sizes.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Callable

from handout_pdf.chapter import NO_ARTICLE, Chapter, HandoutError, SourceRef
from handout_pdf.document import Site
from handout_pdf.listing import handout_table
from handout_pdf.recipes import ChapterRecipe, GuideRecipe
from handout_pdf.render import Job, Result, make_all
from handout_pdf.screen_only import PAGE_CHROME  # what our templates add around the content: not printed

from .errors import PipelineError
from .manifest import Manifest, PageInfo
from .postprocess import GUIDE_SLUG, HANDOUT_DIR, HANDOUT_LIST, LARGE_PRINT_DIR, LARGE_PRINT_LIST, handout_url
from .workspace import check_writable, write_text

log = logging.getLogger("guide.handouts")
# The cache may be shared between copies of the project (keys are content hashes).
CACHE_ENV = "HANDOUTS_CACHE_DIR"


def cache_dir(root: Path) -> Path:
    # Not under .cache/: Zensical owns that folder and `zensical build --clean` empties all of it.
    return Path(os.environ.get(CACHE_ENV) or root / ".handouts-cache")


def page_article(page_file: Path, html: str | None = None) -> str:
    """The <article> of a built page, cut out as text: the rest is the navigation, which grows
    with the guide. It is parsed (Chapter.content_soup) only when a PDF has to be made."""
    html = page_file.read_text(encoding="utf-8") if html is None else html
    start, end = html.find("<article"), html.rfind("</article>")
    if not 0 <= start < end:
        raise PipelineError(f"{page_file}: {NO_ARTICLE}")
    return html[start:end + len("</article>")]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def chapter_of(page: PageInfo, manifest: Manifest, site_dir: Path, html: str | None = None) -> Chapter:
    page_file = site_dir / page.url
    return Chapter(slug=page.slug, title=page.title, src_uri=page.src, page_file=page_file,
                   online_url=manifest.site_url + page.url if manifest.site_url else "",
                   updated=_date(page.updated), review_due=_date(page.review_due),
                   description=page.description, article=page_article(page_file, html),
                   evidence_checked=_date(page.evidence_checked), chrome=PAGE_CHROME,
                   review_status=manifest.review_status(page))


def chapter_pages(manifest: Manifest, site_dir: Path) -> dict[str, str]:
    """The built chapter pages' HTML, read now (serve: before the next rebuild replaces them)."""
    return {p.url: (site_dir / p.url).read_text(encoding="utf-8") for p in manifest.chapters}


def jobs(manifest: Manifest, site_dir: Path, pages: dict[str, str] | None = None) -> list[Job]:
    chapters = [chapter_of(p, manifest, site_dir, (pages or {}).get(p.url)) for p in manifest.chapters]
    if not chapters:
        raise PipelineError("no page says `handout: true` in its front matter, so there are no handouts. "
                            "Fix: add it to each chapter page.")
    site = Site(name=manifest.site_name, url=manifest.site_url, author=manifest.site_author,
                description=manifest.site_description, site_dir=site_dir,
                sources={i: SourceRef(i, s["title"], s["publisher"], s["year"], s["url"], s["label"])
                         for i, s in manifest.sources.items()},
                report=manifest.review.get("report", ""),
                chapter_titles={p.url: p.title for p in manifest.chapters})
    # Chapters first: a problem in one is then reported under that chapter's own name.
    made = [Job(ch.title, ch.src_uri, ChapterRecipe(ch, site), site_dir, site_dir / handout_url(p))
            for ch, p in zip(chapters, manifest.chapters, strict=True)]
    made += [Job(f"{ch.title} (large print)", ch.src_uri, ChapterRecipe(ch, site, large_print=True), site_dir,
                 site_dir / handout_url(p, large_print=True))
             for ch, p in zip(chapters, manifest.chapters, strict=True)]
    made.append(Job(f"{site.name}: the whole guide", "every chapter", GuideRecipe(tuple(chapters), site),
                    site_dir, site_dir / HANDOUT_DIR / f"{GUIDE_SLUG}.pdf"))
    return made


def progress(result: Result, n: int, total: int) -> None:
    how = "from cache" if result.cached else f"{result.seconds:.1f} s"
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    log.info(f"Handout {n} of {total}: {result.job.name} ({pages}, {how})")


def make_handouts(manifest: Manifest, site_dir: Path, root: Path,
                  report: Callable[[Result, int, int], None] = progress) -> list[Result]:
    cache = cache_dir(root)
    check_writable(cache, "the handout cache", f"make it writable, or set {CACHE_ENV} to a writable folder")
    check_writable(site_dir / HANDOUT_DIR, "the site folder", "build into a writable folder with --site-dir")
    try:
        results = make_all(jobs(manifest, site_dir), cache, report)
    except HandoutError as exc:
        raise PipelineError(f"handouts: {exc}") from None
    return results


def list_handouts(site_dir: Path, results: list[Result]) -> None:
    """Replace the Handouts page's markers with the tables of PDFs (standard, then large print).
    The whole guide leads its table, then the chapters in nav order."""
    large = [r for r in results if r.job.target.parent.name == LARGE_PRINT_DIR]
    standard = sorted((r for r in results if r not in large), key=lambda r: r.job.target.stem != GUIDE_SLUG)
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if HANDOUT_LIST in html or LARGE_PRINT_LIST in html:
            rel = page.relative_to(site_dir).as_posix()
            for marker, listed in ((HANDOUT_LIST, standard), (LARGE_PRINT_LIST, large)):
                html = html.replace(marker, handout_table(listed, rel, site_dir.as_posix()), 1)
            write_text(page, html)
