"""Issue 14, one row per trial: break one input -> expect a clear message (file, entry, fix) or safe output.

Fast and in-process: data rows load a private copy of data/; page rows validate a tiny docs/ folder;
site rows check a tiny fixture site; macro rows render a Jinja template through the same error
wrapper the engine adapter uses. Three rows build a copy of the project to prove the wiring end to
end (they fail fast). The browser rows (tooltip hover, strict CSP) are in test_csp.py.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Callable

import jinja2
import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build
from macros import checklists, routines
from macros.data import DataError, load_data
from macros.errors import MacroError, call_page_macro
from macros.placeholders import placeholder_in
from macros.register import macro_names
from macros.text import safe
from pipeline.checks import Problem, check_site, verdict
from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.pages import validate_pages

TODAY = dt.date(2027, 6, 1)  # injected: no row depends on the real date


# --- data files --------------------------------------------------------------------------------------

def sub(name: str, pattern: str, repl: str) -> Callable[[Path], None]:
    """Replace the first match of pattern in data/<name> (patterns chosen to survive content edits)."""
    def mutate(data: Path) -> None:
        path = data / name
        text, n = re.subn(pattern, repl, path.read_text(encoding="utf-8"), count=1, flags=re.M)
        assert n == 1, f"fixture pattern {pattern!r} not found in {name}"
        path.write_text(text, encoding="utf-8")
    return mutate


def first_item_text(text: str) -> Callable[[Path], None]:
    """A new first item in the first checklist, with this text."""
    return sub("checklists.yml", r"^    items:\n", f"    items:\n      - text: {text}\n")


def write_bytes(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda data: (data / name).write_bytes(content)


def glossary_term(term: str, definition: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        with (data / "glossary.yml").open("a", encoding="utf-8") as f:
            f.write(f"  - term: {term}\n    definition: {definition}\n")
    return mutate


LATIN1 = "checklists:\n  - id: x\n    title: Caf\u00e9 list\n    items:\n      - text: ok\n".encode("latin-1")

DATA_ROWS = [
    ("duplicate-key", sub("exercises.yml", r"^(    name: .*\n)", r"\1    name: A second name\n"),
     ["exercises.yml", "line", "the key 'name' appears twice", "Fix: delete or merge"]),
    ("empty-list", sub("causes.yml", r"^causes:\n(.|\n)*", "causes: []\n"),
     ["causes.yml", "at the top of the file", "field 'causes'", "add at least one entry"]),
    ("empty-items", sub("checklists.yml", r"^    items:\n", "    items: []\n    old_items:\n"),
     ["checklists.yml", "entry '", "field 'items'", "add at least one entry"]),
    ("glossary-case-twins", glossary_term("Psoas", "The same word with a capital."),
     ["glossary.yml", "'psoas' and 'Psoas' differ only in capitals", "Fix: keep one entry"]),
    ("tooltip-markup", glossary_term("hostile", "'<img src=x onerror=alert(1)>'"),
     ["glossary.yml", "entry 'hostile'", "field 'definition'", "must be plain text", "'<'", "Fix:"]),
    ("tooltip-entity", glossary_term("entity", "Looks &lt;b&gt; harmless."),
     ["glossary.yml", "entry 'entity'", "must be plain text", "'&lt;'"]),
    ("bidi-override", first_item_text("Safe \u202edrow desrever"),
     ["checklists.yml", "field 'text'", "U+202E RIGHT-TO-LEFT OVERRIDE", "Fix: delete it"]),
    ("bidi-isolate", first_item_text("Safe \u2066isolated\u2069"), ["U+2066", "U+2069"]),
    ("control-char", first_item_text("Bell \u0007 here"), ["checklists.yml", "U+0007", "invisible character"]),
    ("zero-width", first_item_text("zero\u200bwidth"), ["U+200B ZERO WIDTH SPACE"]),
    # A Cyrillic "е" in "chеst pain" looks the same to a reader, but the triage rule reads another word:
    # a 999 sign on the "Not urgent" card, or a routine sign with a fever, would pass.
    ("look-alike-letter-hides-a-999-sign", sub("safety.yml", r"^(      - back pain that is very bad or getting worse\n)",
                                               "\\1      - ch\u0435st pain, or you f\u0430int\n"),
     ["safety.yml", "field '", "Cyrillic letter 'е'", "U+0435", "'chеst'", "Fix: retype the word in Latin letters"]),
    # A mark that shows nothing (not a format character): "che" + U+034F + "st pain" on the "Not urgent" card.
    ("invisible-mark-hides-a-999-sign", sub("safety.yml", r"^(      - back pain that is very bad or getting worse\n)",
                                            "\\1      - che\u034fst pain\n"),
     ["safety.yml", "field '", "U+034F COMBINING GRAPHEME JOINER", "invisible character", "Fix: delete it"]),
    ("invisible-variation-selector", first_item_text("fa\U000e0100int"), ["U+E0100 VARIATION SELECTOR-17"]),
    ("look-alike-word", first_item_text("I rest if I cannot control my \u0440\u0435\u0435"), ["Cyrillic letter 'р'", "'рее'"]),
    # Latin letters in another form (fullwidth, mathematical bold) pass the script check and fool the same checks.
    ("fullwidth-letter-hides-a-999-sign", first_item_text("If I get \uff43hest pain, I rest."),
     ["checklists.yml", "U+FF43 FULLWIDTH LATIN SMALL LETTER C", "a form of the Latin 'c'", "'ｃhest'", "Fix: retype"]),
    ("mathematical-letter", first_item_text("I feel \U0001d41fa\U0001d422nt"), ["U+1D41F MATHEMATICAL BOLD SMALL F"]),
    # The exercise guide shows the words, the printed plan the numbers: they must agree.
    ("frequency-words-against-per-day", sub("exercises.yml", r'(frequency: "3 times a day; [^"]*", per_day: )3', r"\g<1>1"),
     ["exercises.yml", "exercise 'pelvic-tilt'", "says '3 times a day' but per_day is 1", "Fix: make the numbers"]),
    ("frequency-daily-against-days", sub("exercises.yml", r'(frequency: "Daily, each side", per_day: 1, days_per_week: )7', r"\g<1>2"),
     ["exercises.yml", "says 'Daily' but days_per_week is 2", "Fix:"]),
    ("frequency-days-a-week", sub("exercises.yml", r'(frequency: "2 or 3 days a week", per_day: 1, days_per_week: )2', r"\g<1>5"),
     ["says '2 or 3 days a week' but days_per_week is 5"]),
    # A 999 sign told to wait outside safety.yml, citing the very finding that says call 999.
    ("999-sign-in-a-checklist-says-wait", first_item_text("If I get chest pain or feel short of breath, I rest and mention "
                                                          "it at my next visit.\n        sources: [nhs-dvt:lungs]"),
     ["checklists.yml", "checklist '", "item 1", "999 sign ['chest pain', 'short of breath']", "Fix: say to call 999 now"]),
    ("999-sign-in-an-exercise-caution", sub("exercises.yml", r"^(    cautions:\n)", "\\1      - If you feel faint, sit down and rest.\n"),
     ["exercises.yml", "exercise '", "cautions", "999 sign ['faint']"]),
    ("999-sign-in-an-exercise-step-in-other-words", sub("exercises.yml", r"^(    cautions:\n)",
                                                       "\\1      - If you feel numbness in both legs, rest.\n"),
     ["exercises.yml", "999 sign ['numbness in both legs']"]),
    # Read as what is normal: a tooltip on the term's first use on every page, a line to tick, what people report.
    ("999-sign-in-a-glossary-definition", glossary_term("referred leg pain", "Pain felt in the legs, even numbness in both "
                                                        "legs. Rest and it passes."),
     ["glossary.yml", "glossary term 'referred leg pain', definition", "has the words of a 999 sign [", "both legs']", "Fix:"]),
    ("999-sign-in-a-self-check-line", sub("causes.yml", r"^(    self_check: )I sit for more than 7 hours on most days\.",
                                          r"\g<1>I sit a lot and get chest pain."),
     ["causes.yml", "cause '", "self_check", "999 sign ['chest pain']", "Fix:"]),
    ("999-sign-in-what-people-report", sub("benefits.yml", r"^(        text: )Less pain in the lower back",
                                           r"\g<1>Tingling in both legs for a day"),
     ["benefits.yml", "benefit 'less-back-pain', text", "999 sign ['tingling in both legs']"]),
    # A step's own count printed beside a plan's dose: "hold for 10 seconds" over a 5-second hold.
    ("step-count-against-the-dose", sub("exercises.yml", r"Hold it there \(the dose says how long\)", "Hold it there for 10 seconds"),
     ["exercises.yml", "exercise 'bridge'", "says '10 seconds', but the dose's hold_seconds is '5'", "Fix: leave the count out"]),
    # Both ends of a range, and a count in words: "2 to 5 seconds" and "ten seconds" passed over a 5-second hold.
    ("step-count-range-against-the-dose", sub("exercises.yml", r"Hold it there \(the dose says how long\)",
                                              "Hold it there for 2 to 5 seconds"),
     ["exercises.yml", "exercise 'bridge'", "says '2 to 5 seconds', but the dose's hold_seconds is '5'"]),
    ("step-count-in-words-against-the-dose", sub("exercises.yml", r"Hold it there \(the dose says how long\)",
                                                 "Hold it there for ten seconds"),
     ["exercises.yml", "exercise 'bridge'", "says 'ten seconds', but the dose's hold_seconds is '5'"]),
    # A routine with its own dose and no steps of its own prints the exercise's steps under that dose.
    ("step-count-against-a-routines-own-dose",
     lambda data: (sub("exercises.yml", r"Hold it there \(the dose says how long\)", "Hold it there for 5 seconds")(data),
                   sub("exercises.yml", r'(- exercise: bridge\n        dose: \{hold_seconds: )"5"', r'\1"10"')(data)),
     ["exercises.yml", "routine 'after-running', exercise 'bridge' (the exercise's own steps, under this routine's dose)",
      "says '5 seconds', but the dose's hold_seconds is '10'"]),
    # The exercise guide and routine tables print the dose's words: every number within the builder's hard limits.
    ("dose-above-the-hard-limits", sub("exercises.yml", r'reps: "5 to 10", frequency: "Daily', 'reps: "5 to 100", frequency: "Daily'),
     ["exercises.yml", "exercise 'bridge'", "reps ('5 to 100') says 100", "(1 to 30", "Fix: correct the number"]),
    ("routine-dose-above-the-hard-limits", sub("exercises.yml", r'hold_seconds: "20 to 30", reps: "1"', 'hold_seconds: "600", reps: "1"'),
     ["exercises.yml", "routine 'desk-break', exercise 'standing-lunge'", "says 600", "(5 to 120"]),
    # A term is marked wherever it appears: on the 999 sign itself, its definition reads as what to do.
    ("glossary-term-on-a-warning-sign", glossary_term("chest pain", "Usually a strained muscle. See your GP if it lasts."),
     ["glossary.yml", "glossary term 'chest pain' has the words of a warning sign ['chest pain']", "every care card",
      "Fix: remove the term"]),
    ("blank-letter", first_item_text("'\u3164'"), ["U+3164 HANGUL FILLER", "shows as a blank"]),
    ("emoji", sub("exercises.yml", r"^(    name: )(.*)\n", "\\1\\2 \U0001F4AA\n"),
     ["exercises.yml", "entry '", "field 'name'", "U+1F4AA", "empty box in the PDF", "Fix: say it in words"]),
    ("long-word", first_item_text("A" * 10_000), ["checklists.yml", "10000-character word", "Fix: use words of at most 40"]),
    ("latin-1-file", write_bytes("checklists.yml", LATIN1), ["checklists.yml", "line 3", "not UTF-8", "save it as UTF-8"]),
    ("utf-16-file", write_bytes("glossary.yml", "terms: []\n".encode("utf-16")), ["glossary.yml", "UTF-16", "save it as UTF-8"]),
    ("utf-16-no-bom", write_bytes("glossary.yml", "terms: []\n".encode("utf-16-le")), ["glossary.yml", "UTF-16", "save it as UTF-8"]),
    ("empty-file", write_bytes("causes.yml", b""), ["causes.yml", "the file is empty", "'causes:'", "Fix: restore"]),
    ("comment-only-file", write_bytes("figures.yml", b"# nothing yet\n"), ["figures.yml", "the file is empty"]),
]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return shutil.copytree(ROOT / "data", tmp_path / "data")


@pytest.mark.parametrize("mutate, expected", [r[1:] for r in DATA_ROWS], ids=[r[0] for r in DATA_ROWS])
def test_bad_data_fails_with_a_clear_message(data_dir, mutate, expected):
    mutate(data_dir)
    with pytest.raises(DataError) as info:
        load_data(data_dir)
    message = str(info.value)
    for part in expected:
        assert part in message, f"{part!r} missing from:\n{message}"
    assert "Traceback" not in message and "(top level)" not in message


SAFE_ROWS = [
    ("long-url-is-fine", first_item_text("See https://example.org/" + "a" * 80 + " for more.")),
    ("plain-ampersand-in-text", first_item_text("'Heat & rest'")),
    ("symbols-in-text-are-fine", first_item_text("'Step #1: 5 to 10 minutes, *gently*'")),
    ("999-sign-with-the-number", first_item_text("If I get chest pain, I call 999 at once.")),
    # An instruction's own words that are no sign: "both legs" and "sudden" alone, "faintly".
    ("instruction-words-that-are-no-sign", sub("exercises.yml", r"^(    cautions:\n)",
                                               "\\1      - Keep both legs bent, with no sudden jerks. Rise slowly if you feel faintly dizzy.\n")),
    ("accents-are-latin", first_item_text("'A café or a naïve question'")),
    # A range the dose gives, in the exercise's steps and so under the routines that use them.
    ("step-range-within-the-dose", sub("exercises.yml", r"^(      - Hold still and breathe slowly\.)",
                                       r"\1 Hold for 20 to 30 seconds.")),
]


@pytest.mark.parametrize("mutate", [r[1] for r in SAFE_ROWS], ids=[r[0] for r in SAFE_ROWS])
def test_good_data_still_loads(data_dir, mutate):
    mutate(data_dir)
    assert load_data(data_dir).checklists


# --- text shows exactly as typed, on screen and on paper -------------------------------------------

MD = markdown.Markdown(extensions=["md_in_html", "attr_list", "tables", "abbr", "toc", "pymdownx.tasklist"])
TYPED = r"Step #1 of 2: *safety* first, [then] {go} <now> & a_b \done | ~ !"


def shown(markdown_text: str) -> str:
    """What a reader sees: the text of the HTML the Markdown becomes."""
    MD.reset()
    return " ".join(BeautifulSoup(MD.convert(markdown_text), "html.parser").get_text(" ").split())


def test_checklist_title_and_items_show_as_typed():
    from macros.schema import Checklist, ChecklistItem

    cl = Checklist(id="x", title=TYPED, intro=TYPED, items=[ChecklistItem(text=TYPED)])
    out = checklists._task_list(cl.id, cl.title, cl.intro, [safe(i.text) for i in cl.items])
    assert shown(out).count(TYPED) == 3, shown(out)


def test_routine_title_and_exercise_heading_show_as_typed():
    data = load_data(ROOT / "data")
    routine = next(iter(data.routines.values()))
    ex = data.exercises[routine.steps[0].exercise]
    typed_data = type(data)(**{**data.__dict__,
                               "routines": {routine.id: routine.model_copy(update={"name": TYPED})},
                               "exercises": {**data.exercises, ex.id: ex.model_copy(update={"name": TYPED})}})
    assert TYPED in shown(routines.routine_table(typed_data, routine.id, "aftercare/x.md"))
    assert TYPED in shown(routines.exercise_guide(typed_data, "aftercare/exercises.md"))


def test_text_that_starts_like_a_list_or_a_rule_shows_as_typed():
    """Data text starts a line (a numbered step, a summary): a hand-numbered step "2. Tuck ..." became
    a list of its own, printed "2. 1. Tuck ...", and "- ", "---" or "??? " opened a list, a rule or a
    details block."""
    data = load_data(ROOT / "data")
    ex = next(iter(data.exercises.values()))
    starts = ["2. Tuck your tailbone under.", "- Breathe out.", "+ Then hold.", "??? note Rest.", "=== Rest."]
    typed = ex.model_copy(update={"summary": "---", "steps": starts})
    md = markdown.Markdown(extensions=["md_in_html", "attr_list", "def_list", "admonition", "pymdownx.details",
                                       "pymdownx.superfences", "pymdownx.tabbed"])
    soup = BeautifulSoup(md.convert(routines.exercise_guide(type(data)(**{**data.__dict__, "exercises": {ex.id: typed}}),
                                                            "aftercare/exercises.md")), "html.parser")
    assert [li.get_text(" ", strip=True) for li in soup.select("ol > li")] == starts
    assert not soup.select("hr, li ol, li ul, details, .tabbed-set") and "---" in soup.get_text()


@pytest.mark.parametrize("evil", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**x** { onclick=alert(1) }"])
def test_markup_in_data_never_becomes_markup(evil):
    html = MD.convert(f'<p markdown="span">{safe(evil)}</p>\n\n{safe(evil)}')
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find(["script", "img", "strong"]) and not soup.find(attrs={"onclick": True})
    assert evil in soup.get_text()


# --- page front matter -------------------------------------------------------------------------------

GOOD = """---
title: A page
description: What it says.
updated: 2026-11-24
evidence_checked: 2026-11-24
review_due: 2029-11-24
render_macros: true
---

