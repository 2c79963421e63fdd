"""Checks over the built site (and docs/ inputs) that nothing wrong ships with a green build.

- no macro call or Jinja tag left in any page (a page whose macros did not run);
- no placeholder address (example.org, .invalid, localhost) in any page: it sends a reader nowhere;
- nothing loads from another host, on any page (the "no network" promise);
- no script in any SVG (it would run when the file is opened on its own);
- no editor leftovers (notes.txt, *.bak, *~ ...) in docs/ or the site;
- no inline script or on*= handler in a page (a strict Content-Security-Policy must not break it);
- pages past their review date: a warning that strict turns into a failure, unless the
  GUIDE_ALLOW_OVERDUE_REVIEW environment variable gives a reason (logged) for an urgent publish.
  "Today" is the caller's (the CLI passes pipeline/clock.py's, which GUIDE_TODAY can set).

Pure functions, no engine import: `check_site(site_dir, docs_dir, today)` -> [Problem];
`verdict(problems, strict, environ)` -> what fails and what to log.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from lxml import etree

from macros.placeholders import placeholder_in

from .pages import overdue_reviews

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


# --- external loads ----------------------------------------------------------------------------

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ftp:// ...
CSS_LOADS = re.compile(r"""(?:url\(\s*|@import\s+)["']?((?:[a-z][a-z0-9+.-]*:)?//[^"')\s;]+)""", re.I)
LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "apple-touch-icon",
                "manifest", "mask-icon"}
SRC_ATTRS = ("src", "data", "poster", "background")


def parse_html(html: str) -> list[Any]:
    """A page's elements in document order (tag names lower case; comments left out).

    libxml2's forgiving HTML parser, in C: every page is parsed once for all the checks below
    (BeautifulSoup's pure-Python tree took about 18 s of a warm build at 16 times the guide).
    A parser per call: lxml parsers must not be shared between threads (serve builds in one)."""
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    root = etree.fromstring(html.encode("utf-8"), parser) if html.strip() else None
    return [] if root is None else [el for el in root.iter() if isinstance(el.tag, str)]


# An element can load something only through one of these attributes, or by being one of these.
_LOADING_ATTRS = {*SRC_ATTRS, "srcset", "style", "href", "xlink:href"}
_LOADING_TAGS = {"style"}


def html_external_loads(elements: list[Any]) -> list[str]:
    """What a browser would fetch from another host on its own (outbound <a href> links are fine)."""
    found = []
    for tag in elements:
        if tag.tag not in _LOADING_TAGS and _LOADING_ATTRS.isdisjoint(tag.keys()):
            continue  # most elements (the navigation's) have a class and nothing else
        for attr in SRC_ATTRS:
            value = tag.get(attr, "")
            if EXTERNAL.match(value):
                found.append(f"<{tag.tag} {attr}={value}>")
        for candidate in tag.get("srcset", "").split(","):
            if EXTERNAL.match(candidate):
                found.append(f"<{tag.tag} srcset={candidate.split()[0]}>")
        rel = tag.get("rel", "")
        if tag.tag == "link" and LOADING_RELS & set(rel.lower().split()):
            if EXTERNAL.match(tag.get("href", "")):
                found.append(f"<link rel={rel} href={tag.get('href')}>")
        if tag.tag in ("image", "use", "feimage"):  # inline SVG fetches these
            for attr in ("href", "xlink:href"):
                if EXTERNAL.match(tag.get(attr, "")):
                    found.append(f"<{tag.tag} {attr}={tag.get(attr)}>")
        if tag.get("style"):
            found += [f"style url {u}" for u in CSS_LOADS.findall(tag.get("style"))]
        if tag.tag == "style":
            found += [f"<style> url {u}" for u in CSS_LOADS.findall(tag.text or "")]
    return found


def text_external_loads(text: str) -> list[str]:
    """url()/@import in a CSS file, or CSS written inside a script."""
    return [f"url {u}" for u in CSS_LOADS.findall(text)]


_LOAD_FIX = "copy the file into docs/assets/ and link it relatively (the site must work with no network)"


def text_file_loads(site: Path) -> list[Problem]:
    """url()/@import in the site's CSS and JS files."""
    return [Problem(_rel(path, site), f"loads from another host: {what}", _LOAD_FIX, kind="external-load")
            for path in _files(site, ".css", ".js")
            for what in text_external_loads(path.read_text(encoding="utf-8", errors="replace"))]


def page_problems(site: Path) -> Iterator[Problem]:
    """Per HTML page, parsed once: loads from another host, and what a strict CSP would block."""
    for path in _files(site, ".html"):
        elements = parse_html(path.read_text(encoding="utf-8", errors="replace"))
        for what in html_external_loads(elements):
            yield Problem(_rel(path, site), f"loads from another host: {what}", _LOAD_FIX, kind="external-load")
        for what in inline_script_problems(elements):
            yield Problem(_rel(path, site), f"would break under a strict Content-Security-Policy: {what}",
                          "move the script into a file under docs/assets/javascripts/ (see overrides/)", kind="csp")


def external_loads(site: Path) -> list[Problem]:
    """Every load from another host in the site's HTML, CSS and JS."""
    return [p for p in page_problems(site) if p.kind == "external-load"] + text_file_loads(site)


# --- SVG without script ------------------------------------------------------------------------

def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].split(":")[-1].lower()


