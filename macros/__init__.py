"""mkdocs-macros entry point: load data once, register the macros. Nothing else happens here."""
from __future__ import annotations

from pathlib import Path

from jinja2 import pass_context
from mkdocs.exceptions import PluginError

from . import checklists, citations, glossary, grades, plan, routines
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
    def cite(page, *source_ids):
        return citations.cite(data.sources, source_ids, page)

    @page_macro
    def source_list(page):
        return citations.source_list(data.sources, citations.citing_pages(docs_dir, data), page)

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
    @pass_context
    def plan_builder_data(ctx):
        # The guide's date on a printed plan is this page's 'updated' date (front matter).
        edition = plan.edition(env.conf["site_name"], str(ctx["page"].meta.get("updated", "")))
        return plan.plan_builder_data(data, _page_path(ctx), edition)

    @env.macro
    def glossary_list():
        return glossary.glossary(data.glossary)
