"""Macros entry point (the MkDocs macros plugin or Zensical): load data once, register the macros.

Engine differences live in engine.py; nothing here imports an engine."""
from __future__ import annotations

from jinja2 import pass_context

from . import checklists, citations, glossary, grades, routines
from .data import DataError, load_data
from .engine import MacroError, page_path, project_root
from .lookup import by_id


def define_env(env) -> None:
    try:
        data = load_data(project_root(env) / "data")
    except DataError as exc:
        raise MacroError(str(exc)) from None
    env.variables["guide_data"] = data

    def page_macro(func):
        """Register func(ctx-derived page path, *args) as a macro taking only the args."""
        @pass_context
        def macro(ctx, *args, **kwargs):
            return func(page_path(ctx), *args, **kwargs)
        macro.__name__ = func.__name__
        env.macro(macro, func.__name__)
        return func

    @page_macro
    def cite(page, *source_ids):
        return citations.cite(data.sources, source_ids, page)

    @page_macro
    def source_list(page):
        return citations.source_list(data.sources, page)

    @page_macro
    def checklist(page, checklist_id):
        return checklists.checklist(data, checklist_id, page)

    @page_macro
    def benefit_checklist(page, group_id):
        return checklists.benefit_checklist(data, group_id, page)

    @page_macro
    def self_check(page):
        return checklists.self_check(data, page)

    @page_macro
    def cause_table(page):
        return checklists.cause_table(data, page)

    @page_macro
    def routine_table(page, routine_id):
        return routines.routine_table(data, routine_id, page)

    @page_macro
    def exercise_guide(page, level=2):
        return routines.exercise_guide(data, page, level)

    @page_macro
    def figure(page, figure_id):
        return routines.figure_html(by_id(data.figures, figure_id, "figure", "figure"), page)

    @env.macro
    def evidence(grade):
        if grade not in grades.GRADE_LABELS:
            raise DataError(f"evidence('{grade}'): unknown grade. Use one of: {', '.join(grades.GRADE_LABELS)}.")
        return grades.grade_badge(grade)

    @env.macro
    def glossary_list():
        return glossary.glossary(data.glossary)
