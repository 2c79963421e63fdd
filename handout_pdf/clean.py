"""Turn a page's rendered content HTML into handout HTML.

Paper cannot run scripts, open tabs or follow a link to the Sources page, so:
permalinks and screen-only parts go, citations become plain text (the handout lists its
sources at the end), tooltips become plain words (a box at the end says what they mean),
checkboxes become empty boxes to tick, collapsed blocks and tabs open up, and images point
at files in the built site (never the network).
"""
from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from macros.links import EXERCISE_ANCHOR_PREFIX

from .chapter import Chapter, Cleaned, HandoutError, Word, first_of_each
from .screen_only import SCREEN_ONLY



def clean(chapter: Chapter, site_dir: Path, site_url: str, id_prefix: str = "",
          chapter_titles: Mapping[str, str] | None = None) -> Cleaned:
    """chapter_titles: {built page path in the site: title} of the chapters that have a handout."""
    soup = chapter.content_soup()
    words = _words_explained(soup)
    for node in soup.select(SCREEN_ONLY):
        node.decompose()
    cited = _citations_as_text(soup)
    _tick_boxes(soup)
    _open_details(soup)
    _unfold_tabs(soup)
    for abbr in soup.find_all("abbr"):
        abbr.unwrap()  # a tooltip cannot be hovered on paper: the words box explains the term
    _this_page_on_paper(soup, chapter, in_guide=bool(id_prefix))
    _keep_together(soup)
    files = _local_images(soup, chapter, site_dir)
    _point_to_other_chapters(soup, chapter, site_dir, chapter_titles or {}, in_guide=bool(id_prefix))
    _absolute_links(soup, chapter, site_url, id_prefix)
    if id_prefix:
        for node in soup.find_all(id=True):
            node["id"] = f"{id_prefix}-{node['id']}"
    heading = _take_heading(soup, chapter)
    return Cleaned(html=str(soup), heading=str(heading), cited=cited, files=files, words=words)


def _words_explained(soup: BeautifulSoup) -> list[Word]:
    """The page's tooltips (each term's first use: pipeline/postprocess.py), in reading order.
    Taken before the screen-only parts go: a term first used there is still used on paper."""
    pairs = ((" ".join(abbr.get_text().split()), " ".join(abbr["title"].split()))
             for abbr in soup.find_all("abbr", title=True))
    # A raw <abbr title=""> explains nothing: no bare term, no empty line.
    return first_of_each(Word(term, meaning) for term, meaning in pairs if term and meaning)


HEADINGS = ("h2", "h3", "h4")
SHORT_LEAD_WORDS = 40        # a lead-in this short is read together with what follows it
# A block this long may not fit what is left of a page (a long checklist in large print): kept in
# the group, it would make the group taller than a page and strand the heading anyway. It stays
# outside, and `break-after: avoid` on the group lets it start under its heading and break inside.
LONG_BLOCK_WORDS = 120


def _keep_together(soup: BeautifulSoup) -> None:
    """Group what must share a page (handout.css: break-inside: avoid on both groups).

    An exercise (heading, figure, steps, dose, cautions) is one block: a reader follows it with
    the sheet on the floor beside them. Any other heading keeps its first block with it (and a
    short lead-in's next block too), so no heading is left at a page foot away from its figure.
    """
    for heading in [h for h in soup.find_all(HEADINGS) if h.parent is soup or h.parent.name == "[document]"]:
        level = int(heading.name[1])
        if heading.get("id", "").startswith(EXERCISE_ANCHOR_PREFIX):
            members = _until_next_heading(heading, level)
            group = "keep-whole exercise-block"
        else:
            members, lead_in = _first_blocks(heading)
            # Bound to what follows only when that is a long block its lead-in introduces: bound
            # always, a heading after the group had no break before it and could be stranded.
            group = "keep-whole keep-with-next" if lead_in else "keep-whole"
        if not members:  # a heading above a subheading or a long block: kept with what follows
            heading["class"] = [*heading.get("class", []), "keep-with-next"]
            continue
        wrapper = soup.new_tag("div", attrs={"class": group})
        heading.insert_before(wrapper)
        for node in [heading, *members]:
            wrapper.append(node.extract())


def _blocks_after(heading: Tag):
    for node in heading.next_siblings:
        if isinstance(node, Tag):
            yield node


def _until_next_heading(heading: Tag, level: int) -> list[Tag]:
    members = []
    for node in _blocks_after(heading):
        if node.name in HEADINGS and int(node.name[1]) <= level:
            break
        members.append(node)
    return members


def _long(node: Tag) -> bool:
    return len(node.get_text().split()) > LONG_BLOCK_WORDS


def _short_lead(node: Tag) -> bool:
    return node.name == "p" and len(node.get_text().split()) < SHORT_LEAD_WORDS


