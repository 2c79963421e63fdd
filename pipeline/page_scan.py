"""One pass over a built page's elements for every per-page check (pipeline/checks.py).

Addresses are read as a browser reads them (normalise_url), so 'ht<TAB>tps://x', '\\\\x' and
'https:x' count as other hosts. A PageScan holds what the pass found: loads from other hosts, what
a strict Content-Security-Policy blocks, links out, the page's own links and ids, and in its
article the accessibility problems and the guide's parts (care card, safety boxes, notice, handout
buttons), each shown or hidden.
"""
from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Iterable, Iterator
from urllib.parse import unquote_to_bytes

from lxml import etree

from handout_pdf.screen_only import PAGE_CHROME_CLASSES, SCREEN_ONLY_CLASS, SCREEN_ONLY_TAGS

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

# url(...), @import "..." and image-set("a.png" 1x, 'b.png' 2x) (and -webkit-image-set: a bare string
# in it is an address too) in CSS; what is inside is unescaped, then read as an address. Matched in the
# lower-cased text (a quarter of the time of re.I), its groups taken from the text as written.
_CSS_LOAD_PATTERN = r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\)|@import\s+(?:"([^"]*)"|'([^']*)')|image-set\(((?:[^()]|\([^()]*\))*)\)"""
_CSS_LOAD = re.compile(_CSS_LOAD_PATTERN)
_CSS_LOAD_ANY_CASE = re.compile(_CSS_LOAD_PATTERN, re.I)
_CSS_IMAGE_SET_GROUP = 6
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
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
# Links out a reader may follow: https:// pages, and numbers to call or text (a crisis text line: sms:85258).
OUTBOUND_SCHEMES = ("https", "tel", "sms", "mailto")
_PHONE_SCHEMES = ("tel", "sms")
# A data: address here is a whole document, script and all, that may load from anywhere.
_DOCUMENT_TAGS = frozenset({"iframe", "frame", "object", "embed"})
# SVG presentation attributes that take a CSS value, url(...) and all: <rect mask="url(https://x)">.
CSS_VALUE_ATTRS = frozenset({"mask", "filter", "cursor", "fill", "stroke", "clip-path", "marker", "marker-start",
                             "marker-mid", "marker-end"})
_REFRESH = re.compile(r"\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)", re.I | re.S)
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Images that only decorate, and say so: an exercise's thumbnail beside its name (macros/routines.py,
# alt=""), or an image hidden from assistive technology. Any other image needs alt text.
DECORATIVE_IMAGE_CLASS = "routine__thumb"
DECORATIVE_ROLES = ("presentation", "none")
# What the guide's own checks look for in each page's article (overrides/, macros/safety.py, pipeline/postprocess.py).
# The safety chapter's parts (macros/safety.py): class -> (what it is, the call that makes it).
SAFETY_PAGE_PARTS = {
    "stop-signs": ("the signs to stop at once (.stop-signs)", "stop_signs()"),
    "contraindications": ("the lists of who should not have deep pressure (.contraindications)", "contraindications()"),
    "safety-check": ("the tick-box safety check (.safety-check)", "safety_check()"),
    "pregnancy-note": ("the pregnancy note (.pregnancy-note)", "pregnancy_note()"),
    "consent-note": ("the consent note (.consent-note)", "consent_note()"),
}
AFTER_SESSION_PART = "after-session-signs"
# What shows that a page teaches technique (macros/routines.py): class -> the call that makes it. Such a page
# must say `technique: true`, so that its safety advice is checked to come first (site_rules.py).
TECHNIQUE_PARTS = {"exercise__evidence": "exercise_guide()", "routine__title": "routine_table()"}
_TECHNIQUE_CLASSES = frozenset(TECHNIQUE_PARTS)
# The plan builder's exercises, steps and all (macros/plan.py): inert data its script shows under the page's
# first section. Its page must say technique: true too, but the data's place on the page says nothing.
PLAN_DATA_ID, PLAN_DATA_CALL = "plan-data", "plan_builder_data()"
# What paper.css shows on paper only: a safety part inside it is not on screen, where technique is read.
PRINT_ONLY_CLASS = "print-only"
# SAFETY_PARTS: the safety chapter's boxes (and the signs after a session); CARE_LEVEL: each of its urgency boxes.
SAFETY_PARTS = frozenset({*SAFETY_PAGE_PARTS, AFTER_SESSION_PART})
CARE_CARD, CARE_LEVEL, NOTICE = "care-card", "care-level", "page-review__notice"
# The review box at every page's foot (overrides/partials/page-review.html) holds the notice and the report line.
REVIEW_BOX, REVIEW_REPORT = "page-review", "page-review__report"
_GUIDE_CLASSES = frozenset({CARE_CARD, CARE_LEVEL, NOTICE, REVIEW_BOX, REVIEW_REPORT, "handout-link", *SAFETY_PARTS})
# What hides a part from a reader: on screen, to a screen reader, or on paper (what the handouts
# leave out, handout_pdf/screen_only.py). <template> never shows; a closed <details> shows only its
# summary until opened.
_NEVER_SHOWN_TAGS = SCREEN_ONLY_TAGS | {"template"}
# Material features that fetch from another host when a page has their markup (its bundle holds the
# addresses: script_scan.SCRIPT_ADDRESSES_ALLOWED): a Mermaid diagram (mermaid from unpkg.com) and the
# repository widget that repo_url in mkdocs.yml adds (api.github.com, on every page view).
MERMAID_CLASS = "mermaid"


