"""Load the data once and register every macro (called by define_env in __init__.py).

Engine differences live in engine.py; nothing here imports an engine."""
from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from . import checklists, citations, glossary, grades, plan, review, routines, safety
from .data import DataError, GuideData, load_data
from .engine import MacroError, docs_dir, page_path, project_root
from .errors import call_page_macro
from .text import safe
from .lookup import by_id


def define_env(env) -> None:
    try:
        data = load_data(project_root(env) / "data")
    except DataError as exc:
        raise MacroError(str(exc)) from None
    register(env, data)


class _Names:
    """Stands in for an engine's env: keeps only the names registered on it."""

    def __init__(self) -> None:
        self.variables: dict[str, Any] = {}
        self.macros: dict[str, Any] = {}

    def macro(self, func, name: str = ""):
        self.macros[name or func.__name__] = func
        return func


def macro_names(data: GuideData) -> frozenset[str]:
    """Every name a page may use ({{ cite(...) }}): the page check (pipeline/pages.py)
    then knows the same names as the engine, with no list to keep in step by hand."""
    names = _Names()
    register(names, data)
    return frozenset(names.macros) | frozenset(names.variables)


def register(env, data: GuideData) -> None:
    # The data reaches pages only through the macros, which escape it: no page variable holds it
    # ({{ guide_data.x }} would print data text unescaped).

    def page_macro(func):
        """Register func(ctx-derived page path, *args) as a macro taking only the args."""
        @pass_context
        def macro(ctx, *args, **kwargs):
            # Errors name the author's line and count only the arguments they wrote.
            return call_page_macro(func, page_path(ctx), docs_dir(env), args, kwargs)
        macro.__name__ = func.__name__
        env.macro(macro, func.__name__)
        return func

    @page_macro
    def cite(page, *refs):
        return citations.cite(data.sources, refs, page)

    @page_macro
    def source_list(page):
        return citations.source_list(data.sources, page)

    @page_macro
    def search_statement(page, search_id, names=False):
        return citations.search_statement(data, search_id, page, names)

    @page_macro
    def search_link(page, search_id):
        return citations.search_link(data, search_id, page)

    @page_macro
    def checklist(page, checklist_id):
        return checklists.checklist(data, checklist_id, page)

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
        return routines.routine_table(data, routine_id, page, docs_dir=docs_dir(env))

    @page_macro
    def exercise_guide(page, level=2):
        return routines.exercise_guide(data, page, level, docs_dir=docs_dir(env))

    @page_macro
    def figure(page, figure_id):
        return routines.figure_html(by_id(data.figures, figure_id, "figure", "figure"), page, docs_dir=docs_dir(env))

    @page_macro
    def evidence(page, grade):
        # A page macro so that an unknown grade names the page and line, as every other macro's error does.
        if grade not in grades.GRADE_LABELS:
            raise DataError(f"evidence('{grade}'): unknown grade. Fix: use one of: {', '.join(grades.GRADE_LABELS)}.")
        return grades.grade_badge(grade)

    @env.macro
    @pass_context
    def plan_builder_data(ctx):
        # The guide's date on a printed plan is this page's 'updated' date (front matter). Both
        # engines read site_name from the site configuration; .get, as their config objects differ.
        conf = getattr(env, "conf", None) or {}
        site_name = conf.get("site_name")
        if not site_name:
            raise MacroError("plan_builder_data(): the site configuration has no site_name, and a printed plan "
                             "names the guide it came from. Fix: set site_name in the site configuration.")
        edition = plan.edition(site_name, str(ctx["page"].meta.get("updated", "")), str(conf.get("site_url") or ""))
        return plan.plan_builder_data(data, page_path(ctx), edition)

    @env.macro
    def glossary_list():
        return glossary.glossary(data.glossary)

    # Safety (data/safety.yml): one wording on every page.
    @page_macro
    def care_card(page, after_session=False):
        return safety.care_card(data, page, after_session)

    for func in (safety.urgency_boxes, safety.stop_signs, safety.after_session_signs,
                 safety.contraindications, safety.safety_check, safety.pregnancy_note, safety.consent_note):
        page_macro(_with_data(func, data))

    @env.macro
    def report_route():
        """The report-a-mistake words from data/review.yml, for the About page."""
        return safe(review.report_text(data.review))

    @page_macro
    def care_level(page, level_id):
        return safety.care_level(data, level_id, page)

    @page_macro
    def level_action(page, level_id):
        return safety.level_action(data, level_id, page)


def _with_data(func, data):
    """func(data, page) as a page macro func(page), keeping its name for the page_macro registry."""
    def bound(page):
        return func(data, page)
    bound.__name__ = func.__name__
    return bound
