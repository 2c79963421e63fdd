"""Find a data entry by id, or fail with the nearest valid ids."""
from __future__ import annotations

from typing import Mapping, TypeVar

from .data import DataError, suggest

T = TypeVar("T")


def by_id(index: Mapping[str, T], ident: str, kind: str, macro: str) -> T:
    if not isinstance(ident, str):  # routine_table(7), checklist(None), figure(["x"]): no Python error text
        example = next(iter(index), "id")
        raise DataError(f"{macro}({ident!r}): a {kind} id is text in quotes. "
                        f"Fix: write it as {macro}(\"{example}\").")
    try:
        return index[ident]
    except KeyError:
        raise DataError(f"{macro}('{ident}'): unknown {kind} id '{ident}'. {suggest(ident, index)}") from None
