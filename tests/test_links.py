"""Links: every internal link, image and #anchor resolves (lychee, offline), and the check can fail."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

from conftest import ROOT, build, html_pages
from macros.data import load_data

LYCHEE = shutil.which("lychee", path=str(Path(sys.executable).parent)) or "lychee"


def lychee(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LYCHEE, "--offline", "--include-fragments", "--no-progress", "--root-dir", str(site),
         *map(str, html_pages(site))],
        capture_output=True, text=True,
    )


def test_internal_links_and_anchors_resolve(built_site):
    result = lychee(built_site.site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 Errors" in result.stdout


def test_link_checker_catches_planted_breakage(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    page = site / "index.html"
    page.write_text(page.read_text().replace(
        "</article>", '<a href="no-such-page.html">x</a><a href="reference/sources.html#no-such-anchor">y</a></article>', 1))
    result = lychee(site)
    assert result.returncode != 0
    assert "no-such-page.html" in result.stdout and "no-such-anchor" in result.stdout


def test_mkdocs_validation_fails_on_missing_anchor(project_copy, tmp_path):
    page = project_copy / "docs" / "index.md"
    page.write_text(page.read_text() + "\nSee [the list](reference/sources.md#src-not-there).\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0 and "src-not-there" in result.output


def test_mkdocs_validation_fails_on_missing_page(project_copy, tmp_path):
    page = project_copy / "docs" / "index.md"
    page.write_text(page.read_text() + "\nSee [gone](before/gone.md).\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0 and "gone.md" in result.output


def test_external_links_are_https_and_listed_in_sources(built_site):
    """Outbound links are citations: https, and each one defined once in data/sources.yml."""
    known = {str(s.url) for s in load_data(ROOT / "data").sources.values()}
    for page in html_pages(built_site.site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("article a[href]"):
            href = a["href"]
            if urlparse(href).scheme in ("http", "https"):
                assert href.startswith("https://"), f"{page}: {href} is not https"
                assert href in known, f"{page}: {href} is not in data/sources.yml"
