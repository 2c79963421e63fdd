"""The guide works from a folder (file://) with the network cut: every page, picture and search;
the downloadable zip holds the whole site; and the strict build itself needs no network.

Browser tests run Debian's Chromium offline, with every request that is not file:// aborted and
recorded, on copies of the site at a fresh path (with a space and a non-ASCII letter in it), so
nothing depends on where the site was built.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import GUIDE, ROOT, content_date, html_pages, only_files, search_settled
from pipeline import offline_zip
from pipeline.workspace import state_dir

ZIP_URI = "downloads/psoas-guide-offline.zip"
TOP = "psoas-guide"
# A word found on one page only: the "Copy it to a USB stick" heading of the offline page, which
# this feature owns, so other chapters' edits cannot move it.
SEARCH_WORD = "USB"
SEARCH_PAGE = "reference/offline.html"
VIEWPORT = {"width": 1280, "height": 900}  # wide enough for Material's sidebar navigation


# --- the zip -------------------------------------------------------------------------------------

def test_zip_holds_the_whole_site_under_one_folder(built_site):
    site = built_site.site
    with zipfile.ZipFile(site / ZIP_URI) as archive:
        names = archive.namelist()
        packed = {n.removeprefix(f"{TOP}/"): archive.read(n) for n in names if n != "README.txt"}
        readme = archive.read("README.txt").decode()
        infos = archive.infolist()
    assert names[0] == "README.txt" and "Unzip, then open psoas-guide/index.html" in readme
    assert all(n.startswith(f"{TOP}/") for n in names[1:])
    assert names[1:] == sorted(names[1:]), "entries are not sorted"
    assert f"{TOP}/{ZIP_URI}" not in names, "the zip contains itself"
    for must in ("index.html", SEARCH_PAGE, "search/search_index.js", "assets/vendor/iframe-worker/shim.js"):
        assert must in packed
    pdfs = sorted(p.relative_to(site).as_posix() for p in site.glob("handouts/*.pdf"))
    assert all(pdf in packed for pdf in pdfs)
    # Every file of the site except the zip and the deliberate left-outs, byte for byte.
    expected = {p.relative_to(site).as_posix(): p for p in offline_zip.site_files(site, site / ZIP_URI)}
    assert sorted(packed) == sorted(expected)
    assert all(packed[name] == offline_zip.as_zipped(path, path.read_bytes()) for name, path in expected.items())
    assert not any(n.endswith(".map") or n.startswith("sitemap.xml") or n == "404.html" for n in packed)
    # The copy a reader has never links to downloading itself ("file not found" from disk).
    assert not [n for n, data in packed.items() if n.endswith(".html") and ZIP_URI.encode() in data]
    for page in ("index.html", SEARCH_PAGE):
        assert offline_zip.IN_THE_ZIP in packed[page] and ZIP_URI.encode() in (site / page).read_bytes(), page
    # Nor do its words send the reader to the download button the copy has not got.
    assert not [n for n, data in packed.items() if offline_zip.IN_THE_ZIP in data and b"button above" in data]
    # Every entry dated as the guide is (its newest page date), not 1 January 1980.
    guide_day = dt.date.fromisoformat(content_date())
    assert {i.date_time for i in infos} == {(guide_day.year, guide_day.month, guide_day.day, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    print(f"\noffline zip: {(site / ZIP_URI).stat().st_size:,} bytes, {len(names)} entries, {len(pdfs)} PDFs")


def test_build_log_reports_the_zip_size(built_site):
    assert f"Offline zip: {ZIP_URI} (" in built_site.output


def test_zip_bytes_depend_only_on_content(tmp_path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "b" / "page.html").write_text("<p>page</p>")
    (site / "a.html").write_text("<p>home</p>")
    first = site / ZIP_URI
    offline_zip.write_offline_zip(site, first)
    bytes_before = first.read_bytes()
    # Newer timestamps and a second run (with the first zip now inside the site) change nothing.
    for path in site.rglob("*.html"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
    offline_zip.write_offline_zip(site, first)
    assert first.read_bytes() == bytes_before
    # Changed content changes the zip.
    (site / "a.html").write_text("<p>home, edited</p>")
    offline_zip.write_offline_zip(site, first)
    assert first.read_bytes() != bytes_before


def test_the_zip_is_dated_as_the_guide_so_a_newer_copy_unzips_newer(tmp_path):
    """Unzipped, every file said 1 January 1980, the next version's too: a copy refreshed with a tool
    that skips files of the same size and time (rsync, robocopy) kept a page's old words whenever
    its length had not changed. Each entry now carries the guide's date (its newest page date)."""
    assert offline_zip.guide_date(["2026-11-24", "2026-12-07", "2026-11-25"]) == (2026, 12, 7, 0, 0, 0)
    assert offline_zip.guide_date([]) == offline_zip.FIXED_TIME
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>Repeat 5 times.</p>")
    zip_path = site / ZIP_URI

    def packed(date: str) -> zipfile.ZipInfo:
        offline_zip.write_offline_zip(site, zip_path, offline_zip.guide_date([date]))
        with zipfile.ZipFile(zip_path) as archive:
            assert len({i.date_time for i in archive.infolist()}) == 1
            return archive.getinfo(f"{TOP}/a.html")

    older = packed("2026-12-07")
    assert older.date_time == (2026, 12, 7, 0, 0, 0)
    # The next version: the same length, a later date (the kept zip of the old date is not reused).
    (site / "a.html").write_text("<p>Repeat 6 times.</p>")
    newer = packed("2026-12-08")
    assert newer.file_size == older.file_size and newer.date_time > older.date_time
    # Only the date changed: the zip kept from the last build has the old one, so it is not reused.
    assert packed("2026-12-09").date_time == (2026, 12, 9, 0, 0, 0)


