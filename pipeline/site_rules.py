"""Checks across the pages of a site the pipeline built (it has the build's manifest): links
between pages, and what the guide promises every reader (safety first, care cards, notices)."""
from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from typing import Iterator, Mapping
from urllib.parse import unquote

from macros.links import AFTER_SESSION_PAGE, PLAN_BUILDER_PAGE, SAFETY_PAGE

from .errors import PipelineError, Problem
from .manifest import Manifest, PageInfo, manifest_path
from .manifest import load as load_manifest
from .offline_zip import ZIP_URI
from .page_scan import (AFTER_SESSION_PART, CARE_CARD, CARE_LEVEL, NOTICE, REVIEW_BOX, REVIEW_REPORT, SAFETY_PAGE_PARTS,
                        SAFETY_PARTS, TECHNIQUE_PARTS, PLAN_DATA_CALL, PLAN_DATA_ID, PageScan)
from .postprocess import GUIDE_SLUG, HANDOUT_DIR, handout_url, relative

# --- links within the site ---------------------------------------------------------------------

def handout_files(manifest: Manifest) -> set[str]:
    """Every PDF the handout step makes: the whole guide, and each chapter's in both sizes."""
    return {f"{HANDOUT_DIR}/{GUIDE_SLUG}.pdf",
            *(handout_url(page, large_print) for page in manifest.chapters for large_print in (False, True))}


def made_after_checks(manifest: Manifest) -> set[str]:
    """Files the build makes only after these checks (pipeline/cli.py after_engine: the checks, then
    the handouts; then the zip; `guide serve` makes the PDFs in the background and no zip). A link
    to one of them passes while it is missing; only these names, and only what this build makes (the
    manifest says: `--no-handouts` makes no PDF and no zip), so a link to a file never made fails."""
    return (handout_files(manifest) if manifest.handouts else set()) | ({ZIP_URI} if manifest.offline_zip else set())


def _not_made(target: str, manifest: Manifest) -> tuple[str, str] | None:
    """(what, fix) when target is a PDF or the zip that a full build makes but this one does not."""
    if target == ZIP_URI and not manifest.offline_zip:
        return ("the offline zip, which this build does not make (`--no-handouts`, or `guide serve`)",
                f'write the link as <a href=".../{ZIP_URI}">...</a> (double quotes), which such a build turns into a '
                "note; or build without --no-handouts")
    if not manifest.handouts and target in handout_files(manifest):
        return ("a PDF handout, which this build does not make (`--no-handouts`)",
                "link to the Handouts page (reference/handouts.md) instead: the build lists the PDFs there, and "
                "says so when it makes none; or build without --no-handouts")
    return None


# HTML: the fragment "top" scrolls to the top of the page even with no element of that id.
_ALWAYS_THERE = {"top"}


