"""The built-site checks (pipeline/checks.py) find each planted problem that once built green.

Fast rows check a tiny built guide, with its manifest and search index beside it, in-process (as
tests/test_hardening.py's site rows do): loads that hid from a plain match (a <base>, a meta refresh,
preconnect, srcdoc, a tab inside a scheme, a backslash for a slash, scripts that fetch), links in raw
HTML, images without alt text, skipped heading levels, http:// links, and the guide's safety promises;
then what a second review found (safety boxes dropped or hidden, a care card of one's own, data:
documents in frames, image-set(), SVG paint, forms, escaped slashes, Mermaid, repo_url's widget, a
phone link that dials another number, a chapter named like the whole guide), a link to a PDF or
the zip that a build without them (--no-handouts, `guide serve`) does not make, and what must pass
(sms:, 'HTTPS://', a translated notice, such a build's notes in place of its links).
The slow rows build a copy of the project with the same mistakes made in its pages and nav, and
prove that the build stops, naming the page and the fix.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT, build, html_pages
from handout_pdf.clean import SCREEN_ONLY
from macros import routines
from macros.data import load_data
from macros.links import AFTER_SESSION_PAGE, PLAN_BUILDER_PAGE, SAFETY_PAGE
from pipeline import page_scan, script_scan, site_rules
from pipeline.checks import check_site
from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.manifest import Manifest, PageInfo, read_pages
from pipeline.manifest import load as load_manifest
from pipeline.manifest import save as save_manifest
from pipeline.postprocess import GUIDE_SLUG, NO_CHAPTER_HANDOUTS, NO_HANDOUTS, NO_LARGE_PRINT, NO_ZIP

TODAY = dt.date(2027, 6, 1)  # injected: no row depends on the real date
SAFETY_URL = SAFETY_PAGE.removesuffix(".md") + ".html"  # before/is-it-safe.html
AFTER_SESSION_URL = AFTER_SESSION_PAGE.removesuffix(".md") + ".html"  # aftercare/immediate-effects.html
PLAN_URL = PLAN_BUILDER_PAGE.removesuffix(".md") + ".html"  # reference/plan-builder.html
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title>{}<rect width="5" height="5"/></svg>'

# overrides/partials/page-review.html, as built.
REVIEW = ('<aside class="page-review" aria-label="About this page">'
          '<p class="page-review__notice"><strong>Not medical advice.</strong> This guide gives general information.</p>'
          '<p class="page-review__report"><strong>Report a mistake.</strong> Tell the practitioner.</p></aside>')
NOTICE = '<p class="page-review__notice"><strong>Not medical advice.</strong> This guide gives general information.</p>'


def care_card(safety: str) -> str:
    """macros/safety.py care_card(), in short: its Emergency line links to the box and calls a number.
    safety: the safety page, relative to the page."""
    return ('<div class="admonition danger care-card" data-search-exclude><p class="admonition-title">When to stop and get help</p>'
            f'<ul><li><strong><a class="urgency" href="{safety}#emergency">Emergency</a>: call <a href="tel:999">999</a> '
            f'now</strong></li></ul><p class="care-card__more"><a href="{safety}">Check all the warning signs</a>.</p></div>')


CARE_CARD = care_card("is-it-safe.html")  # on before/preparing.html
# The safety chapter's boxes (macros/safety.py), as built: each one a row removes or hides.
LEVEL_BOXES = {ident: f'<div class="admonition {style} urgency care-level" id="{ident}"><p class="admonition-title">{title}</p></div>'
               for ident, style, title in (("emergency", "danger", "Emergency: call 999 now"),
                                           ("urgent", "warning", "Urgent: get medical advice today"),
                                           ("see-a-doctor", "note", "Not urgent: see your doctor first"))}
SAFETY_BOXES = {
    "stop-signs": '<div class="admonition danger stop-signs" id="stop-signs"><p class="admonition-title">Stop at once</p></div>',
    "contraindications": '<div class="contraindications" id="no-deep-pressure"><p><strong>No deep pressure</strong></p></div>',
    "pregnancy-note": '<div class="admonition warning pregnancy-note"><p class="admonition-title">Pregnancy</p></div>',
    "safety-check": '<div class="checklist safety-check" id="checklist-safety-check"><p>Tick each box that fits you</p></div>',
    "consent-note": '<div class="admonition info consent-note"><p class="admonition-title">Your choice</p></div>',
}
AFTER_SESSION_SIGNS = '<div class="admonition danger after-session-signs"><p class="admonition-title">After a session</p></div>'
PLAN_CARE = f'<div class="plan-care" id="plan-care">{care_card("../before/is-it-safe.html")}</div>'


def handout_buttons(slug: str) -> str:
    """pipeline/postprocess.py handout_link(), from a page in before/."""
    return (f'<p class="handout-link"><a class="md-button handout-link__button" href="../handouts/{slug}.pdf" download>PDF</a> '
            f'<a class="md-button handout-link__button" href="../handouts/large-print/{slug}.pdf" download>Large print</a></p>')


# Links to files made after the checks: they pass while missing, in a build that makes them.
MADE_LATER = ('<p>The <a href="../handouts/psoas-guide.pdf">whole guide</a> and the <a href="../downloads/psoas-guide-offline.zip">'
              'offline copy</a> are made after the checks.</p>')


# A technique page's first section (before/preparing.md says technique: true): the care card comes above it.
FIRST_SECTION = '<h2 id="choose-a-practitioner">Choose a practitioner</h2>'
# What macros/routines.py exercise_guide() and routine_table() show (page_scan.TECHNIQUE_PARTS).
EXERCISE_STEPS = ('<h2 id="exercise-knee-hug">Knee hug</h2><ol><li>Lie on your back.</li></ol>'
                  '<p class="exercise__evidence"><strong>What this rests on:</strong> practical advice.</p>')
ROUTINE = '<p class="routine__title"><strong>Daily routine</strong> (about 10 minutes).</p><table><tr><td>Knee hug</td></tr></table>'


def html(article: str, head: str = "") -> str:
    return (f'<html><head><meta charset="utf-8">{head}</head><body><header><a href="#top">Top</a></header>'
            f'<article class="md-content__inner md-typeset">{article}</article></body></html>')


PAGES = {
    "index.html": html(
        '<h1 id="psoas-guide">Psoas Guide</h1>'
        '<p>Start with <a href="before/is-it-safe.html#safety-check">the safety check</a>, '
        '<a href="before/is%2Dit-safe.html#urgent">an urgent sign</a> '
        '<a href="before/preparing.html">or</a> <a href="#psoas-guide">here</a> or <a href="#">the top</a>.</p>'
        '<p><a href="https://www.nhs.uk/">NHS</a> <a href="tel:999">999</a> <a href="mailto:help@nhs.net">mail</a>'
        ' <a href="before/preparing.html#:~:text=Warm">a text fragment</a></p>'
        '<figure><img src="assets/a%20figure.svg" alt="The psoas, from the front"></figure>'
        '<svg viewBox="0 0 1 1" aria-hidden="true"><use href="#icon"/></svg><svg><symbol id="icon"/></svg>'
        '<h2 id="a">A</h2><h3 id="b">B</h3><h4 id="c">C</h4><h2 id="d">D goes up two levels: fine</h2>'
        + REVIEW, head='<link rel="stylesheet" href="stylesheets/guide.css"><link rel="canonical" href="https://guide.nhs.net/">'
                       '<script src="assets/javascripts/app.js"></script>'),
    SAFETY_URL: html(
        '<h1 id="is-it-safe-for-me">Is it safe for me?</h1>' + handout_buttons("is-it-safe") + "".join(LEVEL_BOXES.values())
        + "".join(SAFETY_BOXES.values()).replace('<div class="checklist', '<h2 id="safety-check">Safety check</h2>'
                                                 '<p class="screen-only">You can print this page.</p><div class="checklist')
        + '<p><a href="../index.html#psoas-guide">Home</a></p>' + REVIEW),
    "before/preparing.html": html(
        '<h1 id="preparing">Preparing</h1>' + handout_buttons("preparing") + CARE_CARD + FIRST_SECTION
        + '<p><img class="routine__thumb screen-only" alt="" src="../assets/a%20figure.svg"> '
          '<img alt="" aria-hidden="true" src="../assets/a%20figure.svg"> <img role="presentation" src="../assets/a%20figure.svg"></p>'
        + MADE_LATER + REVIEW),
    AFTER_SESSION_URL: html(
        '<h1 id="immediate-effects">Immediate effects</h1>' + handout_buttons("immediate-effects") + AFTER_SESSION_SIGNS
        + care_card("../before/is-it-safe.html") + REVIEW),
    # Not a chapter; its care card prints on every plan.
    PLAN_URL: html('<h1 id="aftercare-plan-builder">Aftercare plan builder</h1>' + PLAN_CARE
                   + '<div class="plan-notices" id="plan-notices" role="alert" hidden></div>' + REVIEW),
    # Material's 404 page is shown at any depth, so its addresses start at the root.
    "404.html": html('<h1>404</h1><a href="/index.html">Home</a>', head='<link rel="stylesheet" href="/stylesheets/guide.css">'),
}

MANIFEST = Manifest(
    site_name="Psoas Guide", site_url="", site_author="", site_description="",
    pages=[PageInfo(src, src.removesuffix(".md") + ".html", title, "", "2026-11-24", "2026-11-24", "2029-11-24", handout,
                    technique)
           for src, title, handout, technique in (("index.md", "Psoas Guide", False, False),
                                                  (SAFETY_PAGE, "Is it safe for me?", True, False),
                                                  ("before/preparing.md", "Preparing", True, True),
                                                  (AFTER_SESSION_PAGE, "Immediate effects", True, False),
                                                  (PLAN_BUILDER_PAGE, "Aftercare plan builder", False, True))],
    sources={})


@pytest.fixture
def tiny_guide(tmp_path):
    """A tiny built guide: pages, a style sheet, a script, figures, a search index and the manifest."""
    site, docs = tmp_path / "site", tmp_path / "docs"
    docs.mkdir()
    for rel, text in {**PAGES,
                      "stylesheets/guide.css": 'body { background: url("../assets/a figure.svg") } '
                                               ".x { mask: url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>\") }",
                      # XML namespace names are identifiers; a comment's address is not a load.
                      "assets/javascripts/app.js": "// See https://developer.mozilla.org/docs/Web/SVG\n"
                                                   'const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");\n'
                                                   "/* https://github.com/squidfunk/mkdocs-material */\n",
                      "assets/a figure.svg": SVG.format(""),
                      "search/search_index.json": json.dumps({"docs": [{"location": p.url} for p in MANIFEST.pages]}),
                      }.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    save_manifest(MANIFEST, site)
    return site, docs


def test_tiny_guide_is_clean(tiny_guide):
    assert check_site(*tiny_guide, TODAY) == []


# --- planting ------------------------------------------------------------------------------------

Plant = Callable[[Path, Path], None]


def in_page(rel: str, old: str, new: str) -> Plant:
    def plant(site: Path, docs: Path) -> None:
        path = site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return plant


def in_article(rel: str, extra: str) -> Plant:
    return in_page(rel, "</article>", extra + "</article>")


def in_head(rel: str, extra: str) -> Plant:
    return in_page(rel, "</head>", extra + "</head>")


def new_file(rel: str, text: str) -> Plant:
    def plant(site: Path, docs: Path) -> None:
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return plant


def wrapped(rel: str, part: str, start: str, end: str) -> Plant:
    """The part of the page put inside another element: '<div hidden>' ... '</div>'."""
    return in_page(rel, part, start + part + end)


def together(*plants: Plant) -> Plant:
    def plant(site: Path, docs: Path) -> None:
        for one in plants:
            one(site, docs)
    return plant


def in_manifest(change: Callable[[Manifest], Manifest]) -> Plant:
    return lambda site, docs: save_manifest(change(load_manifest(site)), site)


def safety_not_handout(m: Manifest) -> Manifest:
    return dataclasses.replace(m, pages=[dataclasses.replace(p, handout=False) if p.src == SAFETY_PAGE else p for p in m.pages])


def safety_last(m: Manifest) -> Manifest:
    return dataclasses.replace(m, pages=[p for p in m.pages if p.src != SAFETY_PAGE] + [p for p in m.pages if p.src == SAFETY_PAGE])


def safety_not_in_nav(m: Manifest) -> Manifest:
    return dataclasses.replace(m, pages=[p for p in m.pages if p.src != SAFETY_PAGE])


def without_handouts(m: Manifest) -> Manifest:
    """`guide build --no-handouts`: no PDF and no zip will be made after the checks."""
    return dataclasses.replace(m, handouts=False, offline_zip=False)


def without_zip(m: Manifest) -> Manifest:
    """`guide serve`: the PDFs follow in the background, the zip never."""
    return dataclasses.replace(m, offline_zip=False)


CHAPTER_SLUGS = {SAFETY_URL: "is-it-safe", "before/preparing.html": "preparing", AFTER_SESSION_URL: "immediate-effects"}
NOTE_FOR_THE_BUTTONS = f'<p class="handout-link">{NO_CHAPTER_HANDOUTS}</p>'
# The tiny guide as `guide build --no-handouts` leaves it (pipeline/postprocess.py): a note for the buttons, no links.
BUILT_WITHOUT_HANDOUTS = together(in_manifest(without_handouts), in_page("before/preparing.html", MADE_LATER, ""),
                                  *(in_page(url, handout_buttons(slug), NOTE_FOR_THE_BUTTONS) for url, slug in CHAPTER_SLUGS.items()))


def search_index_without_safety(site: Path, docs: Path) -> None:
    (site / "search" / "search_index.json").write_text(
        json.dumps({"docs": [{"location": p.url} for p in MANIFEST.pages if p.url != SAFETY_URL]}), encoding="utf-8")


def search_index_without(part: str, url: str = SAFETY_URL) -> Plant:
    """An index with each page's words, as MkDocs writes one, but one box's left out on url (what
    data-search-exclude on the box, or on the heading above it, does)."""
    def plant(site: Path, docs: Path) -> None:
        pages = [{"location": p.url, "title": p.title,
                  "text": (site / p.url).read_text(encoding="utf-8").replace(part if p.url == url else "\0", "")}
                 for p in MANIFEST.pages]
        (site / "search" / "search_index.json").write_text(json.dumps({"docs": pages}), encoding="utf-8")
    return plant


# (id, plant, what the problem must say). Hosts are made up, not placeholders (those have their own check).
# pymdownx.tabbed (alternate style): the first tab shows, the others only once picked.
TABS = '<div class="tabbed-set"><div class="tabbed-content"><div class="tabbed-block"><p>First</p></div>'
# A set whose second tab is open at first (===+ "..."): pymdownx checks that tab's radio button.
PICKED_SECOND = ('<div class="tabbed-set"><input type="radio" name="t" id="t1"><input type="radio" name="t" id="t2" '
                 'checked="checked"><div class="tabbed-content">')

ROWS: list[tuple[str, Plant, str]] = [
    # 2. Loads that bypassed the check.
    ("base-href", in_head("index.html", '<base href="https://cdn.tracker.net/">'),
     "index.html: loads from another host: <base href=https://cdn.tracker.net/>"),
    ("meta-refresh", in_head("index.html", '<meta http-equiv="Refresh" content="600;url=https://x.tracker.net/">'),
     "loads from another host: <meta http-equiv=refresh url=https://x.tracker.net/>"),
    ("meta-refresh-quoted", in_head("index.html", "<meta http-equiv=\"refresh\" content=\"0; URL='//x.tracker.net/'\">"),
     "<meta http-equiv=refresh url=//x.tracker.net/>"),
    ("preconnect", in_head("index.html", '<link rel="preconnect" href="https://fonts.tracker.net">'),
     "loads from another host: <link rel=preconnect href=https://fonts.tracker.net>"),
    ("dns-prefetch", in_head("index.html", '<link rel="dns-prefetch" href="//fonts.tracker.net">'),
     "<link rel=dns-prefetch href=//fonts.tracker.net>"),
    ("prerender", in_head("index.html", '<link rel="prerender" href="https://tracker.net/next">'),
     "<link rel=prerender href=https://tracker.net/next>"),
    ("srcdoc", in_article("index.html", '<iframe srcdoc="&lt;img src=https://tracker.net/p.png&gt;"></iframe>'),
     "loads from another host: <iframe srcdoc> <img src=https://tracker.net/p.png>"),
    ("srcdoc-script", in_article("index.html", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
     "would break under a strict Content-Security-Policy: <iframe srcdoc> inline <script>"),
    ("backslashes-for-slashes", in_article("index.html", '<img src="\\\\tracker.net/p.png" alt="x">'),
     "loads from another host: <img src=//tracker.net/p.png>"),
    ("tab-in-scheme", in_article("index.html", '<img src="ht&#9;tps://tracker.net/p3.png" alt="x">'),
     "loads from another host: <img src=https://tracker.net/p3.png>"),
    ("scheme-without-slashes", in_article("index.html", '<img src="https:tracker.net/p4.png" alt="x">'),
     "loads from another host: <img src=https:tracker.net/p4.png>"),
    ("leading-newline-and-spaces", in_article("index.html", '<script src="&#10;  //cdn.tracker.net/x.js"></script>'),
     "loads from another host: <script src=//cdn.tracker.net/x.js>"),
    ("upper-case-inline-svg-image", in_article("index.html", '<svg><image href="HTTPS://tracker.net/i.png"/></svg>'),
     "<image href=HTTPS://tracker.net/i.png>"),
    ("ping", in_article("index.html", '<a href="before/preparing.html" ping="https://tracker.net/ping">x</a>'),
     "loads from another host: <a ping=https://tracker.net/ping>"),
    ("style-attribute-escaped", in_article("index.html", '<p style="background:url(h\\74 tps://tracker.net/bg.png)">x</p>'),
     "loads from another host: style url https://tracker.net/bg.png"),
    ("css-file-backslashes", new_file("stylesheets/extra.css", 'body { background: url("\\\\\\\\tracker.net/bg.png") }'),
     "stylesheets/extra.css: loads from another host: url //tracker.net/bg.png"),
    ("javascript-with-tab", in_article("index.html", '<a href="java&#9;script:alert(1)">x</a>'),
     "index.html: would break under a strict Content-Security-Policy: javascript: address on <a>"),
    ("javascript-with-newline-upper-case", in_article("index.html", '<a href=" JAVA&#10;SCRIPT:alert(1)">x</a>'),
     "javascript: address on <a>"),
    ("javascript-in-inline-svg-set", in_article("index.html", '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>'),
     "javascript: address in <set to=>"),
    ("data-link", in_article("index.html", '<a href=" data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'),
     "index.html: has a data: link on <a>"),
    ("script-fetch", new_file("assets/javascripts/extra.js", 'fetch("https://tracker.net/collect", {method: "POST"});\n'),
     "assets/javascripts/extra.js: loads from another host: script address https://tracker.net/collect"),
    ("script-element", new_file("assets/javascripts/extra.js", 'const s = document.createElement("script");\n'
                                                                "s.src = '//cdn.tracker.net/a.js'; document.head.append(s);\n"),
     "loads from another host: script address //cdn.tracker.net/a.js"),
    ("script-html-string", new_file("assets/javascripts/extra.js", "el.innerHTML = '<img src=https://tracker.net/p.png>';\n"),
     "script address https://tracker.net/p.png"),
    ("script-websocket", new_file("assets/javascripts/extra.js", 'new WebSocket("wss://tracker.net/live");\n'),
     "script address wss://tracker.net/live"),
    # Material's bundle may name Mermaid's CDN (it never fetches it here); our own scripts may not.
    ("allowed-only-in-materials-bundle", new_file("assets/javascripts/extra.js",
                                                  'import("https://unpkg.com/mermaid@11/dist/mermaid.min.js");\n'),
     "script address https://unpkg.com/mermaid@11/dist/mermaid.min.js"),
    ("svg-style-attribute", new_file("assets/figures/s.svg", SVG.format('<rect style="fill:url(https://tracker.net/f.svg#g)"/>')),
     "assets/figures/s.svg: SVG loads https://tracker.net/f.svg#g from another host (style=)"),
    ("svg-set-javascript", new_file("assets/figures/s.svg", SVG.format('<a><set attributeName="href" to="javascript:alert(1)"/></a>')),
     "SVG has a javascript: value in <set to=>"),
    ("svg-animate-values-javascript", new_file("assets/figures/s.svg", SVG.format(
        '<a><animate attributeName="href" values="#a;java&#9;script:alert(1)"/></a>')),
     "SVG has a javascript: value in <animate values=>"),
    ("svg-set-remote-image", new_file("assets/figures/s.svg", SVG.format(
        '<image><set attributeName="href" to="https://tracker.net/i.png"/></image>')),
     "SVG loads https://tracker.net/i.png from another host (<set to=>)"),
    ("svg-link-with-tab", new_file("assets/figures/s.svg", SVG.format('<a href="java&#9;script:alert(1)"><rect/></a>')),
     "SVG has a javascript: link on <a>"),
    ("svg-backslash-image", new_file("assets/figures/s.svg", SVG.format('<image href="\\\\tracker.net/i.png"/>')),
     "SVG loads //tracker.net/i.png from another host"),
    # A data id equal to a heading's: every "safety check" link went to a contraindication list.
    ("duplicate-id", in_page(SAFETY_URL, 'id="no-deep-pressure"', 'id="safety-check"'),
     "before/is-it-safe.html: has two or more elements with id 'safety-check'"),
    # 15. Links in raw HTML.
    ("missing-anchor", in_article("index.html", '<a href="before/is-it-safe.html#safety-checks">x</a>'),
     "index.html: <a href>=before/is-it-safe.html#safety-checks: before/is-it-safe.html has no element with id 'safety-checks'"),
    ("anchor-in-another-case", in_article("index.html", '<a href="before/is-it-safe.html#Safety-Check">x</a>'),
     "has no element with id 'Safety-Check'"),
    ("percent-encoded-anchor", in_article("index.html", '<a href="before/is-it-safe.html#safety%20check">x</a>'),
     "has no element with id 'safety check'"),
    ("missing-page", in_article("index.html", '<a href="safety.html">x</a>'),
     "index.html: <a href>=safety.html points to safety.html, which is not in the site"),
    ("missing-page-from-a-folder", in_article("before/preparing.html", '<a href="is-it-safe.htm">x</a>'),
     "before/preparing.html: <a href>=is-it-safe.htm points to before/is-it-safe.htm, which is not in the site"),
    ("same-page-anchor", in_article(SAFETY_URL, '<a href="#emergencies">x</a>'),
     "<a href>=#emergencies: before/is-it-safe.html has no element with id 'emergencies'"),
    ("missing-image", in_article("index.html", '<img src="assets/figure.svg" alt="A figure">'),
     "<img src>=assets/figure.svg points to assets/figure.svg, which is not in the site"),
    ("missing-script", in_head("index.html", '<script src="assets/javascripts/gone.js"></script>'),
     "<script src>=assets/javascripts/gone.js points to"),
    ("missing-style-sheet", in_head("index.html", '<link rel="stylesheet" href="stylesheets/gone.css">'),
     "<link href>=stylesheets/gone.css points to"),
    ("missing-srcset-candidate", in_article("index.html", '<img srcset="assets/a%20figure.svg 1x, assets/big.svg 2x" alt="x">'),
     "<img srcset>=assets/big.svg points to"),
    # Only the files the handout and zip steps will make may be missing at check time.
    ("handout-the-build-never-makes", in_article("before/preparing.html", '<a href="../handouts/safety.pdf">x</a>'),
     "<a href>=../handouts/safety.pdf points to handouts/safety.pdf, which is not in the site"),
    ("another-zip", in_article("before/preparing.html", '<a href="../downloads/guide.zip">x</a>'),
     "points to downloads/guide.zip, which is not in the site"),
    ("outside-the-site", in_article("before/preparing.html", '<a href="../../private/notes.html">x</a>'),
     "<a href>=../../private/notes.html points outside the site"),
    ("root-absolute", in_article("index.html", '<a href="/before/preparing.html">x</a>'),
     "index.html: <a href>=/before/preparing.html starts at the server's root"),
    ("relative-base", in_head("index.html", '<base href="before/">'),
     "index.html: has <base href=before/> re-points every relative address"),
    # 16. Accessibility.
    ("figure-without-alt", in_article("index.html", '<p><img src="assets/a%20figure.svg"></p>'),
     "index.html: in its article, <img src=assets/a%20figure.svg> has no alt text"),
    ("figure-with-empty-alt", in_article("index.html", '<p><img src="assets/a%20figure.svg" alt=""></p>'),
     "<img src=assets/a%20figure.svg> has empty alt text"),
    ("figure-with-blank-alt", in_article("index.html", '<p><img src="assets/a%20figure.svg" alt="  "></p>'),
     "has empty alt text"),
    ("heading-skips-a-level", in_article("index.html", '<h2 id="x">Two</h2><h4 id="y">Four</h4>'),
     "index.html: in its article, heading <h4> 'Four' follows <h2> 'Two', skipping a level"),
    ("article-starts-below-h2", in_page("before/preparing.html", '<h1 id="preparing">Preparing</h1>', '<h3 id="p">Preparing</h3>'),
     "heading <h3> 'Preparing' opens the article, skipping a level"),
    # 18. Outbound links.
    ("http-link", in_article("index.html", '<a href="http://www.nhs.uk/conditions/">NHS</a>'),
     "index.html: links out with an address that is not https:, tel:, sms: or mailto: <a href=http://www.nhs.uk/conditions/>"),
    ("http-link-upper-case", in_article("index.html", '<a href="HTTP://www.nhs.uk/">NHS</a>'), "<a href=HTTP://www.nhs.uk/>"),
    ("protocol-relative-link", in_article("index.html", '<a href="//www.nhs.uk/">NHS</a>'),
     "<a href=//www.nhs.uk/> has no scheme"),
    ("ftp-link", in_article("index.html", '<a href="ftp://files.nhs.uk/x.pdf">x</a>'), "<a href=ftp://files.nhs.uk/x.pdf>"),
    # 5 and 14. The guide's safety promises.
    ("safety-not-a-handout", in_manifest(safety_not_handout),
     f"docs/{SAFETY_PAGE}: the safety chapter is not a handout chapter"),
    ("safety-not-first", in_manifest(safety_last),
     f"docs/{SAFETY_PAGE}: the safety chapter is not the first chapter (before/preparing.md is)"),
    ("safety-not-in-nav", in_manifest(safety_not_in_nav), f"docs/{SAFETY_PAGE}: the safety chapter is not in the nav"),
    ("no-care-card", in_page("before/preparing.html", CARE_CARD, ""),
     "before/preparing.html: is a chapter without the care card"),
    ("no-notice", in_page("index.html", NOTICE, ""), "index.html: has no 'Not medical advice' notice"),
    ("notice-without-words", in_page("index.html", NOTICE, '<p class="page-review__notice"> <strong></strong></p>'),
     "index.html: has no 'Not medical advice' notice (.page-review__notice, with its words)"),
    ("template-base-html", in_page(SAFETY_URL, REVIEW, ""), f"{SAFETY_URL}: has no review and report-a-mistake box"),
    ("no-handout-buttons", in_page("before/preparing.html", handout_buttons("preparing"), ""),
     "before/preparing.html: is a chapter without its handout buttons"),
    ("handout-button-to-another-pdf", in_page("before/preparing.html", "../handouts/large-print/preparing.pdf",
                                              "../handouts/large-print/is-it-safe.pdf"),
     "is a chapter without its handout buttons (../handouts/large-print/preparing.pdf and ../handouts/preparing.pdf)"),
    # A build without the PDFs and the zip (--no-handouts): a link left to one is dead, and named so.
    ("pdf-link-without-handouts", in_manifest(without_handouts),
     "before/preparing.html: <a href>=../handouts/psoas-guide.pdf points to handouts/psoas-guide.pdf, a PDF handout, "
     "which this build does not make (`--no-handouts`). Fix: link to the Handouts page (reference/handouts.md) instead"),
    ("handout-buttons-without-handouts", in_manifest(without_handouts),
     f"{SAFETY_URL}: <a href>=../handouts/large-print/is-it-safe.pdf points to handouts/large-print/is-it-safe.pdf, "
     "a PDF handout, which this build does not make"),
    ("zip-link-without-handouts", in_manifest(without_handouts),
     "before/preparing.html: <a href>=../downloads/psoas-guide-offline.zip points to downloads/psoas-guide-offline.zip, "
     "the offline zip, which this build does not make (`--no-handouts`, or `guide serve`). Fix: write the link as "
     '<a href=".../downloads/psoas-guide-offline.zip">...</a>'),
    ("zip-link-in-serve", in_manifest(without_zip),
     "points to downloads/psoas-guide-offline.zip, the offline zip, which this build does not make"),
    ("no-note-for-the-buttons", together(BUILT_WITHOUT_HANDOUTS, in_page("before/preparing.html", NOTE_FOR_THE_BUTTONS, "")),
     "before/preparing.html: is a chapter without its handout buttons (.handout-link: in this build, the note that its "
     "PDFs were not made). Fix: keep <!-- handout-link --> in overrides/main.html"),
    ("safety-not-searchable", search_index_without_safety,
     f"{SAFETY_URL}: the safety chapter is not in the search index"),
    ("stop-signs-kept-out-of-search", search_index_without(SAFETY_BOXES["stop-signs"]),
     f"{SAFETY_URL}: has .stop-signs that search cannot find ('Stop at once'): a reader searching for a warning sign "
     f"would not find it. Fix: remove data-search-exclude from it and from the heading above it, in docs/{SAFETY_PAGE}"),
    ("emergency-box-kept-out-of-search", search_index_without(LEVEL_BOXES["emergency"]),
     f"{SAFETY_URL}: has .care-level that search cannot find ("),
    ("after-session-signs-kept-out-of-search", search_index_without(AFTER_SESSION_SIGNS, AFTER_SESSION_URL),
     f"{AFTER_SESSION_URL}: has .after-session-signs that search cannot find ("),
    # Second review, 4. The safety chapter's parts, and the signs after a session, dropped or hidden.
    *[(f"no-{part}", in_page(SAFETY_URL, SAFETY_BOXES[part], ""),
       f"{SAFETY_URL}: is the safety chapter without {what}. Fix: put {{{{ {call} }}}} back in docs/{SAFETY_PAGE}")
      for part, (what, call) in site_rules.SAFETY_PAGE_PARTS.items()],
    *[(f"no-{ident}-box", in_page(SAFETY_URL, box, ""),
       f"{SAFETY_URL}: is the safety chapter without its urgency box #{ident} (.care-level). Fix: put {{{{ urgency_boxes() }}}}")
      for ident, box in LEVEL_BOXES.items()],
    ("emergency-id-on-a-heading-instead", in_page(SAFETY_URL, LEVEL_BOXES["emergency"], '<h2 id="emergency">Emergency</h2>'),
     "is the safety chapter without its urgency box #emergency"),
    ("no-after-session-signs", in_page(AFTER_SESSION_URL, AFTER_SESSION_SIGNS, ""),
     f"{AFTER_SESSION_URL}: is where the signs to watch for after a session are the subject, without them "
     f"(.after-session-signs). Fix: put {{{{ after_session_signs() }}}} back in docs/{AFTER_SESSION_PAGE}"),
    ("stop-signs-in-hidden-div", wrapped(SAFETY_URL, SAFETY_BOXES["stop-signs"], "<div hidden>", "</div>"),
     f"{SAFETY_URL}: hides .stop-signs#stop-signs inside <div hidden>: a reader would not see it"),
    ("safety-check-screen-only", wrapped(SAFETY_URL, SAFETY_BOXES["safety-check"], '<div class="screen-only">', "</div>"),
     '.safety-check#checklist-safety-check inside <div class="screen-only"> (left out of print and the PDFs)'),
    ("pregnancy-note-aria-hidden", wrapped(SAFETY_URL, SAFETY_BOXES["pregnancy-note"], '<div aria-hidden="true">', "</div>"),
     'hides .pregnancy-note inside <div aria-hidden="true">'),
    ("consent-note-hidden-itself", in_page(SAFETY_URL, 'consent-note">', 'consent-note" hidden="until-found">'),
     "hides .consent-note inside <div hidden>"),
    ("contraindications-folded", wrapped(SAFETY_URL, SAFETY_BOXES["contraindications"], "<details><summary>More</summary>",
                                         "</details>"), "hides .contraindications#no-deep-pressure inside a closed <details>"),
    ("urgent-box-in-template", wrapped(SAFETY_URL, LEVEL_BOXES["urgent"], "<template>", "</template>"),
     "hides .care-level#urgent inside <template>"),
    ("one-box-hidden-another-gone", together(in_page(SAFETY_URL, LEVEL_BOXES["urgent"], ""),
                                             wrapped(SAFETY_URL, LEVEL_BOXES["see-a-doctor"], "<div hidden>", "</div>")),
     "is the safety chapter without its urgency box #urgent"),
    ("after-session-signs-in-noscript", wrapped(AFTER_SESSION_URL, AFTER_SESSION_SIGNS, "<noscript>", "</noscript>"),
     f"{AFTER_SESSION_URL}: hides .after-session-signs inside <noscript>"),
    ("care-card-hidden", wrapped("before/preparing.html", CARE_CARD, "<div hidden>", "</div>"),
     "before/preparing.html: hides .care-card inside <div hidden>"),
    ("care-card-in-the-themes-part", wrapped("before/preparing.html", CARE_CARD, '<nav class="md-tags">', "</nav>"),
     'before/preparing.html: hides .care-card inside <nav class="md-tags"> (the theme\'s own part, left out of the PDFs)'),
    ("stop-signs-in-the-review-box", wrapped(SAFETY_URL, SAFETY_BOXES["stop-signs"], '<aside class="page-review">', "</aside>"),
     f"{SAFETY_URL}: hides .stop-signs#stop-signs inside <aside class=\"page-review\"> (the theme's own part"),
    ("care-card-in-a-later-tab", wrapped("before/preparing.html", CARE_CARD, TABS + '<div class="tabbed-block">', "</div></div></div>"),
     'before/preparing.html: hides .care-card inside a tab after the first (=== "..."), shown only when the reader picks it'),
    # ===+ opens a later tab at first (its radio button checked): the first tab is then the hidden one.
    ("care-card-in-the-first-tab-of-a-set-opened-at-another",
     wrapped("before/preparing.html", CARE_CARD, PICKED_SECOND + '<div class="tabbed-block">',
             '</div><div class="tabbed-block"><p>Second</p></div></div></div>'),
     'before/preparing.html: hides .care-card inside a tab other than the one open at first (===+ "..."), shown only '
     'when the reader picks it'),
    ("care-card-screen-only", wrapped("before/preparing.html", CARE_CARD, '<div class="md-typeset screen-only">', "</div>"),
     'before/preparing.html: hides .care-card inside <div class="screen-only"> (left out of print and the PDFs)'),
    ("notice-hidden", in_page("index.html", '<aside class="page-review"', '<aside hidden class="page-review"'),
     "index.html: hides .page-review__notice inside <aside hidden>"),
    # 5. A care card of one's own, or one hidden by a style; the plan builder's.
    ("fake-care-card", in_page("before/preparing.html", CARE_CARD, '<p class="care-card">Take care.</p>'),
     "before/preparing.html: has a care card (.care-card) without a link to the Emergency box "
     "(before/is-it-safe.html#emergency) or a number to call (tel:): not the guide's care card. "
     "Fix: use {{ care_card() }} in docs/before/preparing.md"),
    ("care-card-without-a-number", in_page("before/preparing.html", '<a href="tel:999">999</a>', "999"),
     "before/preparing.html: has a care card (.care-card) without a link to the Emergency box"),
    ("care-card-to-another-box", in_page("before/preparing.html", "is-it-safe.html#emergency", "is-it-safe.html#urgent"),
     "before/preparing.html: has a care card (.care-card) without a link to the Emergency box"),
    ("style-element-hides-the-card", in_head("before/preparing.html", "<style>.care-card{display:none!important}</style>"),
     "before/preparing.html: would break under a strict Content-Security-Policy (style-src 'self'): <style> element "
     "'.care-card{display:none!important}'"),
    ("style-attribute", in_page("before/preparing.html", 'class="admonition danger care-card"',
                                'class="admonition danger care-card" style="display: none"'),
     "would break under a strict Content-Security-Policy (style-src 'self'): style= attribute on <div> 'display: none'"),
    ("plan-care-card-elsewhere", in_page(PLAN_URL, PLAN_CARE, care_card("../before/is-it-safe.html")),
     f"{PLAN_URL}: has no care card inside #plan-care: the printed plan would have no 'when to stop and get help'"),
    ("plan-care-card-gone", in_page(PLAN_URL, PLAN_CARE, '<div class="plan-care" id="plan-care"></div>'),
     "has no care card inside #plan-care"),
    # Safety before technique: on a page with technique: true the card comes above the first section.
    ("care-card-below-the-first-section", together(in_page("before/preparing.html", CARE_CARD, ""),
                                                   in_page("before/preparing.html", FIRST_SECTION, FIRST_SECTION + CARE_CARD)),
     "before/preparing.html: is a technique page (technique: true) without the care card before its first section "
     "('## Choose a practitioner'): a reader would meet the technique before the safety advice. "
     "Fix: move {{ care_card() }} above the first '## ' heading in docs/before/preparing.md"),
    # A link to the safety chapter (an "In short" box has one) does not stand for the card.
    ("only-a-safety-link-above-the-first-section",
     together(in_page("before/preparing.html", CARE_CARD, '<p>Read <a href="is-it-safe.html">Is it safe for me?</a> first.</p>'),
              in_page("before/preparing.html", FIRST_SECTION, FIRST_SECTION + CARE_CARD)),
     "before/preparing.html: is a technique page (technique: true) without the care card before its first section"),
    # The first section is not where technique starts when a routine comes before it, or the page has none.
    ("routine-above-the-card-above-the-first-section", in_page("before/preparing.html", CARE_CARD, ROUTINE + CARE_CARD),
     "before/preparing.html: is a technique page (technique: true) without the care card before the first exercise "
     "steps or routine it shows (.routine__title, from {{ routine_table() }}): a reader would meet the technique "
     "before the safety advice. Fix: move {{ care_card() }} above {{ routine_table() }} in docs/before/preparing.md"),
    ("routine-and-no-section-card-below", together(in_page("before/preparing.html", FIRST_SECTION, ROUTINE),
                                                     in_page("before/preparing.html", CARE_CARD, ""),
                                                     in_article("before/preparing.html", CARE_CARD)),
     "before/preparing.html: is a technique page (technique: true) without the care card before the first exercise steps"),
    # Paper only: on screen, where a technique page is read, the card is not there.
    ("care-card-print-only", wrapped("before/preparing.html", CARE_CARD, '<div class="print-only">', "</div>"),
     'before/preparing.html: hides .care-card inside <div class="print-only"> (on paper only, hidden on screen)'),
    ("plan-data-without-the-flag", in_article("index.html", '<script type="application/json" id="plan-data">{}</script>'),
     "index.html: shows exercise steps or a routine (#plan-data, from {{ plan_builder_data() }}) but is not marked"),
    ("exercise-steps-without-the-flag", in_article("index.html", EXERCISE_STEPS),
     "index.html: shows exercise steps or a routine (.exercise__evidence, from {{ exercise_guide() }}) but is not marked "
     "as a technique page, so nothing checks that its safety advice comes first. Fix: add 'technique: true' to the "
     "front matter of docs/index.md"),
    ("routine-without-the-flag", in_article(AFTER_SESSION_URL, ROUTINE),
     f"{AFTER_SESSION_URL}: shows exercise steps or a routine (.routine__title, from {{{{ routine_table() }}}}) but is "
     f"not marked as a technique page"),
    ("plan-care-hidden", in_page(PLAN_URL, '<div class="plan-care" id="plan-care">', '<div class="plan-care" id="plan-care" hidden>'),
     f"{PLAN_URL}: hides .care-card inside <div hidden>"),
    # 6. Outside requests.
    ("iframe-data-document", in_article("index.html", '<iframe src="data:text/html,%3Cimg%20src%3Dhttps%3A%2F%2Ft.tracker.net%2Fx.gif%3E">'
                                                      "</iframe>"),
     "index.html: loads from another host: <iframe src=data:> <img src=https://t.tracker.net/x.gif>"),
    ("iframe-data-document-is-refused", in_article("index.html", '<iframe src="data:text/html,%3Cp%3Ehi%3C%2Fp%3E"></iframe>'),
     "index.html: has a data: document in <iframe src> (a whole page, script and all, that may load from anywhere"),
    ("object-base64-document", in_article("index.html", '<object data="data:text/html;base64,PGltZyBzcmM9aHR0cHM6Ly90LnRy'
                                                        'YWNrZXIubmV0L28uZ2lmPg=="></object>'),
     "loads from another host: <object data=data:> <img src=https://t.tracker.net/o.gif>"),
    ("embed-data-svg", in_article("index.html", "<embed src=\"data:image/svg+xml,<svg><image href='//t.tracker.net/e.png'/></svg>\">"),
     "loads from another host: <embed src=data:> <image href=//t.tracker.net/e.png>"),
    ("image-set-in-style-attribute", in_article("index.html", '<p style="background: image-set(\'https://t.tracker.net/i.png\' 1x)">x</p>'),
     "loads from another host: style url https://t.tracker.net/i.png"),
    ("webkit-image-set-in-css-file", new_file("stylesheets/extra.css", 'a { background: -webkit-image-set("https://t.tracker.net/w.png" 2x) }'),
     "stylesheets/extra.css: loads from another host: url https://t.tracker.net/w.png"),
    ("image-set-with-url-in-css-file", new_file("stylesheets/extra.css", "a { b: image-set(url(//t.tracker.net/u.png) 1x) }"),
     "stylesheets/extra.css: loads from another host: url //t.tracker.net/u.png"),
    ("escaped-url-function-in-css", new_file("stylesheets/extra.css", "a { b: \\75 rl(https://t.tracker.net/e.png) }"),
     "stylesheets/extra.css: loads from another host: url https://t.tracker.net/e.png"),
    *[(f"inline-svg-{attr}", in_article("index.html", f'<svg><rect {attr}="url(https://t.tracker.net/{attr}.svg#a)"/></svg>'),
       f"index.html: loads from another host: <rect {attr}=> url https://t.tracker.net/{attr}.svg#a")
      for attr in ("mask", "filter", "cursor", "fill", "stroke", "clip-path", "marker-start", "marker-mid", "marker-end")],
    *[(f"svg-file-{attr}", new_file("assets/figures/s.svg", SVG.format(f'<path {attr}="url(\'//t.tracker.net/{attr}.svg#a\')"/>')),
       f"assets/figures/s.svg: SVG loads //t.tracker.net/{attr}.svg#a from another host ({attr}=)")
      for attr in ("mask", "filter", "fill", "clip-path", "marker-end")],
    ("form-to-another-host", in_article("index.html", '<form action="https://other.tracker.net/submit"><input name="q"></form>'),
     "index.html: loads from another host: <form action=https://other.tracker.net/submit> (it sends what the reader typed there)"),
    ("button-formaction", in_article("index.html", '<form><button formaction="//other.tracker.net/b">Send</button></form>'),
     "loads from another host: <button formaction=//other.tracker.net/b>"),
    ("script-escaped-slashes", new_file("assets/javascripts/extra.js", 'new Image().src = "https:\\/\\/t.tracker.net\\/c.gif";\n'),
     "assets/javascripts/extra.js: loads from another host: script address https://t.tracker.net/c.gif"),
    ("script-hex-and-unicode-slashes", new_file("assets/javascripts/extra.js", "fetch('https:\\x2f\\u002Ft.tracker.net/d');\n"),
     "script address https://t.tracker.net/d"),
    ("mermaid-diagram", in_article("index.html", '<pre class="mermaid"><code>graph LR; A--&gt;B</code></pre>'),
     "index.html: loads from another host: a Mermaid diagram (<pre class=mermaid>): Material's script fetches mermaid from unpkg.com"),
    ("repository-widget", in_page("index.html", "<header>", '<header><a href="https://github.com/x/y" class="md-source" '
                                                            'data-md-component="source">x/y</a>'),
     "index.html: loads from another host: the repository widget (data-md-component=source, from repo_url in mkdocs.yml)"),
    # 7. A number to call or text that shows one number and dials another.
    ("tel-shows-another-number", in_article("index.html", '<p>Call <a href="tel:999">000</a> (Australia)</p>'),
     "index.html: has a phone link whose words show another number: <a href=tel:999> shows '000'. "
     "Fix: make the link's words the number it dials"),
    ("sms-shows-another-number", in_article("index.html", '<a href="sms:85258?body=SHOUT">Text SHOUT to 85259</a>'),
     "<a href=sms:85258?body=SHOUT> shows 'Text SHOUT to 85259'"),
    # A style sheet in the page, as <style> is, that no sheet check reads (a third review).
    ("data-style-sheet-link", in_head("before/preparing.html", '<link rel="stylesheet" href="data:text/css,.care-card{display:none}">'),
     "before/preparing.html: would break under a strict Content-Security-Policy (style-src 'self'): <link rel=stylesheet> "
     "to a data: address"),
]

# What a reader's page may hold: each passes (the false alarms of the second review, and their near neighbours).
PASSING_ROWS: list[tuple[str, Plant]] = [
    ("sms-crisis-line", in_article("index.html", '<p>Text SHOUT to <a href="sms:85258">85258</a>.</p>')),
    ("sms-with-body", in_article("index.html", '<a href="sms:85258?body=SHOUT">Text SHOUT to 85258</a>')),
    ("upper-case-https", in_article("index.html", '<a href="HTTPS://www.nhs.uk/conditions/back-pain/">NHS</a>')),
    ("translated-notice", in_page("index.html", NOTICE, '<p class="page-review__notice"><strong>Pas un avis médical.</strong> '
                                                        "Ce guide donne des informations générales.</p>")),
    ("tel-number-with-spaces", in_article("index.html", '<a href="tel:+442079460000">+44 20 7946 0000</a>')),
    ("tel-words-without-digits", in_article("index.html", '<a href="tel:111">Call NHS one-one-one</a>')),
    ("local-svg-paint-and-mask", in_article("index.html", '<svg><rect fill="url(#grad)" mask="url(\'#m\')" stroke="currentColor"/></svg>')),
    ("local-image-set-in-css", new_file("stylesheets/extra.css", 'a { b: image-set("../assets/a%20figure.svg" 1x, url(x.png) 2x) }')),
    ("escaped-icon-in-css", new_file("stylesheets/extra.css", "a::before { content: '\\3c svg' }")),
    ("script-escaped-local-path", new_file("assets/javascripts/extra.js", 'const p = "assets\\/figures\\/a.svg";\n')),
    ("form-to-the-site", in_article("index.html", '<form action="before/preparing.html"><button>Go</button></form>')),
    # A copy of the safety chapter (the bench's 4x guide has three): its full boxes stand for the card.
    ("chapter-with-the-full-urgency-boxes", in_page("before/preparing.html", CARE_CARD, "".join(LEVEL_BOXES.values()))),
    ("search-index-with-every-word", search_index_without("")),
    ("care-card-in-the-first-tab", wrapped("before/preparing.html", CARE_CARD, '<div class="tabbed-set"><div class="tabbed-content">'
                                           '<div class="tabbed-block">', '</div><div class="tabbed-block"><p>Second</p></div></div></div>')),
    ("care-card-in-the-tab-open-at-first", wrapped("before/preparing.html", CARE_CARD, PICKED_SECOND +
                                                   '<div class="tabbed-block"><p>First</p></div><div class="tabbed-block">',
                                                   "</div></div></div>")),
    ("care-card-open-details", wrapped("before/preparing.html", CARE_CARD, "<details open><summary>Help</summary>", "</details>")),
    # A technique page with its card above the first section, and its steps and routine below it.
    ("exercise-steps-below-the-card", in_page("before/preparing.html", FIRST_SECTION, FIRST_SECTION + EXERCISE_STEPS + ROUTINE)),
    ("hidden-plan-notices", in_article(PLAN_URL, '<p class="plan-status" hidden>Saved</p>')),
    ("built-without-handouts", BUILT_WITHOUT_HANDOUTS),
    # `guide serve`: its PDFs follow (their links pass while missing); its pages have no zip link.
    ("served", together(in_manifest(without_zip), in_page("before/preparing.html", MADE_LATER,
                                                          '<p><a href="../handouts/psoas-guide.pdf">whole guide</a></p>'))),
]


@pytest.mark.parametrize("plant", [r[1] for r in PASSING_ROWS], ids=[r[0] for r in PASSING_ROWS])
def test_site_check_passes_what_a_page_may_hold(tiny_guide, plant):
    plant(*tiny_guide)
    assert [str(p) for p in check_site(*tiny_guide, TODAY)] == []


@pytest.mark.parametrize("plant, expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_site_check_finds_each_planted_problem(tiny_guide, plant, expected):
    plant(*tiny_guide)
    problems = check_site(*tiny_guide, TODAY)
    found = [p for p in problems if expected in str(p)]
    assert found, f"{expected!r} not in {[str(p) for p in problems]}"
    assert all(p.level == "error" and p.fix for p in found) and all(". Fix: " in str(p) for p in found)


def test_no_template_means_no_notice_box_and_no_buttons(tiny_guide):
    """`template: base.html` on a chapter: the page loses all three at once; each is named with the fix."""
    in_page("before/preparing.html", handout_buttons("preparing"), "")(*tiny_guide)
    in_page("before/preparing.html", REVIEW, "")(*tiny_guide)
    found = [str(p) for p in check_site(*tiny_guide, TODAY)]
    assert len(found) == 3, found
    assert all(line.startswith("ERROR: before/preparing.html: ") for line in found)
    assert all("no 'template:' in the front matter of docs/before/preparing.md" in line for line in found)


def test_normalise_url_reads_addresses_as_a_browser_does():
    assert page_scan.normalise_url("\x00 \n ht\ttps://\nhost/p\r ") == "https://host/p"
    assert page_scan.normalise_url("\\\\host\\a.png") == "//host/a.png"
    assert page_scan.elsewhere("https:host/p") == "https:host/p"
    assert page_scan.elsewhere("/\\host/x") == "//host/x"
    assert page_scan.elsewhere("figure.svg") == page_scan.elsewhere("data:image/png;base64,AAAA") == ""
    assert page_scan.elsewhere("javascript:alert(1)") == ""  # the CSP check's
    assert page_scan.elsewhere("mailto:x@nhs.net") == "mailto:x@nhs.net"  # not a load; a link is checked as one


def test_without_a_manifest_the_site_wide_checks_stand_aside(tiny_guide):
    """A bare folder of pages (no SITE.build/manifest.json: not a build of the guide) gets the per-page
    checks only; `guide build`, `guide serve` and `guide check` always have the manifest."""
    site, docs = tiny_guide
    in_article("index.html", '<a href="safety.html">x</a><img src="x.svg">')(site, docs)
    shutil.rmtree(site.parent / "site.build")
    found = [str(p) for p in check_site(site, docs, TODAY)]
    assert not any("safety.html" in line for line in found)
    assert any("<img src=x.svg> has no alt text" in line for line in found)


def test_an_unreadable_manifest_is_a_problem(tiny_guide):
    site, docs = tiny_guide
    (site.parent / "site.build" / "manifest.json").write_text("{", encoding="utf-8")
    assert any("no usable build manifest" in str(p) for p in check_site(site, docs, TODAY))


def test_what_hides_a_part_is_what_the_handouts_leave_out():
    """page_scan mirrors handout_pdf/clean.py SCREEN_ONLY (not imported: bs4 would add 60 ms to `guide check`)."""
    selectors = {s.strip() for s in SCREEN_ONLY.split(",")}
    assert {s for s in selectors if s.isalpha()} == page_scan.SCREEN_ONLY_TAGS
    assert f".{page_scan.SCREEN_ONLY_CLASS}" in selectors
    assert selectors - page_scan.SCREEN_ONLY_TAGS - {f".{page_scan.SCREEN_ONLY_CLASS}"} == {"a.headerlink"}  # no box inside a link


def test_urgency_box_ids_are_the_data_levels():
    assert tuple(level.anchor for level in load_data(ROOT / "data").safety.levels) == site_rules.CARE_LEVEL_IDS


def test_technique_parts_are_what_the_macros_show():
    """page_scan.TECHNIQUE_PARTS names each class by the call that makes it: each call shows it."""
    data = load_data(ROOT / "data")
    shown = {"exercise_guide()": routines.exercise_guide(data, "aftercare/exercises.md"),
             "routine_table()": routines.routine_table(data, next(iter(data.routines)), "aftercare/maintaining-psoas-health.md")}
    for part, call in page_scan.TECHNIQUE_PARTS.items():
        assert f'class="{part}"' in shown[call], (part, call)


def handout_project(tmp_path: Path, *chapters: str) -> Path:
    """A project of chapters (handout: true) under docs/, in this nav order."""
    text = "---\ntitle: A\ndescription: B.\nupdated: 2026-11-24\nevidence_checked: 2026-11-24\nreview_due: 2029-11-24\nhandout: true\n---\n\n# A\n"
    for src in chapters:
        (tmp_path / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / src).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Guide\nnav:\n" + "".join(f"  - {c}\n" for c in chapters), encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@pytest.mark.parametrize("chapters, expected", [
    # Second review, 8: the whole guide's PDF overwritten, and listed twice on the Handouts page.
    ((SAFETY_PAGE, f"aftercare/{GUIDE_SLUG}.md"),
     f"docs/aftercare/{GUIDE_SLUG}.md: its handout would be handouts/{GUIDE_SLUG}.pdf, the name of the whole guide's PDF, "
     f"so one would overwrite the other. Fix: rename docs/aftercare/{GUIDE_SLUG}.md (and its entry in mkdocs.yml's nav), "
     "or take 'handout: true' out of its front matter."),
    ((SAFETY_PAGE, "aftercare/is-it-safe.md"),
     f"docs/aftercare/is-it-safe.md: its handout would be handouts/is-it-safe.pdf, the name of the handout of docs/{SAFETY_PAGE}"),
    # One file on a Windows or macOS disk, or in a zip unpacked there.
    ((SAFETY_PAGE, "aftercare/Is-It-Safe.md"), "the name of the handout of docs/before/is-it-safe.md"),
])
def test_a_chapter_named_like_another_pdf_stops_the_build(tmp_path, chapters, expected):
    with pytest.raises(PipelineError) as caught:
        read_pages(load_config(handout_project(tmp_path, *chapters)))
    assert expected in str(caught.value)


def test_chapters_of_other_names_pass(tmp_path):
    pages = read_pages(load_config(handout_project(tmp_path, SAFETY_PAGE, "aftercare/psoas-guide-notes.md", "index.md")))
    assert [p.slug for p in pages] == ["is-it-safe", "psoas-guide-notes", "index"]


def test_every_script_allowance_has_a_reason_and_a_narrow_file():
    for glob, pattern, why in script_scan.SCRIPT_ADDRESSES_ALLOWED:
        assert len(why) > 20 and re.compile(pattern)
        assert (glob == "*" and pattern.startswith(r"http://www\.w3\.org/")) or glob.startswith("assets/javascripts/")


# --- the real site ------------------------------------------------------------------------------------

def test_real_site_passes_with_its_manifest(built_site):
    """The real guide, with its manifest: every new check runs, and none fires (nor would one before the PDFs exist)."""
    assert site_rules.built_manifest(built_site.site)[0] is not None
    problems = [str(p) for p in check_site(built_site.site, Path(__file__).parents[1] / "docs", TODAY) if p.level == "error"]
    assert problems == []


def test_real_site_before_its_handouts_and_zip(built_site, tmp_path):
    """The checks run before the handout step (pipeline/cli.py after_engine): links to the PDFs and
    the zip are missing then, and pass; a link to any other missing file does not."""
    site = shutil.copytree(built_site.site, tmp_path / "site", ignore=shutil.ignore_patterns("*.pdf", "*.zip"))
    shutil.copytree(built_site.site.with_name("site.build"), tmp_path / "site.build", ignore=shutil.ignore_patterns("lock"))
    docs = Path(__file__).parents[1] / "docs"
    assert [str(p) for p in check_site(site, docs, TODAY) if p.level == "error"] == []
    page = site / SAFETY_URL
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</article>", '<a href="is-it-safe.html#safety-checks">x</a> <a href="safety.html">y</a></article>', 1), encoding="utf-8")
    found = [str(p) for p in check_site(site, docs, TODAY)]
    assert any("is-it-safe.html#safety-checks: before/is-it-safe.html has no element with id 'safety-checks'" in line
               for line in found), found
    assert any("<a href>=safety.html points to before/safety.html, which is not in the site" in line for line in found), found


# --- end to end: the mistakes, made in the pages and the nav, stop the build --------------------------

def edit(project: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_the_build_stops_on_each_page_mistake(project_copy, tmp_path):
    """One build with a mistake of each kind in different pages: every one is reported, with its fix."""
    edit(project_copy, f"docs/{SAFETY_PAGE}", "handout: true\n", "")
    edit(project_copy, "docs/before/preparing.md", "{{ care_card() }}", "")
    # What a page template of its own did (pages.py now refuses 'template:'): the notice, the box and the buttons gone.
    edit(project_copy, "overrides/main.html", '{% include "partials/page-review.html" %}', "")
    edit(project_copy, "overrides/main.html", "<!-- handout-link -->", "")
    edit(project_copy, "docs/index.md", "# Psoas Guide\n", "# Psoas Guide\n\n![](assets/figures/tool-areas.svg)\n\n"
         '<a href="before/is-it-safe.html#safety-checks">checks</a> <a href="safety.html">safety</a>\n'
         '<a href="http://www.nhs.uk/">NHS</a>\n\n## Two\n\n#### Four\n\n'
         # Second review: 7, and two false alarms (1, 2) that must stay quiet.
         "Call [000](tel:999) (Australia). Text SHOUT to [85258](sms:85258). The [NHS](HTTPS://www.nhs.uk/).\n")
    # 4. Safety boxes dropped or hidden, in Markdown as an author would.
    edit(project_copy, f"docs/{SAFETY_PAGE}", "{{ pregnancy_note() }}", "")
    edit(project_copy, f"docs/{SAFETY_PAGE}", "{{ stop_signs() }}", "<div hidden markdown>\n\n{{ stop_signs() }}\n\n</div>")
    # The page's card without the signs after a session in it, and left out of paper.
    edit(project_copy, f"docs/{AFTER_SESSION_PAGE}", "{{ care_card(after_session=True) }}",
         '<div class="screen-only" markdown>\n\n{{ care_card() }}\n\n</div>')
    # The home page links that card by its id, which only the card with the signs has: without this,
    # MkDocs stops on the missing anchor before the site checks this test is about can run.
    edit(project_copy, "docs/index.md", f"({AFTER_SESSION_PAGE}#after-a-session)", f"({AFTER_SESSION_PAGE})")
    # A third review: a style sheet hides the care cards, on paper only.
    edit(project_copy, "docs/stylesheets/guide.css", "/* Psoas Guide:", "@media print { .care-card { display: none } }\n/* Psoas Guide:")
    result = build(project_copy, tmp_path / "site", "--no-handouts")
    assert result.returncode != 0
    for expected in (
        f"docs/{SAFETY_PAGE}: the safety chapter is not a handout chapter",
        "before/preparing.html: is a chapter without the care card (when to stop, when to get help) or the full "
        "urgency boxes, on the page and so in its PDF. Fix: put {{ care_card() }} back in docs/before/preparing.md",
        "aftercare/exercises.html: has no 'Not medical advice' notice (.page-review__notice, with its words). "
        "Fix: keep {% include \"partials/page-review.html\" %} in overrides/main.html",
        "reference/about.html: has no review and report-a-mistake box",
        # --no-handouts: the note that stands for the buttons is missing (full builds: the tiny guide's rows).
        "aftercare/exercises.html: is a chapter without its handout buttons (.handout-link: in this build, the note "
        "that its PDFs were not made). Fix: keep <!-- handout-link --> in overrides/main.html",
        "index.html: in its article, <img src=assets/figures/tool-areas.svg> has empty alt text",
        "index.html: <a href>=before/is-it-safe.html#safety-checks: before/is-it-safe.html has no element with id 'safety-checks'",
        "index.html: <a href>=safety.html points to safety.html, which is not in the site",
        "index.html: links out with an address that is not https:, tel:, sms: or mailto: <a href=http://www.nhs.uk/>",
        "index.html: in its article, heading <h4> 'Four' follows <h2> 'Two', skipping a level",
        "index.html: has a phone link whose words show another number: <a href=tel:999> shows '000'",
        f"{SAFETY_URL}: is the safety chapter without the pregnancy note (.pregnancy-note). Fix: put {{{{ pregnancy_note() }}}} "
        f"back in docs/{SAFETY_PAGE}",
        f"{SAFETY_URL}: hides .stop-signs#stop-signs inside <div hidden>",
        f"{AFTER_SESSION_URL}: is where the signs to watch for after a session are the subject, without them",
        f'{AFTER_SESSION_URL}: hides .care-card inside <div class="screen-only"> (left out of print and the PDFs)',
        "docs/stylesheets/guide.css: the rule '@media print .care-card { display: none }' hides .care-card, a safety part",
        "nothing was published",
    ):
        assert expected in result.output, f"{expected!r} missing from:\n{result.output[-4000:]}"
    assert "sms:85258" not in result.output and "HTTPS://www.nhs.uk/" not in result.output


def test_the_build_stops_when_safety_is_not_the_first_chapter(project_copy, tmp_path):
    """The whole-guide PDF follows the nav: moved down, the safety chapter would come last. (The same
    build has the notice translated: its words are the partial's to choose, so that passes. It is
    --no-handouts, so its pages link to no PDF and no zip, and say so where a reader looks for them.)"""
    edit(project_copy, "overrides/partials/not-medical-advice.html", "<strong>Not medical advice.</strong>",
         "<strong>Pas un avis médical.</strong>")
    edit(project_copy, "mkdocs.yml", "      - Is it safe for me?: before/is-it-safe.md\n", "")
    edit(project_copy, "mkdocs.yml", "      - Long-term well-being: aftercare/long-term-well-being.md\n",
         "      - Long-term well-being: aftercare/long-term-well-being.md\n      - Is it safe for me?: before/is-it-safe.md\n")
    result = build(project_copy, tmp_path / "site", "--no-handouts")
    assert result.returncode != 0
    assert "'Not medical advice' notice" not in result.output, result.output[-4000:]
    assert (f"docs/{SAFETY_PAGE}: the safety chapter is not the first chapter (before/understanding-the-psoas.md is), "
            "so the whole-guide PDF does not open with it. Fix: move it above before/understanding-the-psoas.md "
            "in mkdocs.yml's nav") in result.output, result.output[-4000:]
    site = tmp_path / "site"
    text = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in html_pages(site)}
    assert [rel for rel, page in text.items() if re.search(r'href="[^"]*(\.pdf|\.zip)"', page)] == []
    assert NO_HANDOUTS in text["reference/handouts.html"] and NO_LARGE_PRINT in text["reference/handouts.html"]
    assert NO_ZIP in text["index.html"] and NO_ZIP in text["reference/offline.html"]
    assert NO_CHAPTER_HANDOUTS in text[SAFETY_URL]


def test_the_build_stops_on_a_chapter_named_like_the_whole_guide(project_copy, tmp_path):
    """A chapter psoas-guide.md would overwrite handouts/psoas-guide.pdf: the build stops before the engine runs."""
    shutil.copy(project_copy / "docs" / AFTER_SESSION_PAGE, project_copy / "docs" / "aftercare" / f"{GUIDE_SLUG}.md")
    edit(project_copy, "mkdocs.yml", "      - Long-term well-being: aftercare/long-term-well-being.md\n",
         f"      - Long-term well-being: aftercare/long-term-well-being.md\n      - More: aftercare/{GUIDE_SLUG}.md\n")
    result = build(project_copy, tmp_path / "site", "--no-handouts")
    assert result.returncode != 0
    assert (f"docs/aftercare/{GUIDE_SLUG}.md: its handout would be handouts/{GUIDE_SLUG}.pdf, the name of the whole guide's "
            "PDF") in result.output, result.output[-4000:]
