"""Printing a chapter from the browser: no web chrome, who and where it is from, boxes to tick."""
from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from pipeline import site_rules

pytestmark = pytest.mark.browser

CHAPTER = "aftercare/maintaining-psoas-health.html"  # has checklists, tables and citations


@pytest.fixture
def printed(browser, site_server):
    """The chapter as the print engine sees it, with the reader's screen set to dark mode."""
    page = browser.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto(site_server + CHAPTER)
    page.emulate_media(media="print", color_scheme="dark")
    yield page
    page.close()


def test_screen_chrome_is_hidden_in_print(printed):
    for selector in [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search",
                     ".md-footer", ".md-top", "p.handout-link", ".headerlink"]:
        nodes = printed.locator(selector)
        assert nodes.count() > 0, f"{selector} is not on the page, so this test would prove nothing"
        for n in range(nodes.count()):
            assert not nodes.nth(n).is_visible(), f"{selector} shows in print"


def test_download_buttons_show_on_screen(browser, site_server):
    page = browser.new_page()
    page.goto(site_server + CHAPTER)
    buttons = page.locator("p.handout-link a.md-button")
    assert buttons.count() == 2
    for n in range(2):
        box = buttons.nth(n).bounding_box()
        assert buttons.nth(n).is_visible() and box["height"] >= 32, f"button {n} is too small to be a button: {box}"
    first = buttons.first
    assert first.inner_text().strip() == "Download this chapter as a PDF handout"
    assert first.locator("svg").is_visible(), "the download icon is missing"
    # A button, not a breadcrumb: a border or a filled background, and text as big as the body.
    look = first.evaluate("""el => { const s = getComputedStyle(el);
        return [s.borderTopWidth, s.backgroundColor, parseFloat(s.fontSize),
                parseFloat(getComputedStyle(document.querySelector('.md-typeset p:not(.handout-link)')).fontSize)]; }""")
    assert look[0] != "0px" or look[1] != "rgba(0, 0, 0, 0)", look
    assert look[2] >= 0.95 * look[3], f"button text {look[2]}px is smaller than body text {look[3]}px"
    assert not page.locator(".print-header").is_visible()
    page.close()


def test_print_header_names_the_guide_and_the_page_address(printed):
    header = printed.locator(".print-header")
    assert header.is_visible()
    # SITE_URL is unset in tests: the header names the guide and prints no placeholder address.
    assert "Psoas Guide" in header.inner_text() and "example.org" not in header.inner_text()
    review = printed.locator(".page-review")
    assert review.is_visible() and "Not medical advice." in review.inner_text()
    assert "Written or updated" in review.inner_text()


def test_print_is_black_on_white_even_in_dark_mode(printed):
    colours = printed.evaluate("""() => {
        const body = getComputedStyle(document.body);
        const p = getComputedStyle(document.querySelector('.md-content p'));
        return [body.backgroundColor, p.color];
    }""")
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]


def test_checkboxes_print_as_empty_square_boxes(printed):
    boxes = printed.locator(".checklist .task-list-indicator")
    assert boxes.count() >= 3
    assert printed.locator(".checklist li.task-list-item").first.is_visible()
    # The box is the indicator's ::before (the span itself has no size), so check what it draws.
    style = boxes.first.evaluate("""el => {
        const s = getComputedStyle(el, '::before');
        return {display: s.display, visibility: s.visibility, mask: s.maskImage || s.webkitMaskImage,
                border: s.borderTopStyle, radius: s.borderTopLeftRadius, colour: s.borderTopColor,
                width: parseFloat(s.width), height: parseFloat(s.height)};
    }""")
    assert style["display"] != "none" and style["visibility"] == "visible"
    assert style["mask"] == "none" and style["border"] == "solid" and style["radius"] == "0px"
    assert style["width"] > 5 and abs(style["width"] - style["height"]) < 0.5
    assert style["colour"] == "rgb(0, 0, 0)"


def test_external_links_print_their_address_and_citations_do_not(printed):
    after = printed.evaluate("""() => {
        const ext = document.createElement('a');
        ext.href = 'https://www.nhs.uk/'; ext.textContent = 'NHS';
        document.querySelector('.md-content p').append(ext);
        const cite = document.querySelector('a.cite');
        return [getComputedStyle(ext, '::after').content, getComputedStyle(cite, '::after').content];
    }""")
    assert after[1] == "none", "a citation would print its address"
    assert after[0] == '" (https://www.nhs.uk/)"', after


def test_a_link_to_another_chapter_prints_which_chapter(printed):
    """The care card's pointer to all warning signs must say where they are on paper."""
    after = printed.evaluate("""() => {
        const more = document.querySelector('.care-card__more a');
        const urgency = document.querySelector('.care-card a.urgency');
        return [more.textContent, getComputedStyle(more, '::after').content,
                urgency ? getComputedStyle(urgency, '::after').content : 'no urgency link'];
    }""")
    assert after[0].startswith("Check who should not have deep pressure")
    assert after[1] == '" (see “Is it safe for me?”)"', after
    assert after[2] == "none", "an urgency line must stay just that"