def link_problems(site: Path, pages: Mapping[str, PageScan], manifest: Manifest) -> Iterator[Problem]:
    """Every relative href/src of every page is a file of the site (its path percent-decoded), and
    its #fragment an id in that page (ids are case-sensitive). Markdown links are MkDocs's to check;
    these are also the raw HTML's, the templates' and the build steps'."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    later = made_after_checks(manifest)
    fix = "correct the address (in Markdown, link to the .md file so MkDocs checks it)"
    for page, scan in pages.items():
        for where, url in scan.local:
            address, _, fragment = url.partition("#")
            path = address.split("?", 1)[0]
            if path.startswith("/"):
                if page != "404.html":  # Material's 404 page is served at any depth, so starts at the root
                    yield Problem(page, f"{where}={url} starts at the server's root: it breaks when the site is "
                                  "opened from a folder or served below a path", f"write it relative to {page}",
                                  kind="broken-link")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path))) if path else page
            if target == ".." or target.startswith("../"):
                yield Problem(page, f"{where}={url} points outside the site", fix, kind="broken-link")
            elif target not in files:
                skipped = _not_made(target, manifest)
                if skipped:
                    yield Problem(page, f"{where}={url} points to {target}, {skipped[0]}", skipped[1], kind="broken-link")
                elif target not in later:
                    yield Problem(page, f"{where}={url} points to {target}, which is not in the site", fix, kind="broken-link")
            else:
                fragment = unquote(fragment.split(":~:", 1)[0])
                if fragment and target in pages and fragment not in pages[target].ids and fragment not in _ALWAYS_THERE:
                    yield Problem(page, f"{where}={url}: {target} has no element with id {fragment!r}",
                                  "link to an id the page has (ids are case-sensitive: copy it from the heading's "
                                  "permalink), or give the target an id with { #id }", kind="broken-link")


# --- the guide's own parts: safety first, care cards, notices ------------------------------------

def _search_entries(site: Path) -> list[dict] | None:
    """The search index's entries (MkDocs: search/search_index.json; Zensical: search.json); None
    when there is no index, [] when it cannot be read."""
    for rel, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        path = site / rel
        if path.is_file():
            try:
                entries = json.loads(path.read_text(encoding="utf-8")).get(key, [])
            except (ValueError, AttributeError):
                return []
            return [entry for entry in entries if isinstance(entry, dict)]
    return None


def search_locations(site: Path) -> set[str] | None:
    """The pages in the search index; None when there is no index."""
    entries = _search_entries(site)
    return None if entries is None else {str(entry.get("location", "")).split("#")[0] for entry in entries}


def search_words(site: Path) -> dict[str, str]:
    """{page: the words search holds for it}, without spaces (so tags and line breaks do not matter);
    {} when the index holds no words (only where each page is)."""
    words: dict[str, list[str]] = {}
    for entry in _search_entries(site) or []:
        if "text" in entry:
            page = str(entry.get("location", "")).split("#")[0]
            words.setdefault(page, []).append(f"{entry.get('title', '')} {entry['text']}")
    return {page: _spaceless(html.unescape(_TAGS.sub(" ", " ".join(texts)))) for page, texts in words.items()}


_TAGS = re.compile(r"<[^>]+>")


def _spaceless(text: str) -> str:
    return "".join(text.split())


def _unsearchable(page: PageInfo, scan: PageScan, parts: set[str], words: dict[str, str], src: str) -> Iterator[Problem]:
    """A safety part that search cannot find on its own page (data-search-exclude on the part, or on
    the heading above it, keeps a section out): one problem per part, naming its first missing item."""
    if page.url not in words:
        return  # the index holds no words, or not the page: the location check says so
    missing: dict[str, str] = {}
    for part, item in scan.part_words:
        if part in parts and _spaceless(item) not in words[page.url]:
            missing.setdefault(part, item)
    for part, item in missing.items():
        yield Problem(page.url, f"has .{part} that search cannot find ({item[:60]!r}): a reader searching for a "
                      "warning sign would not find it", f"remove data-search-exclude from it and from the heading "
                      f"above it, in {src}", kind="safety")


# The urgency boxes' ids: data/safety.yml levels' anchors (tests/test_site_checks.py keeps them equal).
# Every care card links to the first; the safety check and the boxes elsewhere link to all three.
CARE_LEVEL_IDS = ("emergency", "urgent", "see-a-doctor")
# The plan builder prints its care card ("when to get help") on every plan from this box
# (docs/reference/plan-builder.md: its script moves #plan-care into the sheet).
PLAN_CARE_ID = "plan-care"
# What no style sheet may hide, on screen or on paper (pipeline/style_scan.py): every part above, by
# class (the care card, the urgency boxes, the safety chapter's boxes, the signs after a session, the
# review box with its notice and report line) and by id (each urgency box, the plan's care box).
# Not the handout buttons: paper has no use for them (print.css hides them).
# An aftercare chapter's card holds two parts (macros/safety.py care_card(after_session=True)): the
# signs after a session, and the summary (stop, the three levels): hiding one leaves the card shown.
CARE_CARD_PARTS = ("care-card__part", "care-card__summary")
NEVER_HIDDEN_CLASSES = frozenset({CARE_CARD, CARE_LEVEL, *SAFETY_PARTS, *CARE_CARD_PARTS,
                                  REVIEW_BOX, NOTICE, REVIEW_REPORT})
NEVER_HIDDEN_IDS = frozenset({*CARE_LEVEL_IDS, PLAN_CARE_ID})
# On paper the review box stays off (handout_pdf/screen_only.py PAGE_CHROME): a handout has this notice box
# instead (handout_pdf/templates/notice.html), in its chapter's frame (chapter-section.html).
HANDOUT_NOTICE = "handout-notice"


def _resolve(page: str, href: str) -> str:
    """'before/is-it-safe.html#emergency' for '../before/is-it-safe.html#emergency' on a page in aftercare/."""
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path.split("?", 1)[0]))) if path else page
    return f"{target}#{unquote(fragment)}" if fragment else target


def _true_card(page: str, hrefs: list[str], emergency: str) -> bool:
    """macros/safety.py care_card(): it links to the Emergency box and has a number to call."""
    return any(h.strip().lower().startswith("tel:") for h in hrefs) and any(_resolve(page, h) == emergency for h in hrefs)


def _safety_parts(page: PageInfo, scan: PageScan, src: str) -> Iterator[Problem]:
    """The safety chapter's boxes, and the signs after a session on their page: each there and shown."""
    if page.src == SAFETY_PAGE:
        for part, (what, call) in SAFETY_PAGE_PARTS.items():
            if part not in scan.classes and part not in scan.hidden_classes:
                yield Problem(page.url, f"is the safety chapter without {what}",
                              f"put {{{{ {call} }}}} back in {src}", kind="safety")
        for ident in CARE_LEVEL_IDS:
            if ident not in scan.level_ids and f"{CARE_LEVEL}#{ident}" not in scan.hidden_classes:
                yield Problem(page.url, f"is the safety chapter without its urgency box #{ident} (.care-level)",
                              f"put {{{{ urgency_boxes() }}}} back in {src}", kind="safety")
    if page.src == AFTER_SESSION_PAGE and AFTER_SESSION_PART not in scan.classes | scan.hidden_classes:
        yield Problem(page.url, f"is where the signs to watch for after a session are the subject, without them "
                      f"(.{AFTER_SESSION_PART})", f"put {{{{ after_session_signs() }}}} back in {src}", kind="safety")


