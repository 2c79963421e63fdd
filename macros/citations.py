"""Citation markers in the text and the source list they point to."""
from __future__ import annotations

import html
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
        # data-source: later steps (handouts, the "Cited on" lists) read what was cited from it.
        parts.append(f'[{safe(src.publisher)}, {src.year}]({relative(SOURCES_PAGE, page, anchor(ident))})'
                     f'{{ .cite data-source="{ident}" }}')
    # Plain Markdown, so it works in paragraphs, table cells and md_in_html spans alike.
    return f"({'; '.join(parts)})"


def source_list(sources: Mapping[str, schema.Source], page: str) -> str:
    """Every source, in data order, with a reading link and the pages that cite it.

    The pages are filled in after the build (pipeline/postprocess.py) from the citation links
    the pages really carry, at each '<!-- cited-on:ID -->' marker."""
    lines = ['<ol class="source-list" markdown>']
    for src in sources.values():
        url = html.escape(str(src.url), quote=True)
        lines.append(
            f'<li id="{anchor(src.id)}" markdown="span">'
            f"**{safe(src.title)}**. {safe(src.publisher)}, {src.year}. {KIND_LABELS[src.kind]}. "
            f'Read it at <a href="{url}" class="source-list__link">{html.escape(src.url.host or "")}</a>. '
            f"Cited on: <!-- cited-on:{src.id} -->.</li>"
        )
    lines.append("</ol>")
    return "\n".join(lines)
