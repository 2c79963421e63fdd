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
