"""Checks over the built site (and docs/ inputs) that nothing wrong ships with a green build.

- no macro call or Jinja tag left in any page (a page whose macros did not run);
- no placeholder address (example.org, .invalid, localhost) in any page: it sends a reader nowhere;
- nothing loads from another host, on any page or in any style sheet or script (the "no network"
  promise). Addresses are read as a browser reads them (normalise_url): 'ht<TAB>tps://x',
  '\\\\x' and 'https:x' are other hosts too; so are <base href>, a meta refresh, <link rel=preconnect>
  and the like, and what an <iframe srcdoc> loads;
- no script in any SVG (it would run when the file is opened on its own);
- no editor leftovers (notes.txt, *.bak, *~ ...) in docs/ or the site;
- no inline script, on*= handler, javascript: or data: link in a page (a strict
  Content-Security-Policy must not break it);
- outbound links are https:, tel: or mailto: (an http:// link is not private, and prints in the PDFs);
- in each page's article: every image has alt text unless marked decorative, and headings never
  skip a level going down;
- on a site the pipeline built (its manifest, SITE.build/manifest.json, is beside it; `guide build`,
  `guide serve` and `guide check` always have one): every relative link and load resolves to a file
  of the site, and its #fragment to an id there; the safety chapter is a handout, the first chapter,
  and in the search index; every other chapter has its care card; every chapter its handout
  buttons; every page the "Not medical advice" notice and the review and report-a-mistake box;
- pages past their review date: a warning that strict turns into a failure, unless the
  GUIDE_ALLOW_OVERDUE_REVIEW environment variable gives a reason (logged) for an urgent publish.
  "Today" is the caller's (the CLI passes pipeline/clock.py's, which GUIDE_TODAY can set).

Pure functions, no engine import: `check_site(site_dir, docs_dir, today)` -> [Problem];
`verdict(problems, strict, environ)` -> what fails and what to log.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import unquote

from lxml import etree

from macros.links import SAFETY_PAGE
from macros.placeholders import placeholder_in

from .errors import PipelineError
from .manifest import Manifest, manifest_path
from .manifest import load as load_manifest
from .offline_zip import ZIP_URI
from .pages import overdue_reviews
from .postprocess import GUIDE_SLUG, HANDOUT_DIR, handout_url, relative

OVERRIDE_ENV = "GUIDE_ALLOW_OVERDUE_REVIEW"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fix: str
    level: str = "error"  # or "warning"
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.level.upper()}: {self.path}: {self.message}. Fix: {self.fix}."


def _files(root: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file() and (not suffixes or p.suffix.lower() in suffixes))


def _rel(path: Path, root: Path, label: str = "") -> str:
    """'index.html' in the site; 'docs/assets/x.svg' (label 'docs') among the inputs."""
    rel = path.relative_to(root).as_posix()
    return f"{label}/{rel}" if label else rel


# --- leftover macro calls ----------------------------------------------------------------------

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\{%", re.S)


def page_text_problems(site: Path) -> list[Problem]:
    """In each built page's text: a '{{' or '{%' means its macros did not run (e.g. its front
    matter was dropped); a placeholder address sends a reader nowhere."""
    out = []
    for path in _files(site, ".html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found = _JINJA.search(text)
        if found:
            out.append(Problem(_rel(path, site), f"shows an unrendered macro or Jinja tag {found.group(0)[:60]!r}",
                               "check the page's front matter ('render_macros: true', valid YAML) and the call",
                               kind="leftover-macro"))
        placeholder = placeholder_in(text)
        if placeholder:
            out.append(Problem(_rel(path, site), f"shows a placeholder address {placeholder!r}, "
                               "which a reader would write to or visit in vain",
                               "give the real address (SITE_URL, report_contact in data/review.yml) or leave it out",
                               kind="placeholder-address"))
    return out


# --- addresses, read as a browser reads them ---------------------------------------------------

_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_NEWLINE = {0x09: None, 0x0A: None, 0x0D: None}
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*(?=:)", re.I)


def normalise_url(value: str) -> str:
    """An address as a browser parses it (the WHATWG URL standard): leading and trailing C0
    controls and spaces dropped, tab, newline and CR dropped anywhere ('ht&#9;tps://x',
    'java&#10;script:'), and '\\' read as '/' (it is, on http(s) and file:// pages: '\\\\host/x'
    is '//host/x')."""
    return value.strip(_C0_AND_SPACE).translate(_TAB_NEWLINE).replace("\\", "/")


def scheme(url: str) -> str:
    """'https' for 'HTTPS://x' (a normalised address); '' for a relative one."""
    found = _SCHEME.match(url)
    return found.group(0).lower() if found else ""


def elsewhere(value: str) -> str:
    """The normalised address if a browser would fetch it from another scheme or host, else ''.
    'https://x', '//x', '\\\\x', 'ht<TAB>tps://x' and 'https:x' (https://x from a file:// page) all
    are; data: (the page's own bytes) and javascript: (the CSP check's) are not."""
    url = normalise_url(value)
    return url if url.startswith("//") or scheme(url) not in ("", "data", "javascript") else ""


# --- external loads ----------------------------------------------------------------------------

# url(...) and @import "..." in CSS; what is inside is unescaped, then read as an address.
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-f]{1,6})\s?|(.))", re.I | re.S)
# A <link> whose every rel is one of these fetches nothing (canonical: the address online, when
# SITE_URL is set). Any other rel may load: stylesheet, icon, preload, preconnect, dns-prefetch, prerender ...
NON_LOADING_RELS = {"alternate", "author", "bookmark", "canonical", "external", "help", "license", "me",
                    "next", "nofollow", "noopener", "noreferrer", "opener", "prev", "tag"}
SRC_ATTRS = ("src", "data", "poster", "background")
# Attributes that hold one address; a browser follows them (href on a link) or fetches them.
_URL_ATTRS = frozenset({*SRC_ATTRS, "href", "xlink:href", "action", "formaction"})
# SVG animation values: <set attributeName="href" to="javascript:..."> makes a link.
_ANIMATION_ATTRS = frozenset({"to", "from", "values", "by"})
_OUTBOUND_TAGS = frozenset({"a", "area"})
_REFRESH = re.compile(r"\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)", re.I | re.S)
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Images that only decorate, and say so: an exercise's thumbnail beside its name (macros/routines.py,
# alt=""), or an image hidden from assistive technology. Any other image needs alt text.
DECORATIVE_IMAGE_CLASS = "routine__thumb"
DECORATIVE_ROLES = ("presentation", "none")
# What the guide's own checks look for in each page's article (overrides/, macros/safety.py, pipeline/postprocess.py).
_GUIDE_CLASSES = frozenset({"care-card", "page-review", "page-review__notice", "page-review__report", "handout-link"})


def _css_unescape(text: str) -> str:
    return _CSS_ESCAPE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF)) if m.group(1) else m.group(2), text)


def css_loads(css: str) -> list[str]:
    """Every address in url() or @import that is on another host, normalised."""
    found = []
    for match in _CSS_URL.finditer(css):
        raw = next(g for g in match.groups() if g is not None)
        url = elsewhere(_css_unescape(raw).strip().strip("\"'"))
        if url:
            found.append(url)
    return found


def parse_html(html: str) -> list[Any]:
    """A page's elements in document order (tag names lower case; comments left out).

    libxml2's forgiving HTML parser, in C: every page is parsed once for all the checks below
    (BeautifulSoup's pure-Python tree took about 18 s of a warm build at 16 times the guide).
    A parser per call: lxml parsers must not be shared between threads (serve builds in one)."""
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    root = etree.fromstring(html.encode("utf-8"), parser) if html.strip() else None
    return [] if root is None else [el for el in root.iter() if isinstance(el.tag, str)]


@dataclass
class PageScan:
    """What one pass over a page's elements found."""
    loads: list[str] = field(default_factory=list)     # fetched from another host: '<img src=https://x>'
    csp: list[str] = field(default_factory=list)       # what a strict CSP blocks: inline script, on*=, javascript:
    unsafe_links: list[str] = field(default_factory=list)  # data: links, <base href>
    outbound: list[str] = field(default_factory=list)  # outbound links that are not https:, tel: or mailto:
    local: list[tuple[str, str]] = field(default_factory=list)  # ('<a href>', 'x.html#id'): to find in the site
    ids: set[str] = field(default_factory=set)
    accessibility: list[tuple[str, str]] = field(default_factory=list)  # in the article: (what, fix)
    classes: set[str] = field(default_factory=set)     # _GUIDE_CLASSES found in the article
    notice: str = ""                                   # the text of .page-review__notice
    handout_hrefs: list[str] = field(default_factory=list)


def _address(scan: PageScan, el: Any, name: str, value: str) -> None:
    """One address attribute: an outbound link, a load from elsewhere, or a file of the site."""
    tag = el.tag
    url = normalise_url(value)
    kind = scheme(url)
    if kind == "javascript":
        scan.csp.append(f"javascript: address on <{tag}>")
        return
    if tag == "base":
        if elsewhere(url):
            scan.loads.append(f"<base href={url}>")
        else:
            scan.unsafe_links.append(f"<base href={url}> re-points every relative address on the page")
        return
    if (tag in _OUTBOUND_TAGS and name in ("href", "xlink:href")) or name in ("action", "formaction"):
        # A reader chooses to follow these.
        if kind == "data":
            scan.unsafe_links.append(f"a data: link on <{tag}> (a whole page, script and all, can hide in one)")
        elif url.startswith("//"):
            scan.outbound.append(f"<{tag} {name}={url}> has no scheme (opened from a folder, it points to file://)")
        elif (kind == "https" and url.startswith("https://")) or kind in ("tel", "mailto"):
            pass
        elif kind:
            scan.outbound.append(f"<{tag} {name}={url}>")
        elif tag in _OUTBOUND_TAGS:
            scan.local.append((f"<{tag} {name}>", url))
        return
    if tag == "script" and kind == "data":
        scan.csp.append("<script> from a data: address")
    rel = el.get("rel", "") if tag == "link" else ""
    if tag == "link" and not set(rel.lower().split()) - NON_LOADING_RELS:
        return  # canonical, prev, next ...: named, never fetched (Zensical's canonical is '/page.html')
    if url.startswith("//") or kind not in ("", "data"):
        scan.loads.append(f"<link rel={rel} href={url}>" if tag == "link" else f"<{tag} {name}={url}>")
    elif not kind and name != "action":
        scan.local.append((f"<{tag} {name}>", url))


def _srcset(scan: PageScan, el: Any, name: str, value: str) -> None:
    for candidate in value.split(","):
        parts = candidate.split()
        if not parts:
            continue
        url = elsewhere(parts[0])
        if url:
            scan.loads.append(f"<{el.tag} {name}={url}>")
        elif not scheme(normalise_url(parts[0])):
            scan.local.append((f"<{el.tag} {name}>", normalise_url(parts[0])))


def scan_elements(elements: Iterable[Any], scan: PageScan | None = None) -> PageScan:
    """One pass over a page's elements (parse_html) for every per-page check."""
    scan = scan if scan is not None else PageScan()
    article = None
    for el in elements:
        tag = el.tag
        attrs = el.attrib
        if tag == "script":
            if not attrs.get("src") and attrs.get("type", "").lower() not in _DATA_SCRIPT_TYPES:
                scan.csp.append(f"inline <script> {(el.text or '')[:50]!r}")
        elif tag == "style" and el.text:
            scan.loads += [f"<style> url {u}" for u in css_loads(el.text)]
        elif tag == "article" and article is None:
            article = el
        if not attrs:
            continue  # most elements (the navigation's) have a class and nothing else
        for name, value in attrs.items():
            if name in _URL_ATTRS:
                _address(scan, el, name, value)
            elif name == "id":
                scan.ids.add(value)
            elif name.startswith("on"):
                scan.csp.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                scan.loads += [f"style url {u}" for u in css_loads(value)]
            elif name in ("srcset", "imagesrcset"):
                _srcset(scan, el, name, value)
            elif name in _ANIMATION_ATTRS:
                _animation(scan, el, name, value)
            elif name == "ping":
                scan.loads += [f"<{tag} ping={u}>" for u in map(elsewhere, value.split()) if u]
            elif name == "name" and tag == "a":
                scan.ids.add(value)
            elif name == "srcdoc":
                inner = scan_elements(parse_html(value))
                scan.loads += [f"<{tag} srcdoc> {what}" for what in inner.loads]
                scan.csp += [f"<{tag} srcdoc> {what}" for what in inner.csp]
            elif name == "content" and tag == "meta" and attrs.get("http-equiv", "").strip().lower() == "refresh":
                refresh = _REFRESH.match(value)  # it matches any text: every part is optional
                target = elsewhere(refresh.group(1).strip().strip("\"'")) if refresh else ""
                if target:
                    scan.loads.append(f"<meta http-equiv=refresh url={target}>")
    if article is not None:
        _scan_article(scan, article)
    return scan


def _animation(scan: PageScan, el: Any, name: str, value: str) -> None:
    """<set>/<animate> in an inline SVG can set an href: to javascript:, or to another host."""
    url = normalise_url(value).lower()
    if "javascript:" in url:
        scan.csp.append(f"javascript: address in <{el.tag} {name}=>")
    elif el.get("attributename", "").lower() in ("href", "xlink:href"):
        scan.loads += [f"<{el.tag} {name}={u}>" for u in map(elsewhere, value.split(";")) if u]


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split()).removesuffix("¶").strip()


def _decorative(img: Any) -> bool:
    return (DECORATIVE_IMAGE_CLASS in (img.get("class") or "").split() or img.get("aria-hidden") == "true"
            or (img.get("role") or "").strip().lower() in DECORATIVE_ROLES)


_ALT_FIX = ("say what it shows in its alt text (in Markdown: ![what it shows](...)); an image that only "
            'decorates says so with alt="" and aria-hidden="true"')


def _scan_article(scan: PageScan, article: Any) -> None:
    """Images without alt text and heading levels skipped, in the article; and the guide's parts."""
    level, previous = 1, ""
    for el in article.iter():
        tag = el.tag
        if tag == "img":
            if not (el.get("alt") or "").strip() and not _decorative(el):
                alt = "empty alt text" if el.get("alt") is not None else "no alt text"
                scan.accessibility.append((f"<img src={el.get('src', '')}> has {alt}", _ALT_FIX))
        elif tag in _HEADINGS:
            heading = int(tag[1])
            if heading > level + 1:
                where = f"follows <h{level}> {previous[:60]!r}" if previous else "opens the article"
                scan.accessibility.append((f"heading <{tag}> {_text(el)[:60]!r} {where}, skipping a level",
                                           f"make it <h{level + 1}> (one more '#' than the heading above it), "
                                           "or put a heading of the level between them"))
            level, previous = heading, _text(el)
        classes = el.get("class") if isinstance(tag, str) else None
        if classes:
            found = _GUIDE_CLASSES.intersection(classes.split())
            if found:
                scan.classes |= found
                if "page-review__notice" in found:
                    scan.notice = _text(el)
            if "handout-link__button" in classes.split():
                scan.handout_hrefs.append(el.get("href", ""))


def html_external_loads(elements: list[Any]) -> list[str]:
    """What a browser would fetch from another host on its own (outbound <a href> links are fine)."""
    return scan_elements(elements).loads


def inline_script_problems(elements: list[Any]) -> list[str]:
    """What a strict CSP (script-src 'self') would block: inline <script>, on*= handlers, javascript:."""
    return scan_elements(elements).csp


def text_external_loads(text: str) -> list[str]:
    """url()/@import in a CSS file."""
    return [f"url {u}" for u in css_loads(text)]


# --- addresses in scripts ----------------------------------------------------------------------

# '//' starts every address a script could fetch: 'https://host', 'wss://host', '//host' (a string
# or an attribute starting there). Found by its literal '//' (a scheme pattern costs 20 ms a MB).
_JS_SLASHES = re.compile(r"""//[^\s"'`<>()\\]*""")
_JS_SCHEME = re.compile(r"(?:https?|wss?|ftp):$", re.I)
_JS_HOST = re.compile(r"//[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)


def _in_js_comment(text: str, at: int) -> bool:
    """Whether text[at] is in a comment: on a line that starts with '//', '/*' or '*' (a doc
    comment's; not '*/'), after ' //' on its line, or in a '/* ... */' that starts a line or is a
    licence ('/*!', kept by minifiers). A heuristic, not a JavaScript parser: a string holding ' //'
    passes for a comment (an address after it is missed), and a '/* ... */' in the middle of a line
    of code does not (an address in it is flagged: move it to a line of its own)."""
    line = text.rfind("\n", 0, at) + 1
    before = text[line:at].lstrip()
    if (before.startswith(("//", "/*", "*")) and not before.startswith("*/")) or " //" in before or "\t//" in before:
        return True
    opened = text.rfind("/*", 0, at)
    return opened > text.rfind("*/", 0, at) and (text.startswith("/*!", opened)
                                                  or not text[text.rfind("\n", 0, opened) + 1:opened].strip())


def _js_addresses(text: str) -> Iterator[str]:
    for match in _JS_SLASHES.finditer(text):
        at = match.start()
        scheme_at = _JS_SCHEME.search(text, max(0, at - 6), at)
        if scheme_at:
            url = scheme_at.group(0) + match.group(0)
        elif at and text[at - 1] in "\"'`=(" and _JS_HOST.match(match.group(0)):
            url = match.group(0)
        else:
            continue
        if not _in_js_comment(text, at):
            yield url


# Addresses the real site's scripts hold that a reader's browser never fetches here: (file, address
# pattern, why). Everything else in a script that names another host fails the build.
MATERIAL_BUNDLE = "assets/javascripts/bundle.*.min.js"  # Material's (and Zensical's) own bundle
SCRIPT_ADDRESSES_ALLOWED: tuple[tuple[str, str, str], ...] = (
    ("*", r"http://www\.w3\.org/", "XML namespace names (SVG, XHTML, MathML): identifiers, never fetched"),
    (MATERIAL_BUNDLE, r"https://unpkg\.com/resize-observer-polyfill$",
     "fetched only by a browser without ResizeObserver (none since 2020)"),
    (MATERIAL_BUNDLE, r"https://unpkg\.com/mermaid@\d+/dist/mermaid\.min\.js$",
     "fetched only for a page with a Mermaid diagram; the guide has none"),
    (MATERIAL_BUNDLE, r"https://api\.github\.com/(users|repos)/\$\{", "repository facts: only with repo_url in mkdocs.yml (unset)"),
    (MATERIAL_BUNDLE, r"https://\$\{\w+\}/api/v4/projects/", "GitLab repository facts: only with repo_url (unset)"),
    (MATERIAL_BUNDLE, r"https://unpkg\.com/glightbox@", "Zensical's image lightbox: only with that feature (off)"),
    (MATERIAL_BUNDLE, r"(https://unpkg\.com/(pyodide|ace-builds)@|https://cdn\.jsdelivr\.net/pyodide/)",
     "Zensical's runnable code blocks: only on a page with one (none)"),
    ("assets/javascripts/workers/search.*.min.js", r"https://bit\.ly/2s3ChXG$",
     "words of lunr's 'invalid query' console warning, never fetched"),
    ("assets/javascripts/lunr/wordcut.js", r"https://github\.com/isaacs/node-glob/issues/167$",
     "words of an error message of node-glob (bundled in Material's Thai word splitter), never fetched"),
)
# Data, not code: the search index holds the pages' own words (an address a page quotes is text).
SCRIPT_DATA_FILES = ("search/search_index.js", "search.js")


def script_addresses(text: str, rel: str = "") -> list[str]:
    """Addresses of other hosts in a script (fetch, a script element's src, ...), outside comments,
    less those SCRIPT_ADDRESSES_ALLOWED allows for this file (rel: its path in the site)."""
    allowed = [pattern for glob, pattern, _why in SCRIPT_ADDRESSES_ALLOWED if fnmatch.fnmatch(rel, glob)]
    return [url for url in _js_addresses(text) if not any(re.match(pattern, url) for pattern in allowed)]


_LOAD_FIX = "copy the file into docs/assets/ and link it relatively (the site must work with no network)"


def text_file_loads(site: Path) -> list[Problem]:
    """url()/@import in the site's CSS; addresses of other hosts in its scripts."""
    out = []
    for path in _files(site, ".css", ".js", ".mjs"):
        rel = _rel(path, site)
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix.lower() == ".css":
            found = text_external_loads(text)
        elif rel in SCRIPT_DATA_FILES:
            continue
        else:
            found = [f"script address {u}" for u in script_addresses(text, rel)]
        out += [Problem(rel, f"loads from another host: {what}", _LOAD_FIX, kind="external-load") for what in found]
    return out


def scan_page(html: str) -> PageScan:
    return scan_elements(parse_html(html))


def page_problems(site: Path, manifest: Manifest | None = None, docs_label: str = "docs") -> Iterator[Problem]:
    """Per HTML page, parsed once: loads from another host, what a strict CSP would block, links
    out, accessibility; then, with the build's manifest, links within the site and the guide's parts."""
    pages: dict[str, PageScan] = {}
    for path in _files(site, ".html"):
        rel = _rel(path, site)
        scan = pages[rel] = scan_page(path.read_text(encoding="utf-8", errors="replace"))
        for what in scan.loads:
            yield Problem(rel, f"loads from another host: {what}", _LOAD_FIX, kind="external-load")
        for what in scan.csp:
            yield Problem(rel, f"would break under a strict Content-Security-Policy: {what}",
                          "move the script into a file under docs/assets/javascripts/ (see overrides/)", kind="csp")
        for what in scan.unsafe_links:
            yield Problem(rel, f"has {what}", "link to a page or file of the site, relative to the page", kind="unsafe-link")
        for what in scan.outbound:
            yield Problem(rel, f"links out with an address that is not https:, tel: or mailto: {what}",
                          "link to the https:// address (check that it opens), or leave the link out", kind="outbound-link")
        for what, fix in scan.accessibility:
            yield Problem(rel, f"in its article, {what}", fix, kind="accessibility")
    if manifest is not None:
        yield from link_problems(site, pages, manifest)
        yield from guide_problems(site, pages, manifest, docs_label)


def external_loads(site: Path) -> list[Problem]:
    """Every load from another host in the site's HTML, CSS and JS."""
    return [p for p in page_problems(site) if p.kind == "external-load"] + text_file_loads(site)


# --- links within the site ---------------------------------------------------------------------

def made_after_checks(manifest: Manifest) -> set[str]:
    """Files the build makes only after these checks (pipeline/cli.py after_engine: the checks, then
    the handouts; then the zip; `guide serve` makes the PDFs in the background and no zip). A link
    to one of them passes while it is missing; only these names: a link to a PDF that the handout
    step will never make still fails."""
    return {ZIP_URI, f"{HANDOUT_DIR}/{GUIDE_SLUG}.pdf",
            *(handout_url(page, large_print) for page in manifest.chapters for large_print in (False, True))}


# HTML: the fragment "top" scrolls to the top of the page even with no element of that id.
_ALWAYS_THERE = {"top"}


def link_problems(site: Path, pages: Mapping[str, PageScan], manifest: Manifest) -> Iterator[Problem]:
    """Every relative href/src of every page is a file of the site (its path percent-decoded), and
    its #fragment an id in that page (ids are case-sensitive). Markdown links are MkDocs's to check;
    these are also the raw HTML's, the templates' and the build steps'."""
    files = {_rel(p, site) for p in _files(site)}
    later = made_after_checks(manifest)
    fix = "correct the address (in Markdown, link to the .md file so MkDocs checks it)"
    for page, scan in pages.items():
        for where, url in scan.local:
            address, _, fragment = url.partition("#")
            path = address.split("?", 1)[0]
            if path.startswith("/"):
                if page != "404.html":  # Material's 404 page is served at any depth, so starts at the root
                    yield Problem(page, f"{where}={url} starts at the server's root: it breaks when the site is "
                                  "opened from a folder or served below a path", f"write it relative to {page}",
                                  kind="broken-link")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))) if path else page
            if target == ".." or target.startswith("../"):
                yield Problem(page, f"{where}={url} points outside the site", fix, kind="broken-link")
            elif target not in files:
                if target not in later:
                    yield Problem(page, f"{where}={url} points to {target}, which is not in the site", fix, kind="broken-link")
            else:
                fragment = unquote(fragment.split(":~:", 1)[0])
                if fragment and target in pages and fragment not in pages[target].ids and fragment not in _ALWAYS_THERE:
                    yield Problem(page, f"{where}={url}: {target} has no element with id {fragment!r}",
                                  "link to an id the page has (ids are case-sensitive: copy it from the heading's "
                                  "permalink), or give the target an id with { #id }", kind="broken-link")


# --- the guide's own parts: safety first, care cards, notices ------------------------------------

def search_locations(site: Path) -> set[str] | None:
    """The pages in the search index (MkDocs: search/search_index.json; Zensical: search.json)."""
    for rel, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        path = site / rel
        if path.is_file():
            try:
                entries = json.loads(path.read_text(encoding="utf-8")).get(key, [])
            except (ValueError, AttributeError):
                return set()
            return {str(entry.get("location", "")).split("#")[0] for entry in entries if isinstance(entry, dict)}
    return None


def guide_problems(site: Path, pages: Mapping[str, PageScan], manifest: Manifest,
                   docs_label: str = "docs") -> Iterator[Problem]:
    """What the guide promises every reader, from the built pages and the manifest: the safety
    chapter (macros/links.py SAFETY_PAGE) is a handout, the first chapter (so the whole-guide PDF
    opens with it) and in the search index; every other chapter carries the care card; every chapter
    its handout buttons; every page the "Not medical advice" notice and the review and
    report-a-mistake box (overrides/partials/page-review.html)."""
    safety_src = f"{docs_label}/{SAFETY_PAGE}"
    safety = next((p for p in manifest.pages if p.src == SAFETY_PAGE), None)
    if safety is None:
        yield Problem(safety_src, "the safety chapter is not in the nav: no page, no handout, not in the whole-guide PDF",
                      "list it in mkdocs.yml's nav, first among the chapters", kind="safety")
    elif not safety.handout:
        yield Problem(safety_src, "the safety chapter is not a handout chapter: it has no PDF and the whole-guide "
                      "PDF leaves it out", "put 'handout: true' back in its front matter", kind="safety")
    elif manifest.chapters[0] != safety:
        first = manifest.chapters[0]
        yield Problem(safety_src, f"the safety chapter is not the first chapter ({first.src} is), so the whole-guide "
                      "PDF does not open with it", f"move it above {first.src} in mkdocs.yml's nav", kind="safety")
    if safety is not None:
        locations = search_locations(site)
        if locations is None:
            yield Problem("search/search_index.json", "the site has no search index",
                          "keep the search plugin in mkdocs.yml", kind="safety")
        elif safety.url not in locations:
            yield Problem(safety.url, "the safety chapter is not in the search index: a reader searching for a warning "
                          "sign would not find it", f"remove 'search: exclude' from the front matter of {safety_src}",
                          kind="safety")
    for page in manifest.pages:
        scan = pages.get(page.url)
        if scan is None:
            continue  # make_manifest stops the build first
        src = f"{docs_label}/{page.src}"
        box_fix = (f'keep {{% include "partials/page-review.html" %}} in overrides/main.html, and no \'template:\' '
                   f"in the front matter of {src}")
        if "page-review__notice" not in scan.classes or not scan.notice.startswith("Not medical advice"):
            yield Problem(page.url, "has no 'Not medical advice' notice", box_fix, kind="safety")
        if not {"page-review", "page-review__report"} <= scan.classes:
            yield Problem(page.url, "has no review and report-a-mistake box (.page-review)", box_fix, kind="safety")
        if not page.handout:
            continue
        if page.src != SAFETY_PAGE and "care-card" not in scan.classes:
            yield Problem(page.url, "is a chapter without the care card (when to stop, when to get help), on the page "
                          "and so in its PDF", f"put {{{{ care_card() }}}} back in {src} (with 'render_macros: true')",
                          kind="safety")
        wanted = {relative(handout_url(page, large), page.url) for large in (False, True)}
        if "handout-link" not in scan.classes or not wanted <= set(scan.handout_hrefs):
            yield Problem(page.url, f"is a chapter without its handout buttons ({' and '.join(sorted(wanted))})",
                          "keep <!-- handout-link --> in overrides/main.html's content block (the build puts them "
                          f"there), and no 'template:' in the front matter of {src}",
                          kind="safety")


def built_manifest(site: Path) -> tuple[Manifest | None, list[Problem]]:
    """The build's manifest beside the site, if it has one (a site the pipeline built)."""
    if not manifest_path(site).is_file():
        return None, []
    try:
        return load_manifest(site), []
    except PipelineError as exc:
        where = manifest_path(site).relative_to(site.parent).as_posix()
        return None, [Problem(where, str(exc), "rebuild the site with `guide build`", kind="manifest")]


# --- SVG without script ------------------------------------------------------------------------

def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].split(":")[-1].lower()


