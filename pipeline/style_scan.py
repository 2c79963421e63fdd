"""Style rules of our own that would hide a safety part, on screen or on paper.

The page checks make sure each safety part is in the built HTML and not inside an element that
hides it (page_scan.py). A style sheet could still hide it: `.care-card { display: none }`, in
any @media (print too). This reads the project's own sheets (every .css under docs/, and the
handouts' sheets, handout_pdf/sheets.py) with tinycss2, WeasyPrint's CSS parser. A rule fails
when a selector aims at a safety part (site_rules.py NEVER_HIDDEN_CLASSES, NEVER_HIDDEN_IDS; on
paper HANDOUT_NOTICE too) or, with :has(), at what holds one, or at its lists and words by element
alone (`.care-card li`), and a declaration hides it (hides()). A rule on a named thing inside a part
(`.care-card .care-card__more`) passes.

A rule aimed at a part by other means (`.admonition.danger`, `article`), the theme's own sheets
and what a script does are left to the browser tests, which look at each part in Chromium
(tests/test_safety.py): this check is for the edit an author makes to our sheets.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tinycss2

from handout_pdf.sheets import HANDOUT_SHEETS

from .errors import Problem
from .site_rules import HANDOUT_NOTICE, NEVER_HIDDEN_CLASSES, NEVER_HIDDEN_IDS

FAINT = 0.5      # opacity below this is too faint to read
TINY_PX = 4      # a font-size, height or width below this shows nothing readable
AWAY_PX = 1000   # moved this far, it is off the page
_PX = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_SIZES = {"font-size", "height", "max-height", "width", "max-width"}
_OFFSETS = {"left", "top", "right", "bottom", "text-indent", "margin-left", "margin-top", "inset", "translate"}
_FIX = ("take the rule out, or aim it at a thing inside the part by a class of its own (not at the part's "
        "lists and words); a reader must always see the safety parts, on screen and on paper")


def _values(tokens: Iterable[Any]) -> list[Any]:
    return [t for t in tokens if t.type not in ("whitespace", "comment")]


def _px(token: Any) -> float | None:
    if token.type == "number":
        return float(token.value)
    if token.type == "dimension" and token.lower_unit in _PX:
        return float(token.value) * _PX[token.lower_unit]
    return None


def hides(name: str, tokens: list[Any]) -> bool:
    """Whether `name: tokens` hides what it applies to."""
    text = tinycss2.serialize(tokens).strip().lower()
    words = {t.lower_value for t in tokens if t.type == "ident"}
    if name == "display":
        return "none" in words
    if name in ("visibility", "content-visibility"):
        return bool(words & {"hidden", "collapse"})
    if name == "opacity" and tokens:
        value = tokens[0].value if tokens[0].type in ("number", "percentage") else None
        return value is not None and float(value) / (100 if tokens[0].type == "percentage" else 1) < FAINT
    if name in _SIZES:
        sizes = [_px(t) for t in tokens]
        return any(s is not None and 0 <= s < TINY_PX for s in sizes)
    if name in _OFFSETS:
        return any(s is not None and abs(s) >= AWAY_PX for s in map(_px, tokens))
    if name in ("clip-path", "mask", "mask-image", "-webkit-mask-image"):
        return text not in ("none", "")
    if name == "clip":
        return text.startswith("rect(")
    if name in ("color", "-webkit-text-fill-color"):
        return text == "transparent" or bool(re.search(r"(rgba|hsla)\([^)]*,\s*0(\.0*)?\s*\)|/\s*0(\.0*)?\s*\)", text))
    if name in ("transform", "scale", "zoom"):
        scales = [float(n) for n in re.findall(r"(?:scale[xy]?\(|^|\s)(-?\d*\.?\d+)(?=[\s,)]|$)", text)]
        return any(abs(s) < 0.1 for s in scales)
    return False


def _nest(parent: str, selector: str) -> str:
    """A nested rule's selector in full: `.care-card { li {} }` styles `.care-card li`."""
    parent, selector = parent.strip(), selector.strip()
    if not parent:
        return selector
    return selector.replace("&", parent) if "&" in selector else f"{parent} {selector}"