def test_an_unchanged_site_reuses_its_last_zip_and_a_changed_one_never_does(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>home</p>")
    zip_path = site / ZIP_URI
    offline_zip.write_offline_zip(site, zip_path)
    first = zip_path.read_bytes()

    def no_compressing(*args, **kwargs):
        raise AssertionError("compressed again, though nothing changed")
    monkeypatch.setattr(offline_zip.zipfile, "ZipFile", no_compressing)
    zip_path.unlink()
    offline_zip.write_offline_zip(site, zip_path)
    assert zip_path.read_bytes() == first
    monkeypatch.undo()
    # One changed byte is a new zip, with the new words; the old one is not kept beside it.
    (site / "a.html").write_text("<p>homE</p>")
    offline_zip.write_offline_zip(site, zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.read(f"{offline_zip.TOP_FOLDER}/a.html") == b"<p>homE</p>"
    assert len(list(state_dir(site).glob("*.kept"))) == 1


@pytest.mark.parametrize("page, href", [("index.html", ZIP_URI), (SEARCH_PAGE, f"../{ZIP_URI}")])
def test_pages_link_to_the_zip(built_site, page, href):
    soup = BeautifulSoup(built_site.page(page), "html.parser")
    links = [a for a in soup.select("article a[href]") if a["href"] == href]
    assert links, f"{page} has no link to {href}"
    assert (built_site.site / page).parent.joinpath(href).resolve() == (built_site.site / ZIP_URI).resolve()


# --- the strict build with no network --------------------------------------------------------------

def no_network(*command: str) -> subprocess.CompletedProcess:
    """Run a command in a new network namespace: only a loopback device, no route anywhere."""
    assert shutil.which("unshare"), "unshare (util-linux) is missing; it ships with Debian"
    # Root can make the namespace directly; anyone else needs a user namespace mapped to root.
    prefix = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--net"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([*prefix, *command], capture_output=True, text=True, env=env, cwd=ROOT)


@pytest.fixture(scope="module")
def unplugged_build(tmp_path_factory):
    """The whole build with the network cut, with an empty handout cache: WeasyPrint renders
    every PDF unplugged (the session's cache may already hold them)."""
    out = tmp_path_factory.mktemp("unplugged") / "site"
    cache = tmp_path_factory.mktemp("unplugged-cache")
    proc = no_network("env", f"HANDOUTS_CACHE_DIR={cache}", *GUIDE, "-f", str(ROOT / "mkdocs.yml"), "build", "-d", str(out))
    return proc, out


def test_no_network_namespace_really_has_no_network():
    probe = no_network(sys.executable, "-c", "import socket; print(sorted(n for _, n in socket.if_nameindex()))")
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "['lo']"


def test_strict_build_passes_with_the_network_unplugged(unplugged_build):
    proc, out = unplugged_build
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / ZIP_URI).stat().st_size > 0
    assert re.search(r"Handout (\d+) of \1: ", proc.stderr) and "from cache" not in proc.stderr, \
        "the PDFs were not rendered with the network unplugged"


def test_two_builds_make_byte_identical_zips(built_site, unplugged_build):
    _, out = unplugged_build
    assert (out / ZIP_URI).read_bytes() == (built_site.site / ZIP_URI).read_bytes()


# --- in the browser, from disk, offline --------------------------------------------------------------

class OfflineTab:
    """One browser tab with the network cut, recording what a reader would notice going wrong."""

    def __init__(self, browser):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(offline=True, viewport=VIEWPORT)
        self.context.route("**/*", only_files(self.external))
        self.page = self.context.new_page()
        self.page.on("request", lambda r: None if r.url.startswith("file:") else self.external.append(r.url))
        self.page.on("console", lambda m: self.errors.append(f"{self.page.url}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="load")

    def undecoded_images(self) -> list[str]:
        """Scroll each picture into view (so lazy ones load), wait for it, list those that failed."""
        return self.page.evaluate("""async () => {
            const bad = [];
            for (const img of document.images) {
                img.scrollIntoView();
                try { await img.decode(); } catch (e) {}
                if (!(img.complete && img.naturalWidth > 0)) bad.push(img.src);
            }
            return bad;
        }""")

    def nav_targets(self) -> list[str]:
        """Pages the primary navigation links to (present even where the sidebar is hidden)."""
        hrefs = self.page.eval_on_selector_all(".md-nav--primary a.md-nav__link[href]", "els => els.map(a => a.href)")
        return [h.split("#")[0] for h in hrefs if h.startswith("file:")]

    def click_link_to(self, target: str) -> bool:
        """Click a visible link to target on the current page, as a reader would. False if none."""
        index = self.page.evaluate("""target => [...document.querySelectorAll('a[href]')].findIndex(a =>
            a.href.split('#')[0] === target && a.getClientRects().length > 0
            && getComputedStyle(a).visibility !== 'hidden' && !a.closest('[hidden]'))""", target)
        if index < 0:
            return False
        with self.page.expect_navigation(wait_until="load"):
            self.page.locator("a[href]").nth(index).click()
        assert self.page.url.split("#")[0] == target
        return True

    def search(self, word: str) -> list[str]:
        """Type into Material's search box (keystrokes: fill() does not start a search); result links."""
        box = self.page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(word, delay=40)
        search_settled(self.page, word)
        self.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        return self.page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser):
    opened = OfflineTab(browser)
    yield opened
    opened.close()


def moved_copy(site: Path, tmp_path: Path) -> Path:
    """The site somewhere else, with awkward characters in the path, as on a reader's USB stick."""
    return shutil.copytree(site, tmp_path / "USB stick" / "Klinik Müller" / "guide")


def crawl(tab: OfflineTab, home: str) -> list[str]:
    """Visit every page the navigation reaches, by clicking links; check each page on arrival."""
    tab.open(home)
    visited = [home]
    problems = {home: tab.undecoded_images()}
    queue = tab.nav_targets()
    while queue:
        target = queue.pop(0)
        if target in visited:
            continue
        # A link on this page, or else on a page already seen (the home page hides the sidebar).
        if not tab.click_link_to(target):
            for page in visited:
                tab.open(page)
                if tab.click_link_to(target):
                    break
            else:
                pytest.fail(f"no visible link to {target} on any page reached so far")
        visited.append(target)
        problems[target] = tab.undecoded_images()
        queue += tab.nav_targets()
    assert {page: bad for page, bad in problems.items() if bad} == {}, "pictures that did not load"
    return visited


@pytest.mark.browser
def test_every_page_works_from_disk_with_the_network_cut(built_site, tab, tmp_path):
    site = moved_copy(built_site.site, tmp_path)
    visited = crawl(tab, (site / "index.html").as_uri())
    every_page = {p.as_uri() for p in html_pages(site)}
    assert set(visited) == every_page, f"never reached: {sorted(every_page - set(visited))}"
    assert tab.errors == []
    assert tab.external == []
    print(f"\ncrawled {len(visited)} pages from file:// with no network")


@pytest.mark.browser
def test_search_works_from_disk_with_the_network_cut(built_site, tab, tmp_path):
    site = moved_copy(built_site.site, tmp_path)
    expected = (site / SEARCH_PAGE).as_uri()
    tab.open((site / "before" / "understanding-the-psoas.html").as_uri())
    results = tab.search(SEARCH_WORD)
    assert expected in [r.split("?")[0].split("#")[0] for r in results], results
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator(".md-search-result__item > a").filter(has_text=SEARCH_WORD).first.click()
    assert tab.page.url.split("?")[0].split("#")[0] == expected
    assert tab.page.title().startswith("Using this guide offline")
    assert tab.errors == [] and tab.external == []


@pytest.mark.browser
def test_unzipped_copy_opens_navigates_and_searches(built_site, tab, tmp_path):
    with zipfile.ZipFile(built_site.site / ZIP_URI) as archive:
        archive.extractall(tmp_path / "unzipped")
    home = (tmp_path / "unzipped" / TOP / "index.html").as_uri()
    tab.open(home)
    assert tab.page.title().startswith("Psoas Guide")
    first_chapter = urljoin(home, "before/understanding-the-psoas.html")
    assert tab.click_link_to(first_chapter)
    assert tab.undecoded_images() == []
    results = tab.search(SEARCH_WORD)
    assert urljoin(home, SEARCH_PAGE) in [r.split("?")[0].split("#")[0] for r in results], results
    assert tab.errors == [] and tab.external == []


@pytest.mark.browser
def test_offline_tab_catches_a_network_request_and_a_broken_picture(built_site, tab, tmp_path):
    """The guard the tests above rely on: a planted remote picture is blocked, recorded and reported."""
    site = moved_copy(built_site.site, tmp_path)
    index = site / "index.html"
    planted = "http://pictures.example.org/psoas.png"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "</article>", f'<img src="{planted}" alt="planted"></article>', 1), encoding="utf-8")
    tab.open(index.as_uri())
    assert tab.undecoded_images() == [planted]
    assert planted in tab.external


