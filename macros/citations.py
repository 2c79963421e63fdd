"""Citation markers in the text and the source list they point to.

A page cites a whole source, cite("nice-ng59"), or one thing it found, cite("watt-2011-hip-flexor-stretch:hip-extension").
Each link carries data-source (and data-finding), so the built site itself says which page cites what:
the Sources page holds a `<!-- cited-on:ID -->` / `<!-- cited-on:ID:FINDING -->` marker per source and
finding, which the pipeline's post-build step (pipeline/postprocess.py) replaces with links to those pages.
"""
from __future__ import annotations

import html
from typing import Iterable, Mapping

from . import schema
from .data import DataError, finding_error
from .dates import long_date
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


def labels(sources: Mapping[str, schema.Source]) -> dict[str, str]:
    """Each source's short name in the text: 'NHS, 2024'. Sources that share a publisher and year
    get letters in the order of the data file ('NHS, 2024a', 'NHS, 2024b'), as author-year
    references do, so a reader can tell on paper which of them a sentence rests on."""
    shared: dict[tuple[str, int], list[str]] = {}
    for ident, src in sources.items():
        shared.setdefault((src.publisher, src.year), []).append(ident)
    out = {}
    for (publisher, year), idents in shared.items():
        for n, ident in enumerate(idents):
            out[ident] = f"{publisher}, {year}{_letters(n) if len(idents) > 1 else ''}"
    return {ident: out[ident] for ident in sources}


def _letters(n: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa': a 27th NHS page of one year once stopped the build with an IndexError."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def cite(sources: Mapping[str, schema.Source], refs: Iterable[str], page: str) -> str:
    """'(NHS, 2024; Wu and colleagues, 2021)' with each name linking to its entry, or its finding, in the source list."""
    refs = list(refs)
    if not refs:
        raise ValueError(f"{page}: cite() needs at least one source id")
    groups: dict[str, list[str]] = {}  # source id -> its findings cited here, in order
    for ref in refs:
        if not isinstance(ref, str):  # cite(["a", "b"]) or cite(5): AttributeError 'partition' otherwise
            raise DataError(f"{page}: cite({ref!r}): each source id is text in quotes. "
                            "Fix: write the ids in quotes, separated by commas: cite(\"nhs-back-pain\", \"nice-ng59\").")
        problem = finding_error(ref, sources, f"{page}: cite('{ref}')")
        if problem:
            raise DataError(problem)
        ident, finding = split_ref(ref)
        if finding not in groups.setdefault(ident, []):  # a ref given twice printed "(NHS, 2024a: burst, burst)"
            groups[ident].append(finding)
    parts = []
    names = labels(sources)
    for ident, findings in groups.items():
        # Several findings of one source read "(Wu and colleagues, 2021: pain, function)", not the
        # same name twice. Each finding is named: on paper the name's link is gone, and naming only
        # the later ones read as if the first were not cited. Every link carries its own finding.
        # A bare source id among them ("nhs-aaa" beside "nhs-aaa:burst") is the name itself.
        name = _link(safe(names[ident]), ident, "" if "" in findings else findings[0], page)
        named = [_link(safe(f.replace("-", " ")), ident, f, page) for f in findings if f] if len(findings) > 1 else []
        parts.append(name + (": " + ", ".join(named) if named else ""))
    # Plain Markdown, so it works in paragraphs, table cells and md_in_html spans alike.
    return f"({'; '.join(parts)})"


def _link(text: str, ident: str, finding: str, page: str) -> str:
    attrs = f'.cite data-source="{ident}"' + (f' data-finding="{finding}"' if finding else "")
    return f"[{text}]({relative(SOURCES_PAGE, page, anchor(ident, finding))}){{ {attrs} }}"


def cited_on_marker(key: str) -> str:
    """The comment the pipeline's post-build step replaces with the pages that cite `key` ('ID' or 'ID:FINDING')."""
    return f"<!-- cited-on:{key} -->"


def _cited_on(key: str) -> str:
    return f'<span class="cited-on">Cited on: {cited_on_marker(key)}.</span>'


def source_list(sources: Mapping[str, schema.Source], page: str) -> str:
    """Every source, in data order, with what it found (one anchor per finding), a reading link and
    the pages that cite it. Plain HTML, every data string escaped, so HTML comments survive Markdown."""
    lines = ['<ol class="source-list">']
    names = labels(sources)
    for src in sources.values():
        url = html.escape(str(src.url), quote=True)
        host = src.url.host or ""
        # Six links read "doi.org" and eight "pubmed.ncbi.nlm.nih.gov": in a screen reader's list of
        # links they were all alike. Each one's name adds its source, after the words it shows.
        name = html.escape(f"{host}: {names[src.id]}", quote=True)
        lines.append(
            f'<li id="{anchor(src.id)}"><p><strong>{html.escape(src.title)}</strong>. '
            f"{html.escape(names[src.id])}. {KIND_LABELS[src.kind]}. "
            f'Read it at <a href="{url}" class="source-list__link" aria-label="{name}">{html.escape(host)}</a>. '
            f"{_cited_on(src.id)}</p>"
        )
        lines.append('<p class="source-list__found">What it found:</p><ul class="source-list__findings">')
        for f in src.findings:
            key = f"{src.id}:{f.id}"
            lines.append(f'<li id="{anchor(src.id, f.id)}">{html.escape(f.text)} {_cited_on(key)}</li>')
        lines.append("</ul></li>")
    lines.append("</ol>")
    return "\n".join(lines)


NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}


def search_anchor(search_id: str) -> str:
    return f"search-{search_id}"


def search_link(data, search_id: str, page: str) -> str:
    """'(our search, 24 November 2026)' linking to the dated search statement on the Sources page."""
    from .lookup import by_id  # late import: lookup imports data
    search = by_id(data.searches, search_id, "search", "search_link")
    href = relative(SOURCES_PAGE, page, search_anchor(search_id))
    return f"([our search, {long_date(search.date)}]({href}){{ .cite .cite--search data-search=\"{search_id}\" }})"


def _in_words(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def search_statement(data, search_id: str, page: str, names: bool = False) -> str:
    """The dated search behind "we found no trial of ...": where, when, what, and the registered trials
    (cited as registered, not as evidence that nothing was studied). names=True also lists their
    registration numbers (the Sources page, for practitioners); a chapter's reader gets the count."""
    from .lookup import by_id  # late import: lookup imports data
    search: schema.EvidenceSearch = by_id(data.searches, search_id, "search", "search_statement")
    text = (f"We searched {_in_words([safe(s) for s in search.searched])} on {long_date(search.date)} "
            f"for {safe(search.topic)}. {safe(search.found)}")
    if search.registered:
        count = NUMBER_WORDS.get(len(search.registered), str(len(search.registered)))
        listed = ""
        if names:
            trials = [data.sources[split_ref(ref)[0]] for ref in search.registered]
            listed = ": " + _in_words([safe(trial.short_name or trial.title) for trial in trials])
        text += (f" {count} {'trials are' if len(search.registered) > 1 else 'trial is'} listed in trial registers, "
                 f"but we found no published results{listed} {cite(data.sources, search.registered, page)}.")
    return text
