"""Macro errors in the author's terms: the page, the line in the .md file, the macro as they called it.

The engine hands the macros only the page body (front matter removed), so a line number from the
template is short by the front matter's length; and the page-path argument the engine adapter
adds makes Python's own "takes 2 positional arguments but 3 were given" count one too many.
"""
from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path
from typing import Any, Callable

from .engine import MacroError as EngineMacroError

# The same front-matter pattern as MkDocs' meta module; the body starts after it and
# after the blank lines MkDocs strips.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class MacroError(EngineMacroError, ValueError):
    """A macro call on a page is wrong; the message names the page, line and fix (the engine's
    MacroError, so both engines stop the build on it)."""


def body_offset(source: str) -> int:
    """How many lines of the .md file come before the body the template engine sees."""
    match = FRONT_MATTER.match(source)
    if not match:
        return 0
    head = source[: match.end()]
    rest = source[match.end():]
    return head.count("\n") + (len(rest) - len(rest.lstrip("\n")))


def template_line() -> int | None:
    """The line of the template being rendered right now (the innermost Jinja frame), if any."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def where(docs_dir: Path, page: str) -> str:
    """'docs/before/x.md, line 42' for the call being rendered, as precisely as can be known."""
    line = template_line()
    name = f"{Path(docs_dir).name}/{page}"
    if line is None:
        return name
    try:
        offset = body_offset((Path(docs_dir) / page).read_text(encoding="utf-8-sig"))
    except OSError:
        offset = 0
    return f"{name}, line {line + offset}"


def _signature_text(name: str, params: list[inspect.Parameter]) -> str:
    shown = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(required) == len(shown):
        count = f"{len(shown)} argument{'s' if len(shown) != 1 else ''}"
    else:
        count = f"{len(required)} to {len(shown)} arguments"
    return f"{name}() takes {count}" + (f" ({', '.join(shown)})" if shown else "")


def call_page_macro(func: Callable[..., Any], page: str, docs_dir: Path, args: tuple, kwargs: dict) -> Any:
    """func(page, *args, **kwargs), with argument and data errors reported at the author's line."""
    params = list(inspect.signature(func).parameters.values())[1:]  # the first is the page path
    try:
        inspect.signature(func).bind(page, *args, **kwargs)
    except TypeError:
        passed = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        raise MacroError(
            f"{where(docs_dir, page)}: {_signature_text(func.__name__, params)}; you passed {len(args) + len(kwargs)}"
            f"{': ' + passed if passed else ''}. Fix: call it as {func.__name__}("
            f"{', '.join(p.name for p in params)})."
        ) from None
    try:
        return func(page, *args, **kwargs)
    except MacroError:
        raise
    except ValueError as exc:  # DataError and friends already say what to fix
        raise MacroError(f"{where(docs_dir, page)}: {exc}") from None

