"""Addresses of other hosts in the site's scripts, and script or remote loads in its SVG files.

A heuristic for scripts (not a JavaScript parser; see _in_js_comment), with the real site's few
harmless addresses allowed by name and reason (SCRIPT_ADDRESSES_ALLOWED).
"""
from __future__ import annotations

import fnmatch
import re
import xml.etree.ElementTree as ET
from typing import Iterator

from .page_scan import ANIMATION_ATTRS, CSS_VALUE_ATTRS, css_loads, elsewhere, normalise_url, scheme

# --- addresses in scripts ----------------------------------------------------------------------

# '//' starts every address a script could fetch: 'https://host', 'wss://host', '//host' (a string
# or an attribute starting there). Found by its literal '//' (a scheme pattern costs 20 ms a MB).
_JS_SLASHES = re.compile(r"""//[^\s"'`<>()\\]*""")
_JS_SCHEME = re.compile(r"(?:https?|wss?|ftp):$", re.I)
_JS_HOST = re.compile(r"//[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)
# A string's escaped '/' and ':' ("https:\/\/host", "https\x3a\u002f\u{2f}host") are read as written out.
_JS_ESCAPE = re.compile(r"\\(?:(/)|x(2f|3a)|u(?:00(2f|3a)|\{0*(2f|3a)\}))", re.I)


def _js_unescape(text: str) -> str:
    return _JS_ESCAPE.sub(lambda m: m.group(1) or chr(int(m.group(2) or m.group(3) or m.group(4), 16)), text)


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
    if "\\" in text:
        text = _js_unescape(text)
    return [url for url in _js_addresses(text) if not any(re.match(pattern, url) for pattern in allowed)]


# --- SVG without script ------------------------------------------------------------------------

def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].split(":")[-1].lower()


def svg_problems(svg_text: str) -> list[str]:
    """Script, event handlers, javascript: links, embedded HTML or remote loads inside an SVG (href,
    style, <style>, animation values, and url() in paint, mask, filter, cursor and marker attributes).
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
            elif attr == "style" or attr in CSS_VALUE_ATTRS:
                found += [f"loads {u} from another host ({attr}=)" for u in css_loads(value)]
        # <set attributeName="href" to="javascript:..."> (and <animate> values=) makes a script link.
        for name, value in el.attrib.items():
            attr = _local(name)
            if attr not in ANIMATION_ATTRS:
                continue
            if "javascript:" in normalise_url(value).lower():
                found.append(f"has a javascript: value in <{tag} {attr}=>")
            elif animated == "href":
                found += [f"loads {u} from another host (<{tag} {attr}=>)" for u in map(elsewhere, value.split(";")) if u]
        if tag == "style" and el.text:
            found += [f"loads {u} from another host" for u in css_loads(el.text)]
    return found