def svg_problems(svg_text: str) -> list[str]:
    """Script, event handlers, javascript: links, embedded HTML or remote loads inside an SVG."""
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as exc:
        return [f"is not well-formed XML ({exc})"]
    found = []
    for el in root.iter():
        tag = _local(el.tag)
        if tag in ("script", "foreignobject", "iframe", "embed", "object", "handler"):
            found.append(f"has a <{tag}> element")
        for name, value in el.attrib.items():
            attr = _local(name)
            if attr.startswith("on"):
                found.append(f"has an event handler {attr}= on <{tag}>")
            # javascript: anywhere; data: only as a link target (an embedded data: picture is fine).
            if attr == "href" and re.match(r"\s*javascript:" if tag != "a" else r"\s*(javascript|data):", value, re.I):
                found.append(f"has a {value.split(':')[0].strip()}: link on <{tag}>")
            if attr == "href" and tag != "a" and EXTERNAL.match(value):
                found.append(f"loads {value} from another host")
        if tag == "style" and el.text:
            found += [f"loads {u} from another host" for u in CSS_LOADS.findall(el.text)]
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


# --- strict Content-Security-Policy ------------------------------------------------------------

_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


def inline_script_problems(elements: list[Any]) -> list[str]:
    """What a strict CSP (script-src 'self') would block: inline <script> and on*= handlers."""
    found = []
    for tag in elements:
        if tag.tag == "script" and not tag.get("src") and tag.get("type", "").lower() not in _DATA_SCRIPT_TYPES:
            found.append(f"inline <script> {(tag.text or '')[:50]!r}")
        for attr, value in tag.attrib.items():
            if attr.lower().startswith("on"):
                found.append(f"event handler {attr}= on <{tag.tag}>")
            if attr.lower() in ("href", "src") and str(value).strip().lower().startswith("javascript:"):
                found.append(f"javascript: address on <{tag.tag}>")
    return found


# --- review dates ------------------------------------------------------------------------------

def overdue(docs_dir: Path, today: dt.date) -> list[Problem]:
    return [Problem(name, f"review was due on {due} (today is {today})",
                    "review the page, then move 'review_due' (and 'evidence_checked'/'updated' if they changed)",
                    level="warning", kind="overdue-review")
            for name, due in overdue_reviews(docs_dir, today)]


def check_site(site_dir: Path, docs_dir: Path, today: dt.date) -> list[Problem]:
    """Every problem in the built site and its docs/ inputs; see verdict() for what fails."""
    return [
        *page_text_problems(site_dir),
        *page_problems(site_dir),
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