# A page

Text.

{{ checklist("preparing") }}
"""
MACROS = macro_names(load_data(ROOT / "data"))  # the names the build checks pages against
SOURCE_KINDS = {s.id: s.kind for s in load_data(ROOT / "data").sources.values()}  # for the research grades


def page_with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


PAGE_ROWS = [
    ("impossible-date", page_with("review_due: 2029-11-24", "review_due: 2029-11-31"),
     ["docs/page.md, line 6", "'2029-11-31' is not a real date", "silently drop", "Fix:"]),
    ("colon-in-title", page_with("title: A page", "title: Safety: read first"),
     ["docs/page.md, line 2", "quotes", "silently drop"]),
    ("missing-render-macros", page_with("render_macros: true\n", ""),
     ["docs/page.md, line 13", "lacks 'render_macros: true'", "Fix: add 'render_macros: true'"]),
    ("render-macros-false", page_with("render_macros: true", "render_macros: false"), ["lacks 'render_macros: true'"]),
    ("missing-description", page_with("description: What it says.\n", ""),
     ["docs/page.md", "field 'description'", "Field required", "Fix: add 'description:'"]),
    ("missing-review-due", page_with("review_due: 2029-11-24\n", ""), ["field 'review_due'", "Fix: add 'review_due:'"]),
    ("review-before-update", page_with("review_due: 2029-11-24", "review_due: 2026-01-01"),
     ["review_due (2026-01-01) must be after updated (2026-11-24)"]),
    ("review-before-evidence", page_with("evidence_checked: 2026-11-24", "evidence_checked: 2030-01-01"),
     ["must be after evidence_checked"]),
    ("quoted-date", page_with("updated: 2026-11-24", 'updated: "2026-11-24"'),
     ["field 'updated'", "Fix: write the date unquoted as YYYY-MM-DD"]),
    ("typo-field", page_with("render_macros: true", "render_macros: true\nreveiw_due: 2029-01-01"),
     ["field 'reveiw_due'", "remove or rename"]),
    ("duplicate-field", page_with("render_macros: true", "render_macros: true\ntitle: Again"), ["'title' appears twice"]),
    ("not-a-bool", page_with("render_macros: true", "render_macros: yes please"), ["field 'render_macros'", "true or false"]),
    ("jinja-comment", page_with("Text.", "## Heading {#anchor}"),
     ["docs/page.md, line 12", "'{#anchor}' opens a Jinja comment", "{ #id .class }"]),
    ("jinja-comment-with-class", page_with("Text.", "Text.\n\nA paragraph. {#note .tip}\n\n{# a real comment #}"),
     ["docs/page.md, line 14", "'{#note .tip}' opens a Jinja comment"]),
    ("syntax-error", page_with('{{ checklist("preparing") }}', '{{ checklist("preparing" }}'),
     ["docs/page.md, line 14", "macro syntax error"]),
    ("unknown-macro", page_with('{{ checklist("preparing") }}', '{{ checklst("safety-check") }}'),
     ["docs/page.md, line 14", "unknown macro or variable 'checklst'", "checklist"]),
    ("updated-in-future", page_with("updated: 2026-11-24", "updated: 2028-01-01"),
     ["'updated' (2028-01-01) is in the future (today is 2027-06-01)"]),
    ("bidi-in-page", page_with("Text.", "Text \u202e.", ), ["docs/page.md, line 12", "U+202E"]),
    ("emoji-in-page", page_with("Text.", "Stretch \U0001F9D8."), ["docs/page.md, line 12", "U+1F9D8", "Fix: say it in words"]),
    ("look-alike-in-page", page_with("Text.", "Ch\u0435st pain? Call 999."), ["docs/page.md, line 12", "Cyrillic letter 'е'"]),
    ("fullwidth-in-page", page_with("Text.", "\uff23hest pain? Call 999."), ["docs/page.md, line 12", "U+FF23", "form of the Latin 'C'"]),
    # The theme prints front-matter text unescaped, in <head> and the navigation.
    ("markup-in-description", page_with("description: What it says.", """description: 'Safe"><base href="https://x.test/">'"""),
     ["field 'description'", "'\"' would become markup", "Fix:"]),
    ("bidi-in-title", page_with("title: A page", "title: A page \u202e(pots)"), ["field 'title'", "U+202E"]),
    ("own-template", page_with("render_macros: true", "render_macros: true\ntemplate: base.html"),
     ["field 'template'", "'not medical advice' notice", "Fix: remove 'template:'"]),
    ("chapter-hidden-from-search", page_with("render_macros: true", "render_macros: true\nhandout: true\nsearch:\n  exclude: true"),
     ["must be found by search", "Fix: remove 'exclude: true'"]),
    ("review-too-far-off", page_with("review_due: 2029-11-24", "review_due: 2099-12-31"),
     ["more than 3 years after evidence_checked", "Fix: set the next review within 3 years"]),
    ("macro-not-called", page_with('{{ checklist("preparing") }}', "{{ checklist }}"),
     ["docs/page.md, line 14", "'{{ checklist }}' names the macro without calling it", "Fix: call it, '{{ checklist() }}'"]),
    ("research-grade-without-a-source", page_with("Text.", 'Release cures sciatica for good {{ evidence("supported") }}.'),
     ["docs/page.md, line 12", "evidence('supported') says research backs this, but its paragraph cites nothing", "Fix: cite"]),
    # Too long to wrap: in large print an 85-letter word ran off the PDF page, cut short.
    ("long-word-in-page", page_with("Text.", "Ask about " + "a" * 60 + " first."),
     ["docs/page.md, line 12", "has a 60-character word", "Fix: use words of at most 40 characters"]),
    ("long-word-in-title", page_with("title: A page", "title: " + "b" * 50), ["field 'title'", "50-character word"]),
    ("no-front-matter", "# A page\n", ["docs/page.md: no front matter"]),
    ("latin-1-page", GOOD.replace("Text.", "Caf\u00e9."), ["docs/page.md", "save it as UTF-8"]),
]


@pytest.mark.parametrize("text, expected", [r[1:] for r in PAGE_ROWS], ids=[r[0] for r in PAGE_ROWS])
def test_bad_front_matter_fails_naming_page_field_and_fix(tmp_path, text, expected):
    docs = tmp_path / "docs"
    docs.mkdir()
    encoding = "latin-1" if "Caf\u00e9" in text else "utf-8"
    (docs / "page.md").write_text(text, encoding=encoding)
    problems = "\n".join(validate_pages(docs, TODAY, MACROS))
    for part in expected:
        assert part in problems, f"{part!r} missing from:\n{problems}"


def test_a_research_grade_passes_beside_its_citation_and_in_a_legend(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = page_with("Text.", 'One guideline found it {{ cite("nhs-back-pain", "nice-ng59") }}\nand more {{ evidence("limited") }}.\n\n'
                     '- {{ evidence("supported") }} means good studies back it.\n\n'
                     '| {{ evidence("limited") }} | A few small studies. |')
    (docs / "page.md").write_text(text, encoding="utf-8")
    assert validate_pages(docs, TODAY, MACROS, SOURCE_KINDS) == []


@pytest.mark.parametrize("cited", ['"daprato-2025-psoas-mri-podcast:shape-change"', '"nct06267404", "nhs-back-pain"'])
def test_a_research_grade_needs_a_source_that_found_it(tmp_path, cited):
    """As in data/ (a benefit's grade): "Supported by research" beside a podcast or a trial registration
    passed, because its paragraph cited something."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = page_with("Text.", f'Hands lengthen the psoas {{{{ evidence("supported") }}}} {{{{ cite({cited}) }}}}.')
    (docs / "page.md").write_text(text, encoding="utf-8")
    problems = "\n".join(validate_pages(docs, TODAY, MACROS, SOURCE_KINDS))
    assert "docs/page.md, line 12: evidence('supported') says research backs this, but its paragraph cites only" in problems
    assert "none is a trial, review, study or guideline that found it. Fix: cite the one that did" in problems


def test_good_page_and_real_pages_pass(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    # A deliberate Jinja comment on a macro page is fine; only '{#id}' attribute lists are refused.
    # Link addresses are no words a reader sees: long ones are fine.
    long_path = "x" * 60
    (docs / "page.md").write_text(GOOD.replace("Text.", "Text. { #ok }\n\n{# a note for editors,\n   on two lines #}\n\n"
                                               f"See [the NHS page](https://www.nhs.uk/{long_path}) or <https://www.nhs.uk/{long_path}>.\n\n"
                                               f'Or [the search](https://pubmed.ncbi.nlm.nih.gov/?term={long_path} "PubMed"), with a title.'),
                                  encoding="utf-8")
    assert validate_pages(docs, TODAY, MACROS) == []
    assert validate_pages(ROOT / "docs", macro_names=MACROS, source_kinds=SOURCE_KINDS) == []


# --- the built site ----------------------------------------------------------------------------------

PAGE_HTML = "<html><head></head><body><article>{}</article></body></html>"
SVG_OK = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>t</title><rect width="5" height="5"/></svg>'


def site_file(rel: str, content: str, where: str = "site") -> Callable[[Path, Path], None]:
    def plant(site: Path, docs: Path) -> None:
        path = (site if where == "site" else docs) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return plant


SITE_ROWS = [
    ("leftover-macro", site_file("before/is-it-safe.html", PAGE_HTML.format('{{ checklist("preparing") }}')),
     "error", "before/is-it-safe.html: shows an unrendered macro"),
    ("leftover-jinja-tag", site_file("index.html", PAGE_HTML.format("{% if x %}")), "error", "unrendered macro or Jinja tag"),
    ("placeholder-inbox", site_file("reference/about.html", PAGE_HTML.format("<p>Send it to fix@psoas-guide.invalid.</p>")),
     "error", "reference/about.html: shows a placeholder address 'psoas-guide.invalid'"),
    ("placeholder-site-address", site_file("index.html", PAGE_HTML.format('<a href="https://guide.Example.org/x">Online</a>')),
     "error", "index.html: shows a placeholder address 'guide.Example.org'"),
    ("localhost-link", site_file("index.html", PAGE_HTML.format('<a href="http://localhost:8000/">preview</a>')),
     "error", "shows a placeholder address 'localhost'"),
    ("remote-image-on-reference-page",
     site_file("reference/about.html", PAGE_HTML.format('<img src="https://img.example.org/a.png" alt="x">')),
     "error", "reference/about.html: loads from another host: <img src=https://img.example.org/a.png>"),
    ("protocol-relative-script", site_file("index.html", PAGE_HTML.format('<script src="//cdn.example.org/x.js"></script>')),
     "error", "loads from another host"),
    ("svg-script-in-docs", site_file("assets/figures/x.svg", SVG_OK.replace("</svg>", "<script>alert(1)</script></svg>"), "docs"),
     "error", "docs/assets/figures/x.svg: SVG has a <script> element"),
    ("svg-onload-in-docs", site_file("assets/figures/y.svg", SVG_OK.replace("<svg ", '<svg onload="alert(1)" '), "docs"),
     "error", "SVG has an event handler onload="),
    ("svg-javascript-link", site_file("assets/z.svg", SVG_OK.replace("<rect", '<a href="javascript:alert(1)"><rect').replace(
        "</svg>", "</a></svg>")), "error", "has a javascript: link"),
    ("svg-remote-image", site_file("assets/w.svg", SVG_OK.replace("<rect", '<image href="https://x.example/a.png"/><rect')),
     "error", "loads https://x.example/a.png from another host"),
    ("notes-txt-in-docs", site_file("notes.txt", "private", "docs"), "error", "docs/notes.txt: is an editor leftover"),
    ("backup-in-docs", site_file("before/is-it-safe.md~", "old", "docs"), "error", "docs/before/is-it-safe.md~"),
    ("bak-in-site", site_file("before/page.bak", "old"), "error", "before/page.bak: is an editor leftover"),
    ("swap-file", site_file(".page.md.swp", "x", "docs"), "error", ".page.md.swp"),
    ("nano-save-in-docs", site_file("before/preparing.md.save", "draft", "docs"), "error",
     "docs/before/preparing.md.save: is an editor leftover"),
    ("word-lock-file-in-docs", site_file("~$ient-notes.docx", "x", "docs"), "error", "docs/~$ient-notes.docx: is an editor leftover"),
    ("inline-script", site_file("index.html", PAGE_HTML.format("<script>alert(1)</script>")),
     "error", "would break under a strict Content-Security-Policy: inline <script>"),
    ("inline-handler", site_file("index.html", PAGE_HTML.format('<button onclick="x()">b</button>')),
     "error", "event handler onclick="),
    ("overdue-review", site_file("page.md", GOOD.replace("review_due: 2029-11-24", "review_due: 2027-01-01"), "docs"),
     "warning", "docs/page.md: review was due on 2027-01-01 (today is 2027-06-01)"),
]


@pytest.fixture
def tiny_site(tmp_path):
    site, docs = tmp_path / "site", tmp_path / "docs"
    site.mkdir()
    docs.mkdir()
    (site / "index.html").write_text(PAGE_HTML.format("<p>Hello</p>"
                                                      '<script src="assets/x.js"></script>'
                                                      '<script id="__config" type="application/json">{"a": 1}</script>'
                                                      '<a href="https://www.nhs.uk/">outbound links are fine</a>'
                                                      '<p>For example.</p><p>See www.counterexample.com or example.org.uk</p>'))
    (docs / "figure.svg").write_text(SVG_OK)
    (docs / "page.md").write_text(GOOD)
    return site, docs


def test_tiny_site_is_clean(tiny_site):
    assert check_site(*tiny_site, TODAY) == []


@pytest.mark.parametrize("plant, level, expected", [r[1:] for r in SITE_ROWS], ids=[r[0] for r in SITE_ROWS])
def test_site_check_finds_each_planted_problem(tiny_site, plant, level, expected):
    plant(*tiny_site)
    found = [p for p in check_site(*tiny_site, TODAY) if expected in str(p)]
    assert found, f"{expected!r} not in {[str(p) for p in check_site(*tiny_site, TODAY)]}"
    assert all(p.level == level for p in found) and all("Fix:" in str(p) for p in found)



def test_checks_of_docs_made_during_the_engine_are_the_ones_reported(tiny_site):
    """`guide build` checks docs/ alone while the engine builds: those problems, found once, fail the
    build like the rest (and the same docs/ checked after the engine finds the same ones)."""
    from pipeline.checks import input_problems

    site, docs = tiny_site
    site_file("before/is-it-safe.md~", "old", "docs")(site, docs)
    early = input_problems(docs, TODAY)
    assert [str(p) for p in early] == [str(p) for p in check_site(site, docs, TODAY) if p in early]
    assert any("is-it-safe.md~" in str(p) for p in early)
    assert check_site(site, docs, TODAY, inputs=[]) == [], "the docs/ problems come from the caller then"

OVERDUE = Problem("docs/page.md", "review was due on 2027-01-01", "review it", "warning", "overdue-review")
OTHER_WARNING = Problem("docs/x.md", "something", "fix it", "warning")
ERROR = Problem("site/index.html", "bad", "fix it")

VERDICT_ROWS = [
    ("overdue-not-strict-warns", [OVERDUE], False, {}, True, ""),
    ("overdue-strict-fails", [OVERDUE], True, {}, False, 'set GUIDE_ALLOW_OVERDUE_REVIEW="why"'),
    ("overdue-strict-override-logged", [OVERDUE], True, {"GUIDE_ALLOW_OVERDUE_REVIEW": "safety fix, review booked 2027-07"},
     True, "because GUIDE_ALLOW_OVERDUE_REVIEW says: 'safety fix, review booked 2027-07'"),
    ("empty-override-does-not-count", [OVERDUE], True, {"GUIDE_ALLOW_OVERDUE_REVIEW": "  "}, False, ""),
    ("override-covers-only-reviews", [OVERDUE, OTHER_WARNING], True, {"GUIDE_ALLOW_OVERDUE_REVIEW": "urgent"}, False, "urgent"),
    ("errors-always-fail", [ERROR], False, {"GUIDE_ALLOW_OVERDUE_REVIEW": "urgent"}, False, "ERROR: site/index.html"),
]


@pytest.mark.parametrize("problems, strict, environ, ok, logged", [r[1:] for r in VERDICT_ROWS], ids=[r[0] for r in VERDICT_ROWS])
def test_strict_and_the_logged_override(problems, strict, environ, ok, logged):
    result = verdict(problems, strict, environ)
    assert result.ok is ok
    assert logged in "\n".join(result.log)


def test_real_site_passes_every_check(built_site):
    """Until the pipeline CLI runs these checks after each build, this test holds the guarantee."""
    problems = [p for p in check_site(built_site.site, ROOT / "docs", TODAY) if p.level == "error"]
    assert problems == [], "\n".join(map(str, problems))


# --- macro errors in the author's terms ---------------------------------------------------------------

DATA = load_data(ROOT / "data")


def checklist(page, checklist_id):  # the engine adapter's signature: page path first
    return checklists.checklist(DATA, checklist_id, page)


def render_page(tmp_path: Path, source: str) -> str:
    docs = tmp_path / "docs"  # errors name the page as the author knows it: docs/page.md
    docs.mkdir(exist_ok=True)
    (docs / "page.md").write_text(source, encoding="utf-8")
    body = source.split("---\n", 2)[2].lstrip("\n")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals["checklist"] = lambda *a, **k: call_page_macro(checklist, "page.md", docs, a, k)
    return env.from_string(body).render()


MACRO_ROWS = [
    ("too-many-arguments", '{{ checklist("preparing", "extra") }}',
     ["docs/page.md, line 14", "checklist() takes 1 argument (checklist_id); you passed 2: 'preparing', 'extra'",
      "Fix: call it as checklist(checklist_id)"]),
    ("no-arguments", "{{ checklist() }}", ["line 14", "takes 1 argument (checklist_id); you passed 0"]),
    ("unknown-id", '{{ checklist("preparng") }}', ["docs/page.md, line 14", "unknown checklist id", "Did you mean: preparing"]),
]


@pytest.mark.parametrize("call, expected", [r[1:] for r in MACRO_ROWS], ids=[r[0] for r in MACRO_ROWS])
def test_macro_errors_name_the_authors_line_and_arguments(tmp_path, call, expected):
    with pytest.raises(MacroError) as info:
        render_page(tmp_path, GOOD.replace('{{ checklist("preparing") }}', call))
    for part in expected:
        assert part in str(info.value), f"{part!r} missing from: {info.value}"
    assert "positional arguments but" not in str(info.value)


def test_a_good_call_still_renders(tmp_path):
    assert 'id="checklist-preparing"' in render_page(tmp_path, GOOD)


# --- end to end through the engine (fail fast, so cheap) ------------------------------------------------

BUILD_ROWS = [
    ("glossary-script-definition", "data/glossary.yml", None,
     "  - term: hostile\n    definition: '<img src=x onerror=alert(1)>'\n",
     ["glossary.yml", "entry 'hostile'", "must be plain text"]),
    ("wrong-argument-count", "docs/before/preparing.md", '{{ checklist("preparing") }}',
     '{{ checklist("preparing", "extra") }}', ["checklist() takes 1 argument (checklist_id); you passed 2"]),
]


@pytest.mark.parametrize("rel, old, new, expected", [r[1:] for r in BUILD_ROWS], ids=[r[0] for r in BUILD_ROWS])
def test_engine_build_reports_the_same_message(project_copy, tmp_path, rel, old, new, expected):
    path = project_copy / rel
    text = path.read_text(encoding="utf-8")
    if old is None:
        text += new
    else:
        assert old in text
        line = text[: text.index(old)].count("\n") + 1
        expected = [*expected, f"{rel}, line {line}"]
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    for part in expected:
        assert part in result.output, f"{part!r} missing from the build output"


def test_gate_logs_and_decides(tiny_site):
    site_file("page.md", GOOD.replace("review_due: 2029-11-24", "review_due: 2027-01-01"), "docs")(*tiny_site)
    lines: list[str] = []
    from pipeline.checks import gate
    assert gate(*tiny_site, TODAY, strict=False, environ={}, log=lines.append)
    assert not gate(*tiny_site, TODAY, strict=True, environ={}, log=lines.append)
    assert gate(*tiny_site, TODAY, strict=True, environ={"GUIDE_ALLOW_OVERDUE_REVIEW": "urgent fix"}, log=lines.append)
    assert any("WARNING: docs/page.md: review was due on 2027-01-01" in line for line in lines)
    assert any("1 problem(s) stop this build" in line for line in lines)
    assert any("'urgent fix'" in line for line in lines)


def test_guide_today_is_the_day_the_builds_checks_compare_with(tiny_site, monkeypatch, caplog):
    """GUIDE_TODAY reaches `guide build`/`guide check`'s gate (the tests pin it: conftest.py)."""
    from pipeline.cli import output_checks

    site, _ = tiny_site
    (site.parent / "mkdocs.yml").write_text("site_name: Tiny\n", encoding="utf-8")
    config = load_config(site.parent / "mkdocs.yml")
    monkeypatch.delenv("GUIDE_ALLOW_OVERDUE_REVIEW", raising=False)
    monkeypatch.setenv("GUIDE_TODAY", "2029-11-24")  # docs/page.md's review_due: due, not overdue
    output_checks(config, site)
    monkeypatch.setenv("GUIDE_TODAY", "2099-01-01")
    with pytest.raises(PipelineError, match="nothing was published"):
        output_checks(config, site)
    assert "docs/page.md: review was due on 2029-11-24 (today is 2099-01-01)" in caplog.text


@pytest.mark.parametrize("value", ["2027-02-30", "1/2/2027", "20270131", "2027-W05-1", "tomorrow"])
def test_a_bad_guide_today_names_the_variable_the_value_and_the_fix(value):
    from pipeline.clock import today

    with pytest.raises(PipelineError) as info:
        today({"GUIDE_TODAY": value})
    assert str(info.value) == (f"GUIDE_TODAY={value!r} is not a date. Fix: write it as YYYY-MM-DD "
                               "(e.g. GUIDE_TODAY=2027-01-31), or unset it to use today's date.")
    assert today({"GUIDE_TODAY": "2027-01-31"}) == dt.date(2027, 1, 31)


def test_a_bad_guide_today_stops_the_data_load_with_its_fix(monkeypatch):
    """The data schema checks a review's date against today too: a bad GUIDE_TODAY is a clear
    error there, not a traceback from the depths of the loader."""
    from macros.data import DataError, load_data

    monkeypatch.setenv("GUIDE_TODAY", "2027-13-01")
    with pytest.raises(DataError, match=r"GUIDE_TODAY='2027-13-01' is not a date\. Fix: write it as YYYY-MM-DD"):
        load_data(ROOT / "data")


def test_mkdocs_keeps_every_leftover_out_of_the_site():
    """Same list in both places: the engine excludes what the check refuses (dotfiles: MkDocs' default)."""
    from pipeline.checks import LEFTOVERS

    excluded = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("exclude_docs: |\n", 1)[1].split("\n\n", 1)[0]
    patterns = {line.strip().lstrip("\\") for line in excluded.splitlines()}
    assert {p for p in LEFTOVERS if not p.startswith(".")} == patterns


@pytest.mark.parametrize("address", ["http://0.0.0.0:8000/", "http://[::1]:8000/", "http://[::]:8000/"])
def test_this_machines_own_addresses_are_placeholders(address):
    """A site built with SITE_URL set to the preview's address would send readers nowhere."""
    assert placeholder_in(address)


def test_the_readmes_example_address_fails_the_build_if_copied():
    """The publishing example must be a reserved name, so a copied command cannot ship it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"SITE_URL=(\S+)", readme) + re.findall(r"report_contact: (\S+@\S+)", readme)
    examples += re.findall(r"report_contact: (\S+@\S+)", (ROOT / "data" / "review.yml").read_text(encoding="utf-8"))
    assert examples and all(placeholder_in(e) for e in examples), examples