def svg_problems(svg_text: str) -> list[str]:
    """Script, event handlers, javascript: links, embedded HTML or remote loads inside an SVG.
    Addresses are read as a browser reads them (normalise_url)."""
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as exc:
        return [f"is not well-formed XML ({exc})"]
    found = []
    for el in root.iter():
        tag = _local(el.tag)
        if tag in ("script", "foreignobject", "iframe", "embed", "object", "handler"):
            found.append(f"has a <{tag}> element")
        animated = ""
        for name, value in el.attrib.items():
            attr = _local(name)
            if attr == "attributename":
                animated = _local(value)
            if attr.startswith("on"):
                found.append(f"has an event handler {attr}= on <{tag}>")
            elif attr == "href":
                kind = scheme(normalise_url(value))
                # javascript: anywhere; data: only as a link target (an embedded data: picture is fine).
                if kind == "javascript" or (tag == "a" and kind == "data"):
                    found.append(f"has a {kind}: link on <{tag}>")
                elif tag != "a" and elsewhere(value):
                    found.append(f"loads {elsewhere(value)} from another host")
            elif attr == "style":
                found += [f"loads {u} from another host (style=)" for u in css_loads(value)]
        # <set attributeName="href" to="javascript:..."> (and <animate> values=) makes a script link.
        for name, value in el.attrib.items():
            attr = _local(name)
            if attr not in _ANIMATION_ATTRS:
                continue
            if "javascript:" in normalise_url(value).lower():
                found.append(f"has a javascript: value in <{tag} {attr}=>")
            elif animated == "href":
                found += [f"loads {u} from another host (<{tag} {attr}=>)" for u in map(elsewhere, value.split(";")) if u]
        if tag == "style" and el.text:
            found += [f"loads {u} from another host" for u in css_loads(el.text)]
    return found


