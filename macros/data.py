"""Load every file in data/ once, validate it, and cross-check the ids that tie files together.

Every error names the file, the entry and what to fix, because the person reading it is
usually editing YAML, not Python.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import datetime as dt
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from . import clock, schema, yamlfile
from .text import data_markup_problem, template_problem, text_problems, without_format_chars

# Fields whose values are addresses or paths, not reader-facing words.
NOT_PROSE_KEYS = {"url", "src", "id", "sources", "exercise", "figure"}


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
    searches: dict[str, schema.EvidenceSearch] = field(default_factory=dict)
    # Of every data file but review.yml, which records it (macros/review.py: changed since the review?).
    fingerprint: str = ""


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
    if not where:
        return "at the top of the file"
    return f"entry '{name}' ({where})" if name else f"at {where}"


def _format_validation(path: Path, raw: Any, error: ValidationError) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in this data file:"]
    for item in error.errors():
        loc = item["loc"]
        got = item.get("input")
        # A rule about a whole entry (a model validator): its location ends at the entry, whose input is the
        # mapping; a rule about the whole file has no location, and its words name the fields.
        whole_entry = item["type"] == "value_error" and isinstance(got, dict)
        field = loc[-1] if loc else "(top level)"
        # A validator's own words, without pydantic's "Value error, " in front.
        detail = str((item.get("ctx") or {}).get("error") or item["msg"]).rstrip(".")
        if item["type"] == "missing":
            fix = f"add the required field '{field}'"
        elif item["type"] == "extra_forbidden":
            fix = f"remove or rename the unknown field '{field}'"
        elif item["type"] == "too_short" and isinstance(got, list):
            fix = "add at least one entry (a page shows this list; an empty one prints an empty checklist or table)"
        elif item["type"] == "string_too_short" and isinstance(got, str) and not got.strip():
            detail, fix = "it is blank", "write the text (a blank prints as a missing word or an empty line)"
        elif item["type"] == "literal_error":
            fix = f"change {got!r} to one of the allowed values"
        elif item["type"] == "string_type" and isinstance(got, dict) and got:
            # "- Tip: hold still": YAML reads ': ' as a key and its value, so the item is a mapping.
            typed = ", ".join(f"{key}: {'' if value is None else value}".strip() for key, value in got.items())
            detail = "YAML read the ': ' in this text as a key and a value, so it is not text"
            fix = f'put the whole text in quotes, e.g. "{typed}"'
        elif item["type"] == "string_type" and isinstance(got, (bool, int, float, dt.date)):
            # phone_numbers: [000] reads as the number 0; yes/no as true/false; 2024-01-01 as a date.
            what = "true or false" if isinstance(got, bool) else "a date" if isinstance(got, dt.date) else "a number"
            detail = f"YAML read this as {what} ({got!r}), not as text"
            fix = ('put the value in quotes exactly as it should read, e.g. "000" (unquoted, YAML changes it: '
                   '000 becomes 0)')
        elif item["type"] == "string_pattern_mismatch":
            words = schema.PATTERN_WORDS.get(str((item.get("ctx") or {}).get("pattern")))
            detail = f"{got!r} is not in the form this field takes"
            fix = f"write it as {words}" if words else "see the field's description in macros/schema.py"
        else:
            fix = f"correct the value {got!r}" if not isinstance(got, (dict, list)) else "correct this value"
        if whole_entry:
            where = f"{_entry_name(raw, loc)}: " if loc else ""
            lines.append(f"  - {where}{detail}" + ("." if "Fix:" in detail else f". Fix: {fix}."))
            continue
        lines.append(f"  - {_entry_name(raw, loc[:-1] if loc else loc)}, field '{field}': {detail}"
                     + ("." if "Fix:" in detail else f". Fix: {fix}."))
    return "\n".join(lines)


def _strings(node: Any, loc: tuple = (), skip: frozenset | set = NOT_PROSE_KEYS) -> Iterable[tuple[tuple, str]]:
    """Every reader-facing string in raw YAML data (every string, with skip=frozenset()), with its location."""
    if isinstance(node, str):
        yield loc, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from _strings(value, (*loc, key), skip)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _strings(value, (*loc, n), skip)


def _text_problems(raw: Any) -> Iterable[tuple[tuple, str]]:
    # Template code is refused in every string, addresses and ids too: any of them may reach a template.
    for loc, text in _strings(raw, skip=frozenset()):
        if problem := template_problem(text):
            yield loc, problem
    for loc, text in _strings(raw):
        for problem in [*text_problems(text), data_markup_problem(text)]:
            if problem:
                yield loc, problem


def _check_text(path: Path, raw: Any) -> None:
    """Refuse text that would show or print wrong (invisible controls, emoji, unbreakable words, markup)
    or could run as template code."""
    lines = [
        f"  - {_entry_name(raw, loc[:-1])}, field '{loc[-1] if loc else '(top level)'}' {problem}."
        for loc, problem in _text_problems(raw)
    ]
    if lines:
        raise DataError("\n".join([f"{path}: {len(lines)} problem(s) in this data file:", *lines]))


def load_file(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        raw = yamlfile.load(path)
    except FileNotFoundError:
        raise DataError(f"{path}: file is missing. Fix: create it (see macros/schema.py for its fields).") from None
    except yamlfile.InputError as exc:
        raise DataError(str(exc)) from None
    if raw is None:
        top = ", ".join(f"'{name}:'" for name in model.model_fields)
        raise DataError(f"{path}: the file is empty. Fix: restore its entries (it needs {top} at the top; "
                        "see macros/schema.py), e.g. with 'git checkout' of the file.")
    if not isinstance(raw, dict):
        top = ", ".join(f"'{name}:'" for name in model.model_fields)
        raise DataError(f"{path}: expected {top} at the top of the file, found a {type(raw).__name__}. "
                        "Fix: start the file with that key.")
    _check_text(path, raw)
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


def _no_case_twins(path: Path, terms: list[str]) -> None:
    """'psoas' and 'Psoas' would both mark the same word with two tooltips."""
    seen: dict[str, str] = {}
    for term in terms:
        twin = seen.setdefault(term.casefold(), term)
        if twin != term:
            raise DataError(f"{path}: glossary terms '{twin}' and '{term}' differ only in capitals; a tooltip "
                            "matches both. Fix: keep one entry.")


def _no_warning_sign_terms(path: Path, terms: list[schema.Term]) -> None:
    """A term is marked wherever its words appear, the Emergency box and every care card too: a term
    "chest pain" put its definition ("see your GP if it lasts") on the 999 sign as a tooltip."""
    from .triage import emergency_words, red_flag_words  # here, as in _check_safety

    for term in terms:
        words = emergency_words(term.term) + red_flag_words(term.term)
        if words:
            raise DataError(f"{path}: glossary term '{term.term}' has the words of a warning sign {sorted(set(words))}: "
                            "its definition would show on that sign, in the urgency boxes and on every care card, "
                            "as if it said what to do. Fix: remove the term; what to do about a sign is said in "
                            "data/safety.yml.")


def finding_error(ref: str, sources: dict[str, Any], where: str) -> str | None:
    """None if ref ('id' or 'id:finding') names a real source (and finding); else what is wrong and how to fix it."""
    ident, _, finding = ref.partition(":")
    if ident not in sources:
        return f"{where} refers to unknown source id '{ident}'. Fix: define it in data/sources.yml or correct the id. {suggest(ident, sources)}"
    if finding and finding not in {f.id for f in sources[ident].findings}:
        valid = ", ".join(f.id for f in sources[ident].findings)
        return (f"{where} cites finding '{finding}' of source '{ident}', which has no such finding. "
                f"Fix: use one of its findings ({valid}) or add the finding to data/sources.yml.")
    return None


# Kinds of source that report what was found. A registration says only that a trial exists.
# A guideline (NICE, a health service) is a synthesis of the evidence, weighed by a panel: it backs a grade.
RESULT_KINDS = frozenset({"trial", "review", "study", "guideline"})

# Trial registries: a page on one is a registration, whatever kind it is given. host -> path it must start with.
REGISTRY_HOSTS = {"clinicaltrials.gov": "", "isrctn.com": "", "trialsearch.who.int": "", "anzctr.org.au": "",
                  "clinicaltrialsregister.eu": "", "euclinicaltrials.eu": "",
                  "who.int": "/clinical-trials-registry-platform"}


def _on_a_registry(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return any((host == h or host.endswith("." + h)) and parts.path.startswith(path)
               for h, path in REGISTRY_HOSTS.items())


def _check_registrations(path: Path, sources: dict[str, Any], searches: dict[str, Any]) -> None:
    """A registration relabelled 'trial' would back a grade: listed as registered, or on a registry, it is one."""
    registered = {ref.partition(":")[0]: search.id for search in searches.values() for ref in search.registered}
    for src in sources.values():
        why = (f"search '{registered[src.id]}' lists it as registered" if src.id in registered
               else f"its url ({src.url}) is a trial registry's page" if _on_a_registry(str(src.url)) else None)
        if why and src.kind != "registry":
            raise DataError(
                f"{path}: entry '{src.id}' has kind '{src.kind}', but {why}: a registration says a trial exists, "
                "not what it found. Fix: set kind: registry; to cite the trial's results, add its published "
                "paper as its own source (kind: trial).")


def _check_source_refs(path: Path, owner: str, refs: Iterable[str], sources: dict[str, Any],
                       registrations: bool = False) -> None:
    """registrations: a trial registration may be listed (only a search's 'registered' list says "registered")."""
    for ref in refs:
        problem = finding_error(ref, sources, f"entry '{owner}'")
        if problem:
            raise DataError(f"{path}: {problem}")
        ident = ref.partition(":")[0]
        if sources[ident].kind == "registry" and not registrations:
            raise DataError(
                f"{path}: entry '{owner}' cites '{ref}', a trial registration: it says a trial exists, not what it "
                "found, so it backs no claim. Fix: remove it and cite what found the evidence; a trial without "
                "results goes in a search's 'registered' list (data/sources.yml, searches:).")


def _check_grade_backed(path: Path, owner: str, grade: str, refs: Iterable[str], sources: dict[str, Any]) -> None:
    """'supported' and 'limited' say research found something: at least one source must report results."""
    kinds = {sources[ref.partition(":")[0]].kind for ref in refs}
    if grade in ("supported", "limited") and not kinds & RESULT_KINDS:
        found = ", ".join(sorted(kinds)) or "none"
        raise DataError(
            f"{path}: entry '{owner}' has grade '{grade}', but none of its sources is a trial, review, study or "
            f"guideline (its kinds: {found}). Fix: cite the trial, review, study or guideline that found it, or lower the grade "
            "(anecdotal when only people's reports back it).")


def _check_dose_fits_routine(path: Path, routine: schema.Routine, exercises: dict[str, schema.Exercise]) -> None:
    """A routine's table shows each step's "how often": it must not contradict the routine's own.

    Today's bug it prevents: a "once a day" routine listing a step "3 times a day"."""
    for step in routine.steps:
        dose = step.dose or exercises[step.exercise].dose
        whose = "this step's dose" if step.dose else f"the exercise's own dose (exercises: {step.exercise})"
        for key, label in (("per_day", "times a day"), ("days_per_week", "days a week")):
            got, want = getattr(dose, key), getattr(routine, key)
            if got is None:
                raise DataError(
                    f"{path}: routine '{routine.id}', exercise '{step.exercise}': {whose} has no '{key}', so it "
                    f"cannot be checked against the routine ({want} {label}). Fix: add {key}: {want} to that dose.")
            if got != want:
                raise DataError(
                    f"{path}: routine '{routine.id}', exercise '{step.exercise}': {whose} says {got} {label} "
                    f"(\"{dose.frequency}\"), but the routine is done {want} {label} (\"{routine.when}\"). "
                    f"Fix: give this step its own dose with {key}: {want} and a matching 'frequency' text, "
                    f"or change the routine.")


_COUNT_WORDS = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBER = r"(\d+|one|two|three|four|five|six|seven)"
# "Once or twice a day", "2 to 3 times a day": a range, as for the days ("2 or 3 days a week").
_TIMES = r"(once|twice|\d+|one|two|three|four|five|six|seven)"
_TIMES_A_DAY = re.compile(rf"\b(?:{_TIMES}(?: times)? (?:or|to) )?(?:(once|twice)|{_NUMBER} times) (?:a|per|each) day\b",
                          re.I)
_DAYS_A_WEEK = re.compile(rf"\b{_NUMBER}(?: (?:or|to) {_NUMBER})? days? (?:a|per|each) week\b", re.I)
_EVERY_DAY = re.compile(r"\b(daily|every day)\b", re.I)
_MOST_DAYS = re.compile(r"\bmost days\b", re.I)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS[word.lower()]


def frequency_ranges(dose: schema.Dose) -> dict[str, tuple[int, int, str]]:
    """What the frequency's words say, as (fewest, most, the words) for per_day and days_per_week; a field
    the words do not name is left out. "Once or twice a day" -> per_day (1, 2); "2 or 3 days a
    week" -> days_per_week (2, 3); "daily", "every day" -> days_per_week (7, 7); "most days" sets no
    most, (1, 7). The first "N times a day" is the dose's ("Once a day here. On its own, up to 3")."""
    words, found = without_format_chars(dose.frequency), {}
    times = _TIMES_A_DAY.search(words)
    if times:
        high = _count(times.group(2) or times.group(3))
        found["per_day"] = (_count(times.group(1)) if times.group(1) else high, high, times.group(0))
    days = _DAYS_A_WEEK.search(words)
    if days:
        found["days_per_week"] = (_count(days.group(1)), _count(days.group(2) or days.group(1)), days.group(0))
    elif every := _EVERY_DAY.search(words):
        found["days_per_week"] = (7, 7, every.group(0))
    elif most := _MOST_DAYS.search(words):
        found["days_per_week"] = (1, 7, most.group(0))
    return found


def _check_frequency_words(path: Path, owner: str, dose: schema.Dose) -> None:
    """The "how often" readers see (frequency) says what the numbers say: the plan builder prints
    the numbers, so "3 times a day" over per_day: 1 made the exercise guide and the printed plan disagree."""
    problems = []
    for name, (low, high, said) in frequency_ranges(dose).items():
        value = getattr(dose, name)
        if value is not None and not low <= value <= high:
            problems.append(f"says {said!r} but {name} is {value}")
    if problems:
        raise DataError(f"{path}: {owner}: its dose's frequency ({dose.frequency!r}) {' and '.join(problems)}: the "
                        "exercise guide shows the words, the plan builder prints the numbers. Fix: make the numbers "
                        "and the words say the same.")


# A step's own count ("Hold for 10 seconds", "20 to 30 seconds": both numbers) and the dose field it
# must agree with. "3 times a day" is how often (per_day), not repeats.
_STEP_WORDS = {**_COUNT_WORDS, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
               "thirty": 30, "sixty": 60}
_STEP_NUMBER = rf"(\d+|{'|'.join(sorted(_STEP_WORDS, key=len, reverse=True))})"  # "sixty" before "six"
_STEP_COUNT = re.compile(rf"\b(?:{_STEP_NUMBER}\b\s*(?:to|or|-|\u2013)\s*)?{_STEP_NUMBER}\s+(?:(seconds?)|(minutes?)|"
                         r"(times (?:a|per|each) day)|(?:times|repeats?)|(sets?)|(days? (?:a|per|each) week))\b", re.I)


def _check_step_counts(path: Path, owner: str, steps: Iterable[str], dose: schema.Dose) -> None:
    """A count in a step is one its dose gives: the plan builder prints the dose (and a practitioner's
    own), so "Hold for 5 seconds" over a 10-second hold printed two holds. A step that needs the
    count says "the dose says how long" instead."""
    said = frequency_ranges(dose)  # "2 or 3 days a week" allows 2 and 3
    for step in steps:
        for match in _STEP_COUNT.finditer(without_format_chars(step)):
            numbers = [_STEP_WORDS.get(word.lower()) or int(word) for word in match.group(1, 2) if word]
            seconds, minutes, per_day, sets, days = match.group(3, 4, 5, 6, 7)
            name = ("hold_seconds" if seconds else "minutes" if minutes else "per_day" if per_day else "sets" if sets
                    else "days_per_week" if days else "reps")
            given = getattr(dose, name)
            allowed = {int(n) for n in re.findall(r"\d+", str(given or ""))}
            if name in said:
                low, high, _ = said[name]
                allowed |= set(range(low, high + 1))
            if not set(numbers) <= allowed:
                raise DataError(f"{path}: {owner}: the step {step!r} says {match.group(0)!r}, but the dose's {name} is "
                                f"{given!r}: the plan prints the dose, so the two would disagree. Fix: leave the count "
                                "out of the step (\"Hold it there (the dose says how long)\"), or make them the same.")


def _check_dose_limits(path: Path, owner: str, dose: schema.Dose) -> None:
    """Every number of a counted dose (hold, repeats, sets, minutes) within the plan builder's hard limits
    (macros/plan.py DOSE_LIMITS): the builder checked only the first ("5 to 100" passed at 5), and a
    routine's own dose not at all, so the exercise guide and the routine tables printed "repeat 5 to 100
    times" and "hold 600 seconds" while no plan may say more than 30 and 120."""
    from .plan import DOSE_LIMITS  # here: plan imports this module

    fields = {"hold_seconds": "hold", "hold_seconds_older_adults": "hold", "reps": "reps", "sets": "sets", "minutes": "minutes"}
    for name, limit in fields.items():
        text = getattr(dose, name)
        low, high = DOSE_LIMITS[limit]
        wrong = [int(n) for n in re.findall(r"\d+", without_format_chars(text or "")) if not low <= int(n) <= high]
        if wrong:
            raise DataError(f"{path}: {owner}: its dose's {name} ({text!r}) says {wrong[0]}, outside the guide's "
                            f"limits for it ({low} to {high}, macros/plan.py DOSE_LIMITS). Fix: correct the number; "
                            "if the guide's advice changed, change DOSE_LIMITS with it.")


def _check_999_signs_elsewhere(p: dict[str, Path], checklists: dict[str, schema.Checklist],
                               exercises: dict[str, schema.Exercise], routines: dict[str, schema.Routine],
                               safety: schema.SafetyFile, glossary: list[schema.Term],
                               causes: dict[str, schema.Cause], benefits: dict[str, schema.Benefit]) -> None:
    """A 999 sign named in a checklist or an exercise (printed on plans too) says to call the
    emergency number there: "chest pain? rest, and mention it at your next visit" would tell a
    reader to wait, whatever finding it cites. The triage rule reads safety.yml only. The same holds for the
    words readers take as what is normal: a glossary tooltip (on the term's first use on every
    page: "numbness in both legs ... rest and it passes"), a self-check line and what people report."""
    from .triage import instruction_emergency_words

    emergency = next(level for level in safety.levels if level.id == "emergency")
    numbers = safety.numbers_in(emergency.action)
    lines = [(p["checklists.yml"], f"checklist '{cl.id}', item {n}", item.text)
             for cl in checklists.values() for n, item in enumerate(cl.items, 1)]
    lines += [(p["exercises.yml"], f"exercise '{ex.id}', {field}", text) for ex in exercises.values()
              for field, texts in (("summary", [ex.summary]), ("steps", ex.steps), ("cautions", ex.cautions))
              for text in texts]
    lines += [(p["exercises.yml"], f"routine '{r.id}', exercise '{step.exercise}', steps", text)
              for r in routines.values() for step in r.steps for text in step.steps or []]
    lines += [(p["glossary.yml"], f"glossary term '{t.term}', definition", t.definition) for t in glossary]
    lines += [(p["causes.yml"], f"cause '{c.id}', self_check", c.self_check) for c in causes.values()]
    lines += [(p["benefits.yml"], f"benefit '{b.id}', {field}", text) for b in benefits.values()
              for field, text in (("text", b.text), ("reported", b.reported))]
    for path, where, text in lines:
        words = instruction_emergency_words(text)
        if words and not any(re.search(rf"(?<!\d){re.escape(n)}(?!\d)", text) for n in numbers):
            raise DataError(
                f"{path}: {where} ({text[:60]!r}) has the words of a 999 sign {words} but does not say to call "
                f"{' or '.join(numbers)}: a reader would wait when the guide says not to. Fix: say to call "
                f"{numbers[0]} now in it, or leave the sign to the care card and the Emergency box (data/safety.yml).")


def _check_refs(path: Path, owner: str, refs: Iterable[str], known: dict[str, Any], kind: str, defined_in: str) -> None:
    """defined_in: where an author adds a missing one, e.g. "data/figures.yml"."""
    for ref in refs:
        if ref not in known:
            raise DataError(
                f"{path}: entry '{owner}' refers to unknown {kind} id '{ref}'. "
                f"Fix: define it in {defined_in} or correct the id. {suggest(ref, known)}"
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
    """Validated data, parsed once per change: cached on the files' contents. Not on their times:
    two saves within one tick of the file system's clock (a second on some shares) keep one time,
    and `guide serve` would go on showing the first save's words."""
    data_dir = Path(data_dir).resolve()
    # Today too: a review's date is checked against it (GUIDE_TODAY may differ between calls).
    try:
        day = clock.today()
    except ValueError as exc:  # GUIDE_TODAY is not a date
        raise DataError(str(exc)) from None
    stamp = (day, *(_digest(data_dir / name) for name in DATA_FILES))
    return _load(data_dir, stamp)


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None  # load_file reads it again and says what is wrong


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
    _no_case_twins(p["glossary.yml"], [t.term for t in files["glossary.yml"].terms])
    _no_warning_sign_terms(p["glossary.yml"], files["glossary.yml"].terms)
    figures = _index(p["figures.yml"], "figure", files["figures.yml"].figures)
    _check_vocabulary(p["vocabulary.yml"], files["vocabulary.yml"])
    # A figure's file is checked by MkDocs itself: figure_html emits a Markdown image link.

    for src in sources.values():
        _index(p["sources.yml"], f"finding (in source '{src.id}')", src.findings)
    searches = _index(p["sources.yml"], "search", files["sources.yml"].searches)
    for search in searches.values():
        _check_source_refs(p["sources.yml"], search.id, search.registered, sources, registrations=True)
    _check_registrations(p["sources.yml"], sources, searches)
    for b in benefits.values():
        if not b.sources and not b.search:
            # "No study found" is backed by a dated search, never by citing a trial registration.
            raise DataError(f"{p['benefits.yml']}: entry '{b.id}' has neither 'sources' nor 'search'. Fix: add the "
                            f"sources (or 'id:finding') that back its evidence sentence, or the 'search' that found nothing.")
        _check_source_refs(p["benefits.yml"], b.id, b.sources, sources)
        _check_grade_backed(p["benefits.yml"], b.id, b.grade, b.sources, sources)
        if b.search:
            _check_refs(p["benefits.yml"], b.id, [b.search], searches, "search", "data/sources.yml under 'searches:'")
    for c in causes.values():
        _check_source_refs(p["causes.yml"], c.id, c.sources, sources)
        _check_grade_backed(p["causes.yml"], c.id, c.grade, c.sources, sources)
    for cl in checklists.values():
        for item in cl.items:
            _check_source_refs(p["checklists.yml"], cl.id, item.sources, sources)
    for ex in exercises.values():
        if not ex.sources and not ex.evidence_note.strip():
            # An exercise with no source must say why in words (practical advice, no trials), never silently.
            raise DataError(f"{p['exercises.yml']}: entry '{ex.id}' has no 'sources'. Fix: add the sources that back it, "
                            f"or an 'evidence_note' saying it is practical advice with no source.")
        _check_source_refs(p["exercises.yml"], ex.id, ex.sources, sources)
        missing = [f for f in ("per_day", "days_per_week") if getattr(ex.dose, f) is None]
        if missing:
            # The numbers let routines be checked and the plan builder add up a week.
            raise DataError(f"{p['exercises.yml']}: entry '{ex.id}': its dose has no {' or '.join(missing)}. "
                            f"Fix: add them as numbers that say the same as its frequency (\"{ex.dose.frequency}\").")
    for ex in exercises.values():
        if ex.figure:
            _check_refs(p["exercises.yml"], ex.id, [ex.figure], figures, "figure", "data/figures.yml")
    for ex in exercises.values():
        _check_frequency_words(p["exercises.yml"], f"exercise '{ex.id}'", ex.dose)
        _check_dose_limits(p["exercises.yml"], f"exercise '{ex.id}'", ex.dose)
        _check_step_counts(p["exercises.yml"], f"exercise '{ex.id}'", ex.steps, ex.dose)
    for r in routines.values():
        _check_refs(p["exercises.yml"], r.id, (s.exercise for s in r.steps), exercises, "exercise",
                    "data/exercises.yml under 'exercises:'")
        for step in r.steps:
            if step.dose:
                _check_frequency_words(p["exercises.yml"], f"routine '{r.id}', exercise '{step.exercise}'", step.dose)
                _check_dose_limits(p["exercises.yml"], f"routine '{r.id}', exercise '{step.exercise}'", step.dose)
            # The routine prints the exercise's own steps under its own dose when it gives no steps.
            _check_step_counts(p["exercises.yml"], f"routine '{r.id}', exercise '{step.exercise}'"
                               + ("" if step.steps else " (the exercise's own steps, under this routine's dose)"),
                               step.steps or exercises[step.exercise].steps, step.dose or exercises[step.exercise].dose)
        _check_dose_fits_routine(p["exercises.yml"], r, exercises)

    _check_safety(p["safety.yml"], files["safety.yml"], sources)
    _check_999_signs_elsewhere(p, checklists, exercises, routines, files["safety.yml"], files["glossary.yml"].terms,
                               causes, benefits)
    exercises = _with_pregnancy_caution(p["exercises.yml"], exercises, files["safety.yml"].pregnancy.caution)

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
        searches=searches,
        fingerprint=data_fingerprint(data_dir),
    )


def data_fingerprint(data_dir: Path) -> str:
    """12 hex digits of a hash of the shared facts: every data file but review.yml (which holds the
    fingerprint the reviewer read), line endings as written on any system."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        if name != "review.yml":
            text = (Path(data_dir) / name).read_text(encoding="utf-8").replace("\r\n", "\n")
            digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:12]


# Steps that put the reader on their back (the NHS: not flat on the back for long when pregnant), in the
# words a step may use. Not "on your back foot/leg/heel ...": the back one of two, standing (a lunge);
# not "lie flat on your front/side".
_ON_BACK = re.compile(
    r"\b(on your back(?! (foot|feet|leg|legs|heel|heels|knee|knees|toes?|hip|ankle)\b)|lie back|supine"
    r"|(lie|lying|lay)( down)?( flat)? face[ -]?up"
    r"|(lie|lying|lay)( down)? flat(?! on (your|the|a) (front|tummy|stomach|belly|side)\b))\b", re.I)


def _with_pregnancy_caution(path: Path, exercises: dict[str, schema.Exercise], caution: str) -> dict[str, schema.Exercise]:
    """Each exercise done on the back carries the one pregnancy caution, wherever its cautions
    print (exercise guide, routines, handouts, printed plans), as the hip-replacement one does."""
    for ex in exercises.values():
        if _ON_BACK.search(without_format_chars(" ".join(ex.steps))) and not ex.on_back:
            raise DataError(f"{path}: entry '{ex.id}': its steps put the reader on their back, but it has no "
                            f"'on_back: true'. Fix: add it, so the exercise carries the pregnancy caution.")
    return {i: ex.model_copy(update={"cautions": [*ex.cautions, caution]}) if ex.on_back else ex
            for i, ex in exercises.items()}


# Most urgent first: a sign may sit at its sources' level or a more urgent one, never a less urgent one.
URGENCY = schema.URGENCY


def _check_no_downgrade(path: Path, safety: schema.SafetyFile, sources: dict[str, Any]) -> None:
    """A sign the NHS says needs 999 must not be moved to "get advice today" (or a visit): the
    finding it cites carries the source's own urgency (data/sources.yml, `urgency`)."""
    signs = [(f"levels.{lv.id}.signs[{n}]", lv.id, s.text, s.sources) for lv in safety.levels
             for n, s in enumerate(lv.signs)]
    signs += [(f"after_session.signs[{n}]", s.level, s.text, s.sources) for n, s in enumerate(safety.after_session.signs)]
    signs += [(f"contraindications.{g.id}[{n}].get_help_if", i.get_help_if.level, i.get_help_if.when,
               i.get_help_if.sources) for g in safety.contraindications for n, i in enumerate(g.items) if i.get_help_if]
    # A safety-check box sends the reader to a level, or (a group id) only to what to avoid: no sooner than routine.
    rank = {level: n for n, level in enumerate(URGENCY)}
    signs += [(f"check.items[{n}]", i.level, i.text, i.sources) for n, i in enumerate(safety.check.items)]
    for where, level, text, refs in signs:
        for ref in refs:
            ident, _, finding_id = ref.partition(":")
            # A whole source cited stands for all it says, its most urgent finding too.
            cited = [f for f in sources[ident].findings if f.urgency and finding_id in ("", f.id)]
            finding = min(cited, key=lambda f: rank[f.urgency], default=None)
            if finding and rank[finding.urgency] < rank.get(level, rank["routine"]):
                raise DataError(
                    f"{path}: {where} ({text[:50]!r}) is at the {level} level, but it cites '{ref}', where the "
                    f"source says {finding.urgency} (data/sources.yml, urgency: {finding.urgency}). A reader "
                    f"would wait when the source says not to. Fix: put the sign in the {finding.urgency} level, "
                    "or cite the finding that backs the level it is at.")


def _check_safety(path: Path, safety: schema.SafetyFile, sources: dict[str, Any]) -> None:
    """Source ids exist, group ids are unique, and the triage rule holds (macros/triage.py)."""
    from .triage import triage_problems  # here, not at the top: triage imports schema only

    _index(path, "contraindication group", safety.contraindications)
    entries = [(f"levels.{lv.id}", s.sources) for lv in safety.levels for s in lv.signs]
    entries += [(f"levels.{lv.id}.closing", lv.closing_sources) for lv in safety.levels]
    entries += [(f"levels.{lv.id}.card_sources", lv.card_sources) for lv in safety.levels]
    entries += [("stop_signs", s.sources) for s in safety.stop_signs.signs]
    entries += [("stop_signs.closing", safety.stop_signs.closing_sources)]
    entries += [("after_session", s.sources) for s in safety.after_session.signs]
    entries += [(f"contraindications.{g.id}", i.all_sources) for g in safety.contraindications for i in g.items]
    entries += [("check", i.sources) for i in safety.check.items]
    entries += [("pregnancy", safety.pregnancy.sources), ("consent", safety.consent.sources)]
    entries += [("care_card.who_not_sources", safety.care_card.who_not_sources)]
    for owner, refs in entries:
        _check_source_refs(path, owner, refs, sources)
    for lv in safety.levels:
        for ref in lv.card_sources:
            if ref not in lv.sign_sources:
                raise DataError(f"{path}: levels.{lv.id}.card_sources cites '{ref}', which none of its signs cites: "
                                "the card summarises the signs. Fix: cite it on the sign it backs, or remove it.")
    _check_no_downgrade(path, safety, sources)
    problems = triage_problems(safety)
    if problems:
        raise DataError(f"{path}: the triage rule is broken (a red flag must never wait for a routine visit, nor a 999 sign for advice today):\n  - "
                        + "\n  - ".join(problems))
