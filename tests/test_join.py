"""The whole guide is typeset in parts and joined (handout_pdf/join.py): the joined PDF must read
as one document, tags, links, bookmarks and page numbers included."""
from __future__ import annotations

import multiprocessing
import os
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import children
from pdf_tags import tag_problems
from handout_pdf import document, join, render
from handout_pdf.chapter import Chapter
from handout_pdf.document import Site
from handout_pdf.recipes import ChapterRecipe, GuideRecipe
from handout_pdf.render import Job, make_all

TITLES = ["Safety first", "The muscle", "Aftercare"]


def _chapters(site_dir: Path) -> list[Chapter]:
    site_dir.mkdir(exist_ok=True)
    words = " ".join(["Rest and move gently every day."] * 120)
    chapters = []
    for n, title in enumerate(TITLES):
        slug = f"part-{n}"
        body = (f'<h1 id="{slug}">{title}</h1><h2 id="more">More</h2><p>{words} <span class="tip">Ask first.</span> '
                f'<span lang="fr">Merci.</span></p>'
                f'<p><a href="#more">Back to more</a></p><p><a href="https://www.nhs.uk/">NHS</a></p>')
        chapters.append(Chapter(slug=slug, title=title, src_uri=f"{slug}.md", page_file=site_dir / f"{slug}.html",
                                online_url="", updated=None, review_due=None, description="",
                                article=f'<article class="md-content__inner">{body}</article>'))
    return chapters


def _guide(tmp_path: Path, workers: int | None = None) -> Path:
    """The guide alone, in this process; with workers, beside one chapter, in worker processes."""
    site_dir = tmp_path / "site"
    site = Site(name="Guide", url="", author="A", description="About the guide.", site_dir=site_dir, sources={})
    target = site_dir / "handouts" / "guide.pdf"
    chapters = tuple(_chapters(site_dir))
    jobs = [Job("Guide", "all", GuideRecipe(chapters, site), site_dir, target)]
    if workers:
        jobs.insert(0, Job("One", "part-0.md", ChapterRecipe(chapters[0], site), site_dir, site_dir / "one.pdf"))
    make_all(jobs, tmp_path / "cache", lambda *a: None, workers=workers)
    return target


@pytest.fixture
def one_chapter_per_part(monkeypatch):
    monkeypatch.setattr(document, "PART_HTML_BYTES", 1)


def test_the_joined_guide_reads_as_one_tagged_document(tmp_path, one_chapter_per_part):
    pdf = _guide(tmp_path)
    assert tag_problems(pdf) == []
    reader = PdfReader(pdf)
    texts = [page.extract_text() for page in reader.pages]
    numbers = [int(m[1]) for text in texts for m in [re.search(r"Page (\d+)\s*$", text)] if m]
    assert numbers == list(range(1, len(texts) + 1)), "every page is numbered, in order, across the parts"
    assert f"{len(texts)} pages" in texts[0]
    for title in TITLES:  # the contents give the page each chapter starts on
        start = int(re.search(rf"{title}\s*\.+\s*(\d+)", texts[0])[1])
        assert texts[start - 1].lstrip().startswith(title), f"contents: '{title}' is not on page {start}"
    assert [item.title for item in reader.outline if not isinstance(item, list)] == ["Cover and contents", *TITLES]
    with pikepdf.open(pdf) as joined:  # the contents link to the chapters inside the PDF
        names = [str(annot.Dest) for annot in joined.pages[0].obj.Annots if "/Dest" in annot]
        assert {f"chapter-part-{n}" for n in range(3)} <= set(names)


