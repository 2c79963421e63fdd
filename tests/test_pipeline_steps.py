"""The steps after the engine, as units: small HTML in, HTML out (no build)."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import wait_for
from pipeline import postprocess
from pipeline.config import Config, load_config
from pipeline.errors import PipelineError
from pipeline.manifest import Manifest, PageInfo, citations_in, read_pages
from pipeline.pages import validate_pages

ROOT = Path(__file__).resolve().parents[1]


def page(src: str, title: str, handout: bool = False) -> PageInfo:
    return PageInfo(src, src.replace(".md", ".html"), title, "", "2026-11-24", "2026-11-24", "2029-11-24", handout)


MANIFEST = Manifest(
    "Guide", "", "Author", "About", [page("index.md", "Home"), page("before/a.md", "Chapter A", True),
                                     page("reference/sources.md", "Sources")],
    {"nhs": {"title": "T", "publisher": "NHS", "year": 2024, "url": "https://www.nhs.uk/"}},
    {"index.html": ["nhs"], "before/a.html": ["nhs:pain", "wu"], "reference/sources.html": []})


def test_citations_are_read_from_the_rendered_links():
    html = ('<a class="cite" data-source="nhs" href="x">NHS</a> <a data-finding="pain" data-source="wu" href="y">'
            '<a href="z">plain</a><a data-source="nhs" class="cite" href="x">again</a>')
    assert citations_in(html) == ["nhs", "wu:pain"]


def test_cited_on_lists_the_pages_that_cite_a_source_or_a_finding():
    html = "<li>Cited on: <!-- cited-on:nhs -->.</li><li><!-- cited-on:nhs:pain --></li><li><!-- cited-on:other --></li>"
    out = postprocess.cited_on(html, MANIFEST, "reference/sources.html")
    assert out == ('<li>Cited on: <a href="../index.html">Home</a>, <a href="../before/a.html">Chapter A</a>.</li>'
                   '<li><a href="../before/a.html">Chapter A</a></li><li>not cited yet</li>')


def test_glossary_tooltip_on_first_use_only():
    html = '<abbr title="a muscle">psoas</abbr> and <abbr title="a muscle">Psoas</abbr> <abbr title="b">iliacus</abbr>'
    assert postprocess.first_use_only(html) == '<abbr title="a muscle">psoas</abbr> and Psoas <abbr title="b">iliacus</abbr>'
    titled = '<h1 id="t">The <abbr title="a muscle">psoas</abbr></h1><p>Your <abbr title="a muscle">psoas</abbr> bends.</p>'
    assert postprocess.first_use_only(titled) == '<h1 id="t">The psoas</h1><p>Your <abbr title="a muscle">psoas</abbr> bends.</p>'


def test_a_term_being_defined_has_no_tooltip():
    """On the glossary page each term carried its own definition as a tooltip: read twice by a
    screen reader, over the definition below it, and a Tab stop for each of 37 terms."""
    html = '<dl><dt><abbr title="A muscle.">psoas</abbr></dt><dd>A muscle. It joins the <abbr title="x">spine</abbr>.</dd></dl>'
    assert postprocess.first_use_only(html) == ('<dl><dt>psoas</dt><dd>A muscle. It joins the '
                                                '<abbr title="x">spine</abbr>.</dd></dl>')


def test_chapters_get_a_relative_link_to_their_pdf():
    chapter = MANIFEST.pages[1]
    out = postprocess.handout_link("<p>x</p><!-- handout-link -->", chapter)
    assert 'href="../handouts/a.pdf" download><span class="handout-link__icon">' in out
    assert "Download this chapter as a PDF handout</a>" in out
    assert 'href="../handouts/large-print/a.pdf" download>Large print PDF</a>' in out
    assert postprocess.handout_link("<!-- handout-link -->", MANIFEST.pages[0]) == ""
    # Under the page title, not above it (on a phone the buttons pushed the title down).
    out = postprocess.handout_link('<!-- handout-link --><h1 id="a">A</h1><p>x</p>', chapter)
    assert out.startswith('<h1 id="a">A</h1><p class="handout-link">') and out.endswith("</p><p>x</p>")


def test_a_build_without_pdfs_puts_a_sentence_where_the_buttons_were():
    """--no-handouts: no button to a PDF that is never made; the sentence keeps the buttons' place."""
    out = postprocess.handout_link('<!-- handout-link --><h1 id="a">A</h1><p>x</p>', MANIFEST.pages[1], made=False)
    assert out == f'<h1 id="a">A</h1><p class="handout-link">{postprocess.NO_CHAPTER_HANDOUTS}</p><p>x</p>'
    assert postprocess.handout_link("<!-- handout-link -->", MANIFEST.pages[0], made=False) == ""


