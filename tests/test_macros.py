"""Macro functions as units: small fixture data in, Markdown/HTML out."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros import checklists, citations, routines
from macros.data import DataError, load_data
from macros.links import relative
from macros.schema import Checklist, ChecklistItem, Dose, Routine
from macros.text import safe

ROOT = Path(__file__).resolve().parents[1]
DATA = load_data(ROOT / "data")
PAGE = "aftercare/maintaining-psoas-health.md"


def test_relative_links_between_pages():
    assert relative("reference/sources.md", PAGE, "src-x") == "../reference/sources.md#src-x"
    assert relative("reference/sources.md", "index.md") == "reference/sources.md"
    assert relative("aftercare/exercises.md", PAGE, "ex-bridge") == "exercises.md#ex-bridge"


def test_cite_links_each_source_to_its_entry():
    out = citations.cite(DATA.sources, ["nhs-back-pain", "nice-ng59"], PAGE)
    assert out == ('([NHS, 2024b](../reference/sources.md#src-nhs-back-pain){ .cite data-source="nhs-back-pain" }; '
                   '[NICE, 2020a](../reference/sources.md#src-nice-ng59){ .cite data-source="nice-ng59" })')


def test_sources_sharing_a_publisher_and_year_get_letters():
    names = citations.labels(DATA.sources)
    nhs_2024 = [names[i] for i, s in DATA.sources.items() if (s.publisher, s.year) == ("NHS", 2024)]
    assert len(nhs_2024) >= 3 and nhs_2024 == [f"NHS, 2024{c}" for c in "abcdefgh"[:len(nhs_2024)]]
    assert len(set(names.values())) == len(names), "two sources would read the same in the text"
    unique = next(i for i, s in DATA.sources.items()
                  if sum((o.publisher, o.year) == (s.publisher, s.year) for o in DATA.sources.values()) == 1)
    assert names[unique] == f"{DATA.sources[unique].publisher}, {DATA.sources[unique].year}"


def test_cite_unknown_id_suggests_nearest():
    with pytest.raises(DataError, match=r"unknown source id 'nhs-backpain'.*Did you mean: nhs-back-pain"):
        citations.cite(DATA.sources, ["nhs-backpain"], PAGE)


def test_source_list_has_an_anchor_per_source_and_per_finding():
    out = citations.source_list(DATA.sources, "reference/sources.md")
    for src in DATA.sources.values():
        assert f'<li id="src-{src.id}">' in out
        for f in src.findings:
            assert f'<li id="src-{src.id}-{f.id}">' in out


def test_checklist_is_a_labelled_task_list():
    out = checklists.checklist(DATA, "preparing", PAGE)
    items = DATA.checklists["preparing"].items
    assert out.count('<input type="checkbox"') == len(items)
    assert out.count("task-list-indicator") == len(items)
    assert 'aria-labelledby="preparing-1"' in out and '<span id="preparing-1">' in out
    assert "disabled" not in out  # clickable on screen


def test_unknown_checklist_suggests_nearest():
    with pytest.raises(DataError, match=r"checklist\('prepare'\).*Did you mean: preparing"):
        checklists.checklist(DATA, "prepare", PAGE)


def test_benefit_table_shows_grade_in_words():
    out = checklists.benefit_table(DATA, "posture-mobility", PAGE)
    assert "grade__label\">Supported by research<" in out
    assert "grade__label\">Not supported by research<" in out
    assert "grade__label\">Personal reports only<" in out


def test_benefits_are_not_a_tick_list():
    """What people report sits beside what research shows; nothing invites ticking an unproven benefit."""
    for group in DATA.benefit_groups:
        out = checklists.benefit_table(DATA, group, PAGE)
        assert "| What people report | What research shows |" in out
        assert 'type="checkbox"' not in out and "Tick" not in out
        assert out.count("\n| ") == len(DATA.benefit_groups[group].items) + 2  # header, rule, one row each
        assert f'id="benefits-{group}"' in out


def test_a_benefit_with_no_study_links_to_the_dated_search():
    out = checklists.benefit_table(DATA, "immediate", PAGE)
    assert "../reference/sources.md#search-psoas-release-trials" in out
    assert "24 November 2026" in out


def test_routine_table_links_to_exercise_details():
    out = routines.routine_table(DATA, "daily", PAGE)
    assert "| Exercise | Dose | How often |" in out
    assert "[Bridge](exercises.md#ex-bridge)" in out
    assert "Hold 5 seconds, 5 to 10 times" in out


def test_routine_step_dose_overrides_exercise_dose():
    out = routines.routine_table(DATA, "desk-break", PAGE)
    assert "Hold 20 to 30 seconds, once | At each break, each side" in out


@pytest.mark.parametrize("routine", list(DATA.routines))
def test_a_routines_how_to_keeps_to_its_dose(routine):
    """On paper a routine's table and its how-to sit together: "2 minutes" above "build up to
    about 30 minutes" tells the reader two things. No step may name more minutes than the dose."""
    for step in DATA.routines[routine].steps:
        dose = step.dose or DATA.exercises[step.exercise].dose
        if not dose.minutes:
            continue
        most = max(int(n) for n in re.findall(r"\d+", dose.minutes))
        how_to = routines.routine_steps(DATA, Routine(**{**DATA.routines[routine].model_dump(), "steps": [step]}))
        named = [int(n) for n in re.findall(r"(\d+) minutes", how_to)]
        assert all(n <= most for n in named), f"{routine}: {step.exercise}'s steps name {named} minutes; the dose is {dose.minutes}"