def _spans(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Span"]


def test_the_join_drops_spans_that_carry_nothing(tmp_path, one_chapter_per_part, monkeypatch):
    """WeasyPrint wraps each run of text on a line in a Span of its own, and a <span> of the page is
    one more around it (WeasyPrint gives it no language or alternate text): half a part's objects,
    all held in memory by the join, and nothing a screen reader uses. The join gives the text to the
    element around it (the tree stays whole and tagged: the test above)."""
    wrapped = []

    def join_counting(parts, target, *_):
        for part in parts:
            with pikepdf.open(part) as pdf:
                wrapped.append(len([s for s in _spans(pdf) if all(isinstance(kid, int) for kid in s.K)]))
        return join.join(parts, target)
    monkeypatch.setattr(render, "_join", join_counting)
    target = _guide(tmp_path)
    assert all(wrapped[1:]), "WeasyPrint no longer wraps text in Spans: the unwrapping can go"
    with pikepdf.open(target) as joined:
        left = [s for s in _spans(joined) if _reachable(s) and join._is_text_span(s)]
        assert not left, f"{len(left)} Spans around one run of text are left"
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert text.count("Ask first.") == text.count("Merci.") == len(TITLES)


def test_a_span_that_says_something_stays():
    """A Span with its own language or replacement text is kept: only the bare wrapper goes."""
    pdf = pikepdf.new()
    page = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page))
    parent = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, Pg=page))

    def span(**extra):
        return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=parent,
                                                    Pg=page, K=pikepdf.Array([3]), **extra))
    bare, french, spoken = span(), span(Lang=pikepdf.String("fr")), span(ActualText=pikepdf.String("and"))
    parent.K = pikepdf.Array([bare, french, spoken])
    assert [join._is_text_span(s) for s in (bare, french, spoken)] == [True, False, False]


def _reachable(element: pikepdf.Dictionary) -> bool:
    """Still in the tree: its parent lists it (the join leaves an unwrapped Span unreferenced)."""
    kids = element.P.K
    return any(isinstance(kid, pikepdf.Dictionary) and kid.objgen == element.objgen
               for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]))


def test_workers_typeset_the_book_and_the_build_joins_it_once_they_have_stopped(tmp_path, one_chapter_per_part,
                                                                             monkeypatch):
    """qpdf holds the whole book while it joins; joined in the worker that typeset it, that came on
    top of two WeasyPrint processes (measured at 16x: 150 + 110 + 234 MB)."""
    alive_at_join, join_parts = [], render._join

    def join_watched(parts, target, *rest):
        alive_at_join.append(multiprocessing.active_children())
        return join_parts(parts, target, *rest)
    monkeypatch.setattr(render, "_join", join_watched)
    pdf = _guide(tmp_path, workers=2)
    assert alive_at_join == [[]], "the join ran in a worker, or beside one"
    assert tag_problems(pdf) == []
    assert not list((tmp_path / "cache").glob("*.tmp")), "the typeset parts were left behind"


def test_a_join_in_the_background_gives_way_and_stops_for_a_newer_edit(tmp_path, one_chapter_per_part,
                                                                     monkeypatch):
    """While serving, the join runs at the workers' low priority (the reader waits for the
    rebuild, not the PDF), and a newer edit stops it at once, leaving nothing behind."""
    join_parts, priorities, others = render._join, [], set()  # others: the session's servers, browsers

    def newer_edit() -> bool:
        priorities.extend(os.getpriority(os.PRIO_PROCESS, pid) for pid in children(os.getpid()) - others)
        return True

    def join_in_background(parts, target, *_):
        others.update(children(os.getpid()))
        return join_parts(parts, target, True, newer_edit)
    monkeypatch.setattr(render, "_join", join_in_background)
    with pytest.raises(render.Superseded):
        _guide(tmp_path)
    assert priorities == [min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)], "one join, at nice 10"
    assert children(os.getpid()) <= others, "the join was left running"
    assert not [p.name for p in (tmp_path / "cache").iterdir()], "the parts or a half-made PDF were left"


def test_a_join_that_loses_the_tags_is_caught(tmp_path, one_chapter_per_part, monkeypatch):
    """The tag check can fail: without moving each part's parent-tree keys, parts collide."""
    # The join in this process, where the patch below applies.
    monkeypatch.setattr(render, "_join", lambda parts, target, *_: join.join(parts, target))
    monkeypatch.setattr(join, "_shift_struct_parents", lambda src, base: None)
    problems = tag_problems(_guide(tmp_path))
    assert any("leads to" in p or "not claimed" in p for p in problems), problems


def test_parts_hold_runs_of_chapters_up_to_a_size(tmp_path):
    from handout_pdf.clean import clean

    chapters = _chapters(tmp_path / "site")
    parts = [document.Part(ch, clean(ch, tmp_path / "site", "", id_prefix=ch.slug), f"chapter-{ch.slug}")
             for ch in chapters]
    size = len(parts[0].cleaned.html)
    assert [len(run) for run in document._runs(parts, limit=3 * size)] == [3]
    runs = document._runs(parts, limit=2 * size)
    assert [[p.chapter.title for p in run] for run in runs] == [TITLES[:2], TITLES[2:]]
    assert [len(run) for run in document._runs(parts, limit=1)] == [1, 1, 1]  # a long chapter stands alone
