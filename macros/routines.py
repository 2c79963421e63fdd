"""Routine tables and the exercise guide they link to."""
from __future__ import annotations

import re
from pathlib import Path

from . import schema
from .citations import cite
from .links import EXERCISE_ANCHOR_PREFIX, EXERCISES_PAGE, relative
from .lookup import by_id
from .text import safe


REPS_COUNT = re.compile(r"^(\d+(?: to \d+)?)")


def counted(count: str, unit: str) -> str:
    """'1' -> '1 set', '2 to 3' -> '2 to 3 sets' (the dead bug's beginners do "1 set of 5")."""
    return f"{count} {unit if count.strip() == '1' else unit + 's'}"


def dose_text(dose: schema.Dose) -> str:
    parts = []
    if dose.hold_seconds:
        parts.append("hold " + counted(dose.hold_seconds, "second"))
    if dose.reps:
        parts.append(reps_text(dose.reps))
    if dose.sets:
        parts.append(counted(dose.sets, "set"))
    if dose.minutes:
        parts.append(counted(dose.minutes, "minute"))
    text = ", ".join(parts) or "as comfortable"
    return safe(text[0].upper() + text[1:])


def reps_text(reps: str) -> str:
    """'5 each side' -> '5 times each side' ("times" follows the count); '1' -> 'once'."""
    count = REPS_COUNT.match(reps)
    if not count:
        return f"{reps} times"
    said = "once" if count.group(1) == "1" else f"{count.group(1)} times"
    return said + reps[count.end():]


def exercise_anchor(exercise_id: str) -> str:
    return f"{EXERCISE_ANCHOR_PREFIX}{exercise_id}"


def thumbnail(data, ex: schema.Exercise, page: str, docs_dir: Path | None = None) -> str:
    """A small copy of the exercise's figure beside its name, on screen only (paper gets the full
    figures in the exercise guide). Empty alt: the name beside it says what it is, and the figure
    with its description is one link away. #thumbnail hides the SVG's labels (specks at this size)."""
    if not ex.figure:
        return ""
    src = data.figures[ex.figure].src
    return f"![]({relative(src, page)}#thumbnail){{ .routine__thumb .screen-only loading=lazy decoding=async{image_size(src, docs_dir)} }} "


def routine_table(data, routine_id: str, page: str, docs_dir: Path | None = None) -> str:
    routine: schema.Routine = by_id(data.routines, routine_id, "routine", "routine_table")
    lines = [
        f'<p class="routine__title"><strong>{safe(routine.name)}</strong> (about {routine.minutes} minutes). '
        f"When: {safe(routine.when)}</p>",
        "",
        "| Exercise | Dose | How often |",
        "| --- | --- | --- |",
    ]
    for step in routine.steps:
        ex = data.exercises[step.exercise]
        dose = step.dose or ex.dose
        link = relative(EXERCISES_PAGE, page, exercise_anchor(ex.id))
        lines.append(f"| {thumbnail(data, ex, page, docs_dir)}[{safe(ex.name)}]({link}) | {dose_text(dose)} | {safe(dose.frequency)} |")
    return "\n".join(lines + ["", routine_steps(data, routine)])


def routine_steps(data, routine: schema.Routine) -> str:
    """Paper only: how to do each exercise of the routine, under its table.

    On screen each name links to the exercise guide; a printed handout cannot follow a link,
    so the steps and cautions come along (.print-only: docs/stylesheets/paper.css)."""
    out = ['<div class="print-only routine__steps" markdown="block">', "",
           '<p class="routine__steps-title"><strong>How to do each exercise</strong></p>', ""]
    for step in routine.steps:
        ex = data.exercises[step.exercise]
        out += ['<div class="routine__how-to" markdown="block">', "", f"**{safe(ex.name)}**", ""]
        if ex.cautions:  # before the steps: "Had a hip replacement?" is read before the stretch
            out += ["**Take care:** " + " ".join(safe(c) for c in ex.cautions), ""]
        out += [f"{n}. {safe(line)}" for n, line in enumerate(step.steps or ex.steps, 1)]
        out += ["", "</div>", ""]
    return "\n".join(out + ["</div>"])


def evidence_line(data, ex: schema.Exercise, page: str) -> str:
    """What the exercise and its dose rest on, with the citations beside the words they back."""
    note = safe(ex.evidence_note) if ex.evidence_note else "The dose follows the sources cited here."
    cites = f" {cite(data.sources, ex.sources, page)}" if ex.sources else ""
    return f'<p class="exercise__evidence" markdown="span">**What this rests on:** {note}{cites}</p>'


def image_size(src: str, docs_dir: Path | None) -> str:
    """' width=W height=H' from the SVG's own attributes: the browser keeps the space before the
    drawing arrives, so the page does not jump (CLS). Empty if the file does not say, or with no
    docs_dir (a test rendering without the pages). Read on every call, no cache: a few small
    files per build, and `guide serve` must see a redrawn figure's new size."""
    if docs_dir is None:
        return ""
    try:
        with (docs_dir / src).open(encoding="utf-8") as svg:
            head = svg.read(2000)
    except OSError:
        return ""  # MkDocs itself reports a missing image
    tag = re.search(r"<svg\b[^>]*>", head)
    width = re.search(r'\swidth="(\d+)"', tag.group(0)) if tag else None
    height = re.search(r'\sheight="(\d+)"', tag.group(0)) if tag else None
    return f" width={width.group(1)} height={height.group(1)}" if width and height else ""


def figure_html(fig: schema.Figure, page: str, lazy: bool = False, docs_dir: Path | None = None) -> str:
    """Material's figure pattern; a Markdown image so MkDocs rewrites and checks the path."""
    return (
        # Lazy only where asked: a drawing far down a long page costs a first visit nothing, but a
        # drawing near the top may be the largest thing on screen, and lazy would delay it (LCP).
        f'<figure class="guide-figure" markdown="span">\n![{safe(fig.alt)}]({relative(fig.src, page)})'
        f'{{ {"loading=lazy " if lazy else ""}decoding=async{image_size(fig.src, docs_dir)} }}\n'
        f'<figcaption markdown="span">{safe(fig.caption)}</figcaption>\n</figure>'
    )


def exercise_guide(data, page: str, level: int = 2, docs_dir: Path | None = None) -> str:
    # h1 is the page's title and Markdown stops at h6: "#######" would print as text.
    if type(level) is not int or not 2 <= level <= 6:
        raise ValueError(f"exercise_guide({level!r}): the heading level must be a whole number from 2 to 6. "
                         "Fix: call exercise_guide() for level 2 headings, or e.g. exercise_guide(3) under a "
                         "level 2 heading.")
    hashes = "#" * level
    out = []
    for number, ex in enumerate(data.exercises.values()):
        out += [f"{hashes} {safe(ex.name)} {{ #{exercise_anchor(ex.id)} }}", "", safe(ex.summary), ""]
        if ex.figure:
            out += [figure_html(data.figures[ex.figure], page, lazy=number > 0, docs_dir=docs_dir), ""]
        if ex.cautions:  # before the steps: "Had a hip replacement?" is read before the stretch
            out += ['!!! warning "Take care"', ""]
            out += [f"    - {safe(c)}" for c in ex.cautions]
            out.append("")
        out += [f"{n}. {safe(step)}" for n, step in enumerate(ex.steps, 1)]
        out += ["", f"**Dose:** {dose_text(ex.dose)}. **How often:** {safe(ex.dose.frequency)}.", ""]
        out += [evidence_line(data, ex, page), ""]
    return "\n".join(out)