def svg_scripts(root: Path, label: str = "") -> list[Problem]:
    out = []
    for path in _files(root, ".svg"):
        for what in svg_problems(path.read_text(encoding="utf-8", errors="replace")):
            out.append(Problem(_rel(path, root, label), f"SVG {what}; it would run or fetch when the file is opened on its own",
                               "redraw or clean the figure: plain shapes and text only (no script, no on*=)",
                               kind="svg-script"))
    return out


# --- editor leftovers --------------------------------------------------------------------------

LEFTOVERS = ("*~", "*.bak", "*.swp", "*.swo", "*.tmp", "*.orig", "*.rej", "*.old", ".DS_Store", "Thumbs.db",
             "desktop.ini", "notes.txt", "todo.txt", "#*#", ".#*")


def leftovers(root: Path, label: str = "") -> list[Problem]:
    """Editor backups and private notes: they would be copied into the site and the offline zip."""
    return [Problem(_rel(p, root, label), "is an editor leftover or private note; it would be published",
                    "delete it, or keep it outside docs/", kind="leftover-file")
            for p in _files(root) if any(fnmatch.fnmatch(p.name, pat) for pat in LEFTOVERS)]


# --- review dates ------------------------------------------------------------------------------

def overdue(docs_dir: Path, today: dt.date) -> list[Problem]:
    return [Problem(name, f"review was due on {due} (today is {today})",
                    "review the page, then move 'review_due' (and 'evidence_checked'/'updated' if they changed)",
                    level="warning", kind="overdue-review")
            for name, due in overdue_reviews(docs_dir, today)]


