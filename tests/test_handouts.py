"""Chapter handouts: one tagged A4 PDF per chapter (and the whole guide), listed with real numbers."""
from __future__ import annotations

import io
import logging
import re
import subprocess
from dataclasses import replace
from pathlib import Path, PurePosixPath

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT, build
from pdf_tags import tag_problems
from pdf_layout import (body_font_size, body_words, chapter_starts, headings, lines, runs, stranded, text_below,
                        text_depth)
from handout_pdf.chapter import Chapter, HandoutError
from handout_pdf.clean import clean
from handout_pdf.document import LARGE_PRINT_STYLESHEET
from handout_pdf.listing import file_size
from handout_pdf.render import Job, Ready, make_all, typeset
from handout_pdf.screen_only import PAGE_CHROME
from macros.data import load_data
from pipeline.cli import configure_logging
from pipeline.config import load_config
from pipeline.manifest import read_pages

GUIDE = "handouts/psoas-guide.pdf"
LARGE_PRINT = "handouts/large-print"
# "Near-empty": under 100 words of 10 pt text on the last page. The same area of paper holds
# (10/16)^2 as many words in 16 pt type, so the large-print bar scales with the square of the size.
NEAR_EMPTY_WORDS_AT_10PT = 100
# A page whose text ends in the top quarter of its body, while the chapter goes on overleaf, is
# mostly blank paper (large print's exercises once left their dose and sources alone on six).
MOSTLY_EMPTY_DEPTH = 1 / 4
A4 = (595.28, 841.89)
# The exercise guide's 11 exercises take a page each (tested below), with its intro and sources: 13.
MAX_CHAPTER_PAGES = 13
# Words only the web page has; none belongs on a handout.
SITE_CHROME = ["Skip to content", "Table of contents", "Back to top", "Initializing search",
               "Type to start searching", "Download this chapter", "Switch to dark mode", "¶"]


def _chapters() -> list[tuple[str, str]]:
    """(title, Markdown path) of every page whose front matter says `handout: true`, in nav order."""
    return [(p.title, p.src) for p in read_pages(load_config(ROOT / "mkdocs.yml")) if p.handout]


CHAPTERS = _chapters()


def pdf_of(md_path: str) -> str:
    return f"handouts/{PurePosixPath(md_path).stem}.pdf"


def large_print_of(md_path: str) -> str:
    return f"{LARGE_PRINT}/{PurePosixPath(md_path).stem}.pdf"


def all_pdfs() -> list[str]:
    return [GUIDE, *(pdf_of(md) for _, md in CHAPTERS), *(large_print_of(md) for _, md in CHAPTERS)]


def page_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def font_dicts(resources, seen=None):
    """Every font a page uses, including fonts inside form XObjects (SVG figures)."""
    seen = set() if seen is None else seen
    if not resources:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if id(xobject) not in seen and xobject.get("/Subtype") == "/Form":
            seen.add(id(xobject))
            yield from font_dicts(xobject.get("/Resources"), seen)


def is_embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by the PDF itself
    for desc in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
        descriptor = desc.get("/FontDescriptor")
        if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            return True
    return False


def test_the_nav_has_chapters():
    assert len(CHAPTERS) >= 10, CHAPTERS


def test_every_chapter_and_the_whole_guide_has_a_pdf(built_site):
    expected = {pdf_of(md) for _, md in CHAPTERS} | {GUIDE}
    made = {p.relative_to(built_site.site).as_posix() for p in (built_site.site / "handouts").glob("*.pdf")}
    assert made == expected


@pytest.mark.parametrize("title,md", CHAPTERS, ids=[PurePosixPath(md).stem for _, md in CHAPTERS])
def test_chapter_handout_is_a_proper_pdf(built_site, title, md):
    path = built_site.site / pdf_of(md)
    reader = PdfReader(path)
    text = page_text(reader)
    root = reader.trailer["/Root"]

    assert reader.metadata.title == title
    assert root["/Lang"] == "en"
    assert title in text
    for chrome in SITE_CHROME:
        assert chrome not in text, f"{path.name} shows the web page's '{chrome}'"
    assert not re.search(r"(?m)^\s*Search\s*$", text), f"{path.name} shows the search box"
    assert "Not medical advice." in text and "Written or updated" in text

    assert 1 <= len(reader.pages) <= MAX_CHAPTER_PAGES
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, f"{path.name}: {width}x{height} is not A4"
        for font in font_dicts(page.get("/Resources")):
            assert is_embedded(font), f"{path.name}: font {font.get('/BaseFont')} is not embedded"
        for annot in page.get("/Annots") or []:
            uri = annot.get_object().get("/A", {}).get("/URI", "")
            assert "sources.html#src-" not in uri, f"{path.name}: a citation still links to the Sources page"

    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], f"{path.name} is not tagged"
    assert reader.outline and reader.outline[0].title == title, f"{path.name}: bookmarks do not start at the title"


@pytest.mark.parametrize("title,md", CHAPTERS, ids=[PurePosixPath(md).stem for _, md in CHAPTERS])
def test_handout_first_page_is_not_blank(built_site, title, md):
    png = subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(built_site.site / pdf_of(md))],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height, f"page 1 of {pdf_of(md)} is (almost) blank"


def test_chapter_citations_are_text_with_a_source_list(built_site):
    """A chapter that cites sources names them in the text and lists them, with addresses, at the end."""
    citing = [(t, md) for t, md in CHAPTERS if 'class="cite"' in built_site.page(md.replace(".md", ".html"))]
    assert citing, "no chapter cites a source"
    for _title, md in citing:
        text = page_text(PdfReader(built_site.site / pdf_of(md)))
        tail = text[text.rindex("Sources"):]
        assert "https://" in tail, f"{md}: the handout's source list has no addresses"


def test_whole_guide_pdf_has_every_chapter(built_site):
    reader = PdfReader(built_site.site / GUIDE)
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [t for t in bookmarks if t in dict(CHAPTERS)] == [t for t, _ in CHAPTERS]
    assert reader.metadata.title == "Psoas Guide" and reader.trailer["/Root"]["/Lang"] == "en"
    chapter_pages = sum(len(PdfReader(built_site.site / pdf_of(md)).pages) for _, md in CHAPTERS)
    assert len(reader.pages) >= chapter_pages // 2


def test_whole_guide_is_one_tagged_document_with_true_page_numbers(built_site):
    """It is typeset in parts and joined (handout_pdf/join.py): tags, links and numbers must join up."""
    path = built_site.site / GUIDE
    assert tag_problems(path) == []
    texts = [page.extract_text() for page in PdfReader(path).pages]
    numbers = [int(m[1]) for text in texts for m in [re.search(r"Page (\d+)\s*$", text)] if m]
    assert numbers == list(range(1, len(texts) + 1))
    assert f"{len(texts)} pages, numbered" in texts[0]
    for title, _ in [*CHAPTERS, ("Sources", "")]:
        start = int(re.search(rf"{re.escape(title)}\s*\.+\s*(\d+)", texts[0])[1])
        assert texts[start - 1].lstrip().startswith(title), f"contents: '{title}' is not on page {start}"