def _first_blocks(heading: Tag) -> tuple[list[Tag], bool]:
    """The heading's first blocks, and whether the last is a short lead-in to a long block that
    stays outside the group (the group is then kept with it)."""
    members: list[Tag] = []
    for node in _blocks_after(heading):
        # A long block stays out, even as the first one: the heading alone is then kept with it.
        if node.name in HEADINGS or len(members) == 3 or _long(node):
            return members, bool(members) and _short_lead(members[-1]) and node.name not in HEADINGS and _long(node)
        members.append(node)
        if not _short_lead(node):
            break
    return members, False


THIS_PAGE = re.compile(r"\b(?:(on|in) )?this (?:web )?page\b", re.I)


def _this_page_on_paper(soup: BeautifulSoup, chapter: Chapter, in_guide: bool) -> None:
    """'How to read this page', 'the tips on this page': on paper the page is one sheet of
    several, so the words name the handout (in the whole guide, the chapter). The words of a link
    to another page name that page, not this handout: "see [this page](safe.html)" reads "see that
    page" (and _point_to_other_chapters says which handout)."""
    what = "chapter" if in_guide else "handout"

    def words(match: re.Match, elsewhere: bool) -> str:
        said = match.group(0)
        if elsewhere:
            out = re.sub(r"this", "that", said[0].lower() + said[1:], count=1, flags=re.I)
        else:
            out = f"in this {what}" if match.group(1) else f"this {what}"
        return out[0].upper() + out[1:] if said[0].isupper() else out

    for text in list(soup.find_all(string=THIS_PAGE)):
        if type(text) is NavigableString:  # not a comment or a script's text
            elsewhere = _links_elsewhere(text.find_parent("a", href=True), chapter)
            text.replace_with(THIS_PAGE.sub(partial(words, elsewhere=elsewhere), text))


def _links_elsewhere(link: Tag | None, chapter: Chapter) -> bool:
    """link goes to another page than the chapter's own (another chapter, the Glossary, a website)."""
    if link is None or link["href"].startswith("#"):
        return False
    parts = urlsplit(link["href"])
    if parts.scheme or parts.netloc:
        return True
    return bool(parts.path) and (chapter.page_file.parent / unquote(parts.path)).resolve() != chapter.page_file.resolve()


def _take_heading(soup: BeautifulSoup, chapter: Chapter) -> Tag:
    """The page's h1 moves into the handout's title block (Material adds one if a page has none)."""
    heading = soup.find("h1")
    if heading is None:
        heading = soup.new_tag("h1")
        heading.string = chapter.title
    return heading.extract()


def _citations_as_text(soup: BeautifulSoup) -> list[str]:
    """'(NHS, 2024)' stays as words; the source ids are returned for the closing list."""
    cited: list[str] = []
    for link in soup.select("a[data-source]"):  # cite() marks its links (macros/citations.py)
        if link["data-source"] not in cited:
            cited.append(link["data-source"])
        span = soup.new_tag("span", attrs={"class": "cite"})
        span.extend(list(link.contents))
        link.replace_with(span)
    return cited


def _tick_boxes(soup: BeautifulSoup) -> None:
    """Material draws a grey tick icon; paper needs an empty square to tick by hand."""
    for control in soup.select("label.task-list-control"):
        control.replace_with(_box(soup))
    for box in soup.select('input[type="checkbox"]'):
        box.replace_with(_box(soup))


def _box(soup: BeautifulSoup) -> Tag:
    return soup.new_tag("span", attrs={"class": "tick-box", "aria-hidden": "true"})


def _open_details(soup: BeautifulSoup) -> None:
    """A collapsed block would hide its text on paper: print it as an open callout."""
    for details in soup.find_all("details"):
        details.name = "div"
        details["class"] = ["admonition", *details.get("class", [])]
        details.attrs.pop("open", None)
        summary = details.find("summary")
        if summary:
            summary.name = "p"
            summary["class"] = ["admonition-title"]


def _own_tabs(tabs: Tag) -> tuple[list[str], list[Tag]]:
    """A tab set's own labels and blocks: not those of a set inside one of its tabs, which would
    pair one tab's label with another's words ("Swimming" over a heart condition's caution)."""
    labels = tabs.find("div", class_="tabbed-labels", recursive=False)
    content = tabs.find("div", class_="tabbed-content", recursive=False)
    names = [label.get_text(" ", strip=True) for label in labels.find_all("label", recursive=False)] if labels else []
    blocks = content.find_all("div", class_="tabbed-block", recursive=False) if content else []
    if len(names) != len(blocks):
        raise HandoutError(f"a set of tabs has {len(names)} labels for {len(blocks)} tabs, so a tab would print under "
                           "another's name or not at all. Fix: write each tab as === \"Label\" with its text indented "
                           "under it (pymdownx.tabbed, alternate_style: true).")
    return names, blocks


