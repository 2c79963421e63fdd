"""The built-site checks (pipeline/checks.py) find each planted problem that once built green.

Fast rows check a tiny built guide, with its manifest and search index beside it, in-process (as
tests/test_hardening.py's site rows do): loads that hid from a plain match (a <base>, a meta refresh,
preconnect, srcdoc, a tab inside a scheme, a backslash for a slash, scripts that fetch), links in raw
HTML, images without alt text, skipped heading levels, http:// links, and the guide's safety promises.
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

from conftest import build
from macros.links import SAFETY_PAGE
from pipeline import page_scan, script_scan, site_rules
from pipeline.checks import check_site
from pipeline.manifest import Manifest, PageInfo
from pipeline.manifest import load as load_manifest
from pipeline.manifest import save as save_manifest

TODAY = dt.date(2027, 6, 1)  # injected: no row depends on the real date
SAFETY_URL = SAFETY_PAGE.removesuffix(".md") + ".html"  # before/is-it-safe.html
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title>{}<rect width="5" height="5"/></svg>'

# overrides/partials/page-review.html, as built.
REVIEW = ('<aside class="page-review" aria-label="About this page">'
          '<p class="page-review__notice"><strong>Not medical advice.</strong> This guide gives general information.</p>'
          '<p class="page-review__report"><strong>Report a mistake.</strong> Tell the practitioner.</p></aside>')
CARE_CARD = '<div class="admonition danger care-card"><p class="admonition-title">When to stop</p></div>'


def handout_buttons(slug: str) -> str:
    """pipeline/postprocess.py handout_link(), from a page in before/."""
    return (f'<p class="handout-link"><a class="md-button handout-link__button" href="../handouts/{slug}.pdf" download>PDF</a> '
            f'<a class="md-button handout-link__button" href="../handouts/large-print/{slug}.pdf" download>Large print</a></p>')


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
        '<h1 id="is-it-safe-for-me">Is it safe for me?</h1>' + handout_buttons("is-it-safe")
        + '<h2 id="urgent">Urgent</h2><h2 id="safety-check">Safety check</h2>'
          '<p><a href="../index.html#psoas-guide">Home</a></p>' + REVIEW),
    "before/preparing.html": html(
        '<h1 id="preparing">Preparing</h1>' + handout_buttons("preparing") + CARE_CARD
        + '<p><img class="routine__thumb screen-only" alt="" src="../assets/a%20figure.svg"> '
          '<img alt="" aria-hidden="true" src="../assets/a%20figure.svg"> <img role="presentation" src="../assets/a%20figure.svg"></p>'
          '<p>The <a href="../handouts/psoas-guide.pdf">whole guide</a> and the <a href="../downloads/psoas-guide-offline.zip">'
          'offline copy</a> are made after the checks.</p>' + REVIEW),
    # Material's 404 page is shown at any depth, so its addresses start at the root.
    "404.html": html('<h1>404</h1><a href="/index.html">Home</a>', head='<link rel="stylesheet" href="/stylesheets/guide.css">'),
}

MANIFEST = Manifest(
    site_name="Psoas Guide", site_url="", site_author="", site_description="",
    pages=[PageInfo(src, src.removesuffix(".md") + ".html", title, "", "2026-11-24", "2026-11-24", "2029-11-24", handout)
           for src, title, handout in (("index.md", "Psoas Guide", False), (SAFETY_PAGE, "Is it safe for me?", True),
                                       ("before/preparing.md", "Preparing", True))],
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


def in_manifest(change: Callable[[Manifest], Manifest]) -> Plant:
    return lambda site, docs: save_manifest(change(load_manifest(site)), site)


def safety_not_handout(m: Manifest) -> Manifest:
    return dataclasses.replace(m, pages=[dataclasses.replace(p, handout=False) if p.src == SAFETY_PAGE else p for p in m.pages])


def safety_last(m: Manifest) -> Manifest:
    return dataclasses.replace(m, pages=[p for p in m.pages if p.src != SAFETY_PAGE] + [p for p in m.pages if p.src == SAFETY_PAGE])


def safety_not_in_nav(m: Manifest) -> Manifest:
    return dataclasses.replace(m, pages=[p for p in m.pages if p.src != SAFETY_PAGE])


def search_index_without_safety(site: Path, docs: Path) -> None:
    (site / "search" / "search_index.json").write_text(
        json.dumps({"docs": [{"location": p.url} for p in MANIFEST.pages if p.url != SAFETY_URL]}), encoding="utf-8")


# (id, plant, what the problem must say). Hosts are made up, not placeholders (those have their own check).
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
    ("same-page-anchor", in_article(SAFETY_URL, '<a href="#emergency">x</a>'),
     "<a href>=#emergency: before/is-it-safe.html has no element with id 'emergency'"),
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
     "index.html: links out with an address that is not https:, tel: or mailto: <a href=http://www.nhs.uk/conditions/>"),
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
    ("no-notice", in_page("index.html", "Not medical advice.", "About this guide."),
     "index.html: has no 'Not medical advice' notice"),
    ("template-base-html", in_page(SAFETY_URL, REVIEW, ""), f"{SAFETY_URL}: has no review and report-a-mistake box"),
    ("no-handout-buttons", in_page("before/preparing.html", handout_buttons("preparing"), ""),
     "before/preparing.html: is a chapter without its handout buttons"),
    ("handout-button-to-another-pdf", in_page("before/preparing.html", "../handouts/large-print/preparing.pdf",
                                              "../handouts/large-print/is-it-safe.pdf"),
     "is a chapter without its handout buttons (../handouts/large-print/preparing.pdf and ../handouts/preparing.pdf)"),
    ("safety-not-searchable", search_index_without_safety,
     f"{SAFETY_URL}: the safety chapter is not in the search index"),
]


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
         '<a href="http://www.nhs.uk/">NHS</a>\n\n## Two\n\n#### Four\n')
    result = build(project_copy, tmp_path / "site", "--no-handouts")
    assert result.returncode != 0
    for expected in (
        f"docs/{SAFETY_PAGE}: the safety chapter is not a handout chapter",
        "before/preparing.html: is a chapter without the care card (when to stop, when to get help), on the page and so "
        "in its PDF. Fix: put {{ care_card() }} back in docs/before/preparing.md",
        "aftercare/exercises.html: has no 'Not medical advice' notice. Fix: keep {% include \"partials/page-review.html\" %} "
        "in overrides/main.html",
        "reference/about.html: has no review and report-a-mistake box",
        "aftercare/exercises.html: is a chapter without its handout buttons (../handouts/exercises.pdf and "
        "../handouts/large-print/exercises.pdf). Fix: keep <!-- handout-link --> in overrides/main.html",
        "index.html: in its article, <img src=assets/figures/tool-areas.svg> has empty alt text",
        "index.html: <a href>=before/is-it-safe.html#safety-checks: before/is-it-safe.html has no element with id 'safety-checks'",
        "index.html: <a href>=safety.html points to safety.html, which is not in the site",
        "index.html: links out with an address that is not https:, tel: or mailto: <a href=http://www.nhs.uk/>",
        "index.html: in its article, heading <h4> 'Four' follows <h2> 'Two', skipping a level",
        "nothing was published",
    ):
        assert expected in result.output, f"{expected!r} missing from:\n{result.output[-4000:]}"


def test_the_build_stops_when_safety_is_not_the_first_chapter(project_copy, tmp_path):
    """The whole-guide PDF follows the nav: moved down, the safety chapter would come last."""
    edit(project_copy, "mkdocs.yml", "      - Is it safe for me?: before/is-it-safe.md\n", "")
    edit(project_copy, "mkdocs.yml", "      - Long-term well-being: aftercare/long-term-well-being.md\n",
         "      - Long-term well-being: aftercare/long-term-well-being.md\n      - Is it safe for me?: before/is-it-safe.md\n")
    result = build(project_copy, tmp_path / "site", "--no-handouts")
    assert result.returncode != 0
    assert (f"docs/{SAFETY_PAGE}: the safety chapter is not the first chapter (before/understanding-the-psoas.md is), "
            "so the whole-guide PDF does not open with it. Fix: move it above before/understanding-the-psoas.md "
            "in mkdocs.yml's nav") in result.output, result.output[-4000:]
