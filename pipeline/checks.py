"""Checks over the built site (and docs/ inputs) that nothing wrong ships with a green build.

- no macro call or Jinja tag left in any page (a page whose macros did not run);
- no placeholder address (example.org, .invalid, localhost) in any page: it sends a reader nowhere;
- nothing loads from another host, on any page or in any style sheet or script (the "no network"
  promise). Addresses are read as a browser reads them (normalise_url): 'ht<TAB>tps://x',
  '\\\\x' and 'https:x' are other hosts too; so are <base href>, a meta refresh, <link rel=preconnect>
  and the like, what an <iframe srcdoc> or a data: document in a frame loads, image-set() and SVG
  paint, mask and marker url()s, a form's action (it sends what the reader typed), a script's
  escaped slashes ('https:\\/\\/x'), and the Material features that fetch (a Mermaid diagram,
  repo_url's repository widget);
- no script in any SVG (it would run when the file is opened on its own);
- no editor leftovers (notes.txt, *.bak, *~ ...) in docs/ or the site;
- no inline script, on*= handler, javascript: or data: link, <style> or style= in a page (a strict
  Content-Security-Policy, site/_headers, must not break it);
- outbound links are https:, tel:, sms: or mailto: (an http:// link is not private, and prints in the
  PDFs); a tel:/sms: link's words, if they hold digits, are the number it dials;
- in each page's article: every image has alt text unless marked decorative, and headings never
  skip a level going down;
- no id on two elements of a page (a link to it would go to the first: a data id equal to a heading's);
- on a site the pipeline built (its manifest, SITE.build/manifest.json, is beside it; `guide build`,
  `guide serve` and `guide check` always have one): every relative link and load resolves to a file
  of the site (or to a PDF or the zip that this build makes after the checks), and its #fragment to
  an id there; the safety chapter is a handout, the first chapter, and in the search index, with its
  boxes (stop signs, who should not, safety check, pregnancy, consent, the three urgency boxes); the
  signs after a session are on their page; every other chapter has its care card, and every care
  card is the guide's (it links to the Emergency box and has a number to call); the plan builder's
  is inside #plan-care; none of these is hidden (hidden, aria-hidden, .screen-only, a closed
  <details> ...); every chapter has its handout buttons (a build without PDFs: the note in their
  place); every page the "Not medical advice" notice (with words, in any language) and the review
  and report-a-mistake box;
- none of our style sheets (docs/**/*.css, the handouts') aims a rule that hides at one of those
  parts, in any @media, print too (style_scan.py); the browser tests look at each part in Chromium;
- pages past their review date: a warning that strict turns into a failure, unless the
  GUIDE_ALLOW_OVERDUE_REVIEW environment variable gives a reason (logged) for an urgent publish.
  "Today" is the caller's (the CLI passes pipeline/clock.py's, which GUIDE_TODAY can set).

Pure functions, no engine import: `check_site(site_dir, docs_dir, today)` -> [Problem];
`verdict(problems, strict, environ)` -> what fails and what to log. The scans live beside it:
page_scan.py (each page, parsed once), script_scan.py (scripts and SVG files), site_rules.py
(across pages, with the build's manifest).
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from macros.placeholders import placeholder_in

from .errors import Problem
from .manifest import Manifest
from .page_scan import OUTBOUND_SCHEMES, PageScan, scan_page, text_external_loads
from .pages import overdue_reviews
from .script_scan import SCRIPT_DATA_FILES, script_addresses, svg_problems
from .site_rules import built_manifest, guide_problems, link_problems
from .style_scan import style_problems

__all__ = ["Problem", "Verdict", "check_site", "external_loads", "gate", "input_problems", "verdict"]

OVERRIDE_ENV = "GUIDE_ALLOW_OVERDUE_REVIEW"


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


_OUTBOUND = ", ".join(f"{s}:" for s in OUTBOUND_SCHEMES[:-1]) + f" or {OUTBOUND_SCHEMES[-1]}:"
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


def page_problems(site: Path, manifest: Manifest | None = None, docs_label: str = "docs") -> Iterator[Problem]:
    """Per HTML page, parsed once: loads from another host, what a strict CSP would block, links
    out, accessibility; then, with the build's manifest, links within the site and the guide's parts."""
    pages: dict[str, PageScan] = {}
    for path in _files(site, ".html"):
        rel = _rel(path, site)
        scan = pages[rel] = scan_page(path.read_text(encoding="utf-8", errors="replace"))
        for what in scan.loads:
            yield Problem(rel, f"loads from another host: {what}", _LOAD_FIX, kind="external-load")
        for what, fix in scan.remote_features:
            yield Problem(rel, f"loads from another host: {what}", fix, kind="external-load")
        for what in scan.csp:
            yield Problem(rel, f"would break under a strict Content-Security-Policy: {what}",
                          "move the script into a file under docs/assets/javascripts/ (see overrides/)", kind="csp")
        for what in scan.styles:
            yield Problem(rel, f"would break under a strict Content-Security-Policy (style-src 'self'): {what}",
                          "give the element a class and style it in a style sheet under docs/stylesheets/ "
                          "(a Markdown table's column alignment writes style=: leave it out)", kind="csp")
        for what in scan.unsafe_links:
            yield Problem(rel, f"has {what}", "link to a page or file of the site, relative to the page", kind="unsafe-link")
        for what in scan.outbound:
            yield Problem(rel, f"links out with an address that is not {_OUTBOUND} {what}",
                          "link to the https:// address (check that it opens), or leave the link out", kind="outbound-link")
        for what in scan.phone_words:
            yield Problem(rel, f"has a phone link whose words show another number: {what}",
                          "make the link's words the number it dials (in Markdown: [999](tel:999))", kind="phone-link")
        for ident in scan.duplicate_ids:
            yield Problem(rel, f"has two or more elements with id {ident!r}: a link to #{ident} goes to the first one only",
                          "give each its own id (a heading's { #id }, or the id of a data entry the page shows, such as "
                          "a contraindication group in data/safety.yml)", kind="broken-link")
        for what, fix in scan.accessibility:
            yield Problem(rel, f"in its article, {what}", fix, kind="accessibility")
    if manifest is not None:
        yield from link_problems(site, pages, manifest)
        yield from guide_problems(site, pages, manifest, docs_label)


def external_loads(site: Path) -> list[Problem]:
    """Every load from another host in the site's HTML, CSS and JS."""
    return [p for p in page_problems(site) if p.kind == "external-load"] + text_file_loads(site)


