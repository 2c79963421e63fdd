"""The plan builder's data: exercises, aftercare checklist items and limits as one JSON document
that the builder page embeds (`plan_builder_data()`) and its JavaScript reads.

Pure functions, data in -> JSON/HTML out. Counts in data/exercises.yml are written for people
("20 to 30", "at least 20"); the builder needs numbers, so it takes the leading number of each,
and one it cannot read stops the build naming the exercise, the field and what to write instead.
How often comes from the numeric per_day and days_per_week, which macros/data.py requires.
"""
from __future__ import annotations

import importlib.metadata
import json
import re
from typing import Any, Iterable

from . import schema
from .data import DataError, frequency_ranges
from .links import SAFETY_PAGE, relative

FORMAT = 1  # the version in every plan address: "#plan=v1.<base64url JSON>"

# One place for the limits: the builder's JavaScript reads them from the JSON, so a clamp in the
# browser and a check here can never disagree. Doses are [lowest, highest] whole numbers.
DOSE_LIMITS: dict[str, tuple[int, int]] = {
    "hold": (5, 120),          # seconds per hold
    "reps": (1, 30),           # repetitions per set
    "sets": (1, 5),
    "minutes": (1, 60),        # for activities timed in minutes rather than counted
    "per_day": (1, 3),         # times a day
    "days_per_week": (1, 7),
}
# Longest text a plan keeps per field (characters); longer text from an address is cut with a notice.
TEXT_LIMITS = {"client": 80, "practitioner": 80, "contact": 120, "note": 500}
# An address longer than this is refused rather than decoded (a real plan is well under 3,000).
MAX_FRAGMENT = 8000
# Most exercises and checklist items on one plan. Measured with the care card (and its warning signs
# after a session) whole on page 1, above the exercises: a plan of a few exercises and items prints
# on two A4 or Letter pages; the four longest exercises (with their pregnancy and start-small
# cautions), the eight longest items and a full note print on three (tests/test_plan_builder.py
# checks both).
MAX_EXERCISES = 5
MAX_ITEMS = 8

# The aftercare lists a practitioner can pick items from, in the order shown.
PLAN_CHECKLISTS = ("aftercare", "preparing")

_NO_MOST = re.compile(r"\s*(at least|or more)\b", re.I)  # "at least 20": the guide sets no most
_LEADING_NUMBER = re.compile(r"^(?:at least |about |up to )?(\d+)\b")


def _dose_error(exercise_id: str, field: str, value: str, problem: str, fix: str) -> DataError:
    return DataError(
        f"data/exercises.yml: exercise '{exercise_id}', field 'dose.{field}' ({value!r}): {problem}. Fix: {fix}."
    )


def _leading_number(exercise_id: str, field: str, text: str) -> int:
    match = _LEADING_NUMBER.match(text.strip())
    if not match:
        raise _dose_error(exercise_id, field, text, "the plan builder cannot read a number at its start",
                          "start it with a whole number, such as '20' or '20 to 30'")
    return int(match.group(1))


def _counted(dose: schema.Dose) -> dict[str, tuple[str, str | None]]:
    """The builder's counted dose fields: {field: (the data's name for it, its words)}."""
    return {"hold": ("hold_seconds", dose.hold_seconds), "reps": ("reps", dose.reps), "sets": ("sets", dose.sets),
            "minutes": ("minutes", dose.minutes)}


def dose_defaults(exercise: schema.Exercise) -> dict[str, int]:
    """The builder's starting numbers for one exercise; only the fields the exercise uses.

    Counts ("20 to 30", "at least 20") give their first number; per_day and days_per_week are
    numbers already.
    """
    dose = exercise.dose
    found: dict[str, int] = {}
    for field, (name, text) in _counted(dose).items():
        if isinstance(text, str) and text:
            found[field] = _leading_number(exercise.id, name, text)
    for field in ("per_day", "days_per_week"):
        value = getattr(dose, field)
        if not isinstance(value, int):  # load_data refuses such a dose; a hand-made one may still have it
            raise _dose_error(exercise.id, field, str(value), "the plan builder needs it as a number",
                              f"add {field}: N, saying the same as its frequency text")
        found[field] = value
    for field, value in found.items():
        low, high = DOSE_LIMITS[field]
        if not low <= value <= high:
            raise _dose_error(exercise.id, {"hold": "hold_seconds"}.get(field, field), str(value), f"{value} is outside the plan builder's limits ({low} to {high})",
                              f"use a dose from {low} to {high}, or change DOSE_LIMITS in macros/plan.py if the guide's advice changed")
    return {field: found[field] for field in DOSE_LIMITS if field in found}


def dose_guide_most(exercise: schema.Exercise) -> dict[str, int]:
    """The most the guide itself says for each part of the dose ("5 to 10" -> 10, "10 minutes at
    first, building to 30" -> 30; "2 or 3 days a week" -> 3, "daily" -> once a day): the builder
    notes a dose above it, without changing it. A dead bug every day, or a stretch 3 times a day,
    is the practitioner's call, and said like more repeats."""
    dose = exercise.dose
    most = {field: max(map(int, numbers)) for field, (_, text) in _counted(dose).items()
            if isinstance(text, str) and not _NO_MOST.match(text) and (numbers := re.findall(r"\d+", text))}
    said = frequency_ranges(dose)
    for field in ("per_day", "days_per_week"):
        value = getattr(dose, field)
        if isinstance(value, int):
            most[field] = max(value, said[field][1]) if field in said else value
    return most