# docs/reference/handouts.md's lists, and docs/index.md's and docs/reference/offline.md's zip links, as built.
DOWNLOADS = (f"<h2>The PDFs</h2>\n{postprocess.HANDOUT_LIST}\n<h2>Large print</h2>\n{postprocess.LARGE_PRINT_LIST}\n"
             '<p>Offline.\n<a href="downloads/psoas-guide-offline.zip" download>Download the offline guide (zip file)</a>.\n'
             'More.</p><p><a class="md-button" href="../downloads/psoas-guide-offline.zip" download>Download</a></p>')


def test_a_build_without_pdfs_or_zip_says_so_instead_of_linking():
    out = postprocess.not_made(DOWNLOADS, dataclasses.replace(MANIFEST, handouts=False, offline_zip=False))
    assert "<!--" not in out and ".zip" not in out
    assert out == (f'<h2>The PDFs</h2>\n<p class="not-made">{postprocess.NO_HANDOUTS}</p>\n<h2>Large print</h2>\n'
                   f'<p class="not-made">{postprocess.NO_LARGE_PRINT}</p>\n<p>Offline.\n'
                   f'<span class="not-made">{postprocess.NO_ZIP}</span>\nMore.</p><p><span class="not-made">'
                   f"{postprocess.NO_ZIP}</span></p>")
    # `guide serve`: the PDFs follow in the background (their lists are its to fill), the zip never.
    served = postprocess.not_made(DOWNLOADS, dataclasses.replace(MANIFEST, offline_zip=False))
    assert postprocess.HANDOUT_LIST in served and ".zip" not in served
    assert postprocess.not_made(DOWNLOADS, MANIFEST) == DOWNLOADS  # a full build: as before


def test_a_link_to_another_chapter_carries_its_title_for_paper():
    chapters = [page("before/a.md", 'Chapter "A"', True), page("after/b.md", "Chapter B", True),
                page("after/c.md", "Chapter C", True)]
    manifest = Manifest("Guide", "", "Author", "About", [page("index.md", "Home"), *chapters,
                                                         page("reference/glossary.md", "Glossary")], {}, {})
    html = ('<nav><a href="../before/a.html">nav</a></nav><article class="md-typeset">'
            '<a href="../before/a.html#signs">All warning signs</a> <a href="b.html#x">here</a> '
            '<a class="md-button urgency" href="../before/a.html#e">Call 999</a> '
            '<a href="../reference/glossary.html">words</a> <a href="https://nhs.uk/b.html">NHS</a> '
            '<a href="c.html">see <em>chapter c</em></a></article>')
    out = postprocess.chapter_names(html, manifest, "after/b.html")
    assert out == ('<nav><a href="../before/a.html">nav</a></nav><article class="md-typeset">'
                   '<a href="../before/a.html#signs" data-see="Chapter &quot;A&quot;">All warning signs</a> '
                   '<a href="b.html#x">here</a> <a class="md-button urgency" href="../before/a.html#e">Call 999</a> '
                   '<a href="../reference/glossary.html">words</a> <a href="https://nhs.uk/b.html">NHS</a> '
                   '<a href="c.html">see <em>chapter c</em></a></article>')
    assert postprocess.chapter_names(out, manifest, "after/b.html") == out  # a second run adds nothing


def test_dates_are_written_out_once_in_one_format():
    out = postprocess.long_dates('<time datetime="2026-11-04">2026-11-04</time>')
    assert out == '<time datetime="2026-11-04">4 November 2026</time>'