def svg_scripts(root: Path, label: str = "") -> list[Problem]:
    out = []
    for path in _files(root, ".svg"):
        for what in svg_problems(path.read_text(encoding="utf-8", errors="replace")):
            out.append(Problem(_rel(path, root, label), f"SVG {what}; it would run or fetch when the file is opened on its own",
                               "redraw or clean the figure: plain shapes and text only (no script, no on*=)",
                               kind="svg-script"))
    return out


# --- editor leftovers --------------------------------------------------------------------------

# nano's "*.save" (written when it cannot save), Word's "~$*" lock file (the author's name in it).
LEFTOVERS = ("*~", "*.bak", "*.swp", "*.swo", "*.tmp", "*.orig", "*.rej", "*.old", "*.save", "~$*", ".DS_Store",
             "Thumbs.db", "desktop.ini", "notes.txt", "todo.txt", "#*#", ".#*")


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


def input_problems(docs_dir: Path, today: dt.date) -> list[Problem]:
    """The checks of docs/ alone. They read no built page, so `guide build` runs them while the
    engine builds, on the other core (about 0.07 s off each build; style_problems is most of it)."""
    return [*svg_scripts(docs_dir, "docs"), *style_problems(docs_dir), *leftovers(docs_dir, "docs"), *overdue(docs_dir, today)]


def check_site(site_dir: Path, docs_dir: Path, today: dt.date, inputs: list[Problem] | None = None) -> list[Problem]:
    """Every problem in the built site and its docs/ inputs; see verdict() for what fails.
    inputs: input_problems(docs_dir, today), when the caller has them already."""
    manifest, unusable = built_manifest(site_dir)
    return [
        *unusable,
        *page_text_problems(site_dir),
        *page_problems(site_dir, manifest, docs_dir.name),
        *text_file_loads(site_dir),
        *svg_scripts(site_dir),
        *leftovers(site_dir),
        *(input_problems(docs_dir, today) if inputs is None else inputs),
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
         log=print, inputs: list[Problem] | None = None) -> bool:
    """The whole post-build check in one call for the CLI: log every problem; True when it may ship."""
    result = verdict(check_site(site_dir, docs_dir, today, inputs), strict, environ)
    for line in result.log:
        log(line)
    if not result.ok:
        log(f"{len(result.failures)} problem(s) stop this build (see above).")
    return result.ok
