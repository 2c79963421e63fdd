"""WCAG 2.2 AA, checked by axe-core in a real browser, plus keyboard and reflow checks axe cannot make."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from conftest import html_pages

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def page_urls(built_site, site_server) -> list[str]:
    return [site_server + p.relative_to(built_site.site).as_posix() for p in html_pages(built_site.site)]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}: "
        f"{v['nodes'][0].get('failureSummary', '').splitlines()[-1].strip()}"
        for v in violations
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(browser, built_site, site_server, scheme):
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    failures = {}
    urls = page_urls(built_site, site_server)
    for url in urls:
        page.goto(url)
        # The first palette follows the system setting; make sure the one we asked for is applied.
        applied = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert applied == ("slate" if scheme == "dark" else "default"), url
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            failures[url.removeprefix(site_server)] = describe(violations)
    context.close()
    assert len(urls) >= 15
    assert not failures, "\n".join(f"{url}:\n{text}" for url, text in failures.items())


def test_axe_check_can_fail(browser, site_server):
    """The same check flags a planted problem (an image without alt text, low-contrast text)."""
    page = browser.new_page()
    page.goto(site_server + "index.html")
    page.evaluate("""() => {
        const p = document.createElement('p');
        p.innerHTML = '<img src="assets/images/favicon.png"><span style="color:#ccc">faint</span>';
        document.querySelector('article').append(p);
    }""")
    ids = {v["id"] for v in Axe().run(page, options=AXE_OPTIONS).response["violations"]}
    page.close()
    assert {"image-alt", "color-contrast"} <= ids


def test_skip_link_moves_focus_to_content(browser, site_server):
    page = browser.new_page()
    page.goto(site_server + "before/is-it-safe.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") > 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#is-it-safe-for-me"
    page.close()


def focus_changes_pixels(page) -> bool:
    """Does the focused control look different from the same control unfocused?

    Focus can be drawn on the control, its label or a drawn box beside it, so compare pixels
    around the control rather than reading one element's outline style.
    """
    box = page.evaluate("""() => {
        const r = document.activeElement.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
    }""")
    pad = 24
    clip = {"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0),
            "width": box["width"] + 2 * pad, "height": box["height"] + 2 * pad}
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("window.__focused = document.activeElement; document.activeElement.blur()")
    unfocused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("window.__focused.focus()")
    return focused != unfocused


def tab_to(page, predicate: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    pytest.fail(f"keyboard focus never reached: {predicate}")


def test_focus_is_visible_on_every_control(browser, site_server):
    """Tab through the first 40 controls of a chapter; each looks different when focused."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_server + "before/is-it-safe.html")
    missing = []
    for _ in range(40):
        page.keyboard.press("Tab")
        page.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
        if not focus_changes_pixels(page):
            missing.append(page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))
    page.close()
    assert not missing, "no visible focus on:\n" + "\n".join(missing)


def test_checklist_can_be_ticked_from_the_keyboard(browser, site_server):
    page = browser.new_page()
    page.goto(site_server + "before/is-it-safe.html")
    box = page.locator("#checklist-safety-check input[type=checkbox]").first
    tab_to(page, "document.activeElement.getAttribute('aria-labelledby') === 'safety-check-1'")
    assert focus_changes_pixels(page), "the focused checklist box shows no focus"
    page.keyboard.press("Space")
    assert box.is_checked()
    page.close()


def test_no_horizontal_scrolling_at_320px(browser, built_site, site_server):
    """WCAG 1.4.10 reflow: 320 CSS px is 1280 px at 400% zoom."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = []
    for url in page_urls(built_site, site_server):
        page.goto(url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 320:
            too_wide.append(f"{url.removeprefix(site_server)}: {width}px")
    context.close()
    assert not too_wide, "pages scroll sideways at 320px:\n" + "\n".join(too_wide)


def test_the_menu_fits_a_phone_at_200_percent_zoom(browser, site_server):
    """A 390 px phone at 200% zoom is 195 CSS px wide: the open menu must leave page showing
    (to tap to close it) and keep each section's open arrow on screen."""
    context = browser.new_context(viewport={"width": 195, "height": 422}, device_scale_factor=4, has_touch=True)
    page = context.new_page()
    page.goto(site_server + "index.html")
    page.locator('.md-header label[for="__drawer"]').click()
    # Slid fully in (Material's 0.25 s transition) once its left edge reaches the screen's.
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= -0.5")
    drawer = page.evaluate("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().right")
    arrows = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary .md-nav__link .md-nav__icon')]
        .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right)""")
    context.close()
    assert drawer <= 195 - 24, f"the open menu ends at {drawer}px of 195"
    assert arrows and max(arrows) <= drawer, arrows


def test_search_dialog_has_a_name(browser, site_server):
    """Lighthouse (axe best practice aria-dialog-name) wants Material's search dialog named."""
    page = browser.new_page()
    page.goto(site_server + "index.html")
    assert page.get_attribute('.md-search[role="dialog"]', "aria-label") == "Search"
    page.close()


