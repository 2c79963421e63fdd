"""Nothing in the built site loads from another host: a static check of every HTML, CSS and JS file.

Outbound <a href> links (to sources, to help lines) are fine: a reader chooses to follow them.
What is checked is everything a browser fetches on its own: src/srcset/data/poster attributes,
<link> tags that may load (any rel but canonical, prev, next and the like: preconnect and
dns-prefetch too), <base href>, a meta refresh, what an <iframe srcdoc> or a data: document in a
frame loads, url()/@import/image-set() in CSS (files, <style> blocks, style attributes and SVG
paint, mask and marker attributes), a form's action, addresses of other hosts in scripts (escaped
slashes too), and the Material features that fetch: a Mermaid diagram, repo_url's widget.
Addresses are read as a browser reads them (pipeline/page_scan.py normalise_url).

Material's bundle also holds loaders that fetch from a CDN only when a feature is used (mermaid
diagrams, a ResizeObserver polyfill for old browsers, GitHub repository facts): the check allows
exactly those, in that file only (script_scan.SCRIPT_ADDRESSES_ALLOWED, each with its reason), and the
browser tests in test_offline.py catch them if they ever fire.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from pipeline import checks

CDN_SHIM = "unpkg.com/iframe-worker"
LOCAL_SHIM = "assets/vendor/iframe-worker/shim.js"


def built_files(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in suffixes and p.is_file())


def external_loads(site: Path) -> list[str]:
    """Every external load in the site, as 'file: what' (the build's own check, pipeline/checks.py)."""
    return [f"{p.path}: {p.message.removeprefix('loads from another host: ')}" for p in checks.external_loads(site)]


def shim_problems(site: Path) -> list[str]:
    """The offline plugin's CDN shim is absent everywhere; each page loads the local, non-empty one."""
    problems = []
    for path in built_files(site, ".html", ".js"):
        if CDN_SHIM in path.read_text(encoding="utf-8"):
            problems.append(f"{path.relative_to(site)}: mentions the CDN shim {CDN_SHIM}")
    for path in built_files(site, ".html"):
        scripts = [s["src"] for s in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("script", src=True)]
        local = [s for s in scripts if s.endswith(LOCAL_SHIM)]
        if not local:
            problems.append(f"{path.relative_to(site)}: no <script src> for the local {LOCAL_SHIM}")
            continue
        # 404.html uses root-absolute addresses by design (a server shows it at any depth).
        shim = site / LOCAL_SHIM if local[0].startswith("/") else path.parent / local[0]
        if not shim.is_file() or shim.stat().st_size == 0:
            problems.append(f"{path.relative_to(site)}: {local[0]} is missing or empty")
    return problems


# --- the checks catch planted problems ----------------------------------------------------------

def test_checks_catch_planted_external_loads(built_site, tmp_path):
    site = shutil.copytree(built_site.site, tmp_path / "site")
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    html = html.replace("</head>", '<script src="https://cdn.example.org/tracker.js"></script>'
                                   '<link rel="stylesheet" href="//fonts.example.org/face.css"></head>', 1)
    html = html.replace("</article>", '<img srcset="https://img.example.org/a.png 2x">'
                                      '<iframe src="http://video.example.org/embed"></iframe>'
                                      '<a href="https://www.nhs.uk/">an outbound link is fine</a></article>', 1)
    index.write_text(html, encoding="utf-8")
    (site / "stylesheets" / "guide.css").write_text('@import "https://fonts.example.org/x.css";\n'
                                                    "body { background: url(//img.example.org/bg.png) }\n")
    # What a plain match missed: a <base>, preconnect, srcdoc, a tab inside the scheme, '\\' for '//', a script's fetch.
    page = site / "before" / "preparing.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</head>", '<base href="https://cdn.example.org/"><link rel="preconnect" href="https://fonts.example.org"></head>', 1).replace(
        "</article>", '<iframe srcdoc="&lt;img src=https://img.example.org/p.png&gt;"></iframe>'
                      '<img src="ht&#9;tps://img.example.org/t.png" alt="x"><img src="\\\\img.example.org/b.png" alt="x"></article>', 1),
        encoding="utf-8")
    # What Chromium still fetched after that (second review): a data: document in a frame, image-set(),
    # SVG paint and mask, a form's action, escaped slashes in a script, a Mermaid diagram, repo_url's widget.
    page = site / "aftercare" / "exercises.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</article>", '<iframe src="data:text/html,%3Cimg%20src%3Dhttps%3A%2F%2Ft.example.org%2Fx.gif%3E"></iframe>'
                      "<p style=\"background: -webkit-image-set('https://img.example.org/s.png' 1x)\">x</p>"
                      '<svg><rect mask="url(https://img.example.org/m.svg#m)"/></svg>'
                      '<form action="https://other.example.org/submit"><input name="q"></form>'
                      '<pre class="mermaid"><code>graph LR; A--&gt;B</code></pre></article>', 1).replace(
        "<header", '<a class="md-source" data-md-component="source" href="https://github.com/x/y">x/y</a><header', 1),
        encoding="utf-8")
    script = site / "assets" / "javascripts" / "glossary.js"
    script.write_text(script.read_text(encoding="utf-8") + '\nfetch("https://collect.example.org/x");\n'
                      'new Image().src = "https:\\/\\/collect.example.org\\/c.gif";\n', encoding="utf-8")
    assert sorted(external_loads(site)) == sorted([
        "index.html: <script src=https://cdn.example.org/tracker.js>",
        "index.html: <link rel=stylesheet href=//fonts.example.org/face.css>",
        "index.html: <img srcset=https://img.example.org/a.png>",
        "index.html: <iframe src=http://video.example.org/embed>",
        "stylesheets/guide.css: url https://fonts.example.org/x.css",
        "stylesheets/guide.css: url //img.example.org/bg.png",
        "before/preparing.html: <base href=https://cdn.example.org/>",
        "before/preparing.html: <link rel=preconnect href=https://fonts.example.org>",
        "before/preparing.html: <iframe srcdoc> <img src=https://img.example.org/p.png>",
        "before/preparing.html: <img src=https://img.example.org/t.png>",
        "before/preparing.html: <img src=//img.example.org/b.png>",
        "assets/javascripts/glossary.js: script address https://collect.example.org/x",
        "aftercare/exercises.html: <iframe src=data:> <img src=https://t.example.org/x.gif>",
        "aftercare/exercises.html: style url https://img.example.org/s.png",
        "aftercare/exercises.html: <rect mask=> url https://img.example.org/m.svg#m",
        "aftercare/exercises.html: <form action=https://other.example.org/submit> (it sends what the reader typed there)",
        "aftercare/exercises.html: a Mermaid diagram (<pre class=mermaid>): Material's script fetches mermaid from unpkg.com to draw it",
        "aftercare/exercises.html: the repository widget (data-md-component=source, from repo_url in mkdocs.yml): Material's "
        "script asks api.github.com (or GitLab) for the repository's stars and forks on every page view",
        "assets/javascripts/glossary.js: script address https://collect.example.org/c.gif",
    ])


def test_check_catches_the_cdn_shim_and_a_missing_local_shim(built_site, tmp_path):
    site = shutil.copytree(built_site.site, tmp_path / "site")
    index = site / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        LOCAL_SHIM, "https://unpkg.com/iframe-worker/shim"), encoding="utf-8")
    (site / LOCAL_SHIM).write_text("")
    problems = shim_problems(site)
    assert "index.html: mentions the CDN shim unpkg.com/iframe-worker" in problems
    assert "index.html: no <script src> for the local assets/vendor/iframe-worker/shim.js" in problems
    assert f"reference/offline.html: ../{LOCAL_SHIM} is missing or empty" in problems


# --- the real site ------------------------------------------------------------------------------------

def test_built_site_loads_nothing_from_other_hosts(built_site):
    assert len(built_files(built_site.site, ".html")) > 10  # the check saw the real site
    assert external_loads(built_site.site) == []


def test_offline_search_shim_is_local(built_site):
    assert shim_problems(built_site.site) == []


def test_no_web_fonts(built_site):
    """theme.font: false — no font service is named anywhere a page could load it."""
    for path in built_files(built_site.site, ".html", ".css"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
