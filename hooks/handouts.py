"""One PDF handout per chapter, plus the whole guide in one PDF, made by every build.

- on_nav: the chapters are the pages under the nav sections in CHAPTER_SECTIONS.
- on_page_markdown: each chapter learns its PDF's relative address (overrides/main.html
  shows the "Download this chapter as a PDF handout" link).
- on_page_content: each chapter's rendered content HTML is kept (the web theme never is).
- on_post_build: the handouts are typeset (handout_pdf/, WeasyPrint, cached in
  .cache/handouts/), and the HANDOUT_LIST marker on the Handouts page becomes a table of
  the PDFs with page counts and sizes measured from the files just written.

A handout that cannot be made stops the build, naming the chapter and the reason.
While `mkdocs serve` runs, handouts are made in a background thread after each rebuild, so
the edited page reloads at once and its PDF follows a few seconds later.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Section
from mkdocs.utils import CountHandler

from handout_pdf.chapter import Chapter, HandoutError, SourceRef
from handout_pdf.document import Site, chapter_document, guide_document
from handout_pdf.listing import handout_table
from handout_pdf.render import Job, make_all
from macros.data import DataError, load_data

log = logging.getLogger("mkdocs.hooks.handouts")

CHAPTER_SECTIONS = ("Before a release", "After a release")
HANDOUT_DIR = "handouts"
GUIDE_SLUG = "psoas-guide"
HANDOUT_LIST = "<!-- handouts:list -->"
# The cache may be shared between copies of the project (keys are content hashes).
CACHE_ENV = "HANDOUTS_CACHE_DIR"

# src_uri -> slug, in nav order; filled by on_nav.
_slugs: dict[str, str] = {}
# src_uri -> Chapter. Kept across `mkdocs serve` rebuilds, which may skip unchanged pages.
_chapters: dict[str, Chapter] = {}
# dest_uri of pages carrying HANDOUT_LIST.
_list_pages: set[str] = set()
# Set while serving: one worker, so background renders never overlap.
_background: ThreadPoolExecutor | None = None


def on_startup(command, dirty):
    global _background
    if command == "serve":
        _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handouts")


def on_nav(nav, config, files):
    _slugs.clear()
    _list_pages.clear()
    sections = {item.title: item for item in nav.items if isinstance(item, Section)}
    for title in CHAPTER_SECTIONS:
        if title not in sections:
            raise PluginError(
                f"handouts: the nav has no section called '{title}'. Fix: rename it back in mkdocs.yml, "
                "or update CHAPTER_SECTIONS in hooks/handouts.py.")
        pages = [p for p in sections[title].children if p.is_page]
        if not pages:
            raise PluginError(f"handouts: the nav section '{title}' has no pages. Fix: list its chapters in mkdocs.yml.")
        for page in pages:
            slug = Path(page.file.src_uri).stem
            if slug in _slugs.values() or slug == GUIDE_SLUG:
                raise PluginError(f"handouts: two chapters would both make '{slug}.pdf' ({page.file.src_uri}). "
                                  "Fix: rename one of the Markdown files.")
            _slugs[page.file.src_uri] = slug
    return nav


def on_page_markdown(markdown, page, config, files):
    slug = _slugs.get(page.file.src_uri)
    if slug:
        start = posixpath.dirname(page.file.dest_uri) or "."
        page.meta["handout_pdf"] = posixpath.relpath(f"{HANDOUT_DIR}/{slug}.pdf", start)
    return markdown


def on_page_content(html, page, config, files):
    if HANDOUT_LIST in html:
        _list_pages.add(page.file.dest_uri)
    slug = _slugs.get(page.file.src_uri)
    if slug:
        _chapters[page.file.src_uri] = Chapter(
            slug=slug, title=page.title, src_uri=page.file.src_uri,
            page_file=Path(config.site_dir) / page.file.dest_uri, online_url=page.canonical_url or page.url,
            updated=_date(page.meta.get("updated")), review_due=_date(page.meta.get("review_due")),
            description=page.meta.get("description") or config.site_description or "", content=html,
            evidence_checked=_date(page.meta.get("evidence_checked")))
    return html


def on_post_build(config):
    if _strict_build_will_stop(config):
        log.info("Handouts skipped: this --strict build has warnings and will stop.")
        return
    site_dir = Path(config.site_dir)
    missing = [uri for uri in _slugs if uri not in _chapters]
    if missing:
        raise PluginError(f"handouts: no rendered content for {', '.join(missing)}.")
    chapters = [_chapters[uri] for uri in _slugs]
    site = Site(name=config.site_name, url=config.site_url or "", author=config.site_author or config.site_name,
                description=config.site_description or "", site_dir=site_dir, sources=_sources(config),
                **_review(config))
    cache = Path(os.environ.get(CACHE_ENV) or Path(config.config_file_path).parent / ".cache" / "handouts")
    if _background is None:
        _make_and_list(_jobs(site, chapters), cache, site_dir)
    else:
        log.info("Handouts: being made in the background; the PDFs follow in a few seconds.")
        _background.submit(_make_in_background, site, chapters, cache)


def _jobs(site: Site, chapters: list[Chapter]) -> list[Job]:
    out = site.site_dir / HANDOUT_DIR
    # Chapters first: a problem in one is then reported under that chapter's own name.
    jobs = [_job(site, ch.title, ch.src_uri, chapter_document, ch, out / f"{ch.slug}.pdf") for ch in chapters]
    jobs.insert(0, _job(site, f"{site.name}: the whole guide", "every chapter", guide_document, chapters,
                        out / f"{GUIDE_SLUG}.pdf"))
    return jobs


def _make_in_background(site: Site, chapters: list[Chapter], cache: Path) -> None:
    try:
        _make_and_list(_jobs(site, chapters), cache, site.site_dir)
    except (PluginError, OSError) as exc:  # nothing to fail while serving: say it loudly instead
        log.error(str(exc))


def _make_and_list(jobs: list[Job], cache: Path, site_dir: Path) -> None:
    try:
        results = make_all(jobs, cache, _progress)
    except HandoutError as exc:
        raise PluginError(f"handouts: {exc}") from None
    order = {job.target: n for n, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job.target])
    for dest_uri in _list_pages:
        page = site_dir / dest_uri
        html = page.read_text(encoding="utf-8")
        if HANDOUT_LIST not in html:
            raise PluginError(f"handouts: {dest_uri} lost its {HANDOUT_LIST} marker while rendering.")
        table = handout_table(results, dest_uri, site_dir.as_posix())
        page.write_text(html.replace(HANDOUT_LIST, table, 1), encoding="utf-8")


def _strict_build_will_stop(config) -> bool:
    """--strict aborts after on_post_build if anything warned; typesetting PDFs first wastes seconds."""
    if not config.strict:
        return False
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def _job(site: Site, name: str, where: str, make, source, target: Path) -> Job:
    try:
        html, files = make(source, site)
    except HandoutError as exc:
        raise PluginError(f"handouts: the handout for '{name}' ({where}) could not be made: {exc}") from None
    base = source[0].page_file if isinstance(source, list) else source.page_file
    return Job(name=name, where=where, html=html, base_url=base.as_uri(), files=tuple(files),
               allowed=site.site_dir, target=target)


def _progress(result, n: int, total: int) -> None:
    how = "from cache" if result.cached else f"{result.seconds:.1f} s"
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    log.info(f"Handout {n} of {total}: {result.job.name} ({pages}, {how})")


def _sources(config) -> dict[str, SourceRef]:
    try:
        data = load_data(Path(config.config_file_path).parent / "data")
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return {s.id: SourceRef(s.id, s.title, s.publisher, s.year, str(s.url)) for s in data.sources.values()}


def _review(config) -> dict[str, str]:
    """Review status and report-a-mistake words for handouts, as on the pages (macros/review.py)."""
    from macros import review  # the data package; mkdocs.yml's macros plugin imports it too
    data = load_data(Path(config.config_file_path).parent / "data")
    return {"review_status": review.status(data.review), "report": review.report_text(data.review)}


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)) if value else None