def _css_char(match: re.Match[str]) -> str:
    return chr(min(int(match.group(1), 16), 0x10FFFF)) if match.group(1) else match.group(2)


def _css_unescape(text: str) -> str:
    return _CSS_ESCAPE.sub(_css_char, text)


def _css_spelled(text: str) -> bool:
    """Whether an escape in the text spells part of a word ('\\75rl(' is 'url('; Font Awesome's '\\3c ' is not)."""
    return any(ch.isascii() and (ch.isalnum() or ch in "(@-") for ch in map(_css_char, _CSS_ESCAPE.finditer(text)))


def _css_addresses(text: str) -> Iterator[str]:
    """What url(), @import and image-set() hold, as written."""
    folded = text.lower()
    matches = _CSS_LOAD.finditer(folded) if len(folded) == len(text) else _CSS_LOAD_ANY_CASE.finditer(text)
    for match in matches:
        group = next(i for i, g in enumerate(match.groups(), 1) if g is not None)
        value = text[match.start(group):match.end(group)]
        if group == _CSS_IMAGE_SET_GROUP:  # its strings, and its url()s
            yield from (next(g for g in m.groups() if g is not None) for m in _CSS_STRING.finditer(value))
            yield from _css_addresses(value)
        else:
            yield value


def css_loads(css: str) -> list[str]:
    """Every address in url(), @import or image-set() that is on another host, normalised; in the
    text as written and, if an escape spells part of a word, unescaped."""
    found: list[str] = []
    for text in (css, _css_unescape(css)) if "\\" in css and _css_spelled(css) else (css,):
        for raw in _css_addresses(text):
            url = elsewhere(_css_unescape(raw).strip().strip("\"'"))
            if url and url not in found:
                found.append(url)
    return found