def _safety_before_technique(page: PageInfo, scan: PageScan, src: str) -> Iterator[Problem]:
    """A technique page (`technique: true`) shows the care card (or the urgency boxes in full) above its
    first section, and above any routine or exercise steps that come before that section; a page that
    shows exercise steps or a routine, or holds the plan builder's exercises, says it is one, or no one checks.
    A link to the safety chapter is not enough: an "In short" box that links there is no card."""
    if not page.technique:
        if scan.technique:
            part = min(scan.technique)
            shown = f"#{part}, from {{{{ {PLAN_DATA_CALL} }}}}" if part == PLAN_DATA_ID else \
                f".{part}, from {{{{ {TECHNIQUE_PARTS[part]} }}}}"
            yield Problem(page.url, f"shows exercise steps or a routine ({shown}) "
                          "but is not marked as a technique page, so nothing checks that its safety advice comes first",
                          f"add 'technique: true' to the front matter of {src} (the build then checks that its care "
                          "card comes before its first '## ' heading and any routine or steps above it)", kind="safety")
        return
    if scan.cards_before_technique or set(CARE_LEVEL_IDS) <= scan.levels_before_technique:
        return
    if page.handout and not scan.care_cards and not set(CARE_LEVEL_IDS) <= scan.level_ids:
        return  # a chapter without the card at all: guide_problems says so, once
    if scan.technique_first:
        call = TECHNIQUE_PARTS[scan.technique_first]
        where, fix = (f"before the first exercise steps or routine it shows (.{scan.technique_first}, "
                      f"from {{{{ {call} }}}})", f"move {{{{ care_card() }}}} above {{{{ {call} }}}} in {src}")
    elif scan.first_h2:
        where, fix = (f"before its first section ('## {scan.first_h2[:60]}')",
                      f"move {{{{ care_card() }}}} above the first '## ' heading in {src}")
    else:
        where, fix = "anywhere on it", f"put {{{{ care_card() }}}} under the title of {src}"
    yield Problem(page.url, f"is a technique page (technique: true) without the care card {where}: a reader would "
                  "meet the technique before the safety advice", fix, kind="safety")