def _unfold_tabs(soup: BeautifulSoup) -> None:
    """pymdownx tabs: each tab's label becomes a small heading above its content. A set inside a
    tab moves with its tab, and is unfolded in its turn."""
    for tabs in soup.select("div.tabbed-set"):
        labels, blocks = _own_tabs(tabs)
        unfolded = soup.new_tag("div", attrs={"class": "tabs-unfolded"})
        for label, block in zip(labels, blocks, strict=True):
            title = soup.new_tag("p", attrs={"class": "tab-title"})
            title.string = label
            block.name = "div"
            block["class"] = ["tab-block"]
            unfolded.append(title)
            unfolded.append(block.extract())
        tabs.replace_with(unfolded)


def _local_images(soup: BeautifulSoup, chapter: Chapter, site_dir: Path) -> list[Path]:
    """Every image must be a file in the built site; its file:// URL goes in the handout."""
    site = site_dir.resolve()
    files: list[Path] = []
    for img in soup.find_all("img"):
        src = img.get("src", "")
        img.attrs.pop("srcset", None)
        img.attrs.pop("loading", None)
        if urlsplit(src).scheme:
            raise HandoutError(
                f"image '{src}' is not a file of the site. Fix: save the image under docs/assets/ "
                "and link to it with a relative path (handouts never load anything from the network).")
        path = (chapter.page_file.parent / unquote(urlsplit(src).path)).resolve()
        if not path.is_file() or not path.is_relative_to(site):
            raise HandoutError(f"image '{src}' was not found in the built site (looked for {path}).")
        img["src"] = path.as_uri()
        files.append(path)
    return files


def _point_to_other_chapters(soup: BeautifulSoup, chapter: Chapter, site_dir: Path, titles: Mapping[str, str],
                             in_guide: bool) -> None:
    """On paper a link goes nowhere: a link to another chapter also says where to read it
    (not an urgency instruction, class "urgency": "call 999 now" must stay just that)."""
    site = site_dir.resolve()
    own = chapter.page_file.resolve()
    for link in soup.find_all("a", href=True):
        href = link["href"]
        if href.startswith("#") or urlsplit(href).scheme or "urgency" in link.get("class", []):
            continue
        target = (chapter.page_file.parent / unquote(urlsplit(href).path)).resolve()
        if target == own or not target.is_relative_to(site):
            continue
        title = titles.get(target.relative_to(site).as_posix())
        if not title:
            continue
        where = f"“{title}” in this guide" if in_guide else f"the “{title}” handout"
        words = link.get_text().strip()
        if words.casefold() == title.casefold():      # "Read Is it safe for me?"
            link.string = _named(title, link, in_guide)
        elif title.casefold() in words.casefold():
            continue                                   # the words already say where
        elif _in_brackets(link):                       # "(why)": no brackets inside brackets
            link.insert_after(f"; see {where}")
        else:
            link.insert_after(f" (see {where})")


def _named(title: str, link: Tag, in_guide: bool) -> str:
    """The words for a link that is the chapter's title: 'the “Exercise guide” handout', or in
    the whole guide just the title in quotes; no 'the the' after a 'the' already there."""
    if in_guide:
        return f"“{title}”"
    before = link.previous_sibling
    if isinstance(before, NavigableString) and re.search(r"\bthe\s*$", before, re.I):
        return f"“{title}” handout"
    return ("The" if _starts_sentence(link) else "the") + f" “{title}” handout"


def _starts_sentence(link: Tag) -> bool:
    before = link.previous_sibling
    return before is None or (isinstance(before, NavigableString) and (not before.strip() or before.rstrip()[-1] in ".!?:"))


def _in_brackets(link: Tag) -> bool:
    before, after = link.previous_sibling, link.next_sibling
    return (isinstance(before, NavigableString) and before.rstrip().endswith("(")
            and isinstance(after, NavigableString) and after.lstrip().startswith(")"))


def _absolute_links(soup: BeautifulSoup, chapter: Chapter, site_url: str, id_prefix: str) -> None:
    """Links to other pages point at the online guide; external addresses print after the text."""
    for link in soup.find_all("a", href=True):
        href = link["href"]
        classes = link.get("class", [])
        if href.startswith("#"):
            if id_prefix:
                link["href"] = f"#{id_prefix}-{href[1:]}"
            continue
        scheme = urlsplit(href).scheme
        if scheme == "tel":  # a phone number: its words are the number, or it is written out after them
            _number_on_paper(link, href)
            continue
        if scheme:
            link["class"] = [*classes, "external"] if not site_url or not href.startswith(site_url) else classes
            continue
        if not chapter.online_url:  # no address online yet: the words stay, the link goes
            link.unwrap()
            continue
        link["href"] = urljoin(chapter.online_url, href)
        link["class"] = [*classes, "internal"]


def _number_on_paper(link: Tag, href: str) -> None:
    """'Call [Samaritans](tel:116123)': paper cannot dial, so words without a digit get the number
    after them, 'Samaritans (116123)'. Words with digits are the number (pipeline/page_scan.py checks)."""
    if not re.search(r"\d", link.get_text()):
        link.insert_after(f" ({unquote(href[4:]).split(';')[0].split('?')[0]})")