def data_document(url: str) -> str:
    """The text of a data: address ('data:text/html;base64,...' or percent-encoded), as a browser decodes it."""
    header, _, body = url.partition(",")
    raw = unquote_to_bytes(body)
    if header.lower().replace(" ", "").endswith(";base64"):
        raw = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
        try:
            raw = binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
        except binascii.Error:
            return ""
    return raw.decode("utf-8", errors="replace")


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
    remote_features: list[tuple[str, str]] = field(default_factory=list)  # (what, fix): Mermaid, the repository widget
    csp: list[str] = field(default_factory=list)       # what a strict CSP blocks: inline script, on*=, javascript:
    styles: list[str] = field(default_factory=list)    # what a strict CSP blocks: <style>, style=
    unsafe_links: list[str] = field(default_factory=list)  # data: links, <base href>
    outbound: list[str] = field(default_factory=list)  # outbound links that are not OUTBOUND_SCHEMES
    phone_words: list[str] = field(default_factory=list)  # tel:/sms: links whose words show another number
    local: list[tuple[str, str]] = field(default_factory=list)  # ('<a href>', 'x.html#id'): to find in the site
    ids: set[str] = field(default_factory=set)
    # ids on two or more elements: a link to one goes to the first only ('#safety-check' to a list
    # whose data id is safety-check, not to the safety check below it)
    duplicate_ids: list[str] = field(default_factory=list)
    element_ids: set[str] = field(default_factory=set)
    accessibility: list[tuple[str, str]] = field(default_factory=list)  # in the article: (what, fix)
    classes: set[str] = field(default_factory=set)     # _GUIDE_CLASSES found in the article, shown
    hidden: list[str] = field(default_factory=list)    # guide parts hidden: '.care-card inside <div hidden>'
    hidden_classes: set[str] = field(default_factory=set)  # _GUIDE_CLASSES of those, and 'care-level#urgent'
    level_ids: set[str] = field(default_factory=set)   # ids of the .care-level boxes shown: 'emergency'
    care_cards: list[CareCard] = field(default_factory=list)  # each .care-card shown
    # The words of each safety part shown (SAFETY_PARTS, CARE_LEVEL): (class, an item's words), one per
    # list item (the whole part if it has none), for the search check (site_rules.py).
    part_words: list[tuple[str, str]] = field(default_factory=list)
    notice: str = ""                                   # the text of .page-review__notice
    handout_hrefs: list[str] = field(default_factory=list)
    technique: set[str] = field(default_factory=set)   # TECHNIQUE_PARTS (or PLAN_DATA_ID) found in the article
    # For safety before technique (site_rules.py): the article's first <h2>, the TECHNIQUE_PARTS class
    # met before any <h2> (steps or a routine above every section), and how many of care_cards and which
    # level_ids come before the first of these two (all of them when the article has neither).
    first_h2: str = ""
    technique_first: str = ""
    cards_before_technique: int = 0
    levels_before_technique: set[str] = field(default_factory=set)


@dataclass
class CareCard:
    hrefs: list[str]                                   # its links' addresses, as written
    inside: set[str]                                   # the ids of the elements around it: {'plan-care'}


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
    if tag in _OUTBOUND_TAGS and name in ("href", "xlink:href"):
        # A reader chooses to follow these.
        if kind == "data":
            scan.unsafe_links.append(f"a data: link on <{tag}> (a whole page, script and all, can hide in one)")
        elif url.startswith("//"):
            scan.outbound.append(f"<{tag} {name}={url}> has no scheme (opened from a folder, it points to file://)")
        elif kind in _PHONE_SCHEMES:
            _phone_words(scan, el, url, kind)
        elif (kind == "https" and url[6:8] == "//") or kind == "mailto":  # 'HTTPS://x' too
            pass
        elif kind:
            scan.outbound.append(f"<{tag} {name}={url}>")
        else:
            scan.local.append((f"<{tag} {name}>", url))
        return
    if name in ("action", "formaction"):
        # A form sends what the reader typed to its action: to another host, that is a load.
        if kind == "data":
            scan.unsafe_links.append(f"a data: address in <{tag} {name}> (a whole page, script and all, can hide in one)")
        elif elsewhere(url):
            scan.loads.append(f"<{tag} {name}={url}> (it sends what the reader typed there)")
        return
    if kind == "data":
        if tag == "script":
            scan.csp.append("<script> from a data: address")
        elif tag in _DOCUMENT_TAGS:
            scan.unsafe_links.append(f"a data: document in <{tag} {name}> (a whole page, script and all, that may load "
                                     "from anywhere; a strict Content-Security-Policy blocks it)")
            inner = scan_elements(parse_html(data_document(url)))
            scan.loads += [f"<{tag} {name}=data:> {what}" for what in inner.loads]
        elif tag == "link" and "stylesheet" in el.get("rel", "").lower().split():
            # A style sheet in the page itself, as <style> is (and read by none of the style sheet checks).
            scan.styles.append(f"<link rel=stylesheet> to a data: address {url[:50]!r}")
            scan.loads += [f"<link rel=stylesheet href=data:> url {u}" for u in css_loads(data_document(url))]
    rel = el.get("rel", "") if tag == "link" else ""
    if tag == "link" and not set(rel.lower().split()) - NON_LOADING_RELS:
        return  # canonical, prev, next ...: named, never fetched (Zensical's canonical is '/page.html')
    if url.startswith("//") or kind not in ("", "data"):
        scan.loads.append(f"<link rel={rel} href={url}>" if tag == "link" else f"<{tag} {name}={url}>")
    elif not kind:
        scan.local.append((f"<{tag} {name}>", url))


