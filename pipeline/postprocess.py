"""Edits to the built HTML that need the whole site, done once after the engine (any engine).

Each function takes a page's HTML and returns it changed; run() applies them to every page and
writes only pages that changed.
"""
from __future__ import annotations

import posixpath
import re
from html import escape
from pathlib import Path

from macros.dates import long_date

from .manifest import Manifest, PageInfo
from .workspace import write_text

HANDOUT_DIR = "handouts"
GUIDE_SLUG = "psoas-guide"
HANDOUT_LINK = "<!-- handout-link -->"   # overrides/main.html, on pages with `handout: true`
HANDOUT_LIST = "<!-- handouts:list -->"  # docs/reference/handouts.md
_CITED_ON = re.compile(r"<!-- cited-on:([a-z0-9-]+)(?::([a-z0-9-]+))? -->")
_ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')
_ISO_TIME = re.compile(r'(<time datetime="(\d{4}-\d\d-\d\d)"[^>]*>)\2(</time>)')


def relative(target: str, from_url: str) -> str:
    """Link from one built page to another file of the site, e.g. '../handouts/x.pdf'."""
    return posixpath.relpath(target, posixpath.dirname(from_url) or ".")


def handout_url(page: PageInfo) -> str:
    return f"{HANDOUT_DIR}/{page.slug}.pdf"


def first_use_only(html: str) -> str:
    """Keep each glossary term's first tooltip on a page: health writers explain a word once."""
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        term = match.group(1).casefold()
        if term in seen:
            return match.group(1)
        seen.add(term)
        return match.group(0)

    return _ABBR.sub(keep_first, html)


def long_dates(html: str) -> str:
    """<time datetime="2026-11-24">2026-11-24</time> -> ...>24 November 2026</time>."""
    return _ISO_TIME.sub(lambda m: f"{m.group(1)}{long_date(m.group(2))}{m.group(3)}", html)


def handout_link(html: str, page: PageInfo | None) -> str:
    if HANDOUT_LINK not in html:
        return html
    link = ""
    if page and page.handout:
        href = escape(relative(handout_url(page), page.url), quote=True)
        link = (f'<p class="handout-link"><a href="{href}" download>'
                "Download this chapter as a PDF handout</a></p>")
    return html.replace(HANDOUT_LINK, link, 1)


def cited_on(html: str, manifest: Manifest, from_url: str) -> str:
    """Fill each '<!-- cited-on:ID[:FINDING] -->' (source_list()) with the pages that cite it."""
    if "<!-- cited-on:" not in html:
        return html

    def pages_citing(match: re.Match[str]) -> str:
        source, finding = match.group(1), match.group(2)
        links = []
        for page in manifest.pages:
            keys = manifest.citations.get(page.url, [])
            hit = f"{source}:{finding}" in keys if finding else any(k.split(":")[0] == source for k in keys)
            if hit:
                links.append(f'<a href="{escape(relative(page.url, from_url), quote=True)}">{escape(page.title)}</a>')
        return ", ".join(links) or "not cited yet"

    return _CITED_ON.sub(pages_citing, html)


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if "assets" not in p.relative_to(site_dir).parts)


def run(site_dir: Path, manifest: Manifest) -> int:
    """Apply every edit to every built page; return how many pages changed."""
    changed = 0
    for path in html_pages(site_dir):
        url = path.relative_to(site_dir).as_posix()
        before = path.read_text(encoding="utf-8")
        after = long_dates(first_use_only(before))
        after = cited_on(handout_link(after, manifest.page(url)), manifest, url)
        if after != before:
            write_text(path, after)
            changed += 1
    return changed


def leftover_markers(site_dir: Path, handouts_made: bool) -> list[str]:
    """'page: marker' for every marker a step should have replaced but did not."""
    markers = ["<!-- cited-on:", HANDOUT_LINK] + ([HANDOUT_LIST] if handouts_made else [])
    found = []
    for path in html_pages(site_dir):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(site_dir).as_posix()}: {m}" for m in markers if m in text]
    return found
