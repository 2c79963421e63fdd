"""Citation markers in the text and the source list they point to."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterable, Mapping

from . import schema
from .links import SOURCES_PAGE, relative
from .lookup import by_id
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


def anchor(source_id: str) -> str:
    return f"src-{source_id}"


def cite(sources: Mapping[str, schema.Source], ids: Iterable[str], page: str) -> str:
    """'(NHS, 2024; Wu and colleagues, 2021)' with each name linking to its entry in the source list."""
    ids = list(ids)
    if not ids:
        raise ValueError("cite() needs at least one source id")
    parts = []
    for ident in ids:
        src = by_id(sources, ident, "source", "cite")
        parts.append(f"[{safe(src.publisher)}, {src.year}]({relative(SOURCES_PAGE, page, anchor(ident))}){{ .cite }}")
    # Plain Markdown, so it works in paragraphs, table cells and md_in_html spans alike.
    return f"({'; '.join(parts)})"


def source_list(sources: Mapping[str, schema.Source], cited_on: Mapping[str, list[tuple[str, str]]], page: str) -> str:
    """Every source, in data order, with a reading link and the pages that cite it."""
    lines = ['<ol class="source-list" markdown>']
    for src in sources.values():
        pages = cited_on.get(src.id, [])
        where = ", ".join(f"[{safe(title)}]({relative(path, page)})" for title, path in pages) or "not cited yet"
        url = html.escape(str(src.url), quote=True)
        lines.append(
            f'<li id="{anchor(src.id)}" markdown="span">'
            f"**{safe(src.title)}**. {safe(src.publisher)}, {src.year}. {KIND_LABELS[src.kind]}. "
            f'Read it at <a href="{url}" class="source-list__link">{html.escape(src.url.host or "")}</a>. '
            f"Cited on: {where}.</li>"
        )
    lines.append("</ol>")
    return "\n".join(lines)


_CALL = re.compile(r"\{\{-?\s*(\w+)\((.*?)\)\s*-?\}\}", re.S)
_ARG = re.compile(r"""["']([a-z0-9-]+)["']""")
_TITLE = re.compile(r"^title:\s*(.+)$|^#\s+(.+)$", re.M)


def _sources_of_call(data, name: str, args: list[str]) -> set[str]:
    if name == "cite":
        return set(args)
    if name == "benefit_checklist":
        return {s for a in args if a in data.benefit_groups for b in data.benefit_groups[a].items for s in b.sources}
    if name == "checklist":
        return {s for a in args if a in data.checklists for i in data.checklists[a].items for s in i.sources}
    if name == "routine_table":
        return {s for a in args if a in data.routines for st in data.routines[a].steps
                for s in data.exercises[st.exercise].sources}
    if name == "exercise_guide":
        return {s for e in data.exercises.values() for s in e.sources}
    if name in ("cause_table", "self_check"):
        return {s for c in data.causes.values() for s in c.sources}
    from .safety import cited_sources  # safety cards cite from data/safety.yml
    return cited_sources(data, name, args)


def citing_pages(docs_dir: Path, data) -> dict[str, list[tuple[str, str]]]:
    """source id -> [(page title, page path)], found by reading the macro calls in docs/."""
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
        for ident in found:
            cited.setdefault(ident, []).append((title, rel))
    return cited
