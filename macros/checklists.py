"""Checklists as task lists: a real, labelled checkbox per item, clickable on screen, empty on paper.

The markup matches pymdownx.tasklist's custom checkboxes (so Material styles it), plus
aria-labelledby so each box has an accessible name.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from . import schema
from .citations import cite, search_link
from .data import DataError
from .grades import grade_badge
from .lookup import by_id
from .text import safe


def _task_list(list_id: str, title: str, intro: str, rows: Iterable[str], notes: Iterable[str] = ()) -> str:
    """A list of tick boxes. Each box is named by its row; a row's note (e.g. a grade) follows
    outside that name, so a screen reader names the box by its words alone."""
    notes = list(notes)
    lines = [f'<div class="checklist" id="checklist-{list_id}" markdown>', f'<p class="checklist__title"><strong>{safe(title)}</strong></p>']
    if intro:
        lines.append(f'<p class="checklist__intro" markdown="span">{safe(intro)}</p>')
    lines.append('<ul class="task-list" markdown>')
    for n, row in enumerate(rows, 1):
        label_id = f"{list_id}-{n}"
        note = f" {notes[n - 1]}" if n <= len(notes) else ""
        lines.append(
            f'<li class="task-list-item" markdown="span"><label class="task-list-control">'
            f'<input type="checkbox" aria-labelledby="{label_id}"><span class="task-list-indicator"></span></label> '
            f'<span id="{label_id}">{row}</span>{note}</li>'
        )
    lines += ["</ul>", "</div>"]
    return "\n".join(lines)


def checklist(data, checklist_id: str, page: str) -> str:
    cl: schema.Checklist = by_id(data.checklists, checklist_id, "checklist", "checklist")
    rows = [
        safe(item.text) + (" " + cite(data.sources, item.sources, page) if item.sources else "")
        for item in cl.items
    ]
    return _task_list(cl.id, cl.title, cl.intro, rows)


def benefit_table(data, group_id: str, page: str) -> str:
    """What people report beside what research shows, with the grade in words.

    Not a tick list: "tick what you notice" beside an unproven benefit primes people to notice it."""
    group: schema.BenefitGroup = by_id(data.benefit_groups, group_id, "benefit group", "benefit_table")
    lines = [
        f'<div class="benefit-table" id="benefits-{group.id}" markdown>',
        f'<p class="benefit-table__title"><strong>{safe(group.title)}</strong>: what people report, and what research shows</p>',
        "",
        "| What people report | What research shows |",
        "| --- | --- |",
    ]
    for b in group.items:
        backing = " ".join(filter(None, [cite(data.sources, b.sources, page) if b.sources else "",
                                         search_link(data, b.search, page) if b.search else ""]))
        lines.append(f"| {safe(b.reported or b.text)} | {grade_badge(b.grade)} {safe(b.evidence)} {backing} |")
    lines += ["", "</div>"]
    return "\n".join(lines)


def self_check(data, page: str) -> str:
    # Each line carries its grade: "I often feel stressed" is a possible cause people report, not a proven one.
    offered = [c for c in data.causes.values() if c.self_check]
    if not offered:  # the title and "Tick each one" over an empty list
        raise DataError("self_check(): no cause in data/causes.yml has a self_check line, so the self-check would "
                        "print an empty list. Fix: add self_check: lines to the causes a reader may tick, or "
                        "remove self_check() from the page.")
    return _task_list("self-check", "Self-check: what might be adding to your tight hips?",
                      "Tick each one that is true for you. Each line says how much research backs it.",
                      [safe(c.self_check) for c in offered], [grade_badge(c.grade) for c in offered])


def cause_table(data: "object", page: str) -> str:
    causes: Mapping[str, schema.Cause] = data.causes
    lines = ["| Possible cause | What the evidence says | Grade |", "| --- | --- | --- |"]
    for c in causes.values():
        lines.append(f"| {safe(c.name)} | {safe(c.evidence)} {cite(data.sources, c.sources, page)} | {grade_badge(c.grade)} |")
    return "\n".join(lines)
