"""Shared fixtures: the real site built once per session, and throwaway copies of the project."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The project's CLI, run from the project folder, so a copy's own code builds the copy.
GUIDE = [sys.executable, "-m", "pipeline"]
# Copies leave out what the build makes or installs, and the repository itself.
SKIP_IN_COPY = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "site.build", "site-zensical*",
                                      ".cache", ".handouts-cache", ".engine-cache", "__pycache__", ".pytest_cache", "benchmarks", "*.egg-info")


def content_date() -> str:
    """The newest 'updated' or 'evidence_checked' date of the nav's pages: the guide's own "as of" day."""
    from pipeline.config import load_config
    from pipeline.pages import read_page

    config = load_config(ROOT / "mkdocs.yml")
    metas = [read_page(config.docs_dir / src, src)[0].meta for src in config.nav]
    # A broken page is the page tests' failure to report, not a reason to stop the whole session.
    return max(d for m in metas if m is not None for d in (m.updated, m.evidence_checked)).isoformat()


def pytest_configure(config):
    """Every check and build in this session runs as on the content's own date (GUIDE_TODAY, which
    subprocess builds inherit), so a review date passing in the real world fails no test."""
    from pipeline.clock import TODAY_ENV

    os.environ[TODAY_ENV] = content_date()


@dataclass
class Build:
    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def build(project: Path, site: Path, *options: str, env: dict[str, str] | None = None) -> Build:
    """`guide build` (engine with --strict, then handouts and zip), as `make build` runs it."""
    proc = subprocess.run(
        [*GUIDE, "-f", str(project / "mkdocs.yml"), "build", "-d", str(site), *options],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, cwd=project,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="session", autouse=True)
def session_handout_cache(tmp_path_factory):
    """This test session's own handout cache (copies of the project share it: keys are content
    hashes), so the first build renders every PDF cold and nothing comes from a developer's cache."""
    cache = tmp_path_factory.mktemp("handout-cache")
    old = os.environ.get("HANDOUTS_CACHE_DIR")
    os.environ["HANDOUTS_CACHE_DIR"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("HANDOUTS_CACHE_DIR", None)
    else:
        os.environ["HANDOUTS_CACHE_DIR"] = old


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=SKIP_IN_COPY)
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """The real guide, built once with --strict into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = build(ROOT, out)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A private copy of the project to break on purpose."""
    return copy_project(tmp_path / "project")


def html_pages(site: Path) -> list[Path]:
    """Every built page a reader can reach (Material's 404 page uses root-absolute links by design)."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html" and "assets" not in p.parts)


# --- Browser fixtures (Debian chromium driven by Playwright; never `playwright install`) ---
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries Google's hosts at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site over http://127.0.0.1 (a real origin, as a host would serve it)."""
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


# --- Test tiers: `make test-fast` runs what needs no site build, no server and no browser ---
SLOW_FIXTURES = {"built_site", "project_copy", "site_server", "browser", "zensical_site", "unplugged_build"}


def pytest_collection_modifyitems(config, items):
    """A test that builds the guide, copies the project or drives a browser is slow, wherever it is."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def only_files(external: list[str]):
    """A Playwright route handler for an offline copy: file:// loads go through; anything else is
    recorded in `external` and refused, so a test both proves and counts what tried to leave."""
    def handle(route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()
    return handle


def children(pid: int) -> set[int]:
    """The processes whose parent is pid (started by any of its threads), from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def search_settled(page, query: str) -> None:
    """Wait until the search worker has answered every query sent (search-words.js counts them), so
    the results on screen answer the last keystroke, not an earlier one; then a frame to draw them."""
    page.wait_for_function(
        """q => document.querySelector('input.md-search__input').value === q
               && window.psoasSearchWords && window.psoasSearchWords.settled()
               && document.querySelector('.md-search-result__meta')?.textContent.trim() !== ''""", arg=query)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def wait_for(check, seconds: float) -> bool:
    """Poll until check() is true or the time is up (no fixed sleeps)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False
