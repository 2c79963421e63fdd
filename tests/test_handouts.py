"""Chapter handouts: one tagged A4 PDF per chapter (and the whole guide), listed with real numbers."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT, build
from handout_pdf.chapter import Chapter, HandoutError
from handout_pdf.clean import clean
from handout_pdf.listing import file_size
from handout_pdf.render import Job, Ready, make_all
from pipeline.config import load_config
from pipeline.manifest import read_pages

GUIDE = "handouts/psoas-guide.pdf"
A4 = (595.28, 841.89)
MAX_CHAPTER_PAGES = 12
# Words only the web page has; none belongs on a handout.
SITE_CHROME = ["Skip to content", "Table of contents", "Back to top", "Initializing search",
               "Type to start searching", "Download this chapter", "Switch to dark mode", "¶"]


def _chapters() -> list[tuple[str, str]]:
    """(title, Markdown path) of every page whose front matter says `handout: true`, in nav order."""
    return [(p.title, p.src) for p in read_pages(load_config(ROOT / "mkdocs.yml")) if p.handout]


CHAPTERS = _chapters()


def pdf_of(md_path: str) -> str:
    return f"handouts/{PurePosixPath(md_path).stem}.pdf"


def page_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def font_dicts(resources, seen=None):
    """Every font a page uses, including fonts inside form XObjects (SVG figures)."""
    seen = set() if seen is None else seen
    if not resources:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if id(xobject) not in seen and xobject.get("/Subtype") == "/Form":
            seen.add(id(xobject))
            yield from font_dicts(xobject.get("/Resources"), seen)


def is_embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by the PDF itself
    for desc in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
        descriptor = desc.get("/FontDescriptor")
        if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            return True
    return False


def test_the_nav_has_chapters():
    assert len(CHAPTERS) >= 10, CHAPTERS


def test_every_chapter_and_the_whole_guide_has_a_pdf(built_site):
    expected = {pdf_of(md) for _, md in CHAPTERS} | {GUIDE}
    made = {p.relative_to(built_site.site).as_posix() for p in (built_site.site / "handouts").glob("*.pdf")}
    assert made == expected


@pytest.mark.parametrize("title,md", CHAPTERS, ids=[PurePosixPath(md).stem for _, md in CHAPTERS])
def test_chapter_handout_is_a_proper_pdf(built_site, title, md):
    path = built_site.site / pdf_of(md)
    reader = PdfReader(path)
    text = page_text(reader)
    root = reader.trailer["/Root"]

    assert reader.metadata.title == title
    assert root["/Lang"] == "en"
    assert title in text
    for chrome in SITE_CHROME:
        assert chrome not in text, f"{path.name} shows the web page's '{chrome}'"
    assert not re.search(r"(?m)^\s*Search\s*$", text), f"{path.name} shows the search box"
    assert "Not medical advice." in text and "Written or updated" in text

    assert 1 <= len(reader.pages) <= MAX_CHAPTER_PAGES
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, f"{path.name}: {width}x{height} is not A4"
        for font in font_dicts(page.get("/Resources")):
            assert is_embedded(font), f"{path.name}: font {font.get('/BaseFont')} is not embedded"
        for annot in page.get("/Annots") or []:
            uri = annot.get_object().get("/A", {}).get("/URI", "")
            assert "sources.html#src-" not in uri, f"{path.name}: a citation still links to the Sources page"

    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], f"{path.name} is not tagged"
    assert reader.outline and reader.outline[0].title == title, f"{path.name}: bookmarks do not start at the title"


@pytest.mark.parametrize("title,md", CHAPTERS, ids=[PurePosixPath(md).stem for _, md in CHAPTERS])
def test_handout_first_page_is_not_blank(built_site, title, md):
    png = subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(built_site.site / pdf_of(md))],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height, f"page 1 of {pdf_of(md)} is (almost) blank"


def test_chapter_citations_are_text_with_a_source_list(built_site):
    """A chapter that cites sources names them in the text and lists them, with addresses, at the end."""
    citing = [(t, md) for t, md in CHAPTERS if 'class="cite"' in built_site.page(md.replace(".md", ".html"))]
    assert citing, "no chapter cites a source"
    for _title, md in citing:
        text = page_text(PdfReader(built_site.site / pdf_of(md)))
        tail = text[text.rindex("Sources"):]
        assert "https://" in tail, f"{md}: the handout's source list has no addresses"


def test_whole_guide_pdf_has_every_chapter(built_site):
    reader = PdfReader(built_site.site / GUIDE)
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [t for t in bookmarks if t in dict(CHAPTERS)] == [t for t, _ in CHAPTERS]
    assert reader.metadata.title == "Psoas Guide" and reader.trailer["/Root"]["/Lang"] == "en"
    chapter_pages = sum(len(PdfReader(built_site.site / pdf_of(md)).pages) for _, md in CHAPTERS)
    assert len(reader.pages) >= chapter_pages // 2


def test_handouts_page_lists_every_pdf_with_its_real_length_and_size(built_site):
    page = built_site.site / "reference" / "handouts.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "handouts:list" not in str(soup), "the list marker was not replaced"
    listed = {}
    for row in soup.select(".handout-list table tbody tr"):
        href = row.select_one("a[href]")["href"]
        pdf = (page.parent / href).resolve()
        pages = int(row.select_one("[data-pages]")["data-pages"])
        listed[pdf.relative_to(built_site.site.resolve()).as_posix()] = pdf
        assert pages == len(PdfReader(pdf).pages), f"{href}: listed as {pages} pages"
        assert f"{pages} page" in row.get_text()
        size = int(row.select_one("[data-bytes]")["data-bytes"])
        assert size == pdf.stat().st_size and file_size(size) in row.get_text()
    assert set(listed) == {pdf_of(md) for _, md in CHAPTERS} | {GUIDE}


def test_each_chapter_page_links_to_its_handout(built_site):
    for _, md in CHAPTERS:
        page = built_site.site / md.replace(".md", ".html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("p.handout-link a[href]")
        assert link and link.get_text(strip=True) == "Download this chapter as a PDF handout", md
        assert not link["href"].startswith(("/", "http")), f"{md}: the link must be relative (file://)"
        assert (page.parent / link["href"]).resolve() == (built_site.site / pdf_of(md)).resolve()
    home = built_site.page("index.html")
    assert "handout-link" not in home, "only chapters have a handout"


def test_no_placeholder_address_reaches_a_reader(built_site):
    """SITE_URL is unset in tests: no page, handout or zip prints a made-up address."""
    for page in built_site.site.rglob("*.html"):
        assert "example.org" not in page.read_text(encoding="utf-8"), page
    for pdf in (built_site.site / "handouts").glob("*.pdf"):
        text = page_text(PdfReader(pdf))
        assert "example.org" not in text and "Online:" not in text, pdf.name
    assert "From the offline copy of the guide" in page_text(PdfReader(built_site.site / pdf_of(CHAPTERS[0][1])))


def test_build_reports_progress(built_site):
    assert re.search(rf"Handout 1 of {len(CHAPTERS) + 1}: ", built_site.output)
    assert re.search(rf"Handout {len(CHAPTERS) + 1} of {len(CHAPTERS) + 1}: ", built_site.output)


# --- A handout that cannot be made stops the build, naming the chapter and the reason. ---

def test_network_image_fails_the_build(project_copy, tmp_path):
    page = project_copy / "docs" / "before" / "preparing.md"
    page.write_text(page.read_text() + '\n<img src="https://example.org/tracker.png" alt="x">\n')
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "the handout for 'Preparing for a release' (before/preparing.md) could not be made" in result.output
    assert "https://example.org/tracker.png" in result.output and "network" in result.output


def test_broken_figure_fails_the_build(project_copy, tmp_path):
    (project_copy / "docs" / "assets" / "figures" / "broken.svg").write_text("<svg this is not xml")
    page = project_copy / "docs" / "aftercare" / "posture-and-mobility.md"
    page.write_text(page.read_text() + "\n![A broken drawing](../assets/figures/broken.svg)\n")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "the handout for 'Posture and mobility' (aftercare/posture-and-mobility.md) could not be made" in result.output
    assert "broken.svg" in result.output


def test_chapters_follow_the_nav_and_safety_comes_first():
    assert CHAPTERS[0] == ("Is it safe for me?", "before/is-it-safe.md")


# --- The parts, in-process: fast and focused. ---

def _chapter(tmp_path: Path, content: str) -> Chapter:
    (tmp_path / "site").mkdir(exist_ok=True)
    return Chapter(slug="demo", title="Demo", src_uri="demo.md", page_file=tmp_path / "site" / "demo.html",
                   online_url="https://example.org/guide/demo.html", updated=None, review_due=None,
                   description="", content=content)


def test_clean_keeps_words_and_drops_screen_parts(tmp_path):
    chapter = _chapter(tmp_path, (
        '<h1 id="demo">Demo<a class="headerlink" href="#demo">¶</a></h1>'
        '<p>See (<a class="cite" data-source="nhs" href="../reference/sources.html#src-nhs">NHS, 2024</a>) and '
        '<a href="other.html#x">the other page</a> or <a href="https://nhs.uk/">NHS</a>.</p>'
        '<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
        '<input type="checkbox" checked><span class="task-list-indicator"></span></label> Tick me</li></ul>'
        '<details class="note"><summary>More</summary><p>Hidden text</p></details>'
        '<p>A <abbr title="a muscle">psoas</abbr>.</p><div class="screen-only">Click here</div>'))
    cleaned = clean(chapter, tmp_path / "site", "https://example.org/guide/")
    soup = BeautifulSoup(cleaned.html, "html.parser")
    assert cleaned.cited == ["nhs"] and "¶" not in cleaned.heading
    assert soup.select_one("span.cite").get_text() == "NHS, 2024" and not soup.select("a.cite")
    assert soup.select_one("a.internal")["href"] == "https://example.org/guide/other.html#x"
    assert soup.select_one("a.external")["href"] == "https://nhs.uk/"
    assert soup.select("li .tick-box") and not soup.select("input, label")
    assert not soup.select("details") and "Hidden text" in soup.get_text()
    assert not soup.select("abbr") and "Click here" not in soup.get_text()


def test_clean_refuses_images_outside_the_site(tmp_path):
    with pytest.raises(HandoutError, match="never load anything from the network"):
        clean(_chapter(tmp_path, '<img src="https://example.org/x.png">'), tmp_path / "site", "https://example.org/")
    with pytest.raises(HandoutError, match="not found in the built site"):
        clean(_chapter(tmp_path, '<img src="../../etc/passwd">'), tmp_path / "site", "https://example.org/")


def _job(tmp_path: Path, html: str) -> Job:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    return Job(name="Demo", where="demo.md", recipe=Ready(html, (site / "demo.html").as_uri()),
               allowed=site, target=site / "handouts" / "demo.pdf")


def test_fetcher_refuses_the_network(tmp_path):
    html = '<html lang="en"><title>x</title><body><p>Hi</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    with pytest.raises(HandoutError, match="refused to fetch http://127.0.0.1:9/x.png"):
        make_all([_job(tmp_path, html)], tmp_path / "cache", lambda *a: None)


def test_unchanged_handout_comes_from_the_cache(tmp_path):
    html = '<html lang="en"><title>Cached</title><body><h1>Cached</h1><p>Once.</p></body></html>'
    seen = []
    first = make_all([_job(tmp_path, html)], tmp_path / "cache", lambda r, n, t: seen.append((r.cached, n, t)))
    again = make_all([_job(tmp_path, html)], tmp_path / "cache", lambda r, n, t: seen.append((r.cached, n, t)))
    changed = make_all([_job(tmp_path, html.replace("Once", "Twice"))], tmp_path / "cache", lambda *a: None)
    assert seen == [(False, 1, 1), (True, 1, 1)]
    assert first[0].pages == again[0].pages == 1 and not changed[0].cached
    assert "Twice" in page_text(PdfReader(first[0].job.target))


def test_handout_prints_the_online_address_only_when_there_is_one(tmp_path):
    from dataclasses import replace

    from handout_pdf.document import Site, chapter_document, guide_document

    chapter = _chapter(tmp_path, "<h1>Demo</h1><p>Words.</p>")
    for url, online in (("https://guide.example-clinic.org/", True), ("", False)):
        site = Site(name="Guide", url=url, author="A", description="D", site_dir=tmp_path / "site", sources={})
        ch = replace(chapter, online_url=url + "demo.html" if url else "")
        single, _ = chapter_document(ch, site)
        whole, _ = guide_document([ch], site)
        assert ("Online:" in single) is online and ("From the offline copy" in single) is not online
        assert ("guide.example-clinic.org" in whole) is online