def dose_guide_most_older(exercise: schema.Exercise) -> dict[str, int]:
    """The longer most the guide gives older adults ("30 to 60" -> {"hold": 60}), or {}: a hold
    above the guide's most is noted with both ("up to 30, or 60 for older adults")."""
    text = exercise.dose.hold_seconds_older_adults
    if not text:
        return {}
    name = "hold_seconds_older_adults"
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers:
        raise _dose_error(exercise.id, name, text, "the plan builder cannot read a number in it",
                          "write the older adults' hold in seconds, such as '30 to 60'")
    most, usual = max(numbers), dose_guide_most(exercise).get("hold")
    if usual is None or most <= usual:
        raise _dose_error(exercise.id, name, text, f"its most ({most}) is not longer than the usual hold's "
                          f"({usual})", "give it only for a longer hold the guide says older adults may use")
    return {"hold": most}


def each_side(exercise: schema.Exercise) -> bool:
    dose = exercise.dose
    return any("each side" in (text or "").lower() for text in (dose.reps, dose.frequency))


def item_key(checklist_id: str, text: str) -> str:
    """A stable key for a checklist item in a plan address: the list and the item's first words.

    Items have no ids in the data; the first eight words are unique in practice, readable when an
    old address names an item that is gone, and survive reordering the list.
    """
    words = re.findall(r"[a-z0-9]+", text.lower())[:8]
    return f"{checklist_id}.{'-'.join(words)}"


def _checklist_entries(data, ids: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for checklist_id in ids:
        checklist = data.checklists.get(checklist_id)
        if checklist is None:
            raise DataError(f"data/checklists.yml: the plan builder needs the checklist '{checklist_id}'. "
                            f"Fix: restore it, or change PLAN_CHECKLISTS in macros/plan.py.")
        items, seen = [], {}
        for item in checklist.items:
            key = item_key(checklist.id, item.text)
            if key in seen:
                raise DataError(f"data/checklists.yml: checklist '{checklist.id}': items {item.text!r} and {seen[key]!r} "
                                f"start with the same eight words. Fix: reword one of them.")
            seen[key] = item.text
            items.append({"key": key, "text": item.text})
        out.append({"id": checklist.id, "title": checklist.title, "items": items})
    return out


def edition(site_name: str, date: str, url: str = "") -> dict[str, str]:
    """Which guide made a plan: its name, the project's version (pyproject.toml), a date, and its
    address online (SITE_URL; "" until the guide is published, so no placeholder is printed). The
    paper plan sends the client to the guide ("see Is it safe for me?"): the address says where."""
    try:
        version = importlib.metadata.version("psoas-guide")
    except importlib.metadata.PackageNotFoundError:
        version = "unreleased"
    return {"name": site_name, "version": version, "date": date, "url": url}


def plan_data(data, page: str, guide: dict[str, str]) -> dict[str, Any]:
    """Everything the builder shows, with figure and safety-page addresses relative to `page`."""
    exercises = []
    for ex in data.exercises.values():
        fig = data.figures[ex.figure] if ex.figure else None
        exercises.append({
            "id": ex.id,
            "name": ex.name,
            "summary": ex.summary,
            "steps": list(ex.steps),
            "cautions": list(ex.cautions),
            "dose": dose_defaults(ex),
            "guide_most": dose_guide_most(ex),
            "guide_most_older": dose_guide_most_older(ex),
            "each_side": each_side(ex),
            "figure": {"src": html_path(relative(fig.src, page)), "alt": fig.alt} if fig else None,
        })
    return {
        "format": FORMAT,
        "guide": guide,
        "limits": {"dose": {k: list(v) for k, v in DOSE_LIMITS.items()}, "text": TEXT_LIMITS,
                   "fragment": MAX_FRAGMENT, "exercises": MAX_EXERCISES, "items": MAX_ITEMS},
        "links": {"safety": html_path(relative(SAFETY_PAGE, page))},
        "exercises": exercises,
        "checklists": _checklist_entries(data, PLAN_CHECKLISTS),
    }


def html_path(path: str) -> str:
    """The built address of a docs/ file: pages end in .html (the offline plugin turns off directory URLs)."""
    return path[:-3] + ".html" if path.endswith(".md") else path


# In a <script> element only '</script' (any case) or '<!--' can end or confuse it; escaping every
# '<', '>' and '&' covers both. U+2028/2029 are line ends to old JavaScript parsers. '{{' and '{%'
# would look like unrendered macros to the built-site checks; in JSON they occur only in strings.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JINJA_OPENERS = re.compile(r"\{(?=[{%])")


def script_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)
    return _JINJA_OPENERS.sub(r"\\u007b", text)


def plan_builder_data(data, page: str, guide: dict[str, str]) -> str:
    """The raw HTML block the builder page embeds: one JSON document, inert until the script reads it."""
    return f'<script type="application/json" id="plan-data">{script_json(plan_data(data, page, guide))}</script>'