_DIGITS = re.compile(r"\D")


def _phone_words(scan: PageScan, el: Any, url: str, kind: str) -> None:
    """'Call [000](tel:999)' shows one number and dials another: the digits in a tel:/sms: link's
    words, if it has any, are the digits it dials."""
    shown = _DIGITS.sub("", "".join(el.itertext()))
    dialled = _DIGITS.sub("", re.split(r"[?;]", url[len(kind) + 1:], maxsplit=1)[0])
    if shown and shown != dialled:
        scan.phone_words.append(f"<{el.tag} href={url}> shows {_text(el)[:40]!r}")


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
        elif tag == "style":
            scan.styles.append(f"<style> element {(el.text or '').strip()[:50]!r}")
            scan.loads += [f"<style> url {u}" for u in css_loads(el.text or "")]
        elif tag == "article" and article is None:
            article = el
        if not attrs:
            continue  # most elements (the navigation's) have a class and nothing else
        for name, value in attrs.items():
            if name == "class":
                if MERMAID_CLASS in value and MERMAID_CLASS in value.split():
                    scan.remote_features.append((
                        f"a Mermaid diagram (<{tag} class=mermaid>): Material's script fetches mermaid from unpkg.com to draw it",
                        "draw the diagram as an SVG figure in docs/assets/figures/ and show it with figure()"))
            elif name in _URL_ATTRS:
                _address(scan, el, name, value)
            elif name == "id":
                if value in scan.element_ids and value not in scan.duplicate_ids:
                    scan.duplicate_ids.append(value)
                scan.element_ids.add(value)
                scan.ids.add(value)
            elif name.startswith("on"):
                scan.csp.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                scan.styles.append(f"style= attribute on <{tag}> {value.strip()[:50]!r}")
                scan.loads += [f"style url {u}" for u in css_loads(value)]
            elif name in CSS_VALUE_ATTRS:
                scan.loads += [f"<{tag} {name}=> url {u}" for u in css_loads(value)]
            elif name == "data-md-component" and value == "source":
                scan.remote_features.append((
                    "the repository widget (data-md-component=source, from repo_url in mkdocs.yml): Material's script "
                    "asks api.github.com (or GitLab) for the repository's stars and forks on every page view",
                    "remove repo_url (and repo_name) from mkdocs.yml; link to the repository from a page instead"))
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
    # Technique starts at the first section, or sooner where a routine or exercise steps come before it.
    technique_met = False
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
            if tag == "h2" and not technique_met:
                scan.first_h2, technique_met = previous, True
                _note_safety_so_far(scan)
        classes = el.get("class") if isinstance(tag, str) else None
        if classes:
            names = classes.split()
            found = _GUIDE_CLASSES.intersection(names)
            if found:
                _guide_part(scan, el, found)
            if "handout-link__button" in names:
                scan.handout_hrefs.append(el.get("href", ""))
            taught = _TECHNIQUE_CLASSES.intersection(names)
            if taught:
                scan.technique |= taught
                if not technique_met:
                    scan.technique_first, technique_met = min(taught), True
                    _note_safety_so_far(scan)
        if tag == "script" and el.get("id") == PLAN_DATA_ID:
            scan.technique.add(PLAN_DATA_ID)
    if not technique_met:
        _note_safety_so_far(scan)


def _note_safety_so_far(scan: PageScan) -> None:
    """Where the page's technique starts: the care cards and urgency boxes shown above it."""
    scan.cards_before_technique, scan.levels_before_technique = len(scan.care_cards), set(scan.level_ids)