def _rules(nodes: Iterable[Any], context: str = "", parents: tuple[str, ...] = ("",)) -> Iterator[tuple[str, str, list[Any]]]:
    """(context, selector list, declarations) for every style rule, inside @media, @supports,
    @layer and nested rules too (a nested rule's selectors written out in full)."""
    for node in nodes:
        if node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports", "layer", "container", "scope"):
            inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
            yield from _rules(inner, f"{context}@{node.lower_at_keyword}{tinycss2.serialize(node.prelude).rstrip()} ", parents)
        elif node.type == "qualified-rule":
            own = tinycss2.serialize(node.prelude).strip().split(",")
            selectors = ", ".join(_nest(parent, selector) for parent in parents for selector in own)
            content = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
            declarations = [n for n in content if n.type == "declaration"]
            yield context, selectors, declarations
            nested = [n for n in content if n.type in ("qualified-rule", "at-rule")]
            yield from _rules(nested, context, tuple(selectors.split(",")))


# `.care-card`, `#emergency`, or an attribute selector on class or id that names one. A modifier
# (`.care-card--after-session`) is on the part itself; an element of it (`.care-card__more`) is inside.
_NAME = r"(?<![\w-])[.#]({names})(?:--[\w-]+)?(?![\w-])|\[\s*(?:class|id)\b[^\]]*?({names})[^\]]*\]"


def _last_compound(selector: str) -> str:
    """What a selector styles: the part after its last combinator (a space, >, + or ~ outside [])."""
    depth, start = 0, 0
    text = selector.strip()
    for n, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and (char in ">+~" or char.isspace()):
            start = n + 1
    return text[start:]


def _ancestors(selector: str) -> list[str]:
    """The compounds of a selector that hold what it styles: each one before a space or a >
    (before a + or ~ it is a neighbour)."""
    out, compound, depth, n, text = [], "", 0, 0, selector.strip()
    while n < len(text):
        char = text[n]
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and (char in ">+~" or char.isspace()):
            while n < len(text) and (text[n].isspace() or text[n] in ">+~"):
                char = text[n] if text[n] in ">+~" else char if char in ">+~" else " "
                n += 1
            if char in " >" and compound:
                out.append(compound)
            compound = ""
            continue
        compound += text[n]
        n += 1
    return out


def aims_at(selector: str, names: Iterable[str]) -> str | None:
    """The part a selector hides: named in its last compound (not inside :not()), or inside a
    :has() (what holds the part), or holding what the selector names by element alone (`.care-card
    li`, `.care-card > *`: the part's own lists and words). None for a rule on a named thing inside a
    part (`.care-card .care-card__more`)."""
    pattern = re.compile(_NAME.format(names="|".join(map(re.escape, sorted(names)))))
    for has in re.finditer(r":has\(([^()]*(?:\([^()]*\)[^()]*)*)\)", selector):
        found = pattern.search(has.group(1))
        if found:
            return found.group(0)
    plain = re.sub(r":(has|not)\((?:[^()]|\([^()]*\))*\)", "", selector)
    last = _last_compound(plain)
    if re.search(r"::(?!first-line|first-letter)", last):
        return None  # generated content (::before, ::marker ...): not the part's own words
    found = pattern.search(last)
    if found:
        return found.group(0)
    if not re.search(r"[.#\[]", last):  # an element, any element, or a position: the part's own words
        found = next((f for f in map(pattern.search, _ancestors(plain)) if f), None)
    return found.group(0) if found else None


def sheet_problems(label: str, css: str, names: Iterable[str]) -> Iterator[Problem]:
    names = set(names)
    for context, selectors, declarations in _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        for selector in selectors.split(","):
            part = aims_at(selector, names)
            if not part:
                continue
            for declaration in declarations:
                value = _values(declaration.value)
                if hides(declaration.lower_name, value):
                    said = f"{declaration.lower_name}: {tinycss2.serialize(value).strip()}"
                    yield Problem(label, f"the rule '{context}{selector.strip()} {{ {said} }}' hides {part}, "
                                  "a safety part", _FIX, kind="safety")


def our_sheets(docs_dir: Path) -> list[Path]:
    """Every .css under docs/ (not the vendored files, which do not know our classes), and the
    handouts' sheets; paper.css is both, and read once."""
    ours = sorted(p for p in docs_dir.rglob("*.css") if "vendor" not in p.relative_to(docs_dir).parts)
    return list(dict.fromkeys(p.resolve() for p in [*ours, *HANDOUT_SHEETS]))


def style_problems(docs_dir: Path) -> list[Problem]:
    names = {*NEVER_HIDDEN_CLASSES, *NEVER_HIDDEN_IDS, HANDOUT_NOTICE}
    root = docs_dir.resolve().parent
    return [problem for path in our_sheets(docs_dir)
            for problem in sheet_problems(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path),
                                          path.read_text(encoding="utf-8"), names)]