def test_a_marker_left_in_the_site_is_found(tmp_path):
    (tmp_path / "a.html").write_text("<p><!-- cited-on:nhs --></p>")
    (tmp_path / "b.html").write_text("<p>fine</p>")
    assert postprocess.leftover_markers(tmp_path, lists_filled=True) == ["a.html: <!-- cited-on:"]


CHAPTER = """---
title: A chapter
description: What it says.
updated: 2026-11-24
evidence_checked: 2026-11-24
review_due: 2029-11-24
handout: true
---

# A chapter
"""


@pytest.mark.parametrize("name, text", [
    ("bom", "\ufeff" + CHAPTER),  # as some Windows editors save it
    ("dots-closer", CHAPTER.replace("handout: true\n---", "handout: true\n...")),  # YAML's document end
])
def test_manifest_reads_front_matter_as_the_page_check_does(tmp_path, name, text):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "chapter.md").write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Guide\nnav:\n  - chapter.md\n", encoding="utf-8")
    assert validate_pages(tmp_path / "docs") == []
    [info] = read_pages(load_config(tmp_path / "mkdocs.yml"))
    assert (info.title, info.updated, info.handout) == ("A chapter", "2026-11-24", True)


def test_manifest_refuses_front_matter_the_page_check_refuses(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "chapter.md").write_text(CHAPTER.replace("handout: true", "handout: yes please"))
    (tmp_path / "mkdocs.yml").write_text("site_name: Guide\nnav:\n  - chapter.md\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"docs/chapter.md: front matter field 'handout'.*Fix: write true or false"):
        read_pages(load_config(tmp_path / "mkdocs.yml"))


def test_zip_of_a_site_never_built_fails_naming_the_fix(tmp_path):
    from pipeline.cli import parser, run
    from pipeline.offline_zip import ZIP_URI

    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(PipelineError, match=r"no usable build manifest .*Fix: run `guide build` first"):
        run(parser().parse_args(["-f", str(ROOT / "mkdocs.yml"), "zip", "-d", str(site)]))
    assert not (site / ZIP_URI).exists(), "a zip holding only README.txt"
    assert not (tmp_path / "site.build").exists(), "a state folder for a site that is not there"


def test_zip_of_a_site_built_without_one_fails_naming_the_fix(tmp_path):
    """After `guide build --no-handouts` (or `guide serve`) the pages say there is no zip, and there are no PDFs."""
    from pipeline.cli import parser, run
    from pipeline.manifest import save
    from pipeline.offline_zip import ZIP_URI

    site = tmp_path / "site"
    site.mkdir()
    save(dataclasses.replace(MANIFEST, handouts=False, offline_zip=False), site)
    with pytest.raises(PipelineError, match=r"was built without its offline zip .*Fix: build it with `guide build`"):
        run(parser().parse_args(["-f", str(ROOT / "mkdocs.yml"), "zip", "-d", str(site)]))
    assert not (site / ZIP_URI).exists()


def test_handouts_page_lists_the_whole_guide_first_then_the_chapters(tmp_path):
    from handout_pdf.render import Job, Result
    from pipeline.handouts import list_handouts

    def made(name: str, rel: str) -> Result:
        return Result(Job(name, "", None, tmp_path, tmp_path / rel), 1, 2048, 0.1, False)

    (tmp_path / "handouts.html").write_text(f"{postprocess.HANDOUT_LIST}|{postprocess.LARGE_PRINT_LIST}")
    list_handouts(tmp_path, [made("A", "handouts/a.pdf"), made("B", "handouts/b.pdf"),
                             made("A (large print)", "handouts/large-print/a.pdf"),
                             made("The whole guide", f"handouts/{postprocess.GUIDE_SLUG}.pdf")])
    standard, large = (tmp_path / "handouts.html").read_text().split("|")
    assert re.findall(r"download>([^<]+)</a>", standard) == ["The whole guide", "A", "B"]
    assert re.findall(r"download>([^<]+)</a>", large) == ["A (large print)"]


def test_config_has_no_placeholder_address_and_lists_the_nav(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    config = load_config(ROOT / "mkdocs.yml")
    assert config.site_url == "" and config.nav[0] == "index.md" and "before/is-it-safe.md" in config.nav
    monkeypatch.setenv("SITE_URL", "https://guide.example-clinic.org")
    assert load_config(ROOT / "mkdocs.yml").site_url == "https://guide.example-clinic.org/"


@pytest.mark.parametrize("address", ["http://guide.clinic.org/", "ftp://guide.clinic.org/", "guide.clinic.org"])
def test_the_guides_own_address_is_https(monkeypatch, address):
    monkeypatch.setenv("SITE_URL", address)
    with pytest.raises(PipelineError, match=r"site_url \(SITE_URL\) is .*must start https://.*Fix:"):
        load_config(ROOT / "mkdocs.yml")


def test_a_site_name_with_markup_is_refused(tmp_path):
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name: Psoas Guide", "site_name: Psoas <Guide>", 1)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError, match="site_name has '<'.*Fix:"):
        load_config(tmp_path / "mkdocs.yml")


@pytest.mark.parametrize("title, expected", [
    ('"Is it safe <b>for</b> me?"', r"the nav title 'Is it safe <b>for</b> me\?' has '<', which the theme would print as markup.*Fix:"),
    ("Is it safe for m\u0435?", r"the nav title 'Is it safe for m\u0435\?' contains the Cyrillic letter.*Fix: retype"),
    ("Is it safe for " + "m" * 50 + "?", r"the nav title 'Is it safe for m+\?' has a 51-character word.*Fix: use words"),
])
def test_a_nav_title_is_held_to_the_page_title_rules(tmp_path, title, expected):
    """The nav's title is the one the site shows (<title>, the navigation, the report box), over the
    front matter's the page check reads: '<b>' went into every page's navigation as markup."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "- Is it safe for me?: before/is-it-safe.md", f"- {title}: before/is-it-safe.md", 1)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError, match=expected):
        load_config(tmp_path / "mkdocs.yml")


def test_macros_and_templates_know_no_engine():
    assert subprocess.run(["git", "grep", "-n", "mkdocs", "--", "macros/"], cwd=ROOT, capture_output=True).stdout == b""
    assert not list(ROOT.glob("hooks/*.py")), "hooks/ is gone: steps belong to the pipeline"
    strftime = subprocess.run(["git", "grep", "-n", "strftime", "--", "overrides/"], cwd=ROOT, capture_output=True)
    assert strftime.stdout == b"", "no Python method calls in templates (Zensical renders them with MiniJinja)"


def test_handout_cache_is_not_in_zensicals_folder(monkeypatch, tmp_path):
    """`zensical build --clean` empties .cache/ (seen with 0.0.73): the PDFs must live elsewhere."""
    from pipeline.handouts import CACHE_ENV, cache_dir

    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert not cache_dir(tmp_path).is_relative_to(tmp_path / ".cache")


def test_engine_keeps_compiled_templates_and_recompiles_an_edited_one(tmp_path):
    import jinja2

    from pipeline.mkdocs_build import template_cache

    cache = template_cache(tmp_path)
    (tmp_path / "theme").mkdir()
    template = tmp_path / "theme" / "main.html"
    compiled = []

    class Counting(jinja2.Environment):
        def compile(self, *args, **kwargs):  # type: ignore[override]
            compiled.append(args[0])
            return super().compile(*args, **kwargs)

    def render() -> str:  # a new environment each time, as each build (and rebuild) makes one
        env = Counting(loader=jinja2.FileSystemLoader(tmp_path / "theme"), bytecode_cache=cache)
        return env.get_template("main.html").render(word="psoas")

    template.write_text("one {{ word }}")
    assert render() == render() == "one psoas"
    assert len(compiled) == 1, "the second build compiled the template again"
    assert len(list((tmp_path / ".engine-cache" / "templates").iterdir())) == 1
    template.write_text("two {{ word }}")
    assert render() == "two psoas", "an edited template must recompile, not come from the cache"


def test_engine_builds_without_a_writable_cache(tmp_path):
    from pipeline.mkdocs_build import template_cache

    (tmp_path / ".engine-cache").write_text("a file where the folder would go")
    assert template_cache(tmp_path) is None


def test_engine_lists_theme_files_without_walking_into_dot_folders(tmp_path):
    import jinja2

    from pipeline.mkdocs_build import files_outside_dot_folders

    for name in (".icons/material/a.svg", "assets/.cache/b.js", "assets/main.css", ".nojekyll", "main.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    listed = files_outside_dot_folders(jinja2.FileSystemLoader(str(tmp_path)))
    assert listed == [".nojekyll", "assets/main.css", "main.html"]


def test_engine_copies_the_same_theme_files_as_mkdocs_alone():
    # The shortcut must not change what MkDocs copies from Material and our overrides.
    from mkdocs.config import load_config as mkdocs_config
    from mkdocs.structure.files import Files

    from pipeline.mkdocs_build import tune_theme

    config = mkdocs_config(str(ROOT / "mkdocs.yml"))
    alone, tuned = Files([]), Files([])
    alone.add_files_from_theme(config.theme.get_env(), config)
    tune_theme(config.theme, None)
    tuned.add_files_from_theme(config.theme.get_env(), config)
    assert [f.src_uri for f in tuned] == [f.src_uri for f in alone]
    assert any(f.src_uri.startswith("assets/javascripts/bundle.") for f in alone), "Material's script is a theme file"


def test_serve_renders_pdfs_at_low_priority(tmp_path):
    # The live preview's rebuild must not wait behind background PDF workers.
    code = ("import os; from pathlib import Path; from handout_pdf.render import _worker_start; "
            "before = os.nice(0); _worker_start(os.getppid(), Path({!r}), background=True); print(os.nice(0) - before)")
    out = subprocess.run([sys.executable, "-c", code.format(str(tmp_path))], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "10", out.stderr


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_a_child_started_from_a_thread_dies_with_its_parent_even_by_sigkill():
    """die_with_parent, as `guide serve` uses it: the join is started from the handouts thread while
    other threads run. Killed, the serve process must take its PDF processes with it. (Linux sends
    the signal when the starting thread ends, so the handouts thread lives as long as serve.)"""
    code = ("import subprocess, sys, threading, time; from handout_pdf.lifetime import die_with_parent; "
            "busy = threading.Thread(target=lambda: time.sleep(60), daemon=True); busy.start(); "
            "start = lambda: print(subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
            "preexec_fn=die_with_parent).pid, flush=True) or time.sleep(60); "
            "threading.Thread(target=start).start()")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert not _gone(child)
    parent.kill()
    parent.wait()
    assert wait_for(lambda: _gone(child), 20), "the child outlived its killed parent"


def test_weasyprint_loads_during_the_engine_only_when_every_pdf_will_be_made(tmp_path):
    # A first build forks its PDF workers with WeasyPrint loaded; a warm build never loads it.
    code = ("import os, sys; from pathlib import Path; from pipeline.cli import _steps_after_engine; "
            "_steps_after_engine(Path('.')); print('weasyprint' in sys.modules)")

    def loaded(cache: Path) -> str:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, "HANDOUTS_CACHE_DIR": str(cache)})
        return out.stdout.strip() or out.stderr

    assert loaded(tmp_path / "empty") == "True"
    (tmp_path / "warm").mkdir()
    (tmp_path / "warm" / "0123abcd.pdf").write_bytes(b"%PDF-1.7")
    assert loaded(tmp_path / "warm") == "False"


def test_the_engine_step_exits_with_the_status_mkdocs_asked_for():
    # It ends with os._exit (no teardown), so it must turn click's SystemExit into the same status.
    from pipeline.mkdocs_build import exit_code

    assert [exit_code(SystemExit(c)) for c in (None, 0, 1, 2)] == [0, 0, 1, 2]
    assert exit_code(SystemExit("Aborted with 3 warnings in strict mode!")) == 1


def test_each_handout_says_whether_its_chapter_changed_after_the_review(tmp_path, monkeypatch):
    """The manifest gives each page its own review status, from its `updated` date: a chapter edited
    after the named review says so on paper, one not edited since keeps the plain 'Reviewed by'."""
    import dataclasses

    from macros.data import load_data
    from macros.schema import ReviewFile
    from pipeline import manifest as manifest_module
    from pipeline.handouts import chapter_of

    config = load_config(ROOT / "mkdocs.yml")
    pages = read_pages(config)
    for p in pages:
        (tmp_path / p.url).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / p.url).write_text("<article><h1>x</h1></article>", encoding="utf-8")
    # One chapter last updated before the review, the rest after it.
    first, *rest = [p for p in pages if p.handout]
    pages = [dataclasses.replace(p, updated="2026-01-04") if p is first else dataclasses.replace(p, updated="2026-01-06")
             for p in pages]
    monkeypatch.setattr(manifest_module, "read_pages", lambda _config: pages)
    real = load_data(ROOT / "data")
    reviewed = ReviewFile(report_how="Tell us.", reviewer={
        "name": "A. Example", "role": "Chartered physiotherapist", "registration": "HCPC PH000000",
        "date": "2026-01-05", "data_fingerprint": real.fingerprint})
    data = dataclasses.replace(real, review=reviewed)
    manifest = manifest_module.make_manifest(config, data, tmp_path)
    said = {p.src: chapter_of(p, manifest, tmp_path).review_status for p in manifest.chapters}
    assert said.pop(first.src) == "Reviewed by A. Example, 5 January 2026"
    assert set(said) == {p.src for p in rest}
    assert set(said.values()) == {"Reviewed by A. Example, 5 January 2026; changed since, not yet checked again"}


def test_handouts_for_a_site_finished_without_them_fails_naming_the_fix(tmp_path):
    """Its pages hold the note, not the marker: the step would fail on the buttons with the wrong fix,
    after writing a manifest that says the PDFs were made."""
    from pipeline.cli import parser, run
    from pipeline.manifest import manifest_path

    site = tmp_path / "site"
    (site / "before").mkdir(parents=True)
    (site / "before" / "a.html").write_text(f'<p class="handout-link">{postprocess.NO_CHAPTER_HANDOUTS}</p>')
    with pytest.raises(PipelineError, match=r"was finished by `guide build --no-handouts`.*Fix: run `guide build`"):
        run(parser().parse_args(["-f", str(ROOT / "mkdocs.yml"), "handouts", "-d", str(site)]))
    assert not manifest_path(site).exists()


@pytest.mark.parametrize("served", [True, False])
def test_handouts_for_a_served_site_keep_its_no_zip_note_true(tmp_path, monkeypatch, served):
    """`guide serve` keeps the PDF buttons but its pages say the zip was not made: after `guide
    handouts` the manifest must still say so, or `guide zip` would pack pages that say no zip."""
    from pipeline import cli, freshness

    site = tmp_path / "site"
    (site / "before").mkdir(parents=True)
    note = f'<span class="not-made">{postprocess.NO_ZIP}</span>' if served else '<a href="downloads/x.zip">zip</a>'
    (site / "before" / "a.html").write_text(f"<p>{note}</p>")
    asked = {}
    monkeypatch.setattr(freshness, "refuse_changed_inputs", lambda *args: None)
    monkeypatch.setattr(cli, "prepare", lambda config, engine_ran=False: None)
    monkeypatch.setattr(cli, "after_engine", lambda *args, **kwargs: asked.update(kwargs))
    cli.run(cli.parser().parse_args(["-f", str(ROOT / "mkdocs.yml"), "handouts", "-d", str(site)]))
    assert asked == {"handouts": True, "offline_zip": not served}


# --- a site already built: whole, and newer than its inputs (pipeline/freshness.py) ---------------

HOUR_NS = 3600 * 10**9


def built_project(tmp_path: Path, pdfs: bool = True) -> tuple[Path, Path]:
    """A project (mkdocs.yml, docs/, data/) whose site an hour old was built after its inputs,
    finished: its manifest (MANIFEST's pages), its pages and every PDF they link to."""
    from pipeline.manifest import save
    from pipeline.site_rules import handout_files

    project, site = tmp_path / "project", tmp_path / "site"
    (project / "docs" / "before").mkdir(parents=True)
    (project / "data").mkdir()
    (project / "mkdocs.yml").write_text("site_name: Guide\nnav:\n  - index.md\n  - before/a.md\n", encoding="utf-8")
    for src in ("index.md", "before/a.md"):
        (project / "docs" / src).write_text(CHAPTER, encoding="utf-8")
    (project / "data" / "safety.yml").write_text("card: [chest pain]\n", encoding="utf-8")
    save(MANIFEST, site)
    for rel in ["index.html", "before/a.html", *(sorted(handout_files(MANIFEST)) if pdfs else [])]:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(b"<p>built</p>")
    built = os.stat(site / "index.html").st_mtime_ns - HOUR_NS
    for path in [*project.rglob("*"), *site.rglob("*")]:
        at = built - HOUR_NS if project in path.parents else built
        os.utime(path, ns=(at, at))
    return project, site


def guide(project: Path, *args: str) -> None:
    from pipeline.cli import parser, run

    run(parser().parse_args(["-f", str(project / "mkdocs.yml"), *args]))


def saved_now(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")  # its time is now: after the site was built


def test_handouts_of_a_site_older_than_its_data_fail_naming_the_file(tmp_path):
    """Run without a rebuild, the step made PDFs of the old pages under the new data's review status
    ("Reviewed by ..." over words the reviewer never read) and said it was done."""
    project, site = built_project(tmp_path)
    saved_now(project / "data" / "safety.yml", "card: [chest pain or sudden breathlessness]\n")
    with pytest.raises(PipelineError, match=r"data/safety.yml changed after the site in .* was built, so its PDFs "
                                            r"would show the old words. Fix: run `guide build`"):
        guide(project, "handouts", "-d", str(site))
    assert (site / "handouts" / "a.pdf").read_bytes() == b"<p>built</p>", "the old PDF was left alone"


def test_zip_of_a_site_older_than_a_page_fails_and_leaves_no_zip(tmp_path):
    from pipeline.offline_zip import ZIP_URI

    project, site = built_project(tmp_path)
    saved_now(project / "docs" / "before" / "a.md", CHAPTER + "\nCall 999 if you faint.\n")
    with pytest.raises(PipelineError, match=r"docs/before/a.md changed after the site .*so the zip would show the old "
                                            r"words. Fix: run `guide build`"):
        guide(project, "zip", "-d", str(site))
    assert not (site / ZIP_URI).exists()


def test_zip_of_a_site_as_built_is_made(tmp_path):
    from pipeline.offline_zip import ZIP_URI

    project, site = built_project(tmp_path)
    future = time.time_ns() + 24 * HOUR_NS  # a copied file's time, not an edit: never newer than a build
    os.utime(project / "data" / "safety.yml", ns=(future, future))
    guide(project, "zip", "-d", str(site))
    assert (site / ZIP_URI).stat().st_size > 0


def recorded(project: Path, site: Path) -> Config:
    """The site as `guide build` leaves it: recorded as built from the inputs as they are now."""
    from pipeline.freshness import inputs_now, record_inputs

    config = load_config(project / "mkdocs.yml")
    record_inputs(config, site, inputs_now(config))
    return config


def put_back_with_old_time(project: Path, path: Path, text: str) -> None:
    """As `git checkout` of an earlier commit or `cp -p` leave a file: new words, the time of the
    inputs the site was built from."""
    at = (project / "mkdocs.yml").stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(at, at))


@pytest.mark.parametrize("change, named", [
    (lambda project: (project / "docs" / "before" / "a.md").unlink(), r"docs/before/a.md \(deleted\)"),
    (lambda project: put_back_with_old_time(project, project / "data" / "safety.yml", "card: []\n"), r"data/safety.yml"),
    (lambda project: put_back_with_old_time(project, project / "docs" / "extra.md", "# Old page\n"), r"docs/extra.md \(new\)"),
])
def test_zip_of_a_site_whose_inputs_changed_without_a_newer_time_fails(tmp_path, change, named):
    """File times missed these: the zip packed a page whose source was deleted, or old words under
    data put back from an earlier commit. The build's record of its inputs' contents catches them."""
    from pipeline.offline_zip import ZIP_URI

    project, site = built_project(tmp_path)
    recorded(project, site)
    change(project)
    with pytest.raises(PipelineError, match=named + r" changed after the site .*so the zip would show the old words"):
        guide(project, "zip", "-d", str(site))
    assert not (site / ZIP_URI).exists()


def test_a_record_from_an_earlier_engine_run_is_not_used(tmp_path):
    """The engine run again by hand (after `guide prepare`) built from the inputs as they are now:
    the last `guide build`'s record is of other pages, and must not refuse this site."""
    from pipeline.offline_zip import ZIP_URI

    project, site = built_project(tmp_path)
    recorded(project, site)
    put_back_with_old_time(project, project / "data" / "safety.yml", "card: []\n")
    for page in ("index.html", "before/a.html"):  # the engine's new pages, after the edit
        (site / page).write_bytes(b"<p>built again</p>")
    guide(project, "zip", "-d", str(site))
    assert (site / ZIP_URI).stat().st_size > 0


def test_an_edit_inside_a_symlinked_docs_folder_is_seen(tmp_path):
    """MkDocs reads pages through a symlinked folder; the check of file times did not look inside it."""
    project, site = built_project(tmp_path)
    shared = tmp_path / "shared-pages"
    shared.mkdir()
    put_back_with_old_time(project, shared / "b.md", CHAPTER)
    (project / "docs" / "shared").symlink_to(shared)
    recorded(project, site)
    saved_now(shared / "b.md", CHAPTER + "\nCall 999 if you faint.\n")
    with pytest.raises(PipelineError, match=r"docs/shared/b.md changed after the site"):
        guide(project, "zip", "-d", str(site))


@pytest.mark.parametrize("command", ["zip", "check"])
def test_a_site_whose_build_stopped_half_way_is_not_packed_or_passed(tmp_path, command):
    """Killed while making the PDFs, a build left pages that link to PDFs never made and a Handouts
    page with its list unfilled; `guide zip` packed them, `guide check` said "Checks: passed."."""
    from pipeline.offline_zip import ZIP_URI

    project, site = built_project(tmp_path, pdfs=False)
    (site / "handouts" / "a.pdf").parent.mkdir(parents=True)
    (site / "handouts" / "a.pdf").write_bytes(b"%PDF")  # the one PDF made before it stopped
    (site / "reference").mkdir()
    (site / "reference" / "handouts.html").write_text(f"<p>{postprocess.HANDOUT_LIST}</p>")
    with pytest.raises(PipelineError, match=r"is not a finished build \(handouts/large-print/a.pdf is missing, "
                                            r"handouts/psoas-guide.pdf is missing, reference/handouts.html: "
                                            r"<!-- handouts:list --> is left unfilled\).*Fix: run `guide build`"):
        guide(project, command, "-d", str(site))
    assert not (site / ZIP_URI).exists()


def test_an_input_saved_while_the_site_was_built_fails_the_build(tmp_path):
    """The engine may have read it or not, and the review status was made from the data before it:
    the build's pages, PDFs and zip cannot be trusted to show it. Its own generated files do not count."""
    from pipeline.freshness import digests, refuse_changed_during_build

    project, _ = built_project(tmp_path)
    config = load_config(project / "mkdocs.yml")
    generated = project / "includes" / "abbreviations.md"
    generated.parent.mkdir()
    read = digests(config, skip=[generated])
    saved_now(generated, "*[psoas]: a muscle\n")
    refuse_changed_during_build(read, digests(config, skip=[generated]))  # the build's own output
    saved_now(project / "data" / "safety.yml", "card: [chest pain or sudden breathlessness]\n")
    with pytest.raises(PipelineError, match=r"data/safety.yml changed while the site was being built.*Fix: build again"):
        refuse_changed_during_build(read, digests(config, skip=[generated]))


def test_a_build_that_read_an_input_mid_edit_leaves_no_zip(tmp_path):
    from pipeline.cli import _unchanged_since
    from pipeline.freshness import inputs_now
    from pipeline.offline_zip import ZIP_URI

    project, site = built_project(tmp_path)
    config = load_config(project / "mkdocs.yml")
    read = inputs_now(config)
    (site / ZIP_URI).parent.mkdir(parents=True)
    (site / ZIP_URI).write_bytes(b"PK")
    _unchanged_since(config, read, site)
    assert (site / ZIP_URI).exists()
    saved_now(project / "docs" / "index.md", CHAPTER + "\nNew words.\n")
    with pytest.raises(PipelineError, match=r"docs/index.md changed while the site was being built"):
        _unchanged_since(config, read, site)
    assert not (site / ZIP_URI).exists(), "a zip of the old words, ready to upload"