def check_site(site_dir: Path, docs_dir: Path, today: dt.date) -> list[Problem]:
    """Every problem in the built site and its docs/ inputs; see verdict() for what fails."""
    manifest, unusable = built_manifest(site_dir)
    return [
        *unusable,
        *page_text_problems(site_dir),
        *page_problems(site_dir, manifest, docs_dir.name),
        *text_file_loads(site_dir),
        *svg_scripts(docs_dir, "docs"),
        *svg_scripts(site_dir),
        *leftovers(docs_dir, "docs"),
        *leftovers(site_dir),
        *overdue(docs_dir, today),
    ]


@dataclass
class Verdict:
    failures: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def verdict(problems: Iterable[Problem], strict: bool, environ: Mapping[str, str]) -> Verdict:
    """Errors always fail; warnings fail under strict, except overdue reviews with a logged reason."""
    result = Verdict()
    reason = (environ.get(OVERRIDE_ENV) or "").strip()
    for problem in problems:
        result.log.append(str(problem))
        if problem.level == "error":
            result.failures.append(problem)
        elif strict and not (problem.kind == "overdue-review" and reason):
            result.failures.append(problem)
        else:
            result.warnings.append(problem)
    if reason and any(p.kind == "overdue-review" for p in result.warnings):
        result.log.append(f"NOTE: publishing with overdue reviews because {OVERRIDE_ENV} says: {reason!r}")
    elif strict and any(p.kind == "overdue-review" for p in result.failures):
        result.log.append(f"NOTE: for an urgent publish, set {OVERRIDE_ENV}=\"why\" (it is logged).")
    return result


def gate(site_dir: Path, docs_dir: Path, today: dt.date, strict: bool, environ: Mapping[str, str],
         log=print) -> bool:
    """The whole post-build check in one call for the CLI: log every problem; True when it may ship."""
    result = verdict(check_site(site_dir, docs_dir, today), strict, environ)
    for line in result.log:
        log(line)
    if not result.ok:
        log(f"{len(result.failures)} problem(s) stop this build (see above).")
    return result.ok
