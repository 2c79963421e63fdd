"""Zensical (the second engine) builds the same guide: the same pages, each chapter with the same
data-made parts, and the same steps after the engine (handouts, zip, offline search)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import GUIDE, copy_project, html_pages
from pipeline import manifest
from test_offline import SEARCH_PAGE, SEARCH_WORD, OfflineTab, moved_copy  # noqa: I001

pytestmark = pytest.mark.slow

# What a reader must find on a chapter, whichever engine built it.
FEATURES = {
    "checklists": "div.checklist",
    "tick boxes": "input[type=checkbox]",
    "tables": "table",
    "citations": "a.cite[data-source]",
    "figures": "figure",
    "care cards": ".care-card",
    "glossary tooltips": "abbr[title]",
    "handout link": "p.handout-link a[href$='.pdf']",
    "dates": "time[datetime]",
    "headings": "h2, h3",
}


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    proc = subprocess.run([*GUIDE, "zensical"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site-zensical"


def features(page: Path) -> dict[str, int]:
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None, page
    return {name: len(article.select(selector)) for name, selector in FEATURES.items()}


def test_same_pages(built_site, zensical_site):
    ours = {p.relative_to(built_site.site).as_posix() for p in html_pages(built_site.site)}
    theirs = {p.relative_to(zensical_site).as_posix() for p in html_pages(zensical_site)}
    assert theirs == ours


def test_each_chapter_has_the_same_parts(built_site, zensical_site):
    chapters = manifest.load(built_site.site).chapters
    assert chapters
    for chapter in chapters:
        expected = features(built_site.site / chapter.url)
        # Two buttons: the PDF and its large-print twin.
        assert expected["citations"] and expected["handout link"] == 2, chapter.url
        assert features(zensical_site / chapter.url) == expected, chapter.url
        assert (zensical_site / "handouts" / f"{chapter.slug}.pdf").stat().st_size > 10_000


def test_each_handout_prints_page_for_page_as_with_mkdocs(built_site, zensical_site):
    """The same article makes the same paper: a line of Zensical's own (its skip anchor) once pushed
    the safety handout's Emergency box to page 2, and the test of page 1 reads MkDocs' PDFs only.
    Every PDF has as many pages; the safety handouts' words fall on the same pages (reading the text
    of all 23 PDFs twice took 22 s)."""
    made = sorted(p.relative_to(built_site.site) for p in (built_site.site / "handouts").rglob("*.pdf"))
    assert len(made) > 20
    for pdf in made:
        counts = [len(PdfReader(site / pdf).pages) for site in (built_site.site, zensical_site)]
        assert counts[1] == counts[0], f"{pdf}: {counts[1]} pages from Zensical, {counts[0]} from MkDocs"
    for pdf in (p for p in made if p.name == "is-it-safe.pdf"):
        pages = [[" ".join((page.extract_text() or "").split()) for page in PdfReader(site / pdf).pages]
                 for site in (built_site.site, zensical_site)]
        assert pages[1] == pages[0], f"{pdf}: Zensical's PDF breaks its pages differently"


def test_the_not_found_page_lists_every_chapter_as_with_mkdocs(built_site, zensical_site):
    """The 404 page's way back: home and every chapter. Zensical's nav is not a list, and the
    template's loop over it listed no chapter at all."""
    def links(site: Path) -> list[tuple[str, str]]:
        article = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
        return [(a["href"], a.get_text(" ", strip=True)) for a in article.select("a[href]")]
    ours = links(built_site.site)
    assert len(ours) >= 12  # home plus every chapter
    assert links(zensical_site) == ours


def test_no_macro_left_and_the_zip_is_made(zensical_site):
    for page in html_pages(zensical_site):
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text and "<!-- cited-on:" not in text, page
    assert (zensical_site / "downloads" / "psoas-guide-offline.zip").stat().st_size > 100_000


@pytest.mark.browser
def test_zensical_search_works_from_disk_with_the_network_cut(zensical_site, browser, tmp_path):
    site = moved_copy(zensical_site, tmp_path)
    tab = OfflineTab(browser)
    try:
        tab.open((site / "before" / "understanding-the-psoas.html").as_uri())
        # Zensical's search (also in its classic variant) is a button that opens a dialog.
        tab.page.locator(".md-search__button").click()
        tab.page.keyboard.type(SEARCH_WORD, delay=40)
        hit = tab.page.locator(f"a[href*='?h={SEARCH_WORD}']").first
        hit.wait_for(timeout=10_000)
        # The results on screen answer the last keystroke, not an earlier one ("US" finds other pages).
        tab.page.wait_for_function("() => window.psoasSearchWords.settled()")
        assert hit.evaluate("a => a.href").split("?")[0] == (site / SEARCH_PAGE).as_uri()
        assert tab.errors == [] and tab.external == []
    finally:
        tab.close()


