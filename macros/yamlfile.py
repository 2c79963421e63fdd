"""Read YAML the strict way, for data files and page front matter alike.

PyYAML on its own keeps the last of two repeated keys, turns an impossible date into a bare
ValueError, and a file saved as Latin-1 or UTF-16 into a UnicodeDecodeError: each of those
hides a mistake. Here each one is an InputError that names the file, the line and the fix.
libyaml's C parser still does the parsing (speed); only mapping and date construction,
which are Python in PyYAML anyway, are checked.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InputError(ValueError):
    """A file a person wrote cannot be read as written; the message says where and what to do."""


class StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """SafeLoader (libyaml's parser when available) that refuses repeated keys and unreal dates."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"the key '{key}' appears twice (lines {seen[key]} and {line}); YAML would silently keep "
                    f"only the last one. Fix: delete or merge one of them",
                    key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"'{node.value}' is not a real date ({exc}). Fix: write a date that exists, as YYYY-MM-DD",
                node.start_mark) from None


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)


def read_text(path: Path) -> str:
    """The file's text; anything but UTF-8 is one clear line, not a UnicodeDecodeError."""
    raw = Path(path).read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200]:  # UTF-16, with or without a BOM
        raise InputError(f"{path}: this file is saved as UTF-16. Fix: save it as UTF-8 (in most editors: "
                         "'Save with encoding' > UTF-8).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}, line {line}: this file is not UTF-8 text (byte 0x{raw[exc.start]:02X} cannot be "
                         "read; it looks like Latin-1/Windows-1252). Fix: save it as UTF-8.") from None


def parse(text: str, where: str, first_line: int = 1) -> Any:
    """YAML text -> Python data; `where` names the file, `first_line` is the text's first line in it."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.reader.ReaderError as exc:  # a control character YAML itself refuses
        line = text[: exc.position].count("\n") + first_line
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise InputError(f"{where}, line {line}: contains the invisible character U+{ord(char):04X} "
                         f"{unicodedata.name(char, 'control character')}. Fix: delete it and retype the text around it.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        fix = "" if "Fix:" in problem else ". Fix: check indentation, colons and quotes there (a value with ': ' in it needs quotes)"
        kind = "" if "Fix:" in problem else "invalid YAML: "
        raise InputError(f"{where}{at}: {kind}{problem}{fix}.") from None


def load(path: Path) -> Any:
    """A YAML file's data, or InputError naming the file, line and fix."""
    return parse(read_text(path), str(path))
