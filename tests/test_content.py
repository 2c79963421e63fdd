"""Content standards for every page: reading level, structure, own words, review dates, spelling,
Markdown lint, link text, and safety advice placed before technique.

Each checker is a small function tested on planted bad input first, so a pass means something.

What the reading-level check measures, and why:
- Only the page body (Material's <article>) counts: menus, search and footer are theme text.
- Left out: page furniture from overrides/ (anything before the H1, such as the print header
  and the PDF-handout link, and the "Not medical advice / review dates" aside); citation links
  such as "(Wu and colleagues, 2021)" (names and years, not prose); heading permalinks; code;
  and the Sources page's list (the studies' own technical titles, quoted as published).
- Each block a reader takes in on its own (paragraph, list item, table cell, heading, caption,
  admonition title) counts as one sentence; without that, a table or list with no full stops
  would read to textstat as one endless sentence.
- Pages with under MIN_WORDS words of prose left are listed but not graded: the formula is
  built for samples of 100 words or more and swings wildly on two or three sentences.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import textstat
from bs4 import BeautifulSoup, NavigableString, Tag

from conftest import ROOT, html_pages
from pipeline.config import load_config
from pipeline.manifest import load as load_manifest
from pipeline.manifest import read_pages

MAX_GRADE = 8.0
MAX_CHAPTER_GRADE = 6.0  # chapters are what readers print and take home: reading age 9 to 11 (NHS target)
MIN_WORDS = 100
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "manual-psoas-release.txt"
RUN_LENGTH = 8  # this many words in a row from the source document counts as copying
BANNED_LINK_TEXT = {"here", "click here", "this", "link", "read more"}
SAFETY_PAGE = "is-it-safe.html"
# Pages that describe technique today. The build's manifest must flag at least these (technique: true);
# the safety-link test runs on every page it flags, so the test and the build's rule check the same pages.
KNOWN_TECHNIQUE_PAGES = {
    "before/preparing.html",
    "before/during-a-release.html",
    "aftercare/maintaining-psoas-health.html",
    "aftercare/exercises.html",
}
CHAPTER_DIRS = ("before", "aftercare")
BLOCKS = ["p", "li", "td", "th", "dt", "dd", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6"]
NOT_PROSE = ["aside.page-review", "p.print-header", "p.handout-link", "a.cite", "a.headerlink",
             "pre", "code", "ol.source-list"]


# --- helpers ----------------------------------------------------------------------------------

def article(html: str) -> Tag:
    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("article")
    assert body is not None, "no <article> in page"
    return body


def prose(html: str) -> str:
    """The page's readable body text, one block per sentence (see the module docstring)."""
    body = article(html)
    h1 = body.find("h1")
    for node in list(h1.find_previous_siblings()) if h1 else []:
        node.decompose()
    for selector in NOT_PROSE:
        for node in body.select(selector):
            node.decompose()
    sentences = []
    for block in body.find_all(BLOCKS):
        # A list item that holds a nested list: count only its own words, the inner items count themselves.
        own = " ".join(
            s if isinstance(s, NavigableString) else s.get_text(" ")
            for s in block.children
            if isinstance(s, NavigableString) or s.name not in ("ul", "ol", "p", "div", "table")
        )
        text = re.sub(r"\(\s*[;\s]*\)", "", " ".join(own.split()))  # the brackets a removed citation leaves
        text = re.sub(r"\s+([.,;:!?])", r"\1", text).strip()
        if not text:
            continue
        sentences.append(text if text[-1] in ".!?:;" else text + ".")
    return "\n".join(sentences)


def reading_grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def words(text: str) -> list[str]:
    """Lower-case words with punctuation (straight or curly) removed: 'It’s crucial' -> ['its', 'crucial']."""
    text = text.lower().replace("’", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def shared_runs(text: str, source: str, n: int = RUN_LENGTH) -> list[str]:
    """Every run of n consecutive words in text that also appears in source."""
    src = words(source)
    source_runs = {tuple(src[i:i + n]) for i in range(len(src) - n + 1)}
    got = words(text)
    return sorted({" ".join(got[i:i + n]) for i in range(len(got) - n + 1) if tuple(got[i:i + n]) in source_runs})


def heading_problems(html: str) -> list[str]:
    levels = [int(h.name[1]) for h in article(html).find_all(re.compile(r"^h[1-6]$"))]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} H1 headings (want exactly 1)")
    if levels and levels[0] != 1:
        problems.append("the first heading is not the H1")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level jumps from h{before} to h{after}")
    return problems


def after_title(h1: Tag) -> Tag | None:
    """The page's first block under its title; a chapter's PDF buttons (p.handout-link) are chrome."""
    first = h1.find_next_sibling()
    return first.find_next_sibling() if first is not None and "handout-link" in first.get("class", []) else first


