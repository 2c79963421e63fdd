"""mkdocs-macros entry point: load data once, register the macros. Nothing else happens here."""
from __future__ import annotations

from pathlib import Path

from jinja2 import pass_context
from mkdocs.exceptions import PluginError

from . import checklists, citations, glossary, grades, routines
from .data import DataError, load_data
from .lookup import by_id


def _page_path(ctx) -> str:
    """The Markdown path of the page being rendered, e.g. 'aftercare/maintaining.md'."""
    return ctx["page"].file.src_uri


def define_env(env) -> None:
    project = Path(env.conf["config_file_path"]).parent
    docs_dir = Path(env.conf["docs_dir"])
    try:
        data = load_data(project / "data")
    except DataError as exc:
        raise PluginError(str(exc)) from None
    env.variables["guide_data"] = data

    def page_macro(func):
        """Register func(ctx-derived page path, *args) as a macro taking only the args."""
        @pass_context
        def macro(ctx, *args, **kwargs):
            return func(_page_path(ctx), *args, **kwargs)
        macro.__name__ = func.__name__
        env.macro(macro, func.__name__)
        return func

    @page_macro
    def cite(page, *refs):
        return citations.cite(data.sources, refs, page)

    @page_macro
    def source_list(page):
        # The pipeline fills the cited-on markers from the built pages; until it says so
        # (extra.cited_on_filled_by_pipeline: true), a list read from the pages' macro calls stands in.
        filled = (env.conf.get("extra") or {}).get("cited_on_filled_by_pipeline", False)
        return citations.source_list(data.sources, page, None if filled else citations.cited_on_fallback(docs_dir, data))

    @page_macro
    def search_statement(page, search_id):
        return citations.search_statement(data, search_id, page)

    @page_macro
    def checklist(page, checklist_id):
        return checklists.checklist(data, checklist_id, page)

    @page_macro
    def benefit_checklist(page, group_id):
        return checklists.benefit_checklist(data, group_id, page)

    @page_macro
    def benefit_table(page, group_id):
        return checklists.benefit_table(data, group_id, page)

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
