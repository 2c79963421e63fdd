"""Macro functions as units: small fixture data in, Markdown/HTML out."""
from __future__ import annotations

from pathlib import Path

import pytest

from macros import checklists, citations, routines
from macros.data import DataError, load_data
from macros.links import relative
from macros.schema import Checklist, ChecklistItem, Dose
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
    assert out == ('([NHS, 2024](../reference/sources.md#src-nhs-back-pain){ .cite data-source="nhs-back-pain" }; '
                   '[NICE, 2020](../reference/sources.md#src-nice-ng59){ .cite data-source="nice-ng59" })')


def test_cite_unknown_id_suggests_nearest():
    with pytest.raises(DataError, match=r"unknown source id 'nhs-backpain'.*Did you mean: nhs-back-pain"):
        citations.cite(DATA.sources, ["nhs-backpain"], PAGE)


def test_source_list_has_an_anchor_and_a_cited_on_marker_per_source():
    out = citations.source_list(DATA.sources, "reference/sources.md")
    for ident in DATA.sources:
        assert f'<li id="src-{ident}"' in out and f"Cited on: <!-- cited-on:{ident} -->." in out


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


def test_benefit_checklist_shows_grade_in_words():
    out = checklists.benefit_checklist(DATA, "posture-mobility", PAGE)
    assert "grade__label\">Supported by research<" in out
    assert "grade__label\">Not supported by research<" in out
    assert "grade__label\">Personal reports only<" in out


def test_routine_table_links_to_exercise_details():
    out = routines.routine_table(DATA, "daily", PAGE)
    assert "| Exercise | Dose | How often |" in out
    assert "[Bridge](exercises.md#ex-bridge)" in out
    assert "Hold 5 seconds, 5 to 10 times" in out


def test_routine_step_dose_overrides_exercise_dose():
    out = routines.routine_table(DATA, "desk-break", PAGE)
    assert "Hold 20 to 30 seconds, once | Every sitting break, each side" in out


def test_unknown_routine_suggests_nearest():
    with pytest.raises(DataError, match="Did you mean: daily"):
        routines.routine_table(DATA, "dayly", PAGE)


def test_reps_read_naturally():
    assert routines.reps_text("5 each side") == "5 times each side"
    assert routines.reps_text("8 to 12 each side") == "8 to 12 times each side"
    assert routines.reps_text("1") == "once"
    assert routines.reps_text("a few") == "a few times"


def test_dose_text_without_numbers():
    assert routines.dose_text(Dose(frequency="Daily")) == "As comfortable"


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
