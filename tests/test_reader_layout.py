"""What a reader sees and touches: phone widths, the home page's chapters, checklists that remember,
the 404 page, glossary tooltips, grade labels, headings and dark-mode figures.
"""
from __future__ import annotations

import functools
import re
import http.server
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import ROOT, html_pages

PHONE_WIDTHS = [320, 390]

# Everything a reader could see at this width that sticks out past the screen edge or is cut off
# by its own box (text clipped by overflow: hidden, a table that needs sideways scrolling).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  // Screen-reader-only boxes (clipped to nothing on purpose) are not seen, so they cannot stick out.
  const readerOnly = el => { for (let a = el; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== 'none') return true; return false; };
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
      && el.getBoundingClientRect().width > 1 && !readerOnly(el);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const problems = [];
  if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  for (const el of document.querySelectorAll('.md-content *, .md-footer *')) {
    if (!visible(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) problems.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
    const style = getComputedStyle(el);
    const cuts = ['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX) || el.tagName === 'TABLE';
    if (cuts && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'PRE' && !el.closest('pre'))
      problems.push(`${name(el)} cuts its content: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  return problems;
}"""


class ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml with its tags (!ENV ...) read as plain values."""


ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def chapter_pages() -> list[str]:
    """Every page in the nav's chapter sections, as built .html paths."""
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=ConfigLoader)["nav"]
    pages = []
    for section in nav:
        for title, children in section.items():
            if title in ("Before a release", "After a release"):
                pages += [next(iter(c.values())).replace(".md", ".html") for c in children]
    return pages


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 800}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


# --- phones --------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("phone", PHONE_WIDTHS, indirect=True, ids=lambda w: f"{w}px")
def test_nothing_is_wider_than_a_phone_or_clipped(built_site, phone):
    problems = {}
    pages = [*html_pages(built_site.site), built_site.site / "404.html"]
    for path in pages:
        phone.goto(path.as_uri(), wait_until="load")
        found = phone.evaluate(OVERFLOW_JS)
        if found:
            problems[path.relative_to(built_site.site).as_posix()] = found[:5]
    print(f"\n{len(pages)} pages checked at {phone.viewport_size['width']} px")
    assert problems == {}


# The boxes that open a chapter, down to its own words (its first section heading or paragraph), with
# whether each is drawn red (Material's danger, failure, bug and error callouts) and where it starts.
OPENING_BOXES_JS = """() => {
  const article = document.querySelector('article');
  const boxes = [];
  for (const el of article.children) {
    if (el.tagName === 'H2' || (el.tagName === 'P' && !el.className)) break;
    if (!el.matches('.admonition, details')) continue;
    const [r, g, b] = getComputedStyle(el).borderLeftColor.match(/\\d+/g).map(Number);
    boxes.push({name: el.className, red: r > 180 && g < 110 && b < 130, top: el.getBoundingClientRect().top + scrollY});
  }
  return boxes;
}"""


def aftercare_chapters() -> list[str]:
    return [page for page in chapter_pages() if page.startswith("aftercare/")]


@pytest.mark.browser
def test_aftercare_chapters_open_with_one_red_box_on_a_phone(built_site, browser):
    """A phone review: each aftercare chapter opened with two red boxes (the signs after a session and
    the care card, or the card and a "Don't" box) before its first words, a screen or more of alarm.
    Now one: the care card, which holds the signs after a session, and starts on the first screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    found = {}
    for chapter in aftercare_chapters():
        page.goto((built_site.site / chapter).as_uri(), wait_until="load")
        boxes = page.evaluate(OPENING_BOXES_JS)
        red = [box for box in boxes if box["red"]]
        card = next((box for box in red if "care-card" in box["name"].split()), None)
        if len(red) != 1 or card is None or card["top"] >= 844:
            found[chapter] = boxes
    context.close()
    assert len(aftercare_chapters()) == 6
    assert not found, f"more than one red box before the chapter starts, or no care card on the first screen: {found}"


@pytest.mark.browser
@pytest.mark.parametrize("phone", [320], indirect=True, ids=lambda w: f"{w}px")
def test_the_causes_table_becomes_labelled_cards_on_a_phone(built_site, phone):
    phone.goto((built_site.site / "before" / "what-makes-it-tight.html").as_uri(), wait_until="load")
    table = phone.locator("article table").first
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    assert table.get_attribute("role") == "table"
    labels = table.locator("td[data-label]").evaluate_all("tds => tds.map(td => td.dataset.label)")
    assert {"What the evidence says", "Grade"} <= set(labels)
    # The label shows on screen (it is a ::before), the header row is for screen readers only.
    shown = table.locator("td[data-label='Grade']").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert shown == '"Grade"'


@pytest.mark.browser
@pytest.mark.parametrize("phone", [320], indirect=True, ids=lambda w: f"{w}px")
def test_the_phone_footer_shows_both_chapter_names_in_full(built_site, phone):
    phone.goto((built_site.site / "before" / "understanding-the-psoas.html").as_uri(), wait_until="load")
    titles = phone.locator(".md-footer__title")
    assert titles.count() == 2
    for i in range(2):
        title = titles.nth(i)
        assert title.is_visible()
        cut = title.evaluate("el => [...el.querySelectorAll('*'), el].some(e => e.scrollWidth > e.clientWidth + 1)")
        assert not cut, title.inner_text()
    assert "Is it safe for me?" in titles.nth(0).inner_text()
    assert "What makes it tight" in titles.nth(1).inner_text()


# Headings whose permalink ("¶", hidden until pointed at or focused) sits lower than the heading's
# last letter: on a line of its own, an empty line under the heading.
PERMALINK_ALONE_JS = """() => [...document.querySelectorAll('article :is(h1, h2, h3, h4, h5, h6)')].map(h => {
  const link = h.querySelector(':scope > .headerlink');
  let text = link && link.previousSibling;
  while (text && !text.textContent.trim()) text = text.previousSibling;
  if (!text) return null;
  while (text.nodeType !== Node.TEXT_NODE && text.lastChild) text = text.lastChild;
  const range = document.createRange();
  const end = text.textContent.trimEnd().length;
  range.setStart(text, end - 1);
  range.setEnd(text, end);
  const letters = range.getClientRects();
  const last = letters[letters.length - 1];
  return link.getBoundingClientRect().top > last.top + 4 ? h.textContent.trim() : null;
}).filter(Boolean)"""


@pytest.mark.browser
@pytest.mark.parametrize("phone", [320, 375, 414], indirect=True, ids=lambda w: f"{w}px")
def test_no_heading_has_an_empty_line_under_it_on_a_phone(built_site, phone):
    """A review from disk at 375 px: under "Preparing for a release" and 17 other headings the hidden
    permalink wrapped onto a line of its own, a 45 px gap under the title on a phone's first screen."""
    alone = {}
    for path in html_pages(built_site.site):
        phone.goto(path.as_uri(), wait_until="load")
        found = phone.evaluate(PERMALINK_ALONE_JS)
        if found:
            alone[path.relative_to(built_site.site).as_posix()] = found
    assert alone == {}


@pytest.mark.browser
@pytest.mark.parametrize("phone", [390], indirect=True, ids=lambda w: f"{w}px")
def test_the_phone_menu_says_where_its_back_arrow_goes(built_site, phone):
    """A phone review: opened on a chapter, the menu shows that section only, and the aftercare
    chapters were behind an arrow with no words. The arrow says "All chapters" and leads to them."""
    phone.goto((built_site.site / "before" / "is-it-safe.html").as_uri(), wait_until="load")
    phone.click(".md-header label[for='__drawer']")
    selector = ".md-nav--primary .md-nav[data-md-level='1'] > .md-nav__title"
    back = phone.locator(selector).first
    # The drawer slides in: wait until it is on the screen.
    phone.wait_for_function(f"() => document.querySelector(\"{selector}\").getBoundingClientRect().left >= 0")
    words = back.evaluate("el => getComputedStyle(el, '::after').content")
    assert words.startswith('"All chapters"'), words
    box, arrow = back.bounding_box(), back.locator(".md-nav__icon").bounding_box()
    assert box and arrow and arrow["x"] >= 0 and box["x"] + box["width"] <= 390
    # The section's list lies over the top level; the top level's "After a release" is seen once it is the one on top.
    after = phone.locator(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link", has_text="After a release")
    on_top = """el => { const r = el.getBoundingClientRect();
        return r.left >= 0 && el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }"""
    assert not after.evaluate(on_top), "the top level was already in view"
    back.click()
    phone.wait_for_function(on_top, arg=after.element_handle())


# --- the home page ---------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 800, 1280, 1920])
def test_home_page_shows_every_chapter_at_every_width(built_site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    home = built_site.site / "index.html"
    page.goto(home.as_uri(), wait_until="load")
    hrefs = page.eval_on_selector_all(
        "article a[href]", "els => els.filter(a => a.getClientRects().length && a.offsetParent).map(a => a.href.split('#')[0])")
    context.close()
    missing = [p for p in chapter_pages() if urljoin(home.as_uri(), p) not in hrefs]
    assert missing == []
    assert "use the menu" not in built_site.page("index.html").lower()


@pytest.mark.browser
def test_a_reader_unwell_after_a_session_reaches_the_signs_in_one_tap_from_home(built_site, browser):
    """A phone review: "my back hurts after a session". The home page's first screen said only to read
    the safety chapter before a session; the signs after one, and whom to call, were three screens down
    (the chapter list) or three taps into the menu, and no number to call was in sight. Now its safety
    box says when to call 999 and links the signs after a session, on the first screen."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((built_site.site / "index.html").as_uri(), wait_until="load")
    on_first_screen = "el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight; }"
    call = page.locator("article a[href='tel:999']").first
    assert call.count() and call.evaluate(on_first_screen), "no number to call on the home page's first screen"
    link = page.locator("article a[href*='immediate-effects.html#']").first
    assert link.count() and link.evaluate(on_first_screen), "no link to the signs after a session on the first screen"
    link.tap()
    page.wait_for_url("**/aftercare/immediate-effects.html#*")
    page.wait_for_load_state("load")
    title = page.locator(".after-session-signs__title")
    where = title.evaluate("el => [el.getBoundingClientRect().top, el.getBoundingClientRect().bottom]")
    header = page.locator(".md-header").evaluate("el => el.getBoundingClientRect().bottom")
    context.close()
    assert header <= where[0] and where[1] <= 740 / 2, f"the signs after a session are not at the top of the screen: {where}"


def test_the_effects_checklist_is_on_one_page_only(built_site):
    # The effects are a "people report / research shows" table now (issue 10: no ticks beside unproven benefits).
    assert 'id="checklist-immediate"' not in built_site.page("index.html")
    assert 'id="benefits-immediate"' not in built_site.page("index.html")
    assert 'id="benefits-immediate"' in built_site.page("aftercare/immediate-effects.html")


# --- checklists --------------------------------------------------------------------------------------

@pytest.fixture
def reader(browser, tmp_path):
    """One reader's browser profile: the same storage across page loads, offline, files only."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, offline=True)
    outside: list[str] = []

    def files_only(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", files_only)
    page = context.new_page()
    yield page, outside
    context.close()


def boxes(page):
    return page.locator("article .task-list-item input[type=checkbox]")


def tap_circle(page, index: int) -> None:
    """Click the drawn circle itself (Material draws it as a pseudo-element beside the words)."""
    x, y = page.locator("article .task-list-indicator").nth(index).evaluate("""el => {
        el.closest('li').scrollIntoView({block: 'center'});
        const r = el.getBoundingClientRect(), s = getComputedStyle(el, '::before');
        const x = r.left + parseFloat(s.left) + parseFloat(s.width) / 2;
        const y = r.top + parseFloat(s.top) + parseFloat(s.height) / 2;
        return [x, y];
    }""")
    target = page.evaluate("([x, y]) => Boolean(document.elementFromPoint(x, y)?.closest('label.task-list-control'))", [x, y])
    assert target, "the circle is not where it is drawn"
    page.mouse.click(x, y)


# The drawn circle's centre, from its line's box (it is the line's ::before, placed from the line).
CIRCLE_CENTRE_JS = """li => {
    li.scrollIntoView({block: 'center'});
    const r = li.getBoundingClientRect(), s = getComputedStyle(li.querySelector('.task-list-indicator'), '::before');
    return [r.left + parseFloat(s.left) + parseFloat(s.width) / 2, r.top + parseFloat(s.top) + parseFloat(s.height) / 2];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["before/is-it-safe.html", "before/preparing.html"])
def test_a_thumb_anywhere_on_a_tick_circle_s_24px_square_ticks_it(built_site, browser, path):
    """A phone review (WCAG 2.5.8): the circle is 20 px and sat outside its line's box, so a tap a few
    pixels beside it (between the circle and the words, or just below it) landed on the list and
    ticked nothing. Every point of a 24 px square round the circle now ticks the box (each tap
    flips it)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((built_site.site / path).as_uri(), wait_until="load")
    items = page.locator("article .task-list-item:has(> .task-list-control)")
    missed = []
    for i in (0, 1, items.count() - 1):
        item = items.nth(i)
        box = item.locator("input[type=checkbox]")
        for dx, dy in [(0, 0), (-11.5, 0), (11.5, 0), (0, -11.5), (0, 11.5), (-11.5, -11.5), (11.5, 11.5), (-11.5, 11.5), (11.5, -11.5)]:
            x, y = item.evaluate(CIRCLE_CENTRE_JS)
            before = box.is_checked()
            # A click at the exact point: Chrome on Android moves a tap near a small target onto it,
            # other browsers do not, and a pen or mouse never does. The target itself must be 24 px.
            page.mouse.click(x + dx, y + dy)
            if box.is_checked() == before:
                missed.append((i, dx, dy))
    context.close()
    assert not missed, f"taps beside the circle that ticked nothing (item, dx, dy): {missed}"


@pytest.mark.browser
def test_tapping_the_words_ticks_the_box_and_ticks_survive_a_reload(built_site, reader):
    page, outside = reader
    url = (built_site.site / "before" / "preparing.html").as_uri()
    page.goto(url, wait_until="load")
    item = page.locator("article .task-list-item").first
    assert not boxes(page).first.is_checked()
    # Tap the middle of the sentence, far from the little circle.
    words = item.locator(":scope > span").first
    words.tap()
    assert boxes(page).first.is_checked()
    tap_circle(page, 2)  # the circle itself still works
    assert boxes(page).nth(2).is_checked()
    page.reload(wait_until="load")
    assert [boxes(page).nth(i).is_checked() for i in range(3)] == [True, False, True]
    # A second tap on the words unticks; a link inside an item is still a link, not a tick.
    words = page.locator("article .task-list-item").first.locator(":scope > span").first
    words.tap()
    assert not boxes(page).first.is_checked()
    assert outside == []


@pytest.mark.browser
def test_clear_my_ticks_empties_the_list_for_good(built_site, reader):
    page, _ = reader
    page.goto((built_site.site / "before" / "preparing.html").as_uri(), wait_until="load")
    for i in range(2):
        tap_circle(page, i)
    clear = page.get_by_role("button", name="Clear my ticks").first
    assert clear.is_visible()
    clear.click()
    assert not any(boxes(page).nth(i).is_checked() for i in range(2))
    page.reload(wait_until="load")
    assert not any(boxes(page).nth(i).is_checked() for i in range(boxes(page).count()))


@pytest.mark.browser
def test_the_safety_check_is_never_remembered(built_site, reader):
    """Its ticks are health details ("I am pregnant"): on a shared or clinic device the next person
    must not find them, so they are not stored, and it is answered afresh each time."""
    page, _ = reader
    page.goto((built_site.site / "before" / "is-it-safe.html").as_uri(), wait_until="load")
    check = page.locator(".safety-check .task-list-item")
    assert check.count() >= 10
    for i in range(3):
        check.nth(i).locator(":scope > span").first.click()
    assert all(check.nth(i).locator("input[type=checkbox]").is_checked() for i in range(3))
    stored = page.evaluate("() => Object.keys(localStorage).map(k => localStorage.getItem(k)).join(' ')")
    assert "pregnant" not in stored and "pulsing" not in stored, stored
    assert page.locator(".safety-check + .checklist__memory, .safety-check .checklist__memory").count() == 0
    page.reload(wait_until="load")
    assert not any(check.nth(i).locator("input[type=checkbox]").is_checked() for i in range(check.count()))


@pytest.mark.browser
def test_an_empty_box_shows_no_tick(built_site, reader):
    page, _ = reader
    page.goto((built_site.site / "before" / "preparing.html").as_uri(), wait_until="load")
    indicator = page.locator("article .task-list-indicator").first
    mask = indicator.evaluate("el => getComputedStyle(el, '::before').maskImage || getComputedStyle(el, '::before').webkitMaskImage")
    assert mask == "none"
    tap_circle(page, 0)
    mask = indicator.evaluate("el => getComputedStyle(el, '::before').maskImage || getComputedStyle(el, '::before').webkitMaskImage")
    assert mask.startswith("url(")


@pytest.mark.browser
def test_ticking_works_quietly_where_storage_is_blocked(built_site, browser):
    context = browser.new_context()
    # Writes fail, as in a private window with no storage quota; Material itself copes with that.
    context.add_init_script("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((built_site.site / "before" / "preparing.html").as_uri(), wait_until="load")
    page.locator("article .task-list-item").first.locator(":scope > span").first.click()
    assert boxes(page).first.is_checked()
    assert page.get_by_role("button", name="Clear my ticks").count() == 0
    context.close()
    assert errors == []


# --- the 404 page ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hosted_site(built_site):
    """The site at its real path (site_url's /psoas-guide/), with the 404 page for any missing file."""
    site: Path = built_site.site
    # The path the build gave the 404 page's links (site_url's path, e.g. /psoas-guide/).
    prefix = re.search(r'href="(/(?:[^"]*/)?)index\.html"', built_site.page("404.html")).group(1)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            path = urlsplit(path).path
            if not path.startswith(prefix):
                return str(site / "no-such-file")
            return super().translate_path("/" + path[len(prefix):])

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{prefix}"
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["nothing-here.html", "before/old-name.html", "a/b/c/d.html"])
def test_404_page_explains_and_every_link_works_from_any_depth(hosted_site, browser, missing):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(hosted_site + missing, wait_until="load")
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "Page not found"
    assert page.get_by_role("link", name="Go to the home page").is_visible()
    hrefs = page.eval_on_selector_all("article a[href]", "els => els.map(a => a.href)")
    assert len(hrefs) >= 12  # home plus every chapter
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    for chapter in chapter_pages():
        assert hosted_site + chapter in hrefs
    # Its search box opens the guide's search with the reader's words.
    page.get_by_label("Search the guide in your own words").fill("pregnant")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/index.html?q=pregnant")
    page.locator(".md-search-result__item").first.wait_for()
    top = page.eval_on_selector_all(".md-search-result__item > a", "els => els.slice(0, 3).map(a => a.href)")
    assert any("before/is-it-safe.html" in href for href in top), top
    context.close()


# --- tooltips, grades, headings, figures --------------------------------------------------------------

@pytest.mark.browser
def test_glossary_term_is_reachable_by_keyboard_and_its_tooltip_is_readable(built_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((built_site.site / "before" / "understanding-the-psoas.html").as_uri(), wait_until="load")
    index = page.eval_on_selector_all("article abbr", "els => els.findIndex(a => a.title)")
    term = page.locator("article abbr").nth(index)
    meaning = term.get_attribute("title")
    assert term.get_attribute("tabindex") == "0"
    body_size = page.locator("article p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    for _ in range(60):  # Tab from the top until the term has focus, as a keyboard user would
        page.keyboard.press("Tab")
        if term.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the glossary term")
    tip = page.locator(".md-tooltip2__inner, .md-tooltip__inner").filter(has_text=meaning[:20]).first
    tip.wait_for(state="visible")
    size = tip.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    context.close()
    assert size >= 0.95 * body_size, (size, body_size)


@pytest.mark.browser
def test_grade_labels_are_short_distinct_in_shape_and_readable(built_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((built_site.site / "reference" / "about.html").as_uri(), wait_until="load")
    grades = page.evaluate("""() => [...document.querySelectorAll('article table .grade')].map(g => ({
        text: g.innerText.trim(),
        size: parseFloat(getComputedStyle(g).fontSize),
        filled: [...g.querySelectorAll('.grade__scale > span')].filter(
            s => getComputedStyle(s).backgroundColor !== 'rgba(0, 0, 0, 0)').length,
        struck: getComputedStyle(g.querySelector('.grade__scale'), '::after').content !== 'none',
    }))""")
    body = page.locator("article p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    context.close()
    assert [g["text"] for g in grades] == [
        "Supported by research", "Limited evidence", "Personal reports only", "Not supported by research"]
    assert all("Evidence:" not in g["text"] for g in grades)
    assert [(g["filled"], g["struck"]) for g in grades] == [(3, False), (2, False), (1, False), (0, True)]
    assert all(g["size"] >= 0.8 * body for g in grades)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_title_is_stronger_than_section_headings(built_site, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto((built_site.site / "before" / "understanding-the-psoas.html").as_uri(), wait_until="load")
    h1, h2, body = (page.locator(sel).first.evaluate(
        "el => ({w: +getComputedStyle(el).fontWeight, s: parseFloat(getComputedStyle(el).fontSize), c: getComputedStyle(el).color})")
        for sel in ("article h1", "article h2", "article p"))
    figure_filter = page.locator("article .guide-figure img").first.evaluate("el => getComputedStyle(el).filter")
    context.close()
    assert h1["w"] >= 700 and h1["w"] > h2["w"] and h1["s"] > h2["s"]
    assert h1["c"] == body["c"]  # not Material's pale title
    # Dark mode turns the light drawing dark rather than showing a bright panel.
    assert ("invert" in figure_filter) == (scheme == "dark")
