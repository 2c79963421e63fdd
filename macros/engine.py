"""The only place that knows which site engine runs the macros (MkDocs with its macros plugin, or Zensical).

Both call define_env(env) with an object that has `project_dir` and pass the page in the
template context, but their page objects differ: MkDocs has page.file.src_uri, Zensical's page
has only url, path, title and meta. Nothing here imports an engine.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, Mapping


class MacroError(Exception):
    """A macro cannot do what the page asks; the message names the page, the call and the fix.

    Both engines fail the build on it (the macros plugin with on_error_fail: true)."""


def project_root(env: Any) -> Path:
    """The project folder: where the site configuration and data/ live."""
    return Path(env.project_dir)


def docs_dir(env: Any) -> Path:
    """The pages' folder: docs_dir from the site configuration (MkDocs makes it absolute), else
    the default both engines use."""
    conf = getattr(env, "conf", None) or {}
    return project_root(env) / str(conf.get("docs_dir") or "docs")


def page_path(ctx: Mapping[str, Any]) -> str:
    """The Markdown path of the page being rendered, relative to docs/, e.g. 'aftercare/exercises.md'."""
    page = ctx["page"]
    file = getattr(page, "file", None)
    if file is not None and getattr(file, "src_uri", None):
        return str(file.src_uri)
    path = str(getattr(page, "path", "") or "")
    if path.endswith(".md"):
        return PurePosixPath(path.replace("\\", "/")).as_posix()
    url = str(getattr(page, "url", "") or "")  # last resort: 'before/x.html' -> 'before/x.md'
    return str(PurePosixPath(url or "index.html").with_suffix(".md"))