# --- Structure axe's WCAG tags do not cover (headings are checked in test_content.py) -------------
def structure_problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = [] if soup.html.get("lang") == "en" else ['<html> does not declare lang="en"']
    for table in soup.select("article table"):
        if not table.select("thead th"):
            problems.append(f"table without header cells: {table.get_text(' ', strip=True)[:60]}")
    for img in soup.select("img"):
        decorative = "routine__thumb" in img.get("class", [])
        if img.get("alt") is None or (not decorative and not img["alt"].strip()):
            problems.append(f"img without alt text: {img.get('src')}")
    return problems


def test_pages_declare_language_table_headers_and_alt_text(built_site):
    problems = {p.name: structure_problems(p.read_text(encoding="utf-8")) for p in html_pages(built_site.site)}
    assert not {name: found for name, found in problems.items() if found}


def test_structure_check_can_fail():
    planted = '<html><body><article><table><tr><td>a</td></tr></table><img src="x.svg"></article></body></html>'
    assert structure_problems(planted) == [
        '<html> does not declare lang="en"', "table without header cells: a", "img without alt text: x.svg"]


def test_routine_thumbnails_are_decorative_and_drop_their_labels(browser, built_site, site_server):
    """Routine tables show each exercise's figure small, beside its name, with alt="" (the name says it
    all) and without its labels, which would be unreadable specks at that size (see #thumbnail in the SVG)."""
    soup = BeautifulSoup(built_site.page("aftercare/maintaining-psoas-health.html"), "html.parser")
    thumbs = soup.select("td img.routine__thumb")
    assert thumbs and all(img["alt"] == "" and img.find_next_sibling("a") for img in thumbs)
    src = thumbs[0]["src"].split("#")[0].removeprefix("../")
    page = browser.new_page()
    page.goto(site_server + "index.html")
    shots = []
    for suffix in ("", "#thumbnail"):
        page.set_content(f'<img src="{site_server}{src}{suffix}" width="320">')
        page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
        shots.append(page.locator("img").screenshot())
    page.close()
    assert shots[0] != shots[1], "the #thumbnail view still shows the labels"


# --- The menu drawer, search and tooltips from the keyboard (docs/assets/javascripts/keyboard.js) --
# 1280 x 800 at 200% zoom: the menu is Material's drawer, as on a phone or a tablet.
ZOOMED_LAPTOP = {"width": 640, "height": 400}

FOCUS_ON_SCREEN = """() => { const e = document.activeElement, r = e.getBoundingClientRect();
  if (r.width < 1 || r.left < 0 || r.right > innerWidth || r.bottom < 0 || r.top > innerHeight) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (e === hit || e.contains(hit)); }"""
FOCUS_NAME = "() => (document.activeElement.getAttribute('aria-label') || document.activeElement.textContent).trim()"


def focus_shows(page) -> bool:
    """The focused control is on screen and on top (the drawer slides, so give it a moment: on a
    busy 2-core machine the 0.25 s slide once took over 2 s to end)."""
    try:
        page.wait_for_function(FOCUS_ON_SCREEN, timeout=8000)
        return True
    except Exception:
        return False