def test_handouts_page_lists_every_pdf_with_its_real_length_and_size(built_site):
    page = built_site.site / "reference" / "handouts.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "handouts:list" not in str(soup), "the list marker was not replaced"
    listed = {}
    for row in soup.select(".handout-list table tbody tr"):
        href = row.select_one("a[href]")["href"]
        pdf = (page.parent / href).resolve()
        pages = int(row.select_one("[data-pages]")["data-pages"])
        listed[pdf.relative_to(built_site.site.resolve()).as_posix()] = pdf
        assert pages == len(PdfReader(pdf).pages), f"{href}: listed as {pages} pages"
        assert f"{pages} page" in row.get_text()
        size = int(row.select_one("[data-bytes]")["data-bytes"])
        assert size == pdf.stat().st_size and file_size(size) in row.get_text()
    assert set(listed) == set(all_pdfs())


def test_each_chapter_page_links_to_its_handout(built_site):
    for _, md in CHAPTERS:
        page = built_site.site / md.replace(".md", ".html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        buttons = soup.select("p.handout-link a.md-button[href]")
        assert [b.get_text(" ", strip=True) for b in buttons] == [
            "Download this chapter as a PDF handout", "Large print PDF"], md
        for button, pdf in zip(buttons, (pdf_of(md), large_print_of(md)), strict=True):
            assert not button["href"].startswith(("/", "http")), f"{md}: the link must be relative (file://)"
            assert (page.parent / button["href"]).resolve() == (built_site.site / pdf).resolve(), md
        assert buttons[0].select_one("svg"), f"{md}: the download button has no download icon"
        assert soup.select_one("article h1 + p.handout-link"), f"{md}: the buttons belong just under the title"
    home = built_site.page("index.html")
    assert "handout-link" not in home, "only chapters have a handout"


def test_phone_numbers_tap_to_call_on_screen_and_print_once_on_paper(built_site):
    """Crisis lines are tel: links on a phone; on paper the number is already the link's words."""
    page = (built_site.site / "aftercare" / "emotional-changes.html").read_text(encoding="utf-8")
    assert '<a href="tel:116123">116 123</a>' in page and '<a href="tel:988">988</a>' in page
    text = page_text(PdfReader(built_site.site / "handouts" / "emotional-changes.pdf"))
    assert "116 123" in text and "tel:" not in text


def test_no_placeholder_address_reaches_a_reader(built_site):
    """SITE_URL is unset in tests: no page, handout or zip prints a made-up address."""
    for page in built_site.site.rglob("*.html"):
        assert "example.org" not in page.read_text(encoding="utf-8"), page
    for pdf in (built_site.site / "handouts").glob("*.pdf"):
        text = page_text(PdfReader(pdf))
        assert "example.org" not in text and "Online:" not in text, pdf.name
    first = page_text(PdfReader(built_site.site / pdf_of(CHAPTERS[0][1])))
    assert "Written or updated" in first and "offline copy" not in first


def test_build_reports_progress(built_site):
    total = len(all_pdfs())
    assert re.search(rf"Handout 1 of {total}: ", built_site.output)
    assert re.search(rf"Handout {total} of {total}: ", built_site.output)


# --- Paper layout, measured from the PDFs (tests/pdf_layout.py): what a reader sees. ---

@pytest.mark.parametrize("pdf", all_pdfs())
def test_no_heading_is_stranded_at_a_page_foot(built_site, pdf):
    reader = PdfReader(built_site.site / pdf)
    assert headings(reader), f"{pdf} has no bookmarks, so this test would prove nothing"
    left = [f"'{h.title}' (page {h.page + 1})" for h in stranded(reader)]
    assert not left, f"{pdf}: heading at a page foot with its content overleaf: {', '.join(left)}"


# The title line a macro puts above its table or list (macros/checklists.py, macros/safety.py).
MACRO_TITLES = ".benefit-table__title, .checklist__title, .routine__title, .contraindications__title, .routine__steps-title"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def macro_titles(built_site) -> dict[str, str]:
    """{title without spaces (PDF text runs split words differently): title}"""
    titles = {}
    for _, md in CHAPTERS:
        page = BeautifulSoup((built_site.site / md.replace(".md", ".html")).read_text("utf-8"), "html.parser")
        titles |= {_squeezed(t.get_text()): " ".join(t.get_text().split()) for t in page.select(MACRO_TITLES)}
    assert len(titles) >= 5, f"found only {titles}: the selector no longer matches the macros' markup"
    return titles


def _ends_with_line(lines, key: str) -> bool:
    """The page's text ends with `key`, and `key` starts a line of its own (not "What to do: <title>")."""
    tail, start = "", len(lines)
    while start and len(tail) < len(key):
        start -= 1
        tail = _squeezed(lines[start].text) + tail
    if tail != key:
        return False
    first = lines[start]
    return not any(round(r.y) == round(first.y) and r.x < first.x for r in lines)


@pytest.mark.parametrize("pdf", all_pdfs())
def test_no_table_or_list_title_is_left_at_a_page_foot(built_site, macro_titles, pdf):
    """A title such as "Straight after a session: what people report ..." goes overleaf with its table."""
    reader = PdfReader(built_site.site / pdf)
    left = []
    for n, page in enumerate(reader.pages[:-1], start=1):
        lines = runs(page)
        left += [f"page {n}: '{title}'" for key, title in macro_titles.items() if _ends_with_line(lines, key)]
    assert not left, f"{pdf}: a title ends the page and its table or list starts overleaf: {left}"


@pytest.fixture(scope="module")
def care_levels(built_site) -> dict[str, set[str]]:
    """{chapter's Markdown path: its care card's levels, each as its text without spaces}"""
    out = {}
    for _, md in CHAPTERS:
        page = BeautifulSoup((built_site.site / md.replace(".md", ".html")).read_text("utf-8"), "html.parser")
        # The card's stop signs and levels (in an aftercare chapter's card, after the signs after a session).
        out[md] = {_squeezed(li.get_text()) for li in page.select(".care-card > ul > li, .care-card > .care-card__summary > ul > li")}
    return out


@pytest.fixture(scope="module")
def after_session_cards(built_site) -> dict[str, tuple[str, str]]:
    """{aftercare chapter's Markdown path: (its card's title for the signs after a session, its
    Emergency level), each as text without spaces}"""
    out = {}
    for _, md in CHAPTERS:
        page = BeautifulSoup((built_site.site / md.replace(".md", ".html")).read_text("utf-8"), "html.parser")
        card = page.select_one(".care-card--after-session")
        if card is None:
            continue
        title = card.select_one(".after-session-signs__title")
        emergency = next(li for li in card.select(".care-card__summary > ul > li") if li.select_one("a[href$='#emergency']"))
        out[md] = (_squeezed(title.get_text()), _squeezed(emergency.get_text()))
    assert out, "no aftercare care card found: the selector no longer matches the card"
    return out


@pytest.mark.parametrize("pdf", all_pdfs())
def test_each_care_card_level_is_on_one_page(built_site, care_levels, after_session_cards, pdf):
    """"Not urgent: ..." and its signs on one sheet: a level split by a page break reads as two."""
    levels = set().union(*(care_levels[md] for _, md in CHAPTERS if pdf in (GUIDE, pdf_of(md), large_print_of(md))))
    assert levels or pdf != GUIDE, "no care card level found: the selector no longer matches the card"
    pages = [_squeezed(p.extract_text() or "") for p in PdfReader(built_site.site / pdf).pages]
    split = [level[:40] for level in levels if not any(level in text for text in pages)]
    assert not split, f"{pdf}: care card levels split over a page break: {split}"
    if pdf == GUIDE or "large-print" in pdf or not levels:
        return  # at 16 pt the card is taller than a page and runs on, each level whole (large-print.css)
    after = [cards for md, cards in after_session_cards.items() if pdf == pdf_of(md)]
    if not after:
        # The whole card, read at one glance (paper.css).
        assert any(all(level in text for level in levels) for text in pages), f"{pdf}: the care card is on two pages"
        return
    # An aftercare chapter's card (signs after a session, then the summary) is taller than what
    # page 1 has left. It runs on between two levels, and its Emergency level shares a page with
    # the signs after a session: kept whole, the summary went overleaf and left page 1 half blank.
    title, emergency = after[0]
    assert any(title in text and emergency in text for text in pages), (
        f"{pdf}: the care card's Emergency level is not on the page with the signs after a session "
        "(page 1 left half blank?)")


@pytest.mark.parametrize("md", [p.src for p in read_pages(load_config(ROOT / "mkdocs.yml")) if p.technique and p.handout])
def test_a_technique_handout_opens_with_its_care_card(built_site, md):
    """Safety first on paper too: page 1 shows the card, not a title page with the card overleaf
    (a longer Sources line on the card once pushed it whole to page 2 of two technique handouts)."""
    first = _squeezed(PdfReader(built_site.site / pdf_of(md)).pages[0].extract_text() or "")
    assert _squeezed("Emergency: call 999") in first, f"{pdf_of(md)}: the care card is not on page 1"


def test_the_safety_handout_shows_the_whole_emergency_box_on_page_1(built_site):
    """The "Is it safe for me?" handout is read first: its In short says to read the boxes that come next. A longer
    chest pain sign and closing once pushed the whole Emergency box to page 2, leaving page 1 with the
    title and the In short alone (the blank-page checks pass: it was still 40% full)."""
    first = _squeezed(PdfReader(built_site.site / pdf_of("before/is-it-safe.md")).pages[0].extract_text() or "")
    assert _squeezed("Emergency: call 999") in first, "the Emergency box is not on page 1 of the safety handout"
    assert _squeezed("are our own advice, not the NHS's.") in first, "the Emergency box's closing is overleaf"


@pytest.mark.parametrize("pdf", all_pdfs())
def test_every_page_with_emergency_signs_says_whom_to_call(built_site, pdf):
    """At 16 pt the Emergency box is taller than a page and runs on (large-print.css). Its signs
    overleaf once came without the box's title, so page 2 of the large-print safety handout listed
    chest pain and fainting and never said to call 999. The box's closing says it now."""
    emergency = next(level for level in load_data(ROOT / "data").safety.levels if level.id == "emergency")
    signs = [_squeezed(sign.text)[:40] for sign in emergency.signs]
    pages = [_squeezed(p.extract_text() or "") for p in PdfReader(built_site.site / pdf).pages]
    silent = [n for n, text in enumerate(pages, start=1) if any(sign in text for sign in signs) and "999" not in text]
    assert not silent, f"{pdf}: pages {silent} list Emergency signs but never say to call 999"


@pytest.fixture(scope="module")
def kept_pairs(built_site) -> dict[str, list[tuple[str, str]]]:
    """{chapter's Markdown path: each list's first two items and last two, each table's last two
    rows, as text without spaces}. Only plain text: links and citations are reworded on paper."""
    out = {}
    for _, md in CHAPTERS:
        page = BeautifulSoup((built_site.site / md.replace(".md", ".html")).read_text("utf-8"), "html.parser")
        groups = [ol.find_all("li", recursive=False) for ol in page.select("article ol, article ul")]
        ends = [g[:2] for g in groups if len(g) >= 3] + [g[-2:] for g in groups if len(g) >= 3]
        ends += [rows[-2:] for rows in (t.find_all("tr", recursive=False) for t in page.select("article tbody"))
                 if len(rows) >= 3]
        out[md] = [(_squeezed(a.get_text()), _squeezed(b.get_text())) for a, b in ends
                   if not a.select("a, input, .screen-only") and not b.select("a, input, .screen-only")]
    assert sum(map(len, out.values())) >= 20, "few lists or tables found: the selectors no longer match"
    return out


@pytest.mark.parametrize("pdf", all_pdfs())
def test_no_list_item_or_table_row_is_alone_at_a_page_top_or_foot(built_site, kept_pairs, pdf):
    """paper.css keeps a list's first two items, its last two and a table's last two rows on one
    page: a lone "1. Lie on your back" at a page foot reads as the whole list."""
    pairs = [pair for _, md in CHAPTERS if pdf in (GUIDE, pdf_of(md), large_print_of(md)) for pair in kept_pairs[md]]
    pages = [_squeezed(p.extract_text() or "") for p in PdfReader(built_site.site / pdf).pages]
    found = lambda text: any(text in page for page in pages)  # noqa: E731
    apart = [f"{a[:30]} / {b[:30]}" for a, b in pairs
             if found(a) and found(b) and not any(a in page and b in page for page in pages)]
    assert not apart, f"{pdf}: split from its neighbour by a page break: {apart}"


@pytest.mark.parametrize("pdf", all_pdfs())
def test_a_handout_sends_no_reader_to_a_page_it_does_not_have(built_site, pdf):
    """The About, Glossary and Sources pages are not on paper: "the About page explains ..." would
    send a client with only the handout nowhere."""
    text = " ".join(page_text(PdfReader(built_site.site / pdf)).split())
    named = re.findall(r"\b(?:About|Glossary|Sources|Handouts|plan builder) page\b(?! \d)", text, re.I)  # not "Page 3"
    # Nor to where a box sat on the web page, nor asks the reader to print what they hold.
    named += re.findall(r"\b(?:boxe?s? above|print this \w+|print the card below|safety page)\b", text, re.I)
    # "How to read this page": on paper a page is one sheet of several (clean.py names the handout).
    named += re.findall(r"\bthis (?:web )?page\b", text, re.I)
    assert not named, f"{pdf} points to {named}"


def _exercise_names() -> list[str]:
    with open(ROOT / "data" / "exercises.yml", encoding="utf-8") as f:
        return [ex["name"] for ex in yaml.safe_load(f)["exercises"]]


@pytest.mark.parametrize("pdf", ["handouts/exercises.pdf", GUIDE])
def test_each_exercise_is_on_one_page(built_site, pdf):
    """Name, figure, steps and dose on the same sheet: the reader follows it on the floor."""
    reader = PdfReader(built_site.site / pdf)
    names = _exercise_names()
    found = {h.title: h for h in headings(reader) if h.title in names}
    assert set(found) == set(names), f"{pdf}: exercises without a bookmark: {set(names) - set(found)}"
    for name, heading in found.items():
        below = text_below(reader, heading)
        others = [n for n in names if n != name and n in below]
        own = below[:min(below.index(n) for n in others)] if others else below
        assert "Dose:" in own, f"{pdf}: '{name}' starts on page {heading.page + 1} but its dose is overleaf"


@pytest.mark.parametrize("pdf", all_pdfs())
def test_no_near_empty_last_page(built_site, pdf):
    reader = PdfReader(built_site.site / pdf)
    if len(reader.pages) == 1:
        return
    size = body_font_size(reader)
    needed = round(NEAR_EMPTY_WORDS_AT_10PT * (10 / size) ** 2)
    words = body_words(reader.pages[-1])
    assert words >= needed, f"{pdf}: the last of {len(reader.pages)} pages has {words} words (needs {needed})"


@pytest.mark.parametrize("pdf", all_pdfs())
def test_no_page_is_mostly_empty_before_its_chapter_ends(built_site, pdf):
    reader = PdfReader(built_site.site / pdf)
    # A chapter's last page may be short: the next chapter (a top-level bookmark) starts a page.
    ends = {n - 1 for n in chapter_starts(reader)} | {len(reader.pages) - 1}
    short = [f"page {n + 1} ({text_depth(page):.0%})" for n, page in enumerate(reader.pages)
             if n not in ends and text_depth(page) < MOSTLY_EMPTY_DEPTH]
    assert not short, f"{pdf}: mostly blank pages, their text ending this far down: {short}"


def test_no_chapter_of_the_whole_guide_ends_on_a_near_empty_page(built_site):
    """Each chapter of the whole guide starts a page, so its last page is a last page too: the
    safety chapter once ended with "Talk to someone first", two lines alone on page 9, because the
    research section took the room left after the safety check."""
    reader = PdfReader(built_site.site / GUIDE)
    ends = sorted(n - 1 for n in chapter_starts(reader) if n > 0)
    assert len(ends) >= 10, "few chapter starts found: the bookmarks no longer mark them"
    short = [f"page {n + 1} ({body_words(reader.pages[n])} words)" for n in ends
             if body_words(reader.pages[n]) < NEAR_EMPTY_WORDS_AT_10PT]
    assert not short, f"chapters of the whole guide ending on a near-empty page: {short}"


@pytest.mark.parametrize("pdf", all_pdfs())
def test_an_exercise_dose_and_sources_follow_its_steps_onto_a_page(built_site, pdf):
    """The dose and "What this rests on" never open a page: they come with at least two lines of steps."""
    alone = [f"page {n}: {top[:50]!r}" for n, page in enumerate(PdfReader(built_site.site / pdf).pages, start=1)
             for top in lines(page)[:2] if top.startswith(("Dose:", "What this rests on:"))]
    assert not alone, f"{pdf}: a dose or its sources without the steps before it: {alone}"


@pytest.mark.parametrize("title,md", CHAPTERS, ids=[PurePosixPath(md).stem for _, md in CHAPTERS])
def test_large_print_handout_has_the_same_text_in_16_pt(built_site, title, md):
    large = PdfReader(built_site.site / large_print_of(md))
    regular = PdfReader(built_site.site / pdf_of(md))
    assert body_font_size(large) >= 16, f"{large_print_of(md)}: body text is {body_font_size(large)} pt"
    assert body_font_size(regular) < 16
    assert large.metadata.title == title and large.trailer["/Root"]["/Lang"] == "en"
    assert "Large print" in page_text(large).replace("LARGE PRINT", "Large print")
    # Same content: every word of the standard handout is in the large-print one.
    def words(reader: PdfReader) -> set[str]:
        return set(re.findall(r"[a-z]{4,}", page_text(reader).lower()))

    missing = words(regular) - words(large)
    assert len(missing) <= 3, f"{large_print_of(md)} lacks words of the standard handout: {sorted(missing)[:10]}"


# --- The words a page explains in tooltips, explained on paper (handout_pdf/clean.py). ---

WORDS_HEADING = "What some words mean"


def _glossary() -> dict[str, str]:
    with open(ROOT / "data" / "glossary.yml", encoding="utf-8") as f:
        return {t["term"]: " ".join(t["definition"].split()) for t in yaml.safe_load(f)["terms"]}


def _tooltips(built_site, md: str) -> list[tuple[str, str]]:
    """(term, definition) of each tooltip on the chapter's web page, in reading order."""
    page = BeautifulSoup((built_site.site / md.replace(".md", ".html")).read_text("utf-8"), "html.parser")
    return [(a.get_text(), a["title"]) for a in page.select("article abbr[title]")]


def _words_box(reader: PdfReader) -> str:
    """The text from the words box's heading to the source list, without spaces: a term with its
    definition is one run of text, however the lines wrap (the pair never parts: handout.css)."""
    text = _squeezed(page_text(reader))
    heading = _squeezed(WORDS_HEADING)
    assert text.count(heading) == 1, f"expected one '{WORDS_HEADING}' box"
    return text[text.index(heading) + len(heading):].split("Sources", 1)[0]


@pytest.mark.parametrize("pdf", [pdf_of("before/is-it-safe.md"), large_print_of("before/is-it-safe.md")])
def test_the_safety_handout_says_what_colitis_means(built_site, pdf):
    """A client reading about who should not have a release meets "colitis" with its meaning."""
    assert _squeezed("colitis" + _glossary()["colitis"]) in _words_box(PdfReader(built_site.site / pdf))


@pytest.mark.parametrize("pdf", [f(md) for _, md in CHAPTERS for f in (pdf_of, large_print_of)])
def test_each_handout_explains_the_words_its_page_has_tooltips_for(built_site, pdf):
    """Every term with a tooltip on the page, with its definition, once, in the order read."""
    md = next(md for _, md in CHAPTERS if pdf in (pdf_of(md), large_print_of(md)))
    tooltips = _tooltips(built_site, md)
    assert tooltips, f"{md} has no tooltips: this test would prove nothing"
    box = _words_box(PdfReader(built_site.site / pdf))
    entries = [_squeezed(term + definition) for term, definition in tooltips]
    missing = [term for (term, _), entry in zip(tooltips, entries, strict=True) if entry not in box]
    assert not missing, f"{pdf}: the words box does not explain {missing}"
    assert all(box.count(entry) == 1 for entry in entries), f"{pdf}: a term is explained twice"
    assert sorted(entries, key=box.index) == entries, f"{pdf}: the words are not in the order the page uses them"


def test_the_whole_guide_explains_its_words_once_at_the_end(built_site):
    """One list from A to Z before the sources, in the contents, not a box in every chapter."""
    reader = PdfReader(built_site.site / GUIDE)
    tops = [item.title for item in reader.outline if not isinstance(item, list)]
    assert tops[-2:] == [WORDS_HEADING, "Sources"], tops
    assert [h.title for h in headings(reader)].count(WORDS_HEADING) == 1, "a chapter has a box of its own"
    texts = [_squeezed(page.extract_text()) for page in reader.pages]
    start = int(re.search(rf"{WORDS_HEADING}\s*\.+\s*(\d+)", reader.pages[0].extract_text())[1])
    listed = "".join(texts[start - 1:]).split("Sources", 1)[0]
    words = dict(term for _, md in CHAPTERS for term in _tooltips(built_site, md))
    entries = [_squeezed(term + definition) for term, definition in sorted(words.items(), key=lambda w: w[0].casefold())]
    assert [e for e in entries if listed.count(e) != 1] == [], "each term once"
    assert sorted(entries, key=listed.index) == entries, "from A to Z"


def test_routines_carry_their_steps_on_paper(built_site):
    """The Maintaining handout is read without the website: each routine gives its exercises' steps."""
    text = page_text(PdfReader(built_site.site / "handouts/maintaining-psoas-health.pdf"))
    assert "links to step-by-step" not in text
    with open(ROOT / "data" / "exercises.yml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    flat = " ".join(text.split())
    for routine in data["routines"]:
        for step in routine["steps"]:
            exercise = next(e for e in data["exercises"] if e["id"] == step["exercise"])
            first_step = " ".join((step.get("steps") or exercise["steps"])[0].split())  # a routine's own steps win
            assert first_step[:40] in flat, f"the steps of {exercise['name']} are not in the handout"


def test_notice_wording_is_the_same_on_pages_and_handouts(built_site):
    partial = (ROOT / "overrides" / "partials" / "not-medical-advice.html").read_text(encoding="utf-8")
    wording = " ".join(re.sub(r"\{#.*?#\}|<[^>]+>", " ", partial, flags=re.S).split())
    assert wording.startswith("Not medical advice.")
    page = BeautifulSoup(built_site.page("aftercare/exercises.html"), "html.parser")
    assert " ".join(page.select_one(".page-review__notice").get_text(" ").split()) == wording
    pdf = " ".join(page_text(PdfReader(built_site.site / "handouts/exercises.pdf")).split())
    assert wording in pdf


# --- A handout that cannot be made stops the build, naming the chapter and the reason. ---

def test_network_image_fails_the_build(project_copy, tmp_path):
    page = project_copy / "docs" / "before" / "preparing.md"
    page.write_text(page.read_text() + '\n<img src="https://example.org/tracker.png" alt="x">\n')
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    # The site check (pipeline/checks.py) stops it before the handout step, naming the page and the load.
    assert "before/preparing.html: loads from another host: <img src=https://example.org/tracker.png>" in result.output
    assert "nothing was published" in result.output


def test_broken_figure_fails_the_build(project_copy, tmp_path):
    (project_copy / "docs" / "assets" / "figures" / "broken.svg").write_text("<svg this is not xml")
    page = project_copy / "docs" / "aftercare" / "posture-and-mobility.md"
    page.write_text(page.read_text() + "\n![A broken drawing](../assets/figures/broken.svg)\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    # The site check (pipeline/checks.py) stops it before the handout step, naming the file.
    assert "docs/assets/figures/broken.svg: SVG is not well-formed XML" in result.output
    assert "nothing was published" in result.output


def test_chapters_follow_the_nav_and_safety_comes_first():
    assert CHAPTERS[0] == ("Is it safe for me?", "before/is-it-safe.md")


# --- The parts, in-process: fast and focused. ---

def _chapter(tmp_path: Path, content: str) -> Chapter:
    (tmp_path / "site").mkdir(exist_ok=True)
    return Chapter(slug="demo", title="Demo", src_uri="demo.md", page_file=tmp_path / "site" / "demo.html",
                   online_url="https://example.org/guide/demo.html", updated=None, review_due=None,
                   description="", article=f'<article class="md-content__inner">{content}</article>')


def test_a_link_to_another_chapter_says_where_to_read_it_on_paper(tmp_path):
    chapter = _chapter(tmp_path, '<h1>Demo</h1><p><a href="safe.html#signs">All warning signs</a> and '
                                 '<a href="demo.html#top">this page</a> and <a href="glossary.html">words</a>.</p>'
                                 '<p><a class="urgency" href="safe.html#emergency">Emergency: call 999 now</a> if</p>')
    titles = {"safe.html": "Is it safe for me?", "demo.html": "Demo"}
    text = BeautifulSoup(clean(chapter, tmp_path / "site", "", chapter_titles=titles).html, "html.parser").get_text()
    # A link to its own page is not annotated; its words "this page" name the handout (clean.py).
    assert text == ("All warning signs (see the “Is it safe for me?” handout) and this handout and words."
                    "Emergency: call 999 now if")
    guide = clean(chapter, tmp_path / "site", "", id_prefix="demo", chapter_titles=titles).html
    assert "All warning signs (see “Is it safe for me?” in this guide)" in BeautifulSoup(guide, "html.parser").get_text()


def test_this_page_in_a_link_to_another_page_is_not_this_handout(tmp_path):
    """'See [this page](safe.html)' became 'See this handout', the one in the reader's hand: the words
    of a link to another page (a chapter, the Glossary, a website) name that page."""
    chapter = _chapter(tmp_path, '<h1>Demo</h1><p>See <a href="safe.html">this page</a> first. Read '
                                 '<a href="glossary.html">this page\u2019s words</a>, <a href="https://www.nhs.uk/x">'
                                 'this web page</a> and <a href="#top">the tips on this page</a>. On this page, a tip.</p>')
    titles = {"safe.html": "Is it safe for me?", "demo.html": "Demo"}
    text = BeautifulSoup(clean(chapter, tmp_path / "site", "", chapter_titles=titles).html, "html.parser").get_text()
    assert text == ("See that page (see the “Is it safe for me?” handout) first. Read that page\u2019s words, that web "
                    "page and the tips in this handout. In this handout, a tip.")


def test_a_link_that_names_its_chapter_or_sits_in_brackets_reads_well_on_paper(tmp_path):
    """No "Read Is it safe for me? (see the “Is it safe for me?” handout)", no "(why (see ...))"."""
    chapter = _chapter(tmp_path, '<h1>Demo</h1><p><a href="safe.html">Is it safe for me?</a> lists them. '
                                 'Read <a href="safe.html">is it safe for me?</a> first (<a href="safe.html#t">why</a>). '
                                 'See <a href="safe.html#c">the check in Is it safe for me?</a>. '
                                 'Read the <a href="safe.html">Is it safe for me?</a> cautions.</p>')
    titles = {"safe.html": "Is it safe for me?", "demo.html": "Demo"}
    text = BeautifulSoup(clean(chapter, tmp_path / "site", "", chapter_titles=titles).html, "html.parser").get_text()
    assert text == ("The “Is it safe for me?” handout lists them. Read the “Is it safe for me?” handout first "
                    "(why; see the “Is it safe for me?” handout). See the check in Is it safe for me?. "
                    "Read the “Is it safe for me?” handout cautions.")
    guide = clean(chapter, tmp_path / "site", "", id_prefix="demo", chapter_titles=titles).html
    assert "Read the “Is it safe for me?” cautions." in BeautifulSoup(guide, "html.parser").get_text()


def _mm(css: str, pattern: str) -> float:
    found = re.search(pattern, css)
    assert found, f"large-print.css no longer has {pattern}: this test would prove nothing"
    return float(found.group(1))


def test_every_figure_label_is_large_print_size():
    """Large print promises nothing under 14 pt. A figure's labels are set in the SVG, so their
    printed size is the figure's printed height over its drawing's height: worked out here from
    each SVG and the large-print sheet (an exercise figure is set to a height of its own)."""
    css = LARGE_PRINT_STYLESHEET.read_text("utf-8")
    cap = _mm(css, r"figure img, p img \{ max-height: (\d+)mm")
    exercise_height = _mm(css, r"\.exercise-block figure img \{ height: (\d+)mm")  # set, not capped
    column = 210 - 2 * _mm(css, r"margin: \d+mm (\d+)mm")  # A4, both side margins
    with open(ROOT / "data" / "exercises.yml", encoding="utf-8") as f:
        on_exercises = {ex.get("figure") for ex in yaml.safe_load(f)["exercises"]}
    with open(ROOT / "data" / "figures.yml", encoding="utf-8") as f:
        figures = yaml.safe_load(f)["figures"]
    small = []
    for figure in figures:
        svg = (ROOT / "docs" / figure["src"]).read_text("utf-8")
        _, _, width, height = map(float, re.search(r'viewBox="([^"]+)"', svg).group(1).split())
        sizes = [float(v) for v in re.findall(r'font-size[=:]"?\s*([\d.]+)', svg)]
        assert sizes, f"{figure['src']}: no font-size found"
        # Never larger than the drawing's own size (CSS px: 96 to the inch).
        natural = re.search(r'<svg[^>]*\sheight="([\d.]+)"', svg)
        own = float(natural.group(1)) * 25.4 / 96 if natural else float("inf")
        printed = exercise_height if figure["id"] in on_exercises else min(cap, column * height / width, own)
        points = min(sizes) / height * printed * 72 / 25.4
        if points < 14:
            small.append(f"{figure['id']}: {points:.1f} pt")
    assert not small, f"figure labels under 14 pt in large print: {small}"


def test_the_theme_additions_in_the_article_are_not_printed(tmp_path):
    chapter = Chapter(**{**vars(_chapter(tmp_path, '<p class="print-header">Site</p><h1>Demo</h1><p>Words.</p>'
                                         '<aside class="page-review">Reviewed</aside>')),
                         "chrome": ".print-header, .page-review"})
    assert chapter.content_soup().decode() == "<h1>Demo</h1><p>Words.</p>"


def test_zensicals_skip_anchor_is_not_printed(tmp_path):
    """Zensical puts an empty <a id="__skip"> first in the article: printed, it was a blank line
    under the notice that pushed the safety handout's Emergency box to page 2."""
    chapter = replace(_chapter(tmp_path, '\n<a id="__skip" tabindex="-1"></a>\n<h1>Demo</h1><p>Words.</p>'),
                      chrome=PAGE_CHROME)
    assert chapter.content_soup().decode().strip() == "<h1>Demo</h1><p>Words.</p>"


def test_clean_keeps_words_and_drops_screen_parts(tmp_path):
    chapter = _chapter(tmp_path, (
        '<h1 id="demo">Demo<a class="headerlink" href="#demo">¶</a></h1>'
        '<p>See (<a class="cite" data-source="nhs" href="../reference/sources.html#src-nhs">NHS, 2024</a>) and '
        '<a href="other.html#x">the other page</a> or <a href="https://nhs.uk/">NHS</a>.</p>'
        '<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
        '<input type="checkbox" checked><span class="task-list-indicator"></span></label> Tick me</li></ul>'
        '<details class="note"><summary>More</summary><p>Hidden text</p></details>'
        '<p>A <abbr title="a muscle">psoas</abbr>.</p><div class="screen-only">Click here</div>'))
    cleaned = clean(chapter, tmp_path / "site", "https://example.org/guide/")
    soup = BeautifulSoup(cleaned.html, "html.parser")
    assert cleaned.cited == ["nhs"] and "¶" not in cleaned.heading
    assert soup.select_one("span.cite").get_text() == "NHS, 2024" and not soup.select("a.cite")
    assert soup.select_one("a.internal")["href"] == "https://example.org/guide/other.html#x"
    assert soup.select_one("a.external")["href"] == "https://nhs.uk/"
    assert soup.select("li .tick-box") and not soup.select("input, label")
    assert not soup.select("details") and "Hidden text" in soup.get_text()
    assert not soup.select("abbr") and "Click here" not in soup.get_text()


def test_the_words_box_prints_a_definition_as_text_never_as_markup(tmp_path):
    """A definition is data: "<script>" or "&" in it reads as those characters, escaped once."""
    from handout_pdf.document import Site, chapter_document

    evil = "Tummy &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bowel&lt;/b&gt;"
    said = "Tummy <script>alert(1)</script> & <b>bowel</b>"
    chapter = _chapter(tmp_path, f'<h1>Demo</h1><p class="screen-only">A <abbr title="a muscle">psoas</abbr>.</p>'
                                 f'<p><abbr title="{evil}">colitis</abbr>, <abbr title="a muscle">Psoas</abbr>'
                                 f' and <abbr title="{evil}">colitis</abbr>.</p>')
    cleaned = clean(chapter, tmp_path / "site", "")
    assert [(w.term, w.definition) for w in cleaned.words] == [
        ("psoas", "a muscle"), ("colitis", said)]
    site = Site(name="Guide", url="", author="A", description="", site_dir=tmp_path / "site", sources={})
    html, _ = chapter_document(chapter, site)
    box = BeautifulSoup(html, "html.parser").select_one(".handout-words")
    assert not box.select("script, b") and "&amp;amp;" not in html
    assert [dd.get_text() for dd in box.select("dd")] == ["a muscle", said]
    assert evil in html
    assert not BeautifulSoup(cleaned.html, "html.parser").select("abbr")


def test_the_words_box_leaves_out_an_abbr_that_explains_nothing(tmp_path):
    """Raw HTML may hold <abbr title=""> (or an empty <abbr>): no term without a meaning, no meaning without a term."""
    chapter = _chapter(tmp_path, '<h1>Demo</h1><p><abbr title=" ">ROM</abbr> <abbr title="a muscle"> </abbr>'
                                 ' <abbr title="a doctor">GP</abbr></p>')
    assert [(w.term, w.definition) for w in clean(chapter, tmp_path / "site", "").words] == [("GP", "a doctor")]


def test_the_whole_guide_lists_each_word_once_from_a_to_z(tmp_path):
    from collections import defaultdict

    from handout_pdf.document import Site, guide_book

    site = Site(name="Guide", url="", author="A", description="", site_dir=tmp_path / "site", sources={})
    one = _chapter(tmp_path, '<h1>One</h1><p><abbr title="a doctor">GP</abbr>, <abbr title="a muscle">psoas</abbr></p>')
    two = replace(one, slug="two", article='<article><h1>Two</h1><p><abbr title="bowel">colitis</abbr>, '
                                           '<abbr title="a doctor">GP</abbr></p></article>')
    book = guide_book([one, two], site)
    whole = book.front(defaultdict(lambda: 2), 3) + "".join(part(2) for part in book.parts)
    soup = BeautifulSoup(whole, "html.parser")
    assert [dt.get_text() for dt in soup.select("#all-words dt")] == ["colitis", "GP", "psoas"]
    assert soup.select('.contents a[href$="all-words"]') and not soup.select(".handout-words")


NESTED_TABS = """=== "Walking"

    Walk most days.

    === "If you have a heart condition"

        Ask your doctor before you start.

    === "Otherwise"

        Start with 10 minutes.

=== "Swimming"

    Swim gently.
"""


def test_tabs_inside_a_tab_print_under_their_own_labels(tmp_path):
    """A set of tabs in a tab: each label stays over its own words on paper (they once shifted:
    "Swimming" printed over the heart condition's caution, which lost its label)."""
    import markdown

    html = markdown.markdown(NESTED_TABS, extensions=["pymdownx.superfences", "pymdownx.tabbed"],
                             extension_configs={"pymdownx.tabbed": {"alternate_style": True}})
    soup = BeautifulSoup(clean(_chapter(tmp_path, f"<h1>Demo</h1>{html}"), tmp_path / "site", "").html, "html.parser")
    said = {title.get_text(): " ".join(title.find_next_sibling("div").get_text(" ").split())
            for title in soup.select("p.tab-title")}
    assert said == {"Walking": "Walk most days. If you have a heart condition Ask your doctor before you start. "
                               "Otherwise Start with 10 minutes.",
                    "If you have a heart condition": "Ask your doctor before you start.",
                    "Otherwise": "Start with 10 minutes.", "Swimming": "Swim gently."}


def test_a_tab_without_its_label_stops_the_handout(tmp_path):
    chapter = _chapter(tmp_path, '<h1>Demo</h1><div class="tabbed-set"><div class="tabbed-labels"><label>One</label></div>'
                                 '<div class="tabbed-content"><div class="tabbed-block"><p>1</p></div>'
                                 '<div class="tabbed-block"><p>2</p></div></div></div>')
    with pytest.raises(HandoutError, match="1 labels for 2 tabs.*Fix:"):
        clean(chapter, tmp_path / "site", "")


def test_a_phone_link_without_its_number_in_words_prints_the_number(tmp_path):
    """Paper cannot dial: 'call Samaritans free' would leave the reader without the number."""
    chapter = _chapter(tmp_path, '<h1>Demo</h1><p>Call <a href="tel:116123">Samaritans</a> free, or '
                                 '<a href="tel:999">999</a> now.</p>')
    text = BeautifulSoup(clean(chapter, tmp_path / "site", "").html, "html.parser").get_text()
    assert text == "Call Samaritans (116123) free, or 999 now."


def test_handouts_carry_the_shared_paper_rules(tmp_path):
    """docs/stylesheets/paper.css (also imported by browser print) is inside every handout."""
    from handout_pdf.document import LARGE_PRINT_STYLESHEET, PAPER_STYLESHEET, Site, chapter_document

    site = Site(name="Guide", url="https://example.org/guide/", author="A", description="", site_dir=tmp_path / "site",
                sources={})
    chapter = _chapter(tmp_path, "<h1>Demo</h1><h2 id='ex-a'>A</h2><p>Do it.</p><p><strong>Dose:</strong> 5.</p><h2>B</h2><p>x</p>")
    html, _ = chapter_document(chapter, site)
    large, _ = chapter_document(chapter, site, large_print=True)
    paper = PAPER_STYLESHEET.read_text("utf-8")
    assert paper in html and paper in large
    assert LARGE_PRINT_STYLESHEET.read_text("utf-8") in large and "handout--large" in large
    assert LARGE_PRINT_STYLESHEET.read_text("utf-8") not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".exercise-block > h2#ex-a") and "Dose:" in soup.select_one(".exercise-block").get_text()
    assert soup.select_one(".keep-whole > h2") and "Not medical advice." in soup.get_text()


def test_clean_refuses_images_outside_the_site(tmp_path):
    with pytest.raises(HandoutError, match="never load anything from the network"):
        clean(_chapter(tmp_path, '<img src="https://example.org/x.png">'), tmp_path / "site", "https://example.org/")
    with pytest.raises(HandoutError, match="not found in the built site"):
        clean(_chapter(tmp_path, '<img src="../../etc/passwd">'), tmp_path / "site", "https://example.org/")


def _job(tmp_path: Path, html: str) -> Job:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    return Job(name="Demo", where="demo.md", recipe=Ready(html, (site / "demo.html").as_uri()),
               allowed=site, target=site / "handouts" / "demo.pdf")


def test_fetcher_refuses_the_network(tmp_path):
    html = '<html lang="en"><title>x</title><body><p>Hi</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    with pytest.raises(HandoutError, match="refused to fetch http://127.0.0.1:9/x.png"):
        make_all([_job(tmp_path, html)], tmp_path / "cache", lambda *a: None)


def test_a_weasyprint_warning_fails_the_handout_under_the_clis_logging(tmp_path, monkeypatch):
    """The CLI keeps WeasyPrint's logger quiet; its warnings must still fail the handout (they
    once passed silently in `guide build`, while this test, without the CLI's logging, passed)."""
    logger = logging.getLogger("weasyprint")
    monkeypatch.setattr(logger, "level", logger.level)
    configure_logging()
    assert not logger.isEnabledFor(logging.WARNING)
    html = ('<html lang="en"><title>x</title><style>p { colour: red }</style>'
            '<body><h1>x</h1><p>Hi</p></body></html>')
    with pytest.raises(HandoutError, match=r"WeasyPrint reported: .*colour"):
        make_all([_job(tmp_path, html)], tmp_path / "cache", lambda *a: None)
    assert logger.level == logging.ERROR and logger.propagate


def test_documents_typeset_in_one_process_do_not_change_each_other(tmp_path):
    """Each process keeps one font setup for all its documents (render._font_config). What one
    document used must not reach the next: the cache's keys promise the same PDF for the same input."""
    def pdf(words: str) -> bytes:
        target = tmp_path / "out.pdf"
        typeset(Ready(f'<html lang="en"><title>x</title><body><h1>{words}</h1><p>{words}</p>'
                      f'<pre>{words}</pre></body></html>', tmp_path.as_uri()).make(), tmp_path, target)
        return target.read_bytes()
    first = pdf("Rest and move")
    pdf("Zebra quiz: jumps 0123456789 ÄÖÜ éèê")  # other glyphs, another font (monospace)
    assert pdf("Rest and move") == first


def test_unchanged_handout_comes_from_the_cache(tmp_path):
    html = '<html lang="en"><title>Cached</title><body><h1>Cached</h1><p>Once.</p></body></html>'
    seen = []
    first = make_all([_job(tmp_path, html)], tmp_path / "cache", lambda r, n, t: seen.append((r.cached, n, t)))
    again = make_all([_job(tmp_path, html)], tmp_path / "cache", lambda r, n, t: seen.append((r.cached, n, t)))
    changed = make_all([_job(tmp_path, html.replace("Once", "Twice"))], tmp_path / "cache", lambda *a: None)
    assert seen == [(False, 1, 1), (True, 1, 1)]
    assert first[0].pages == again[0].pages == 1 and not changed[0].cached
    assert "Twice" in page_text(PdfReader(first[0].job.target))


def test_handout_prints_the_online_address_only_when_there_is_one(tmp_path):

    from collections import defaultdict

    from handout_pdf.document import Site, chapter_document, guide_book

    chapter = _chapter(tmp_path, "<h1>Demo</h1><p>Words.</p>")
    for url, online in (("https://guide.example-clinic.org/", True), ("", False)):
        site = Site(name="Guide", url=url, author="A", description="D", site_dir=tmp_path / "site", sources={})
        ch = replace(chapter, online_url=url + "demo.html" if url else "")
        single, _ = chapter_document(ch, site)
        book = guide_book([ch], site)
        whole = book.front(defaultdict(lambda: 2), 3) + "".join(part(2) for part in book.parts)
        assert ("Online:" in single) is online and "offline copy" not in single
        assert ("guide.example-clinic.org" in whole) is online


def test_large_print_and_shared_paper_rules_change_the_cache_key(tmp_path, monkeypatch):
    """A cached PDF must not survive an edit to paper.css (outside this package) or the variant."""
    from handout_pdf import document, recipes
    from handout_pdf.document import Site

    site = Site(name="Guide", url="", author="A", description="", site_dir=tmp_path / "site", sources={})
    chapter = _chapter(tmp_path, "<h1>Demo</h1><p>x</p>")

    def key(recipe) -> bytes:
        return b"".join(recipe.key_parts(tmp_path))

    standard = key(recipes.ChapterRecipe(chapter, site))
    assert standard != key(recipes.ChapterRecipe(chapter, site, large_print=True))
    edited = tmp_path / "paper.css"
    edited.write_text(document.PAPER_STYLESHEET.read_text("utf-8") + "\n/* edited */\n")
    monkeypatch.setattr(recipes, "SHARED_INPUTS", (edited, *document.SHARED_INPUTS[1:]))
    assert key(recipes.ChapterRecipe(chapter, site)) != standard


@pytest.mark.parametrize("library", ["weasyprint", "pydyf", "pikepdf", "beautifulsoup4"])
def test_an_upgraded_pdf_library_renders_anew(monkeypatch, library):
    """A new PDF writer or HTML cleaner may make other bytes: no cached PDF of the old one is served."""
    from handout_pdf import render

    before = render.code_fingerprint()
    real = render.version
    monkeypatch.setattr(render, "version", lambda name: real(name) + ".post1" if name == library else real(name))
    assert render.code_fingerprint() != before


@pytest.mark.parametrize("change", [{"report": "Send it to fix@clinic.org.uk."}, {"author": "B"},
                                    {"chapter_titles": {"a.html": "A"}}])
def test_every_site_field_is_in_the_cache_key(tmp_path, change):
    """A new inbox or reviewer must reach every PDF: no cached copy keeps the old words."""
    from handout_pdf import recipes
    from handout_pdf.document import Site

    site = Site(name="Guide", url="", author="A", description="", site_dir=tmp_path / "site", sources={})
    chapter = _chapter(tmp_path, "<h1>Demo</h1><p>x</p>")
    before = b"".join(recipes.ChapterRecipe(chapter, site).key_parts(tmp_path))
    assert before != b"".join(recipes.ChapterRecipe(chapter, replace(site, **change)).key_parts(tmp_path))
    moved = replace(site, site_dir=tmp_path / "elsewhere")  # where the site was built is not in the key
    assert before == b"".join(recipes.ChapterRecipe(chapter, moved).key_parts(tmp_path))


def test_a_chapter_changed_after_its_review_says_so_on_paper(tmp_path):
    from handout_pdf.document import Site, chapter_document

    site = Site(name="Guide", url="", author="A", description="", site_dir=tmp_path / "site", sources={})
    chapter = _chapter(tmp_path, "<h1>Demo</h1><p>x</p>")
    assert "Not yet checked by a health professional" in chapter_document(chapter, site)[0]  # the default
    status = "Reviewed by A. Example, 5 January 2026; changed since, not yet checked again"
    assert status in chapter_document(replace(chapter, review_status=status), site)[0]
