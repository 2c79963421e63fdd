"""Load every file in data/ once, validate it, and cross-check the ids that tie files together.

Every error names the file, the entry and what to fix, because the person reading it is
usually editing YAML, not Python.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from . import schema


# libyaml's parser is ~10x faster than pure Python; PyYAML's wheels ship it.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(ValueError):
    """A data file is unreadable, invalid, or refers to an id that does not exist."""


# file name -> model; the order is the order they are checked in.
DATA_FILES: dict[str, type[BaseModel]] = {
    "sources.yml": schema.SourcesFile,
    "benefits.yml": schema.BenefitsFile,
    "causes.yml": schema.CausesFile,
    "checklists.yml": schema.ChecklistsFile,
    "exercises.yml": schema.ExercisesFile,
    "glossary.yml": schema.GlossaryFile,
    "figures.yml": schema.FiguresFile,
    "safety.yml": schema.SafetyFile,
    "review.yml": schema.ReviewFile,
    "vocabulary.yml": schema.VocabularyFile,
}


@dataclass(frozen=True)
class GuideData:
    sources: dict[str, schema.Source]
    benefit_groups: dict[str, schema.BenefitGroup]
    causes: dict[str, schema.Cause]
    checklists: dict[str, schema.Checklist]
    exercises: dict[str, schema.Exercise]
    routines: dict[str, schema.Routine]
    glossary: list[schema.Term]
    figures: dict[str, schema.Figure]
    safety: schema.SafetyFile
    review: schema.ReviewFile
    vocabulary: schema.VocabularyFile


def suggest(wanted: str, known: Iterable[str]) -> str:
    """' Did you mean: a, b?' for near misses, else the list of valid ids."""
    known = sorted(known)
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    if close:
        return f"Did you mean: {', '.join(close)}?"
    return f"Valid ids are: {', '.join(known)}."


def _entry_name(raw: Any, loc: tuple) -> str:
    """Walk the raw YAML along a pydantic error location; name the innermost entry with an id."""
    node, name, path = raw, None, []
    for part in loc:
        path.append(f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            label = node.get("id") or node.get("term") or node.get("exercise")
            if label:
                name = str(label)
    where = "".join(path)
    return f"entry '{name}' ({where})" if name else f"at {where}"


def _format_validation(path: Path, raw: Any, error: ValidationError) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in this data file:"]
    for item in error.errors():
        loc = item["loc"]
        field = loc[-1] if loc else "(top level)"
        got = item.get("input")
        detail = item["msg"]
        if item["type"] == "missing":
            fix = f"add the required field '{field}'"
        elif item["type"] == "extra_forbidden":
            fix = f"remove or rename the unknown field '{field}'"
        elif item["type"] == "literal_error":
            fix = f"change {got!r} to one of the allowed values"
        else:
            fix = f"correct the value {got!r}" if not isinstance(got, (dict, list)) else "correct this value"
        lines.append(f"  - {_entry_name(raw, loc[:-1] if loc else loc)}, field '{field}': {detail}. Fix: {fix}.")
    return "\n".join(lines)


def load_file(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        raise DataError(f"{path}: file is missing. Fix: create it (see macros/schema.py for its fields).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(f"{path}: invalid YAML{where}: {problem}. Fix: check indentation, colons and quotes there.") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(_format_validation(path, raw, exc)) from None


def _index(path: Path, kind: str, entries: Iterable[Any], key: str = "id") -> dict[str, Any]:
    index: dict[str, Any] = {}
    for entry in entries:
        ident = getattr(entry, key)
        if ident in index:
            raise DataError(f"{path}: duplicate {kind} id '{ident}'. Fix: give each {kind} its own id.")
        index[ident] = entry
    return index


def _check_refs(path: Path, owner: str, refs: Iterable[str], known: dict[str, Any], kind: str) -> None:
    for ref in refs:
        if ref not in known:
            raise DataError(
                f"{path}: entry '{owner}' refers to unknown {kind} id '{ref}'. "
                f"Fix: define it in data/{kind}s.yml or correct the id. {suggest(ref, known)}"
            )


def _check_vocabulary(path: Path, vocabulary: schema.VocabularyFile) -> None:
    """A reader's word may lead to one set of guide words only, else which one wins is a guess."""
    seen: dict[str, str] = {}
    for entry in vocabulary.entries:
        for word in entry.reader:
            if word in seen:
                raise DataError(
                    f"{path}: reader word '{word}' is listed under guide words [{seen[word]}] and "
                    f"[{', '.join(entry.guide)}]. Fix: keep it in one entry (add guide words there)."
                )
            seen[word] = ", ".join(entry.guide)