def starts_with_summary(html: str) -> bool:
    """The first thing after the H1 (and its PDF buttons) is an abstract admonition titled 'In short'."""
    h1 = article(html).find("h1")
    if h1 is None:
        return False
    first = after_title(h1)
    if first is None or "admonition" not in first.get("class", []) or "abstract" not in first.get("class", []):
        return False
    title = first.find(class_="admonition-title")
    return title is not None and title.get_text(strip=True) == "In short"


def vague_links(html: str) -> list[str]:
    return [a.get_text(" ", strip=True) for a in article(html).find_all("a")
            if " ".join(a.get_text(" ", strip=True).lower().split()).strip(".!:") in BANNED_LINK_TEXT]


def safety_link_comes_first(html: str) -> bool:
    """A link to the safety page appears before the page's first H2 (the summary is not an H2)."""
    for node in article(html).find_all(["a", "h2"]):
        if node.name == "h2":
            return False
        href = node.get("href", "")
        if href.split("#")[0].endswith(SAFETY_PAGE):
            return True
    return False


def run_tool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd)


def page_name(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()


# --- the checkers catch planted problems ---------------------------------------------------------

PLANTED = """<article><h1>T</h1><div class="admonition abstract"><p class="admonition-title">In short</p></div>
<p>Read <a href="../before/is-it-safe.html">safety</a> and <a href="x.html">click here</a>.
<a class="cite" href="s.html">Someone, 2020</a></p><h2>A</h2><h4>B</h4>
<aside class="page-review"><p>Boilerplate sentence.</p></aside></article>"""


def test_checkers_catch_planted_problems():
    assert heading_problems(PLANTED) == ["heading level jumps from h2 to h4"]
    assert heading_problems("<article><h2>A</h2><h1>B</h1><h1>C</h1></article>") == [
        "2 H1 headings (want exactly 1)", "the first heading is not the H1"]
    assert starts_with_summary(PLANTED)
    assert not starts_with_summary("<article><h1>T</h1><p>Text first.</p></article>")
    assert vague_links(PLANTED) == ["click here"]
    assert safety_link_comes_first(PLANTED)
    assert not safety_link_comes_first(PLANTED.replace("is-it-safe", "other"))
    body = prose(PLANTED)
    assert "Someone" not in body and "Boilerplate" not in body and "Read safety and click here." in body


def test_copy_check_finds_runs_whatever_the_case_and_punctuation():
    source = "It’s crucial to warm up the body beforehand with light exercises."
    assert shared_runs("Remember: it's CRUCIAL to warm up the body, beforehand!", source) == [
        "its crucial to warm up the body beforehand"]
    assert shared_runs("Warm up gently before you start, with a short walk.", source) == []


def test_reading_grade_tells_easy_from_hard_text():
    easy = "Walk most days. Sit less. Stretch gently and stop if it hurts."
    hard = ("Comprehensive musculoskeletal rehabilitation necessitates individualised, multidisciplinary "
            "interventions incorporating progressive neuromuscular conditioning methodologies.")
    assert reading_grade(easy) <= MAX_GRADE < reading_grade(hard)


# --- the real site --------------------------------------------------------------------------------

def test_reading_grade_of_every_page(built_site):
    site = built_site.site
    texts = {page_name(site, p): prose(p.read_text(encoding="utf-8")) for p in html_pages(site)}
    short = sorted(name for name, text in texts.items() if len(words(text)) < MIN_WORDS)
    grades = {name: reading_grade(text) for name, text in texts.items() if name not in short}
    assert len(grades) >= 15, f"too few pages graded: {sorted(grades)}"
    report = "\n".join(f"  {g:5.1f}  {name}" for name, g in sorted(grades.items(), key=lambda kv: -kv[1]))
    print(f"\nFlesch-Kincaid grade per page (limit {MAX_GRADE}):\n{report}\n"
          f"  under {MIN_WORDS} words, not graded: {', '.join(short) or 'none'}")
    too_hard = {name: g for name, g in grades.items() if g > MAX_GRADE}
    assert not too_hard, f"pages above grade {MAX_GRADE}; use shorter sentences and plainer words:\n{report}"


def test_every_chapter_reads_at_grade_6_or_below(built_site):
    site = built_site.site
    chapters = [p for p in html_pages(site) if p.relative_to(site).parts[0] in CHAPTER_DIRS]
    assert len(chapters) >= 11
    grades = {page_name(site, p): reading_grade(prose(p.read_text(encoding="utf-8"))) for p in chapters}
    report = "\n".join(f"  {g:5.1f}  {name}" for name, g in sorted(grades.items(), key=lambda kv: -kv[1]))
    print(f"\nFlesch-Kincaid grade per chapter (limit {MAX_CHAPTER_GRADE}):\n{report}")
    too_hard = {name: g for name, g in grades.items() if g > MAX_CHAPTER_GRADE}
    assert not too_hard, f"chapters above grade {MAX_CHAPTER_GRADE}; use shorter sentences and plainer words:\n{report}"


def test_one_h1_and_headings_in_order(built_site):
    site = built_site.site
    problems = {page_name(site, p): heading_problems(p.read_text(encoding="utf-8")) for p in html_pages(site)}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, problems


def test_every_chapter_opens_with_in_short_summary(built_site):
    site = built_site.site
    chapters = [p for p in html_pages(site) if p.relative_to(site).parts[0] in CHAPTER_DIRS]
    assert len(chapters) >= 11, [page_name(site, p) for p in chapters]
    missing = [page_name(site, p) for p in chapters if not starts_with_summary(p.read_text(encoding="utf-8"))]
    assert not missing, f'chapters that do not start with !!! abstract "In short": {missing}'


def test_pages_are_in_our_own_words(built_site):
    assert SOURCE_TEXT.is_file(), (
        f"{SOURCE_TEXT} is missing: the copy check needs the commissioned source text beside the repo "
        "(../shared/source/). Fix: check out shared/ next to this repository.")
    source = SOURCE_TEXT.read_text(encoding="utf-8")
    site = built_site.site
    copied = {}
    for page in html_pages(site):
        runs = shared_runs(article(page.read_text(encoding="utf-8")).get_text(" "), source)
        if runs:
            copied[page_name(site, page)] = runs
    assert not copied, f"runs of {RUN_LENGTH}+ words copied from the source document; reword them: {copied}"


def test_every_page_has_sensible_review_dates():
    """Real dates, in order (review due after 'updated' and 'evidence_checked'), none in the future.

    A review date that has passed is the build's warning (pipeline/checks.py, strict fails it), not
    this test's: a test must not start failing on a future day. "Today" is the session's GUIDE_TODAY
    (conftest.py: the content's newest date), as for the builds."""
    from pipeline.clock import today
    from pipeline.pages import validate_pages

    assert validate_pages(ROOT / "docs", today=today()) == []


def test_spelling_in_docs_and_data():
    result = run_tool("codespell_lib", "--config", ".codespellrc", "docs", "data")
    assert result.returncode == 0, f"codespell findings (fix, or add a real word to .codespellrc):\n{result.stdout}{result.stderr}"


def test_spelling_check_can_fail(tmp_path):
    (tmp_path / "page.md").write_text("Teh psoas is a musle.\n")
    result = run_tool("codespell_lib", "--config", str(ROOT / ".codespellrc"), str(tmp_path))
    assert result.returncode != 0 and "Teh" in result.stdout


def test_markdown_lint():
    result = run_tool("pymarkdown", "--config", ".pymarkdown.json", "scan", "-r", "docs")
    assert result.returncode == 0 and not result.stdout.strip(), f"pymarkdown findings:\n{result.stdout}{result.stderr}"


def test_markdown_lint_can_fail(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: Bad\n---\n\n# One\n\n### Skips a level\n\n# Two\n")
    result = run_tool("pymarkdown", "--config", str(ROOT / ".pymarkdown.json"), "scan", str(tmp_path / "bad.md"))
    assert result.returncode != 0 and "MD001" in result.stdout and "MD025" in result.stdout


def test_no_vague_link_text(built_site):
    site = built_site.site
    vague = {page_name(site, p): vague_links(p.read_text(encoding="utf-8")) for p in html_pages(site)}
    vague = {k: v for k, v in vague.items() if v}
    assert not vague, f"say where a link goes, not 'here' or 'click here': {vague}"


def test_known_technique_pages_are_flagged():
    """read_pages is what the build's manifest is made from: no build needed to see the flags."""
    flagged = {p.url for p in read_pages(load_config(ROOT / "mkdocs.yml")) if p.technique}
    assert KNOWN_TECHNIQUE_PAGES <= flagged, f"add 'technique: true' to: {sorted(KNOWN_TECHNIQUE_PAGES - flagged)}"


def test_safety_link_before_technique(built_site):
    pages = [p.url for p in load_manifest(built_site.site).pages if p.technique]
    assert KNOWN_TECHNIQUE_PAGES <= set(pages)
    late = [page for page in pages if not safety_link_comes_first(built_site.page(page))]
    assert not late, f"{late}: link to 'Is it safe for me?' before the first section (for example in a warning under the summary)"


def test_safety_page_opens_with_three_urgency_levels_in_words(built_site):
    """A worried reader sees emergency, urgent and routine advice first, each saying what to do."""
    body = article(built_site.page("before/is-it-safe.html"))
    summary = after_title(body.find("h1"))
    boxes = summary.find_next_siblings(limit=3)
    expected = [("emergency", "danger", "call 999"), ("urgent", "warning", "today"), ("see-a-doctor", "note", "book")]
    for box, (anchor, kind, words_to_act) in zip(boxes, expected, strict=True):
        title = box.find(class_="admonition-title").get_text(" ", strip=True).lower()
        assert box.get("id") == anchor and kind in box.get("class", []), (anchor, box.get("id"), box.get("class"))
        assert words_to_act in title, f"#{anchor} title should say what to do: {title!r}"