def test_the_menu_drawer_works_from_the_keyboard_at_200_percent_zoom(browser, site_server):
    """A keyboard review at 200% zoom: the menu button was a <label>, no Tab stop, so the menu never
    opened; the closed menu's 30 links took Tab stops off screen before the page; and in the open
    menu a hidden panel's link scrolled the drawer blank."""
    context = browser.new_context(viewport=ZOOMED_LAPTOP)
    page = context.new_page()
    page.goto(site_server + "before/is-it-safe.html")
    stops = []
    while not page.evaluate("!!document.activeElement.closest('article')"):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_NAME)[:40])
        assert not page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"), f"the closed menu took a Tab stop: {stops}"
        assert len(stops) < 10, stops
    assert "Menu" in stops, stops

    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    assert menu.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    assert menu.get_attribute("aria-expanded") == "true"
    names = []
    for _ in range(6):  # this chapter's section: the way back, then its five chapters
        assert focus_shows(page), f"focus out of sight after {names}"
        names.append(page.evaluate(FOCUS_NAME))
        page.keyboard.press("Tab")
    assert names == ["All chapters", "Is it safe for me?", "Understanding the psoas", "What makes it tight",
                     "Preparing for a release", "What to expect during a release"]
    # Tab past the end leaves the menu, and closes it.
    assert page.evaluate("!!document.activeElement.closest('article')")
    assert not page.evaluate("document.getElementById('__drawer').checked")

    # Up to every chapter, into another section, and Escape back to the button.
    menu.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # "All chapters"
    assert page.evaluate(FOCUS_NAME) == "Before a release" and focus_shows(page)
    page.keyboard.press("Tab")
    after = page.get_by_role("button", name="After a release")
    assert after.evaluate("el => el === document.activeElement") and after.get_attribute("aria-expanded") == "false"
    page.keyboard.press(" ")
    assert after.get_attribute("aria-expanded") == "true"
    # Focus is in the panel, and shown: its slide has ended. (A Tab during the slide sometimes left the
    # next link out of sight in a full run, never when this test ran alone; the cause was not found.)
    assert focus_shows(page), "focus out of sight in the opened panel"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_NAME) == "Immediate physical effects" and focus_shows(page)
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert menu.evaluate("el => el === document.activeElement")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_the_phone_menu_open(browser, site_server, scheme):
    """The WCAG check above never opens the menu: its panel titles were grey at 4.4:1 (4.1:1 dark).
    Also Lighthouse's ARIA check: role="button" on Material's <label>s (which ARIA allows no role)
    cost the home page a point; keyboard.js puts the role on an element inside each label."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    failures = {}
    for path in ["before/is-it-safe.html", "aftercare/exercises.html", "reference/glossary.html"]:
        page.goto(site_server + path)
        page.locator('.md-header label[for="__drawer"]').click()
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= -0.5")
        options = {**AXE_OPTIONS, "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]}}
        violations = [v for v in Axe().run(page, options=options).response["violations"]
                      if "best-practice" not in v["tags"] or v["id"] == "aria-allowed-role"]
        if violations:
            failures[path] = describe(violations)
    context.close()
    assert not failures, "\n".join(f"{path}:\n{text}" for path, text in failures.items())


def test_tab_from_the_search_box_goes_on_to_something_shown(browser, site_server):
    """Material's results box took a Tab stop of its own, after the search had closed: out of sight."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_server + "before/is-it-safe.html")
    page.locator("input.md-search__input").focus()
    page.keyboard.type("stretch")
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.matches('.md-search__scrollwrap')")
    assert focus_shows(page), page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    page.close()


def test_escape_hides_a_glossary_tooltip_and_focus_stays(browser, site_server):
    """WCAG 1.4.13: on a phone a term's meaning covers the lines under it; Escape must hide it."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True)
    page = context.new_page()
    page.goto(site_server + "before/is-it-safe.html")
    term = page.locator("article abbr", has_text="hernia").first
    tip = page.locator(".md-tooltip2--active")
    term.focus()
    tip.wait_for(state="visible")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden", timeout=3000)
    assert term.evaluate("el => el === document.activeElement")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back to the term: its meaning shows again
    tip.wait_for(state="visible")
    context.close()


def test_the_plan_builder_says_when_a_plan_is_full(browser, site_server):
    """Ticking the fifth exercise greys out the rest: a screen reader heard nothing, and the keyboard
    just skipped the greyed boxes. The status line says it, and is a live region from the start
    (it was display: none until its first message, which screen readers may not read)."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(site_server + "reference/plan-builder.html")
    assert page.get_by_role("status").count() == 1, "no live region on the page before its first message"
    boxes = page.locator("input[data-exercise]:not([data-dose])")
    for i in range(5):
        boxes.nth(i).focus()
        page.keyboard.press("Space")
    status = page.get_by_role("status")
    assert status.inner_text() == "5 exercises picked, the most a plan holds. Untick one to pick another."
    assert boxes.nth(5).is_disabled()
    boxes.nth(4).focus()
    page.keyboard.press("Space")
    assert status.inner_text() == "" and boxes.nth(5).is_enabled()
    page.close()


# --- Forced colours (Windows Contrast themes): Chromium's emulation ----------------------------------
# There every background is painted in the theme's page colour and box shadows are dropped. Material
# draws its icons as a background seen through a mask; the checklists drew their tick and focus ring
# the same way. The text, borders and outlines are kept.
def ink(png: bytes) -> int:
    """How many dark pixels a screenshot holds (forced colours here: black text on white)."""
    import io

    from PIL import Image

    return sum(Image.open(io.BytesIO(png)).convert("L").histogram()[:128])


def circle_shot(page, item) -> bytes:
    """The 28 px square round an item's drawn circle (its line's ::before, placed from the line)."""
    from test_reader_layout import CIRCLE_CENTRE_JS

    x, y = item.evaluate(CIRCLE_CENTRE_JS)
    return page.screenshot(clip={"x": x - 14, "y": y - 14, "width": 28, "height": 28}, animations="disabled")


