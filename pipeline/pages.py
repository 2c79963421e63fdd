"""Every page's front matter, validated before any engine runs.

MkDocs drops front matter it cannot parse (an impossible date, an unquoted colon in a title)
without a word: the page then loses `render_macros`, and ships `{{ checklist(...) }}` as text
instead of its safety checklist. So each docs/*.md is read here with the same strict YAML loader
as data/ and a pydantic model; each problem names the page, the field and the fix.

Pure functions, no engine import: `validate_pages(docs_dir)` -> problems as lines of text;
`overdue_reviews(docs_dir, today)` -> pages past their review date (a warning; see checks.py).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Collection, Literal, Mapping

import jinja2
from jinja2 import nodes
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError,
                      field_validator, model_validator)
from pydantic.types import Strict

from macros import yamlfile
from macros.errors import FRONT_MATTER, body_offset
from macros.text import char_problems, theme_markup, word_problems

# A date written as YYYY-MM-DD (the loader makes it a date); a quoted "2026-11-24" stays a string
# that the page templates cannot format, so strict mode refuses it.
Date = Annotated[dt.date, Strict()]
JINJA_OPENERS = ("{{", "{%")
# A review cycle no longer than the NHS's for its own health information.
LONGEST_REVIEW_CYCLE = dt.timedelta(days=3 * 366)


def _plain(text: str) -> str:
    found = theme_markup(text)
    if found:
        raise ValueError(f"'{found}' would become markup where the theme prints it (the page's <head>, "
                         "the navigation). Fix: leave it out, or use typographic quotes \u201c \u201d")
    problems = char_problems(text) + word_problems(text)
    if problems:
        raise ValueError(f"the text {problems[0]}")
    return text


PlainText = Annotated[StrictStr, AfterValidator(_plain)]


class SearchMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    boost: float | None = None
    exclude: bool | None = None


class PageMeta(BaseModel):
    """The fields a page may carry: the guide's own (dates, handout, technique, macros), plus Material's."""

    model_config = ConfigDict(extra="forbid")

    title: PlainText = Field(min_length=1)
    description: PlainText = Field(min_length=1)
    updated: Date = Field(description="when the page was written or last changed")
    evidence_checked: Date = Field(description="when its evidence was last checked")
    review_due: Date = Field(description="next planned review, after both dates above")
    render_macros: StrictBool = False
    handout: StrictBool = False
    # A page of hands-on technique or exercises: the build checks that its safety advice comes first
    # (pipeline/site_rules.py).
    technique: StrictBool = False
    # Material for MkDocs' optional page keys.
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] | None = None
    search: SearchMeta | None = None
    icon: PlainText | None = None
    status: PlainText | None = None
    subtitle: PlainText | None = None
    template: StrictStr | None = None
    tags: list[PlainText] | None = None
    comments: StrictBool | None = None

    @field_validator("template")
    @classmethod
    def _no_template_of_its_own(cls, value: str | None) -> str | None:
        if value is not None:
            raise ValueError("a page template of its own would drop what overrides/ puts on every page: the "
                             "'not medical advice' notice, the review dates and the report box. Fix: remove "
                             "'template:'; change overrides/ for every page instead")
        return value

    @model_validator(mode="after")
    def _review_after_both_dates(self) -> "PageMeta":
        for name in ("updated", "evidence_checked"):
            if self.review_due <= getattr(self, name):
                raise ValueError(f"review_due ({self.review_due}) must be after {name} ({getattr(self, name)}). "
                                 "Fix: set the next review date after it")
        if self.review_due - self.evidence_checked > LONGEST_REVIEW_CYCLE:
            raise ValueError(f"review_due ({self.review_due}) is more than 3 years after evidence_checked "
                             f"({self.evidence_checked}); health information is reviewed at least every 3 years. "
                             "Fix: set the next review within 3 years")
        return self

    @model_validator(mode="after")
    def _chapters_are_found_by_search(self) -> "PageMeta":
        if self.handout and self.search is not None and self.search.exclude:
            raise ValueError("a chapter (handout: true) must be found by search: a reader looking for it would "
                             "not find it. Fix: remove 'exclude: true' under 'search:'")
        return self


@dataclass(frozen=True)
class Page:
    path: Path
    name: str  # as the author knows it: docs/before/is-it-safe.md
    meta: PageMeta | None
    body: str
    body_start: int  # line number of the body's first line in the file, minus one


def _fix_for(error: Mapping[str, Any]) -> str:
    field = error["loc"][0] if error["loc"] else ""
    kind = error["type"]
    if kind == "missing":
        return f"add '{field}:' (see pipeline/pages.py PageMeta)"
    if kind == "extra_forbidden":
        return f"remove or rename '{field}' (a typo? known fields: {', '.join(PageMeta.model_fields)})"
    if kind.startswith("date"):
        return "write the date unquoted as YYYY-MM-DD"
    if kind.startswith("bool"):
        return "write true or false, unquoted"
    if kind == "string_type":
        return "put the text in quotes"
    return "correct the value"


def _meta_problems(name: str, raw: Any) -> list[str]:
    if not isinstance(raw, dict):
        return [f"{name}: the front matter must be 'field: value' lines, found {type(raw).__name__}. "
                "Fix: write one 'field: value' per line between the '---' lines."]
    try:
        PageMeta.model_validate(raw)
    except ValidationError as exc:
        out = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]) or "(front matter)"
            got = f" (got {error['input']!r})" if error["type"] != "missing" and not isinstance(error["input"], dict) else ""
            msg = error["msg"].removeprefix("Value error, ")
            fix = "" if "Fix:" in msg else f" Fix: {_fix_for(error)}."
            out.append(f"{name}: front matter field '{field}'{got}: {msg}.{fix}")
        return out
    return []


def read_page(path: Path, name: str) -> tuple[Page, list[str]]:
    """A page and what is wrong with its front matter (never raises for bad input)."""
    try:
        text = yamlfile.read_text(path)
    except yamlfile.InputError as exc:
        return Page(path, name, None, "", 0), [str(exc)]
    match = FRONT_MATTER.match(text)
    if not match:
        return Page(path, name, None, text, 0), [
            f"{name}: no front matter. Fix: start the page with a '---' block giving at least title, description, "
            "updated, evidence_checked and review_due (copy one from another page)."]
    offset = body_offset(text)
    body = text[match.end():].lstrip("\n")
    try:
        raw = yamlfile.parse(match.group(1), name, first_line=2)
    except yamlfile.InputError as exc:
        return Page(path, name, None, body, offset), [f"{exc} MkDocs would silently drop this page's whole front matter."]
    problems = _meta_problems(name, raw)
    meta = PageMeta.model_validate(raw) if not problems else None
    return Page(path, name, meta, body, offset), problems


def _line_of(body: str, needle: str) -> int:
    return body[: body.find(needle)].count("\n") + 1


def _template_problems(page: Page, macro_names: Collection[str] | None,
                       source_kinds: Mapping[str, str] | None = None) -> list[str]:
    """Jinja syntax and unknown macro names, at the line in the .md file."""
    body, name = page.body, page.name
    problems = []
    # '{#id}' meant as an attribute list opens a Jinja comment instead (a deliberate '{# note #}' is fine).
    comment = re.search(r"\{#[A-Za-z][\w-]*(?:[ \t][^}\n]*)?\}", body)
    if comment:
        line = body[: comment.start()].count("\n") + 1 + page.body_start
        problems.append(f"{name}, line {line}: '{comment.group(0)}' opens a Jinja comment that hides everything up to '#}}'. "
                        "Fix: write attribute lists with a space, '{ #id .class }'.")
    try:
        tree = jinja2.Environment().parse(body)
    except jinja2.TemplateSyntaxError as exc:
        return [*problems, f"{name}, line {(exc.lineno or 1) + page.body_start}: macro syntax error: {exc.message}. "
                           "Fix: check the brackets and quotes of the {{ ... }} call there."]
    if macro_names is not None:
        assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for node in tree.find_all(nodes.Name):
            if node.ctx == "load" and node.name not in macro_names and node.name not in assigned:
                problems.append(f"{name}, line {node.lineno + page.body_start}: unknown macro or variable "
                                f"'{node.name}'. Fix: use one of {', '.join(sorted(macro_names))}.")
        # '{{ stop_signs }}' prints "<function ... at 0x...>" where the safety box should be.
        for output in tree.find_all(nodes.Output):
            for printed in output.nodes:
                if isinstance(printed, nodes.Name) and printed.name in macro_names and printed.name not in assigned:
                    problems.append(f"{name}, line {printed.lineno + page.body_start}: '{{{{ {printed.name} }}}}' names "
                                    f"the macro without calling it, so the page would show the code's name. "
                                    f"Fix: call it, '{{{{ {printed.name}() }}}}'.")
    return problems + _grades_without_sources(page, source_kinds)


# A grade badge that says research backs a sentence ("Supported by research") with no citation beside
# it is a claim stronger than its evidence. The legends that explain the badges start a list item or
# a table cell with the badge, and cite nothing.
_RESEARCH_GRADE = re.compile(r"""\{\{-?\s*evidence\(\s*["'](supported|limited)["']""")
_LEGEND_ENTRY = re.compile(r"""^\s*(?:[-*]|\|)\s*\{\{-?\s*evidence\(""")
_CITE_CALL = re.compile(r"""\bcite\(([^)]*)\)""")
_QUOTED = re.compile(r"""["']([^"']+)["']""")


def _cited_kinds(paragraph: str, source_kinds: Mapping[str, str]) -> dict[str, str]:
    """{source id: its kind} for each source a paragraph's cite() calls name (unknown ids: the macro says)."""
    ids = [ref.partition(":")[0] for call in _CITE_CALL.findall(paragraph) for ref in _QUOTED.findall(call)]
    return {ident: source_kinds[ident] for ident in ids if ident in source_kinds}


def _grades_without_sources(page: Page, source_kinds: Mapping[str, str] | None = None) -> list[str]:
    """source_kinds ({id: kind}, data/sources.yml): a research grade needs a cited source that reports
    results, as in data/ (macros/data.py RESULT_KINDS): "Supported by research" beside a podcast passed."""
    from macros.data import RESULT_KINDS  # here, as the CLI imports the data schema only once the engine has started

    problems = []
    line = page.body_start + 1
    for paragraph in re.split(r"\n[ \t]*\n", page.body):
        for match in _RESEARCH_GRADE.finditer(paragraph):
            row = paragraph[paragraph.rfind("\n", 0, match.start()) + 1:]
            if _LEGEND_ENTRY.match(row):
                continue
            at = line + paragraph[:match.start()].count("\n")
            if "cite(" not in paragraph:
                problems.append(f"{page.name}, line {at}: evidence('{match.group(1)}') says research backs this, but "
                                "its paragraph cites nothing. Fix: cite the study beside it, {{ cite(\"source-id\") }}, "
                                "or use the grade the sources support.")
                continue
            cited = _cited_kinds(paragraph, source_kinds or {})
            if cited and not set(cited.values()) & RESULT_KINDS:
                shown = ", ".join(f"{ident} ({kind})" for ident, kind in cited.items())
                problems.append(f"{page.name}, line {at}: evidence('{match.group(1)}') says research backs this, but "
                                f"its paragraph cites only {shown}: none is a trial, review, study or guideline that "
                                "found it. Fix: cite the one that did, or use the grade the sources support (anecdotal "
                                "when only people's reports back it).")
        line += paragraph.count("\n") + 2
    return problems


# A Markdown link's address (before its title, if it has one: [x](address "title")), an autolink or
# tag, a macro call, an attribute list: not read as words.
_NOT_WORDS = re.compile(r"\]\([^)\s]*|<[^>\n]*>|\{\{.*?\}\}|\{%.*?%\}|\{[:\s][^}\n]*\}")


def page_problems(page: Page, today: dt.date | None = None, macro_names: Collection[str] | None = None,
                  source_kinds: Mapping[str, str] | None = None) -> list[str]:
    meta, name = page.meta, page.name
    if meta is None:
        return []
    problems = []
    uses_macros = any(opener in page.body for opener in JINJA_OPENERS)
    if uses_macros and not meta.render_macros:
        opener = min((o for o in JINJA_OPENERS if o in page.body), key=page.body.find)
        at = _line_of(page.body, opener) + page.body_start
        problems.append(f"{name}, line {at}: the page calls macros ('{opener}') but its front matter lacks "
                        "'render_macros: true', so readers would see the call as text. Fix: add 'render_macros: true'.")
    if meta.render_macros:
        problems += _template_problems(page, macro_names, source_kinds)
    # Invisible controls and emoji, as in data/. Lines are looked at only when the page's
    # characters show there is something to find.
    if char_problems(page.body):
        for number, line in enumerate(page.body.splitlines(), page.body_start + 1):
            problems += [f"{name}, line {number}: the text {problem}." for problem in char_problems(line)]
    # Words too long to wrap, as in data/: in large print an 85-letter word ran off the PDF page, cut
    # short. Link addresses, tags and macro calls are no words a reader sees.
    for number, line in enumerate(page.body.splitlines(), page.body_start + 1):
        problems += [f"{name}, line {number}: the text {problem}." for problem in word_problems(_NOT_WORDS.sub(" ", line))]
    if today is not None:
        for field in ("updated", "evidence_checked"):
            when = getattr(meta, field)
            if when > today:
                problems.append(f"{name}: front matter field '{field}' ({when}) is in the future (today is {today}). "
                                "Fix: use the date the work was done.")
    return problems


def markdown_pages(docs_dir: Path) -> list[tuple[Path, str]]:
    docs_dir = Path(docs_dir)
    return [(p, f"{docs_dir.name}/{p.relative_to(docs_dir).as_posix()}") for p in sorted(docs_dir.rglob("*.md"))]


def read_pages(docs_dir: Path) -> tuple[list[Page], list[str]]:
    pages, problems = [], []
    for path, name in markdown_pages(docs_dir):
        page, found = read_page(path, name)
        pages.append(page)
        problems += found
    return pages, problems


def validate_pages(docs_dir: Path, today: dt.date | None = None, macro_names: Collection[str] | None = None,
                   source_kinds: Mapping[str, str] | None = None) -> list[str]:
    """Every problem in every page's front matter (and its macro calls), one line each; [] = all good.
    source_kinds: {source id: kind} from data/sources.yml, for the research grades' citations."""
    pages, problems = read_pages(docs_dir)
    for page in pages:
        problems += page_problems(page, today, macro_names, source_kinds)
    return problems


def overdue_reviews(docs_dir: Path, today: dt.date) -> list[tuple[str, dt.date]]:
    """(page, review_due) for each page whose review date has passed."""
    pages, _ = read_pages(docs_dir)
    return [(p.name, p.meta.review_due) for p in pages if p.meta is not None and p.meta.review_due < today]