def _hidden_by(el: Any) -> str:
    """What hides an element (itself or an element around it) from a reader, or ''."""
    for node in (el, *el.iterancestors()):
        tag = node.tag
        if node.get("hidden") is not None:
            return f"<{tag} hidden>"
        if (node.get("aria-hidden") or "").strip().lower() == "true":
            return f'<{tag} aria-hidden="true">'
        classes = (node.get("class") or "").split()
        if SCREEN_ONLY_CLASS in classes:
            return f'<{tag} class="{SCREEN_ONLY_CLASS}"> (left out of print and the PDFs)'
        if PRINT_ONLY_CLASS in classes:
            return f'<{tag} class="{PRINT_ONLY_CLASS}"> (on paper only, hidden on screen)'
        if tag in _NEVER_SHOWN_TAGS:
            return f"<{tag}>"
        if tag == "details" and node.get("open") is None:
            return "a closed <details>"
        if tab := _closed_tab(node):
            return tab
    return ""


def _closed_tab(node: Any) -> str:
    """A pymdownx tab other than the one open when the page loads (the first of its set, or the one
    marked ===+, whose radio button is checked): its words stay hidden until it is picked. ''
    when node is not such a tab."""
    if "tabbed-block" not in (node.get("class") or "").split():
        return ""
    content = node.getparent()
    if content is None:
        return ""
    blocks = [s for s in content if isinstance(s.tag, str) and "tabbed-block" in (s.get("class") or "").split()]
    tab_set = content.getparent()
    radios = [] if tab_set is None else [i for i in tab_set if i.tag == "input" and (i.get("type") or "") == "radio"]
    open_at_first = next((n for n, radio in enumerate(radios) if radio.get("checked") is not None), 0)
    if blocks.index(node) == open_at_first:
        return ""
    if open_at_first == 0:
        return "a tab after the first (=== \"...\"), shown only when the reader picks it"
    return "a tab other than the one open at first (===+ \"...\"), shown only when the reader picks it"


def _in_page_chrome(el: Any) -> str:
    """What the handouts leave out around a part (the theme's own boxes, PAGE_CHROME_CLASSES), or ''."""
    for node in el.iterancestors():
        chrome = set((node.get("class") or "").split()).intersection(PAGE_CHROME_CLASSES)
        if chrome:
            return f'<{node.tag} class="{min(chrome)}"> (the theme\'s own part, left out of the PDFs)'
    return ""


def _guide_part(scan: PageScan, el: Any, found: AbstractSet[str]) -> None:
    """One of the guide's parts (the care card, a safety box, the notice ...): shown, or hidden and by what.
    The safety parts print too: inside the theme's own parts (the review box ...) they would not."""
    hidden = _hidden_by(el) or (_in_page_chrome(el) if found & (SAFETY_PARTS | {CARE_CARD, CARE_LEVEL}) else "")
    if hidden:
        ident = f"#{el.get('id')}" if el.get("id") else ""
        scan.hidden += [f".{name}{ident} inside {hidden}" for name in sorted(found)]
        scan.hidden_classes |= found
        if CARE_LEVEL in found and el.get("id"):
            scan.hidden_classes.add(f"{CARE_LEVEL}{ident}")
        return
    scan.classes |= found
    for name in sorted(found & (SAFETY_PARTS | {CARE_LEVEL})):
        scan.part_words += [(name, _text(item)) for item in (list(el.iter("li")) or [el])]
    if NOTICE in found:
        scan.notice = _text(el)
    if CARE_LEVEL in found and el.get("id"):
        scan.level_ids.add(el.get("id"))
    if CARE_CARD in found:
        scan.care_cards.append(CareCard([a.get("href") or "" for a in el.iter("a")],
                                        {node.get("id") for node in el.iterancestors() if node.get("id")}))


def text_external_loads(text: str) -> list[str]:
    """url(), @import and image-set() in a CSS file."""
    return [f"url {u}" for u in css_loads(text)]


def scan_page(html: str) -> PageScan:
    return scan_elements(parse_html(html))
