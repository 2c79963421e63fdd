"""Edits to the built HTML that need the whole site, done once after the engine (any engine).

Each function takes a page's HTML and returns it changed; run() applies them to every page and
writes only pages that changed.
"""
from __future__ import annotations

import posixpath
import re
from html import escape, unescape
from pathlib import Path

from macros.dates import long_date

from .manifest import Manifest, PageInfo
from .offline_zip import ZIP_LINK, ZIP_URI
from .workspace import write_text

HANDOUT_DIR = "handouts"
GUIDE_SLUG = "psoas-guide"
HANDOUT_LINK = "<!-- handout-link -->"   # overrides/main.html, on pages with `handout: true`
HANDOUT_LIST = "<!-- handouts:list -->"  # docs/reference/handouts.md
# The same chapters in 16 pt for readers with low vision (handout_pdf/large-print.css).
LARGE_PRINT_DIR = "large-print"
LARGE_PRINT_LIST = "<!-- handouts:large-print -->"  # docs/reference/handouts.md
# What a build without the PDFs or the zip (--no-handouts; `guide serve` makes no zip) shows where
# their links would be: a dead link looks like a broken site, a sentence says what is going on.
NO_HANDOUTS = "The PDF handouts were not made in this build."
NO_LARGE_PRINT = "The large print PDFs were not made in this build."
NO_CHAPTER_HANDOUTS = "This chapter's PDF handouts were not made in this build."
NO_ZIP = "The offline zip was not made in this build."
# Material's "download" icon (material/download.svg), inline: the button must not need the theme.
_DOWNLOAD_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
                  '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>')
_CITED_ON = re.compile(r"<!-- cited-on:([a-z0-9-]+)(?::([a-z0-9-]+))? -->")
_ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')
_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S)
_DEFINED = re.compile(r"<dt\b[^>]*>.*?</dt>", re.S)
_ISO_TIME = re.compile(r'(<time datetime="(\d{4}-\d\d-\d\d)"[^>]*>)\2(</time>)')
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def relative(target: str, from_url: str) -> str:
    """Link from one built page to another file of the site, e.g. '../handouts/x.pdf'."""
    return posixpath.relpath(target, posixpath.dirname(from_url) or ".")


def handout_url(page: PageInfo, large_print: bool = False) -> str:
    return f"{HANDOUT_DIR}/{LARGE_PRINT_DIR}/{page.slug}.pdf" if large_print else f"{HANDOUT_DIR}/{page.slug}.pdf"


def first_use_only(html: str) -> str:
    """Keep each glossary term's first tooltip in a page's text: health writers explain a word
    once, where it is read in a sentence. A heading is a label (and a chapter's title often
    names the term), so headings carry none; nor does a term being defined (<dt>, the glossary):
    its definition follows it, and a tooltip read it twice and took a Tab stop per term."""
    def unwrap(label: re.Match[str]) -> str:
        return _ABBR.sub(r"\1", label.group(0))

    html = _DEFINED.sub(unwrap, _HEADING.sub(unwrap, html))
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


def handout_link(html: str, page: PageInfo | None, made: bool = True) -> str:
    """A chapter's PDFs as two clear buttons (Material's md-button; print.css styles them and
    hides them on paper), just under the page title: above it they pushed the title off a
    phone's first screen. made=False (a build without PDFs): a sentence in their place, which
    keeps the class the site check looks for (a template without the marker still fails)."""
    if HANDOUT_LINK not in html:
        return html
    link = ""
    if page and page.handout and not made:
        link = f'<p class="handout-link">{NO_CHAPTER_HANDOUTS}</p>'
    elif page and page.handout:
        href = escape(relative(handout_url(page), page.url), quote=True)
        large = escape(relative(handout_url(page, large_print=True), page.url), quote=True)
        link = ('<p class="handout-link">'
                f'<a class="md-button md-button--primary handout-link__button" href="{href}" download>'
                f'<span class="handout-link__icon">{_DOWNLOAD_ICON}</span>'
                "Download this chapter as a PDF handout</a> "
                f'<a class="md-button handout-link__button" href="{large}" download>Large print PDF</a></p>')
    marker = html.index(HANDOUT_LINK)
    title_end = html.find("</h1>", marker)
    if not link or title_end < 0:
        return html.replace(HANDOUT_LINK, link, 1)
    title_end += len("</h1>")
    return html[:marker] + html[marker + len(HANDOUT_LINK):title_end] + link + html[title_end:]


def not_made(html: str, manifest: Manifest) -> str:
    """In a build without the PDFs or the zip, the Handouts page's lists and every link to download
    the zip become a plain sentence (the site check fails any other link to them)."""
    if not manifest.handouts:
        for marker, words in ((HANDOUT_LIST, NO_HANDOUTS), (LARGE_PRINT_LIST, NO_LARGE_PRINT)):
            html = html.replace(marker, f'<p class="not-made">{words}</p>', 1)  # one, as list_handouts fills
    if not manifest.offline_zip and ZIP_URI in html:
        html = ZIP_LINK.sub(f'<span class="not-made">{NO_ZIP}</span>', html)
    return html


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


def chapter_names(html: str, manifest: Manifest, from_url: str) -> str:
    """On paper a link goes nowhere, so a link to another chapter carries that chapter's title
    (data-see), which print.css writes after it when the browser prints. The PDF handouts say
    the same in their own words (handout_pdf/clean.py). Not on urgency links ("call 999 now"
    stays just that), nor when the link's own words already name the chapter."""
    titles = {page.url: page.title for page in manifest.chapters}

    def name(link: re.Match[str]) -> str:
        attrs, text = link.group(1), link.group(2)
        href = _HREF.search(attrs)
        if not href or "data-see=" in attrs or re.search(r'\bclass="[^"]*\burgency\b', attrs):
            return link.group(0)
        path = unescape(href.group(1)).split("#")[0]
        if not path or ":" in path:
            return link.group(0)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(from_url), path))
        title = titles.get(target)
        if not title or target == from_url or title.casefold() in unescape(_TAG.sub("", text)).casefold():
            return link.group(0)
        return f'<a{attrs} data-see="{escape(title, quote=True)}">{text}</a>'

    return _ARTICLE.sub(lambda article: _LINK.sub(name, article.group(0)), html, count=1)


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if "assets" not in p.relative_to(site_dir).parts)


def run(site_dir: Path, manifest: Manifest) -> int:
    """Apply every edit to every built page; return how many pages changed."""
    changed = 0
    for path in html_pages(site_dir):
        url = path.relative_to(site_dir).as_posix()
        before = path.read_text(encoding="utf-8")
        after = long_dates(first_use_only(before))
        after = cited_on(handout_link(after, manifest.page(url), manifest.handouts), manifest, url)
        after = not_made(after, manifest)
        after = chapter_names(after, manifest, url)
        if after != before:
            write_text(path, after)
            changed += 1
    return changed


def leftover_markers(site_dir: Path, lists_filled: bool) -> list[str]:
    """'page: marker' for every marker a step should have replaced but did not. lists_filled: False
    while the Handouts page waits for `guide serve`'s PDFs (the handout step or not_made fills it)."""
    markers = ["<!-- cited-on:", HANDOUT_LINK] + ([HANDOUT_LIST, LARGE_PRINT_LIST] if lists_filled else [])
    found = []
    for path in html_pages(site_dir):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(site_dir).as_posix()}: {m}" for m in markers if m in text]
    return found