@pytest.mark.parametrize("path, items", [("before/preparing.html", "article .task-list-item"),
                                         ("before/is-it-safe.html", ".safety-check .task-list-item")])
def test_a_ticked_box_shows_its_tick_and_its_focus_in_forced_colours(browser, site_server, path, items):
    """A forced-colours review: a ticked box vanished (its tick, a masked background, was painted in
    the page colour, and its ring is taken off when ticked), so a ticked list looked half empty; and a
    box focused by Tab showed no focus (the ring was a box shadow). The tick is now drawn in the text
    colour, bolder than an empty ring, and the focus ring is an outline."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, forced_colors="active")
    page = context.new_page()
    page.goto(site_server + path)
    item = page.locator(items).first
    empty = ink(circle_shot(page, item))
    item.locator(":scope > span").first.click()
    assert item.locator("input[type=checkbox]").is_checked()
    ticked = ink(circle_shot(page, item))
    assert ticked > 1.5 * empty, f"a ticked box shows {ticked} dark pixels, an empty one {empty}"
    page.reload()
    tab_to(page, "document.activeElement.matches('article .task-list-item input[type=checkbox]')")
    assert focus_changes_pixels(page), "a focused tick box shows no focus in forced colours"
    context.close()


# Each icon and what draws it: the colour it is painted in must not be the page's own.
ICON_COLOURS_JS = """() => {
  const rgba = colour => { const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number); return {rgb: [r, g, b].join(), a}; };
  const page = rgba(getComputedStyle(document.body).backgroundColor).rgb;
  const drawn = [];
  const add = (what, el, pseudo) => {
    if (!el) { drawn.push([what, 'missing']); return; }
    const colour = rgba(getComputedStyle(el, pseudo).backgroundColor);
    drawn.push([what, colour.rgb === page || colour.a === 0 ? 'painted as the page' : 'shown']);
  };
  add('the Emergency box icon', document.querySelector('.admonition.danger > .admonition-title'), '::before');
  add('the menu back arrow', document.querySelector('.md-nav[data-md-level="1"] > .md-nav__title .md-nav__icon'), '::after');
  add('a filled grade bar', document.querySelector('.grade--supported .grade__scale > span, .grade--limited .grade__scale > span'), null);
  return drawn;
}"""


def test_icons_and_grade_bars_show_in_forced_colours(browser, site_server):
    """A forced-colours review: the Emergency box lost its icon, the phone menu its back arrow (a blank
    before "All chapters"), and every evidence grade its filled bars, so the shape that tells
    "supported" from "limited" from "personal reports" was gone. Each is drawn in the text colour."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, forced_colors="active")
    page = context.new_page()
    found = []
    for path in ["before/is-it-safe.html", "aftercare/immediate-effects.html"]:
        page.goto(site_server + path)
        found += [(path, what, state) for what, state in page.evaluate(ICON_COLOURS_JS)]
    context.close()
    # The box and the arrow are on both pages; grades on the second only.
    assert [entry for entry in found if entry[2] != "shown"] == [
        ("before/is-it-safe.html", "a filled grade bar", "missing")], found


# --- Focus never hidden under the header (WCAG 2.4.11) ------------------------------------------------
FOCUS_UNDER_HEADER_JS = """() => {
  const e = document.activeElement;
  if (!e.closest('.md-content')) return null;
  // A tick box is drawn by its indicator; the input itself is a hidden box.
  const shown = e.matches('.task-list-control input') ? e.closest('li') : e;
  const r = shown.getClientRects()[0];
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  return r && r.top < header - 1 ? `${e.outerHTML.slice(0, 80)} at ${Math.round(r.top)} (header ends at ${Math.round(header)})` : null;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_shift_tab_up_a_chapter_never_hides_focus_under_the_header(browser, site_server, width):
    """A keyboard review: going back up a chapter with Shift+Tab, the browser scrolled each link to the
    very top of the window, under Material's sticky header: a focused link (an Emergency link, a tick
    box) was hidden behind it. The window keeps the header's height clear (scroll-padding-top)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_server + "before/is-it-safe.html")
    page.locator(".md-content a[href]").last.focus()  # the foot of the chapter
    hidden, stops = [], 0
    while stops < 400:
        page.keyboard.press("Shift+Tab")
        stops += 1
        if not page.evaluate("!!document.activeElement.closest('.md-content')"):
            break
        found = page.evaluate(FOCUS_UNDER_HEADER_JS)
        if found:
            hidden.append(found)
    context.close()
    assert stops > 50, f"Shift+Tab left the chapter after {stops} stops"
    assert not hidden, f"{len(hidden)} of {stops} focused controls were under the header:\n" + "\n".join(hidden[:8])
