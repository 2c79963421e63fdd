"""The guide works under the strict Content-Security-Policy it recommends, and tooltips stay text.

The site is served from a local HTTP server (port 0) that adds the headers in docs/_headers to
every response, as Netlify would; Chromium then searches, switches palette and hovers a glossary
term, with every CSP violation recorded. The same headers ship for nginx and Apache (hosting/).
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import material
import pytest

from conftest import ROOT
from macros.data import load_data

HEADERS_FILE = ROOT / "docs" / "_headers"
MATERIAL_PARTIALS = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
OUR_COPIES = ROOT / "docs" / "assets" / "javascripts" / "material-csp"
SEARCH_WORD = "stretch"
# Collected in the page: every violation the browser reports, before any script of ours runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def recommended_headers() -> dict[str, str]:
    headers = {}
    for line in HEADERS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and ":" in line:
            name, value = line.strip().split(":", 1)
            headers[name] = value.strip()
    return headers


def serve(site: Path, headers: dict[str, str]):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def csp_server(built_site):
    server = serve(built_site.site, recommended_headers())
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture
def csp_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def search(page, word: str) -> int:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    return page.locator(".md-search-result__item").count()


def hover_first_term(page):
    """Hover the first glossary term on the page; Material's tooltip element once it shows."""
    abbr = page.locator("article abbr").first
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    tip = page.locator(".md-tooltip2[role=tooltip]").first
    tip.wait_for(state="attached", timeout=5_000)
    return tip


# --- the headers files ---------------------------------------------------------------------------

def test_one_policy_for_every_host():
    policy = recommended_headers()["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for snippet in ("hosting/nginx-security-headers.conf", "hosting/apache-htaccess"):
        assert f'"{policy}"' in (ROOT / snippet).read_text(encoding="utf-8"), f"{snippet} differs from docs/_headers"


def test_our_copies_of_materials_inline_scripts_match_the_installed_theme():
    """After a Material upgrade, refresh docs/assets/javascripts/material-csp/ from its partials."""
    def code(path: Path) -> str:
        return "".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("//"))

    base = re.search(r"<script>(.*)</script>", (MATERIAL_PARTIALS / "base.html").read_text()).group(1)
    assert code(OUR_COPIES / "base.js") == base.replace(
        'new URL("{{ config.extra.scope | d(base_url) }}",location)', "new URL(document.currentScript.dataset.mdScope,location)")
    assert f"<script>{code(OUR_COPIES / 'palette.js')}</script>" in (MATERIAL_PARTIALS / "palette.html").read_text()
    content = (MATERIAL_PARTIALS / "content.html").read_text()
    assert f"<script>{code(OUR_COPIES / 'content.js')}</script>" in content
    assert f"<script>{code(OUR_COPIES / 'content-tabs.js')}</script>" in content


# --- the site under the policy -------------------------------------------------------------------

@pytest.mark.browser
def test_search_palette_and_tooltips_work_under_a_strict_csp(csp_server, csp_page):
    page = csp_page
    response = page.goto(csp_server + "before/understanding-the-psoas.html", wait_until="load")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("typeof __md_get") == "function"  # Material's helpers loaded from the file
    assert search(page, SEARCH_WORD) > 0
    page.keyboard.press("Escape")

    before = page.evaluate("document.body.dataset.mdColorMedia || document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"(document.body.dataset.mdColorMedia || document.body.dataset.mdColorScheme) !== {before!r}")

    tip = hover_first_term(page)
    assert tip.inner_text().strip()
    assert page.evaluate("window.__cspViolations") == []
    assert not [e for e in page.errors if "Content Security Policy" in e or "Refused" in e], page.errors


@pytest.mark.browser
def test_the_check_sees_violations(csp_server, csp_page, built_site, tmp_path):
    """An inline script under the same policy is blocked and recorded: the test above can fail."""
    site = shutil.copytree(built_site.site, tmp_path / "site")
    page_file = site / "index.html"
    page_file.write_text(page_file.read_text(encoding="utf-8").replace(
        "</body>", "<script>window.__ran = true</script></body>"), encoding="utf-8")
    server = serve(site, recommended_headers())
    try:
        csp_page.goto(f"http://127.0.0.1:{server.server_port}/index.html", wait_until="load")
        assert csp_page.evaluate("window.__ran") is None
        assert any("script-src" in v for v in csp_page.evaluate("window.__cspViolations"))
    finally:
        server.shutdown()


# --- tooltips are text ---------------------------------------------------------------------------

@pytest.mark.browser
def test_tooltip_shows_the_definition_as_text(csp_server, csp_page):
    page = csp_page
    page.goto(csp_server + "before/understanding-the-psoas.html", wait_until="load")
    term = page.locator("article abbr").first.inner_text()
    tip = hover_first_term(page)
    inner = tip.locator(".md-tooltip2__inner")
    definitions = {t.term.casefold(): " ".join(t.definition.split()) for t in load_data(ROOT / "data").glossary}
    assert inner.inner_text().strip() == definitions[term.casefold()]
    assert inner.evaluate("el => el.children.length") == 0, "the tooltip holds elements, not just text"


@pytest.mark.browser
def test_markup_in_a_tooltip_shows_as_text_and_never_runs(built_site, csp_page, tmp_path):
    """Belt and braces: even a title the data schema would refuse cannot become an element on hover."""
    site = shutil.copytree(built_site.site, tmp_path / "site")
    target = site / "before" / "understanding-the-psoas.html"
    html = target.read_text(encoding="utf-8")
    evil = "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; &amp;amp; &lt;b&gt;bold&lt;/b&gt;"
    html, count = re.subn(r'<abbr title="[^"]*">', f'<abbr title="{evil}">', html, count=1)
    assert count == 1
    target.write_text(html, encoding="utf-8")
    server = serve(site, {})  # no CSP: the escaping alone must hold
    try:
        csp_page.goto(f"http://127.0.0.1:{server.server_port}/before/understanding-the-psoas.html", wait_until="load")
        tip = hover_first_term(csp_page)
        inner = tip.locator(".md-tooltip2__inner")
        assert inner.evaluate("el => el.querySelectorAll('*').length") == 0
        assert csp_page.evaluate("window.__pwned") is None
        assert inner.inner_text().strip() == '<img src=x onerror="window.__pwned=1"> &amp; <b>bold</b>'
    finally:
        server.shutdown()


@pytest.mark.browser
def test_the_script_files_work_from_disk_too(built_site, csp_page):
    """Under file:// (the offline folder) the moved scripts load as files as well: helpers, palette, tooltips."""
    page = csp_page
    page.goto((built_site.site / "before" / "understanding-the-psoas.html").as_uri(), wait_until="load")
    assert page.evaluate("typeof __md_get") == "function"
    assert page.evaluate("document.querySelector('.md-search[role=dialog]').getAttribute('aria-label')") == "Search"
    assert hover_first_term(page).locator(".md-tooltip2__inner").inner_text().strip()
    assert page.errors == []
