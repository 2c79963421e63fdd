"""Citation markers in the text and the source list they point to.

A page cites a whole source, cite("nice-ng59"), or one thing it found, cite("watt-2011-hip-flexor-stretch:hip-extension").
Each link carries data-source (and data-finding), so the built site itself says which page cites what:
the Sources page holds a `<!-- cited-on:ID -->` marker per source and finding, which the pipeline's
post-build step replaces with links to those pages. Until that step runs, a fallback list made by reading
the pages' macro calls stands in (see cited_on_fallback).
"""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Iterable, Mapping

from . import schema
from .data import DataError, finding_error
from .links import SOURCES_PAGE, relative
from .text import safe

KIND_LABELS = {
    "guideline": "Clinical guideline",
    "review": "Systematic review",
    "trial": "Clinical trial",
    "study": "Research study",
    "reference": "Anatomy reference",
    "consensus": "Expert consensus",
    "patient-information": "Patient information",
    "registry": "Trial registration",
    "commentary": "Expert discussion (not peer reviewed)",
}


def anchor(source_id: str, finding_id: str = "") -> str:
    return f"src-{source_id}-{finding_id}" if finding_id else f"src-{source_id}"


def split_ref(ref: str) -> tuple[str, str]:
    """'watt-2011:hip-extension' -> ('watt-2011', 'hip-extension'); 'nice-ng59' -> ('nice-ng59', '')."""
    ident, _, finding = ref.partition(":")
    return ident, finding


def cite(sources: Mapping[str, schema.Source], refs: Iterable[str], page: str) -> str:
    """'(NHS, 2024; Wu and colleagues, 2021)' with each name linking to its entry, or its finding, in the source list."""
    refs = list(refs)
    if not refs:
        raise ValueError(f"{page}: cite() needs at least one source id")
    groups: dict[str, list[str]] = {}  # source id -> its findings cited here, in order
    for ref in refs:
        problem = finding_error(ref, sources, f"{page}: cite('{ref}')")
        if problem:
            raise DataError(problem)
        ident, finding = split_ref(ref)
        groups.setdefault(ident, []).append(finding)
    parts = []
    for ident, findings in groups.items():
        src = sources[ident]
        # Several findings of one source read "(Wu and colleagues, 2021: function, trunk mobility)",
        # not the same name twice; every link still carries its own data-source and data-finding.
        links = [_link(f"{safe(src.publisher)}, {src.year}", ident, findings[0], page)]
        links += [_link(safe(f.replace("-", " ")), ident, f, page) for f in findings[1:]]
        parts.append(links[0] + (": " + ", ".join(links[1:]) if len(links) > 1 else ""))
    # Plain Markdown, so it works in paragraphs, table cells and md_in_html spans alike.
    return f"({'; '.join(parts)})"


def _link(text: str, ident: str, finding: str, page: str) -> str:
    attrs = f'.cite data-source="{ident}"' + (f' data-finding="{finding}"' if finding else "")
    return f"[{text}]({relative(SOURCES_PAGE, page, anchor(ident, finding))}){{ {attrs} }}"


def cited_on_marker(key: str) -> str:
    """The comment the pipeline's post-build step replaces with the pages that cite `key` ('ID' or 'ID:FINDING')."""
    return f"<!-- cited-on:{key} -->"


def _cited_on(key: str, fallback: Mapping[str, list[tuple[str, str]]] | None, page: str) -> str:
    """'Cited on: <marker>' plus, when no pipeline fills the marker, the fallback links in their own span."""
    out = f'<span class="cited-on">Cited on: {cited_on_marker(key)}'
    if fallback is not None:
        pages = fallback.get(key, [])
        where = ", ".join(f'<a href="{html.escape(relative(path, page).removesuffix(".md") + ".html", quote=True)}">'
                          f"{html.escape(title)}</a>" for title, path in pages) or "not cited yet"
        out += f'<span class="cited-on__fallback">{where}</span>'
    return out + ".</span>"


def source_list(sources: Mapping[str, schema.Source], page: str,
                fallback: Mapping[str, list[tuple[str, str]]] | None = None) -> str:
    """Every source, in data order, with what it found (one anchor per finding), a reading link and
    the pages that cite it. Plain HTML, every data string escaped, so HTML comments survive Markdown."""
    lines = ['<ol class="source-list">']
    for src in sources.values():
        url = html.escape(str(src.url), quote=True)
        lines.append(
            f'<li id="{anchor(src.id)}"><p><strong>{html.escape(src.title)}</strong>. '
            f"{html.escape(src.publisher)}, {src.year}. {KIND_LABELS[src.kind]}. "
            f'Read it at <a href="{url}" class="source-list__link">{html.escape(src.url.host or "")}</a>. '
            f"{_cited_on(src.id, fallback, page)}</p>"
        )
        lines.append('<p class="source-list__found">What it found:</p><ul class="source-list__findings">')
        for f in src.findings:
            key = f"{src.id}:{f.id}"
            lines.append(f'<li id="{anchor(src.id, f.id)}">{html.escape(f.text)} {_cited_on(key, fallback, page)}</li>')
        lines.append("</ul></li>")
    lines.append("</ol>")
    return "\n".join(lines)


NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def search_anchor(search_id: str) -> str:
    return f"search-{search_id}"


def search_link(data, search_id: str, page: str) -> str:
    """'(our search, 24 November 2026)' linking to the dated search statement on the Sources page."""
    from .lookup import by_id  # late import: lookup imports data
    search = by_id(data.searches, search_id, "search", "search_link")
    href = relative(SOURCES_PAGE, page, search_anchor(search_id))
    return f"([our search, {_long_date(search.date)}]({href}){{ .cite .cite--search data-search=\"{search_id}\" }})"


def search_statement(data, search_id: str, page: str) -> str:
    """The dated search behind "we found no trial of ...": where, when, what, and the registered trials
    (cited as registered, not as evidence that nothing was studied)."""
    from .lookup import by_id  # late import: lookup imports data
    search: schema.EvidenceSearch = by_id(data.searches, search_id, "search", "search_statement")
    where = " and ".join(safe(s) for s in search.searched)
    text = f"We searched {where} on {_long_date(search.date)} for {safe(search.topic)}. {safe(search.found)}"
    if search.registered:
        names = [safe(data.sources[split_ref(ref)[0]].short_name or data.sources[split_ref(ref)[0]].title)
                 for ref in search.registered]
        listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        count = NUMBER_WORDS.get(len(names), str(len(names)))
        text += (f" {count} {'trials are' if len(names) > 1 else 'trial is'} registered, but we found no published results: "
                 f"{listed} {cite(data.sources, search.registered, page)}.")
    return text


_CALL = re.compile(r"\{\{-?\s*(\w+)\((.*?)\)\s*-?\}\}", re.S)
_ARG = re.compile(r"""["']([a-z0-9-]+(?::[a-z0-9-]+)?)["']""")
_TITLE = re.compile(r"^title:\s*(.+)$|^#\s+(.+)$", re.M)


def _with_sources(refs: Iterable[str]) -> set[str]:
    """A finding ref also counts as a citation of its source."""
    out = set()
    for ref in refs:
        out.add(ref)
        out.add(split_ref(ref)[0])
    return out


def _sources_of_call(data, name: str, args: list[str]) -> set[str]:
    if name == "cite":
        return _with_sources(args)
    if name == "benefit_checklist" or name == "benefit_table":
        return _with_sources(s for a in args if a in data.benefit_groups for b in data.benefit_groups[a].items for s in b.sources)
    if name == "checklist":
        return _with_sources(s for a in args if a in data.checklists for i in data.checklists[a].items for s in i.sources)
    if name == "routine_table":
        return _with_sources(s for a in args if a in data.routines for st in data.routines[a].steps
                             for s in data.exercises[st.exercise].sources)
    if name == "exercise_guide":
        return _with_sources(s for e in data.exercises.values() for s in e.sources)
    if name in ("cause_table", "self_check"):
        return _with_sources(s for c in data.causes.values() for s in c.sources)
    if name == "search_statement":
        return _with_sources(s for a in args if a in data.searches for s in data.searches[a].registered)
    return set()


def cited_on_fallback(docs_dir: Path, data) -> dict[str, list[tuple[str, str]]]:
    """'ID' or 'ID:FINDING' -> [(page title, page path)], found by reading the macro calls in docs/.

    A stand-in until the pipeline fills the cited-on markers from the built pages (which also sees
    citations made inside other macros and does not guess at Jinja syntax)."""
    cited: dict[str, list[tuple[str, str]]] = {}
    for md in sorted(Path(docs_dir).rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        if "render_macros: true" not in text:
            continue
        title_match = _TITLE.search(text)
        title = (title_match.group(1) or title_match.group(2)).strip().strip("\"'") if title_match else md.stem
        rel = md.relative_to(docs_dir).as_posix()
        found: set[str] = set()
        for name, args in _CALL.findall(text):
            found |= _sources_of_call(data, name, _ARG.findall(args))
        for key in found:
            cited.setdefault(key, []).append((title, rel))
    return cited


citing_pages = cited_on_fallback  # the old name, for anything that still imports it
