"""The home page renders in a real browser with its checklists clickable."""
from __future__ import annotations


def test_home_page_checklist_ticks(browser, site_server):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_server + "index.html")
    box = page.locator("#checklist-safety-check input[type=checkbox]").first
    assert not box.is_checked()
    # Material draws the box over the real (transparent) input; click where a reader would.
    box.scroll_into_view_if_needed()
    area = box.bounding_box()
    page.mouse.click(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    assert box.is_checked()
    assert errors == []
    page.close()