@pytest.mark.browser
def test_zensical_search_understands_readers_words(zensical_site, browser, tmp_path):
    """Zensical finds only sections with every word typed: 'stomach pain' and 'warfarin' found
    nothing until search-words.js sent its worker "stomach OR tummy" AND "pain" (a parsed query)."""
    site = moved_copy(zensical_site, tmp_path)
    tab = OfflineTab(browser)
    try:
        tab.open((site / "reference" / "about.html").as_uri())
        tab.page.locator(".md-search__button").click()
        for words in ("stomach pain", "warfarin"):
            tab.page.keyboard.press("Control+A")
            tab.page.keyboard.press("Backspace")
            tab.page.keyboard.type(words, delay=40)
            first = tab.page.locator("a[href*='?h=']").first
            first.wait_for(timeout=10_000)
            tab.page.wait_for_function("() => window.psoasSearchWords.settled()")
            assert "before/is-it-safe.html" in first.evaluate("a => a.href"), words
        assert tab.errors == [] and tab.external == []
    finally:
        tab.close()


def zensical_results(tab: OfflineTab, words: str) -> list[dict]:
    """Type into Zensical's open search dialog (clearing it first); the results once they answer the
    last keystroke: each link's address, its highlighted words, and what those underline."""
    tab.page.keyboard.press("Control+A")
    tab.page.keyboard.press("Backspace")
    tab.page.keyboard.type(words, delay=40)
    tab.page.locator(f"a[href*='?h={words.split()[0]}']").first.wait_for(timeout=10_000)
    tab.page.wait_for_function("() => window.psoasSearchWords.settled()")
    tab.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return tab.page.eval_on_selector_all("a[href*='?h=']", """links => links.map(a => ({
        href: a.getAttribute('href'),
        marked: [...a.querySelectorAll('mark')].map(m => m.textContent),
        underlined: [...a.querySelectorAll('mark u')].map(u => u.textContent)}))""")


@pytest.mark.browser
def test_zensical_search_matches_the_start_of_words_and_never_guesses(zensical_site, browser, tmp_path):
    """search-words.js sent Zensical each word as a bare string, which Zensical matches whole or else
    fuzzily (its own parser sends prefixes): "tingling" listed "Other things that help" first (its
    stem "tingl" is two letters from "things"), "numb legs" missed the care cards' "numbness ...
    legs", and the results underlined nothing."""
    site = moved_copy(zensical_site, tmp_path)
    tab = OfflineTab(browser)
    try:
        tab.open((site / "reference" / "about.html").as_uri())
        tab.page.locator(".md-search__button").click()
        results = zensical_results(tab, "tingling")
        assert all(word.lower().startswith("tingl") for r in results for word in r["marked"]), results
        assert all(r["underlined"] and all(r["underlined"]) for r in results), f"results underline nothing: {results}"
        found = [r["href"] for r in zensical_results(tab, "numb legs")]
        assert any("before/during-a-release.html?" in href and href.endswith("#when-to-stop") for href in found), found
        assert tab.errors == [] and tab.external == []
    finally:
        tab.close()


@pytest.mark.browser
def test_zensical_search_opens_from_the_keyboard_on_a_narrow_screen(zensical_site, browser, tmp_path):
    """Below 60em (a phone, a laptop at 200% zoom) Zensical hides its search button and shows only the
    search icon, a <label>: Tab went from the colour switch straight into the page, so a keyboard
    reader could not search at all. Material's search box takes a Tab stop there."""
    site = moved_copy(zensical_site, tmp_path)
    tab = OfflineTab(browser)
    try:
        tab.page.set_viewport_size({"width": 640, "height": 400})
        tab.open((site / "before" / "is-it-safe.html").as_uri())
        stops = []
        while not tab.page.evaluate("!!document.activeElement.closest('article')") and len(stops) < 10:
            tab.page.keyboard.press("Tab")
            stops.append(tab.page.evaluate("() => document.activeElement.textContent.trim().slice(0, 30)"))
        assert "Search" in stops, stops
        icon = tab.page.get_by_role("button", name="Search")
        icon.focus()
        tab.page.keyboard.press("Enter")
        tab.page.keyboard.type("bruise", delay=40)
        hit = tab.page.locator("a[href*='?h=bruise']").first
        hit.wait_for(timeout=10_000)
        assert hit.get_attribute("href").split("?")[0].endswith("aftercare/immediate-effects.html")
        tab.page.keyboard.press("Escape")
        # The dialog closes and hands focus back to the icon, not to the top of the page.
        tab.page.wait_for_function("el => el === document.activeElement", arg=icon.element_handle(), timeout=3000)
        assert tab.errors == [] and tab.external == []
    finally:
        tab.close()
