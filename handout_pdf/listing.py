"""The table of PDFs on the Handouts page, with page counts and sizes measured from the files."""
from __future__ import annotations

import posixpath
from html import escape
from typing import Sequence

from .render import Result


def file_size(size: int) -> str:
    """'86 KB', '1.4 MB': what a reader on a slow or metered connection wants to know."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def handout_table(results: Sequence[Result], from_page: str, site_dir_posix: str) -> str:
    """An HTML table; each link is relative to the page it sits on (from_page, e.g. 'reference/handouts.html')."""
    start = posixpath.dirname(from_page) or "."
    rows = []
    for result in results:
        target = posixpath.relpath(result.job.target.as_posix(), site_dir_posix)
        href = escape(posixpath.relpath(target, start), quote=True)
        plural = "page" if result.pages == 1 else "pages"
        rows.append(
            f'<tr><td><a href="{href}" download>{escape(result.job.name)}</a></td>'
            f'<td class="handout-list__pages" data-pages="{result.pages}">{result.pages} {plural}</td>'
            f'<td class="handout-list__size" data-bytes="{result.size}">{file_size(result.size)}</td></tr>'
        )
    # The class sits on a wrapper: Material styles only tables without a class of their own.
    return (
        '<div class="handout-list"><table>\n'
        "<thead><tr><th>Handout (PDF)</th><th>Length</th><th>File size</th></tr></thead>\n"
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table></div>"
    )