def test_closed_details_open_in_print(printed):
    printed.evaluate("""() => {
        const d = document.createElement('details');
        d.className = 'note';
        d.innerHTML = '<summary>More</summary><p id="folded">Folded text</p>';
        document.querySelector('.md-content__inner').append(d);
    }""")
    assert printed.locator("#folded").is_visible()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_safety_chapter_print_has_no_footer_only_last_page(browser, site_server, paper):
    """The page foot (notice and dates) goes with the last block, never onto a sheet of its own."""
    page = browser.new_page()
    page.goto(site_server + "before/is-it-safe.html")
    foot = " ".join(page.locator(".page-review").inner_text().split())
    pdf = page.pdf(format=paper)
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    last = " ".join((reader.pages[-1].extract_text() or "").split())
    assert "Next planned review" in last, "the page foot is not on the last sheet"
    rest = last.replace(foot, " ") if foot in last else last.split("Not medical advice.")[0]
    assert len(rest.split()) >= 20, f"{paper}: the last of {len(reader.pages)} sheets holds only the page foot: {last!r}"


def test_print_css_takes_the_shared_paper_rules(built_site):
    # Every page links the shared paper rules just before print.css (mkdocs.yml), never by @import
    # (a second round trip before the page can paint).
    soup = BeautifulSoup((built_site.site / CHAPTER).read_text(encoding="utf-8"), "html.parser")
    sheets = [link["href"] for link in soup.select("link[rel=stylesheet]")]
    assert sheets.index("../stylesheets/paper.css") + 1 == sheets.index("../stylesheets/print.css"), sheets
    assert "@import" not in (built_site.site / "stylesheets" / "print.css").read_text(encoding="utf-8")


def test_browser_pdf_has_no_blank_last_page(browser, site_server):
    page = browser.new_page()
    page.goto(site_server + CHAPTER)
    pdf = page.pdf(format="A4")
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    # The review notice is the page's last element, so the last sheet must carry it.
    assert "Next planned review" in (reader.pages[-1].extract_text() or ""), "the last printed page is blank"
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.28) <= 1 and abs(height - 841.89) <= 1


# What the style check (pipeline/style_scan.py) cannot see: a rule aimed at a part by another name, the
# theme's own sheets, a script. Chromium looks at each safety part as a reader's screen and printer do.
PARTS = ", ".join([*(f".{c}" for c in sorted(site_rules.NEVER_HIDDEN_CLASSES)),
                   *(f"#{i}" for i in sorted(site_rules.NEVER_HIDDEN_IDS))])
HIDDEN_PARTS = """(parts) => [...document.querySelectorAll(parts)].flatMap(el => {
  const why = [];
  const box = el.getBoundingClientRect(), page = document.documentElement.scrollWidth;
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true}))
    why.push("not visible");
  if (box.width < 8 || box.height < 8) why.push(`${box.width}x${box.height} px`);
  if (box.right <= 0 || box.left >= page || box.bottom + window.scrollY <= 0) why.push("off the page");
  for (let node = el; node instanceof Element; node = node.parentElement) {
    const s = getComputedStyle(node);
    if (parseFloat(s.opacity) < 0.5) why.push(`opacity ${s.opacity} on <${node.tagName.toLowerCase()}>`);
    if (s.clipPath !== "none" || s.clip.startsWith("rect")) why.push(`clipped on <${node.tagName.toLowerCase()}>`);
  }
  const s = getComputedStyle(el);
  if (parseFloat(s.fontSize) < 8) why.push(`font-size ${s.fontSize}`);
  if (/rgba\\([^)]*, 0\\)$/.test(s.color) || s.color === "transparent") why.push(`colour ${s.color}`);
  return why.length ? [`${el.tagName.toLowerCase()}.${[...el.classList].join(".")}#${el.id}: ${why.join(", ")}`] : [];
})"""


@pytest.mark.parametrize("media, width", [("screen", 390), ("screen", 1280), ("print", 800)])
def test_every_safety_part_is_seen_on_screen_and_in_print(browser, site_server, built_site, media, width):
    chapters = [p.url for p in site_rules.built_manifest(built_site.site)[0].chapters]
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.emulate_media(media=media)
    hidden, seen = [], 0
    for url in chapters:
        page.goto(site_server + url)
        seen += page.locator(PARTS).count()
        hidden += [f"{url}: {what}" for what in page.evaluate(HIDDEN_PARTS, PARTS)]
    page.close()
    assert seen >= 3 * len(chapters), f"only {seen} safety parts found: this test would prove little"
    assert not hidden, "\n".join(hidden)