def load_data(data_dir: Path) -> GuideData:
    """Validated data, parsed once per change: cached on the files' modification times."""
    data_dir = Path(data_dir).resolve()
    stamp = tuple((data_dir / name).stat().st_mtime_ns if (data_dir / name).exists() else None for name in DATA_FILES)
    return _load(data_dir, stamp)


@lru_cache(maxsize=8)
def _load(data_dir: Path, stamp: tuple) -> GuideData:
    files = {name: load_file(data_dir / name, model) for name, model in DATA_FILES.items()}
    p = {name: data_dir / name for name in DATA_FILES}

    sources = _index(p["sources.yml"], "source", files["sources.yml"].sources)
    groups = _index(p["benefits.yml"], "benefit group", files["benefits.yml"].groups)
    benefits = _index(p["benefits.yml"], "benefit", (b for g in groups.values() for b in g.items))
    causes = _index(p["causes.yml"], "cause", files["causes.yml"].causes)
    checklists = _index(p["checklists.yml"], "checklist", files["checklists.yml"].checklists)
    exercises = _index(p["exercises.yml"], "exercise", files["exercises.yml"].exercises)
    routines = _index(p["exercises.yml"], "routine", files["exercises.yml"].routines)
    _index(p["glossary.yml"], "glossary term", files["glossary.yml"].terms, key="term")
    figures = _index(p["figures.yml"], "figure", files["figures.yml"].figures)
    _check_vocabulary(p["vocabulary.yml"], files["vocabulary.yml"])
    # A figure's file is checked by MkDocs itself: figure_html emits a Markdown image link.

    for b in benefits.values():
        _check_refs(p["benefits.yml"], b.id, b.sources, sources, "source")
    for c in causes.values():
        _check_refs(p["causes.yml"], c.id, c.sources, sources, "source")
    for cl in checklists.values():
        for item in cl.items:
            _check_refs(p["checklists.yml"], cl.id, item.sources, sources, "source")
    for ex in exercises.values():
        _check_refs(p["exercises.yml"], ex.id, ex.sources, sources, "source")
    for ex in exercises.values():
        if ex.figure:
            _check_refs(p["exercises.yml"], ex.id, [ex.figure], figures, "figure")
    for r in routines.values():
        _check_refs(p["exercises.yml"], r.id, (s.exercise for s in r.steps), exercises, "exercise")

    _check_safety(p["safety.yml"], files["safety.yml"], sources)

    return GuideData(
        sources=sources,
        benefit_groups=groups,
        causes=causes,
        checklists=checklists,
        exercises=exercises,
        routines=routines,
        glossary=list(files["glossary.yml"].terms),
        figures=figures,
        safety=files["safety.yml"],
        review=files["review.yml"],
        vocabulary=files["vocabulary.yml"],
    )


def _check_safety(path: Path, safety: schema.SafetyFile, sources: dict[str, Any]) -> None:
    """Source ids exist, group ids are unique, and the triage rule holds (macros/triage.py)."""
    from .triage import triage_problems  # here, not at the top: triage imports schema only

    _index(path, "contraindication group", safety.contraindications)
    entries = [(f"levels.{lv.id}", s.sources) for lv in safety.levels for s in lv.signs]
    entries += [(f"levels.{lv.id}.closing", lv.closing_sources) for lv in safety.levels]
    entries += [("stop_signs", s.sources) for s in safety.stop_signs.signs]
    entries += [("after_session", s.sources) for s in safety.after_session.signs]
    entries += [(f"contraindications.{g.id}", i.sources) for g in safety.contraindications for i in g.items]
    entries += [("check", i.sources) for i in safety.check.items]
    entries += [("pregnancy", safety.pregnancy.sources), ("consent", safety.consent.sources)]
    for owner, refs in entries:
        _check_refs(path, owner, refs, sources, "source")
    problems = triage_problems(safety)
    if problems:
        raise DataError(f"{path}: the triage rule is broken (a red flag must never wait for a routine visit):\n  - "
                        + "\n  - ".join(problems))
