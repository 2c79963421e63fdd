"""One pass over a built page's elements for every per-page check (pipeline/checks.py).

Addresses are read as a browser reads them (normalise_url), so 'ht<TAB>tps://x', '\\\\x' and
'https:x' count as other hosts. A PageScan holds what the pass found: loads from other hosts, what
a strict Content-Security-Policy blocks, links out, the page's own links and ids, and in its
article the accessibility problems and the guide's parts (care card, notice, handout buttons).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from lxml import etree

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
ANIMATION_ATTRS = frozenset({"to", "from", "values", "by"})
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
            elif name in ANIMATION_ATTRS:
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


def text_external_loads(text: str) -> list[str]:
    """url()/@import in a CSS file."""
    return [f"url {u}" for u in css_loads(text)]


def scan_page(html: str) -> PageScan:
    return scan_elements(parse_html(html))