def test_unknown_routine_suggests_nearest():
    with pytest.raises(DataError, match="Did you mean: daily"):
        routines.routine_table(DATA, "dayly", PAGE)


def test_reps_read_naturally():
    assert routines.reps_text("5 each side") == "5 times each side"
    assert routines.reps_text("8 to 12 each side") == "8 to 12 times each side"
    assert routines.reps_text("1") == "once"
    assert routines.reps_text("a few") == "a few times"


def test_a_dose_of_one_reads_in_the_singular():
    # The dead bug's own caution says "Start with 1 set of 5 each side": a routine written that way
    # printed "1 sets" in its table and handout (and "1 minutes", "hold 1 seconds").
    one = Dose(hold_seconds="1", reps="5 each side", sets="1", frequency="Daily", per_day=1, days_per_week=7)
    assert routines.dose_text(one) == "Hold 1 second, 5 times each side, 1 set"
    assert routines.dose_text(Dose(minutes="1", frequency="Daily", per_day=1, days_per_week=7)) == "1 minute"
    assert routines.dose_text(Dose(sets="2 to 3", minutes="1 to 2", frequency="Daily")) == "2 to 3 sets, 1 to 2 minutes"


def test_dose_text_without_numbers():
    assert routines.dose_text(Dose(frequency="Daily")) == "As comfortable"
    assert routines.dose_text(Dose(minutes="10 to 20", frequency="Daily", per_day=1, days_per_week=7)) == "10 to 20 minutes"


def test_a_figures_size_is_read_from_its_file_each_time(tmp_path):
    """`guide serve` must see a redrawn figure's new size (no cache keyed on the name alone)."""
    svg = tmp_path / "pages" / "assets" / "figures" / "x.svg"  # any docs_dir, not only docs/
    svg.parent.mkdir(parents=True)
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"></svg>', encoding="utf-8")
    assert routines.image_size("assets/figures/x.svg", tmp_path / "pages") == " width=320 height=200"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300"></svg>', encoding="utf-8")
    assert routines.image_size("assets/figures/x.svg", tmp_path / "pages") == " width=480 height=300"
    assert routines.image_size("assets/figures/gone.svg", tmp_path / "pages") == ""


def test_every_routine_step_fits_its_routine_in_the_real_data():
    for routine in DATA.routines.values():
        for step in routine.steps:
            dose = step.dose or DATA.exercises[step.exercise].dose
            assert (dose.per_day, dose.days_per_week) == (routine.per_day, routine.days_per_week), (routine.id, step.exercise)


def test_exercise_guide_says_what_each_exercise_rests_on():
    out = routines.exercise_guide(DATA, "aftercare/exercises.md")
    assert out.count("**What this rests on:**") == len(DATA.exercises)
    rest = out.split("{ #ex-constructive-rest }")[1].split("{ #ex-")[0]
    assert "Alexander technique" in rest and "nhs-inform" not in rest  # practical advice, no borrowed source
    dead_bug = out.split("{ #ex-dead-bug }")[1].split("{ #ex-")[0]
    assert "nhs-inform" not in dead_bug
    lying = out.split("{ #ex-lying-hip-flexor-stretch }")[1].split("{ #ex-")[0]
    assert "end of the bed" in lying and "side of the bed" not in lying
    assert 'data-finding="hold"' in lying  # ACSM backs the dose only
    assert "hatefi" not in out.split("{ #ex-half-kneeling-stretch }")[1].split("{ #ex-")[0]


def test_exercise_guide_has_an_anchor_per_exercise():
    out = routines.exercise_guide(DATA, "aftercare/exercises.md")
    for ident in DATA.exercises:
        assert f"{{ #ex-{ident} }}" in out


@pytest.mark.parametrize("evil", ["<script>alert(1)</script>", "<b>bold</b>", "**x** { onclick=alert(1) }"])
def test_data_text_is_escaped(evil):
    cl = Checklist(id="x", title=evil, items=[ChecklistItem(text=evil)])
    out = checklists._task_list(cl.id, cl.title, "", [safe(i.text) for i in cl.items])
    assert "<script>" not in out and "<b>" not in out
    assert "{ onclick" not in out.replace("\\{ onclick", "")  # only the escaped form survives


def test_self_check_lines_carry_their_grade_and_leave_out_causes_not_found():
    out = checklists.self_check(DATA, "before/what-makes-it-tight.md")
    lines = re.findall(r'<span id="self-check-\d+">(.*?)</span></li>', out)
    offered = [c for c in DATA.causes.values() if c.self_check]
    assert len(lines) == len(offered) > 0 and all('class="grade grade--' in line for line in lines)
    assert "grade--not-supported" not in out
    assert all(c.self_check for c in DATA.causes.values() if c.grade != "not-supported")


def test_level_action_gives_the_levels_words_with_tap_to_call_numbers():
    """A page says "call 999" in running text from data/safety.yml, never with numbers of its own."""
    from macros import safety
    from macros.errors import MacroError, call_page_macro

    out = safety.level_action(DATA, "emergency", "aftercare/long-term-well-being.md")
    assert out.startswith("**[Emergency](../before/is-it-safe.md#emergency){ .urgency }: call ")
    assert '<a href="tel:999">999</a>' in out and '<a href="tel:112">112</a>' in out
    with pytest.raises(MacroError, match=r"'999' is not a safety level. Use one of: emergency, urgent, routine"):
        call_page_macro(lambda page, level: safety.level_action(DATA, level, page), PAGE, ROOT / "docs", ("999",), {})
