"""WCAG 2.2 AA, checked by axe-core in a real browser, plus keyboard and reflow checks axe cannot make."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

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


def test_search_dialog_has_a_name(browser, site_server):
    """Lighthouse (axe best practice aria-dialog-name) wants Material's search dialog named."""
    page = browser.new_page()
    page.goto(site_server + "index.html")
    assert page.get_attribute('.md-search[role="dialog"]', "aria-label") == "Search"
    page.close()