def guide_problems(site: Path, pages: Mapping[str, PageScan], manifest: Manifest,
                   docs_label: str = "docs") -> Iterator[Problem]:
    """What the guide promises every reader, from the built pages and the manifest: the safety
    chapter (macros/links.py SAFETY_PAGE) is a handout, the first chapter (so the whole-guide PDF
    opens with it) and in the search index, with all its boxes (SAFETY_PAGE_PARTS, CARE_LEVEL_IDS);
    the signs after a session on AFTER_SESSION_PAGE; every other chapter carries the care card, every
    care card is the guide's, and the plan builder's is inside #plan-care; none of these hidden; a
    technique page meets the reader with its care card before its first section; every
    chapter its handout buttons; every page the "Not medical advice" notice (its words the partial's,
    in any language) and the review and report-a-mistake box (overrides/partials/page-review.html)."""
    safety_src = f"{docs_label}/{SAFETY_PAGE}"
    safety = next((p for p in manifest.pages if p.src == SAFETY_PAGE), None)
    if safety is None:
        yield Problem(safety_src, "the safety chapter is not in the nav: no page, no handout, not in the whole-guide PDF",
                      "list it in mkdocs.yml's nav, first among the chapters", kind="safety")
    elif not safety.handout:
        yield Problem(safety_src, "the safety chapter is not a handout chapter: it has no PDF and the whole-guide "
                      "PDF leaves it out", "put 'handout: true' back in its front matter", kind="safety")
    elif manifest.chapters[0] != safety:
        first = manifest.chapters[0]
        yield Problem(safety_src, f"the safety chapter is not the first chapter ({first.src} is), so the whole-guide "
                      "PDF does not open with it", f"move it above {first.src} in mkdocs.yml's nav", kind="safety")
    if safety is not None:
        locations = search_locations(site)
        if locations is None:
            yield Problem("search/search_index.json", "the site has no search index",
                          "keep the search plugin in mkdocs.yml", kind="safety")
        elif safety.url not in locations:
            yield Problem(safety.url, "the safety chapter is not in the search index: a reader searching for a warning "
                          "sign would not find it", f"remove 'search: exclude' from the front matter of {safety_src}",
                          kind="safety")
    emergency = f"{safety.url if safety else SAFETY_PAGE.removesuffix('.md') + '.html'}#{CARE_LEVEL_IDS[0]}"
    words: dict[str, str] | None = None  # the search index's words, read when a page needs them
    for page in manifest.pages:
        scan = pages.get(page.url)
        if scan is None:
            continue  # make_manifest stops the build first
        src = f"{docs_label}/{page.src}"
        for what in scan.hidden:
            yield Problem(page.url, f"hides {what}: a reader would not see it (on screen, to a screen reader or on paper)",
                          f"take it out of the element that hides it, in {src}: the guide's safety words show "
                          "everywhere", kind="safety")
        yield from _safety_parts(page, scan, src)
        searched = {SAFETY_PAGE: {*SAFETY_PAGE_PARTS, CARE_LEVEL}, AFTER_SESSION_PAGE: {AFTER_SESSION_PART}}.get(page.src)
        if searched:
            words = words if words is not None else search_words(site)
            yield from _unsearchable(page, scan, searched, words, src)
        card_fix = f"use {{{{ care_card() }}}} in {src} (with 'render_macros: true'), not a copy or a box of its own"
        for card in scan.care_cards:
            if not _true_card(page.url, card.hrefs, emergency):
                yield Problem(page.url, f"has a care card (.care-card) without a link to the Emergency box ({emergency}) "
                              "or a number to call (tel:): not the guide's care card", card_fix, kind="safety")
        box_fix = (f'keep {{% include "partials/page-review.html" %}} in overrides/main.html, and no \'template:\' '
                   f"in the front matter of {src}")
        if not scan.notice and NOTICE not in scan.hidden_classes:
            yield Problem(page.url, "has no 'Not medical advice' notice (.page-review__notice, with its words)",
                          box_fix, kind="safety")
        if not {REVIEW_BOX, REVIEW_REPORT} <= scan.classes | scan.hidden_classes:
            yield Problem(page.url, "has no review and report-a-mistake box (.page-review)", box_fix, kind="safety")
        if page.src == PLAN_BUILDER_PAGE and not any(PLAN_CARE_ID in card.inside for card in scan.care_cards):
            yield Problem(page.url, f"has no care card inside #{PLAN_CARE_ID}: the printed plan would have no "
                          "'when to stop and get help'", f'keep {{{{ care_card() }}}} inside <div class="plan-care" '
                          f'id="{PLAN_CARE_ID}" markdown> in {src}', kind="safety")
        yield from _safety_before_technique(page, scan, src)
        if not page.handout:
            continue
        # The safety chapter (or any chapter) showing the three urgency boxes in full needs no summary of them.
        full_boxes = set(CARE_LEVEL_IDS) <= scan.level_ids
        if not full_boxes and not scan.care_cards and CARE_CARD not in scan.hidden_classes:
            yield Problem(page.url, "is a chapter without the care card (when to stop, when to get help) or the full "
                          "urgency boxes, on the page and so in its PDF",
                          f"put {{{{ care_card() }}}} back in {src} (with 'render_macros: true')", kind="safety")
        # Without PDFs (--no-handouts) the build puts a note in the buttons' place: the place is still checked.
        wanted = {relative(handout_url(page, large), page.url) for large in (False, True)} if manifest.handouts else set()
        if "handout-link" not in scan.classes or not wanted <= set(scan.handout_hrefs):
            buttons = (f"({' and '.join(sorted(wanted))})" if wanted
                       else "(.handout-link: in this build, the note that its PDFs were not made)")
            yield Problem(page.url, f"is a chapter without its handout buttons {buttons}",
                          "keep <!-- handout-link --> in overrides/main.html's content block (the build puts them "
                          f"there), and no 'template:' in the front matter of {src}",
                          kind="safety")


def built_manifest(site: Path) -> tuple[Manifest | None, list[Problem]]:
    """The build's manifest beside the site, if it has one (a site the pipeline built)."""
    if not manifest_path(site).is_file():
        return None, []
    try:
        return load_manifest(site), []
    except PipelineError as exc:
        where = manifest_path(site).relative_to(site.parent).as_posix()
        return None, [Problem(where, str(exc), "rebuild the site with `guide build`", kind="manifest")]
