"""What the steps after the engine need, written once per build as JSON (SITE.build/manifest.json).

Pages (nav order) with their front matter; chapters are the pages with `handout: true`, technique
pages those with `technique: true`;
citations are read from what the macros rendered (`data-source` / `data-finding` on links),
so a cite() inside a loop or a data-made table counts like any other.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from macros import review
from macros.citations import labels as source_labels
from macros.data import GuideData

from .config import Config
from .errors import PipelineError
from .pages import read_page
from .workspace import state_dir, write_text

_TAG = re.compile(r"<a\b[^>]*\bdata-source=[^>]*>")
_ATTR = re.compile(r'\b(data-source|data-finding)="([^"]*)"')


@dataclass(frozen=True)
class PageInfo:
    src: str                       # 'before/is-it-safe.md'
    url: str                       # 'before/is-it-safe.html'
    title: str
    description: str
    updated: str | None            # ISO dates, as in the front matter
    evidence_checked: str | None
    review_due: str | None
    handout: bool
    technique: bool = False        # `technique: true`: its safety advice must come before its first section

    @property
    def slug(self) -> str:
        """The PDF's name without '.pdf': the Markdown file's name."""
        return PurePosixPath(self.src).stem


@dataclass(frozen=True)
class Manifest:
    site_name: str
    site_url: str
    site_author: str
    site_description: str
    pages: list[PageInfo]
    sources: dict[str, dict[str, Any]]
    # page url -> ['nhs-back-pain', 'wu-2021:pain', ...] in order of first citation
    citations: dict[str, list[str]] = field(default_factory=dict)
    # Report-a-mistake words for handouts (data/review.yml, macros/review.py).
    review: dict[str, str] = field(default_factory=dict)
    # page url -> its honest review status as it now reads (a page changed after the review says so)
    review_statuses: dict[str, str] = field(default_factory=dict)
    # What this build makes after its checks (pipeline/cli.py): the PDFs (`guide serve` makes them in
    # the background) and the offline zip. `--no-handouts` makes neither, so no page may link to them.
    handouts: bool = True
    offline_zip: bool = True

    @property
    def chapters(self) -> list[PageInfo]:
        return [p for p in self.pages if p.handout]

    def page(self, url: str) -> PageInfo | None:
        return next((p for p in self.pages if p.url == url), None)

    def review_status(self, page: PageInfo) -> str:
        return self.review_statuses.get(page.url, review.SHORT_NOT_YET)


def read_pages(config: Config) -> list[PageInfo]:
    pages = []
    for src in config.nav:
        path = config.docs_dir / src
        if not path.is_file():
            raise PipelineError(f"mkdocs.yml: the nav lists {src}, but {path} does not exist. Fix: correct the nav.")
        # The page check's own reader (BOM, '...' closer, strict YAML): one parser, one verdict.
        page, problems = read_page(path, f"{config.docs_dir.name}/{src}")
        if problems or page.meta is None:
            raise PipelineError("\n".join(problems))
        meta = page.meta
        pages.append(PageInfo(
            src=src, url=config.page_url(src), title=meta.title, description=meta.description,
            updated=meta.updated.isoformat(), evidence_checked=meta.evidence_checked.isoformat(),
            review_due=meta.review_due.isoformat(), handout=meta.handout, technique=meta.technique))
    _check_handout_names(pages, config.docs_dir.name)
    return pages


def _check_handout_names(pages: list[PageInfo], docs_label: str) -> None:
    """Each chapter's PDFs are named after its Markdown file (handouts/<slug>.pdf and
    handouts/large-print/<slug>.pdf); the whole guide's is handouts/<GUIDE_SLUG>.pdf. Two chapters of
    one name, or a chapter of the guide's name, would overwrite a PDF and be listed twice on the
    Handouts page. Names are compared as a Windows or macOS disk (or a zip unpacked there) does: in
    any case."""
    from .postprocess import GUIDE_SLUG, HANDOUT_DIR  # postprocess imports this module

    taken = {GUIDE_SLUG.casefold(): "the whole guide's PDF"}
    for page in pages:
        if not page.handout:
            continue
        src = f"{docs_label}/{page.src}"
        other = taken.setdefault(page.slug.casefold(), f"the handout of {src}")
        if other != f"the handout of {src}":
            raise PipelineError(f"{src}: its handout would be {HANDOUT_DIR}/{page.slug}.pdf, the name of {other}, so "
                                f"one would overwrite the other. Fix: rename {src} (and its entry in mkdocs.yml's nav), "
                                "or take 'handout: true' out of its front matter.")


def citations_in(page_html: str) -> list[str]:
    """'ID' or 'ID:FINDING' for every citation link, in order of first appearance."""
    found: list[str] = []
    for tag in _TAG.findall(page_html):
        attrs = {k: html.unescape(v) for k, v in _ATTR.findall(tag)}
        key = attrs["data-source"] + (f":{attrs['data-finding']}" if attrs.get("data-finding") else "")
        if key not in found:
            found.append(key)
    return found


def make_manifest(config: Config, data: GuideData, site_dir: Path, handouts: bool = True,
                  offline_zip: bool = True) -> Manifest:
    pages = read_pages(config)
    citations = {}
    for page in pages:
        built = site_dir / page.url
        if not built.is_file():
            raise PipelineError(f"{page.src} was not built ({built} is missing). Fix: check the engine's output above.")
        citations[page.url] = citations_in(built.read_text(encoding="utf-8"))
    names = source_labels(data.sources)
    sources = {s.id: {"title": s.title, "publisher": s.publisher, "year": s.year, "label": names[s.id],
                      "url": str(s.url)}
               for s in data.sources.values()}
    return Manifest(config.site_name, config.site_url, config.site_author, config.site_description,
                    pages, sources, citations,
                    review={"report": review.report_text(data.review)},
                    review_statuses={p.url: review.short_status(data.review, dt.date.fromisoformat(p.updated)
                                                                if p.updated else None, data.fingerprint)
                                     for p in pages},
                    handouts=handouts, offline_zip=offline_zip)


def manifest_path(site_dir: Path) -> Path:
    return state_dir(site_dir) / "manifest.json"


def save(manifest: Manifest, site_dir: Path) -> Path:
    path = manifest_path(site_dir)
    write_text(path, json.dumps(asdict(manifest), indent=1, ensure_ascii=False))
    return path


def load(site_dir: Path) -> Manifest:
    path = manifest_path(site_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["pages"] = [PageInfo(**p) for p in raw["pages"]]
        return Manifest(**raw)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise PipelineError(f"{path}: no usable build manifest ({exc}). Fix: run `guide build` first.") from None