@pytest.mark.browser
def test_a_page_opened_alone_from_inside_the_zip_says_first_to_unzip_it(built_site, tab, tmp_path):
    """Windows shows a zip as a folder, and a double-click there copies out only the page clicked
    (to a temporary folder): no styles, no pictures, and the theme's icons drawn a screen wide, so
    the page's words began screens below a giant logo. Its first words now say what to do; with the
    whole folder, nobody sees them."""
    alone = tmp_path / "Temp1_psoas-guide-offline.zip" / TOP / "index.html"
    alone.parent.mkdir(parents=True)
    with zipfile.ZipFile(built_site.site / ZIP_URI) as archive:
        alone.write_bytes(archive.read(f"{TOP}/index.html"))
        archive.extractall(tmp_path / "unzipped")
    for width in (VIEWPORT["width"], 375):
        tab.page.set_viewport_size({"width": width, "height": 740})
        tab.open(alone.as_uri())
        note = tab.page.locator(".unstyled-help")
        assert note.is_visible() and "Extract All" in note.inner_text()
        box = note.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 740, f"not on the first screen at {width} px: {box}"
    # The whole folder: hidden on every page (and so not read out, nor printed).
    for page in html_pages(tmp_path / "unzipped" / TOP):
        tab.open(page.as_uri())
        assert tab.page.locator(".unstyled-help").count() == 1 and not tab.page.locator(".unstyled-help").is_visible(), page
