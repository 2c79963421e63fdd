"""Every data file validates, and each kind of bad input fails naming file, entry and fix."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from macros.data import DATA_FILES, DataError, load_data

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_real_data_is_valid():
    data = load_data(ROOT / "data")
    assert data.sources and data.exercises and data.routines and data.checklists
    assert {"immediate", "emotional", "posture-mobility", "long-term"} <= set(data.benefit_groups)
    assert {"preparing", "aftercare"} <= set(data.checklists) and data.safety.check.items


def test_every_data_file_has_a_schema():
    on_disk = {p.name for p in (ROOT / "data").glob("*.yml")}
    assert on_disk == set(DATA_FILES), "each data file needs a schema in macros/data.py"


def load_error(data_dir: Path) -> str:
    with pytest.raises(DataError) as info:
        load_data(data_dir)
    return str(info.value)


def test_invalid_yaml_names_file_and_line(data_dir):
    edit(data_dir / "benefits.yml", "  - id: immediate\n", "  - id: immediate\n   bad: [\n")
    msg = load_error(data_dir)
    assert "benefits.yml" in msg and "invalid YAML" in msg and "line" in msg and "Fix" in msg


def test_missing_field_names_entry_and_field(data_dir):
    edit(data_dir / "exercises.yml", "    summary: Strengthens the buttock muscles that help straighten the hip.\n", "")
    msg = load_error(data_dir)
    assert "exercises.yml" in msg and "entry 'bridge'" in msg and "'summary'" in msg
    assert "add the required field 'summary'" in msg


def test_wrong_type_is_reported(data_dir):
    edit(data_dir / "exercises.yml", "    minutes: 10\n", "    minutes: ten\n")
    msg = load_error(data_dir)
    assert "entry 'daily'" in msg and "'minutes'" in msg and "'ten'" in msg


def test_unknown_grade_lists_allowed_values(data_dir):
    edit(data_dir / "benefits.yml", "grade: limited", "grade: maybe")
    msg = load_error(data_dir)
    assert "entry 'less-back-pain'" in msg and "'maybe'" in msg
    for grade in ("supported", "limited", "anecdotal", "not-supported"):
        assert grade in msg


def test_duplicate_id_is_rejected(data_dir):
    edit(data_dir / "exercises.yml", "  - id: standing-lunge", "  - id: half-kneeling-stretch")
    msg = load_error(data_dir)
    assert "exercises.yml" in msg and "duplicate exercise id 'half-kneeling-stretch'" in msg


def test_unknown_source_id_suggests_near_ids(data_dir):
    edit(data_dir / "benefits.yml", "sources: [wu-2021-mfr-back-pain:pain, wu", "sources: [wu-2021-mfr-backpain:pain, wu")
    msg = load_error(data_dir)
    assert "entry 'less-back-pain'" in msg and "unknown source id 'wu-2021-mfr-backpain'" in msg
    assert "Did you mean: wu-2021-mfr-back-pain" in msg


def test_unknown_exercise_in_routine(data_dir):
    edit(data_dir / "exercises.yml", "      - exercise: knee-rolls", "      - exercise: knee-roll")
    msg = load_error(data_dir)
    assert "entry 'daily'" in msg and "unknown exercise id 'knee-roll'" in msg and "knee-rolls" in msg


def test_unknown_field_is_a_typo(data_dir):
    edit(data_dir / "sources.yml", "    kind: reference\n", "    kind: reference\n    yaer: 2020\n", )
    msg = load_error(data_dir)
    assert "remove or rename the unknown field 'yaer'" in msg


def test_http_source_url_is_rejected(data_dir):
    edit(data_dir / "sources.yml", "https://radiopaedia.org", "http://radiopaedia.org")
    assert "https://" in load_error(data_dir)


def test_missing_file_is_named(data_dir):
    (data_dir / "glossary.yml").unlink()
    msg = load_error(data_dir)
    assert "glossary.yml" in msg and "missing" in msg


# --- findings, searches and doses (issue 10) -------------------------------------------------------

def test_unknown_finding_in_data_names_entry_source_and_valid_findings(data_dir):
    edit(data_dir / "benefits.yml", "sources: [watt-2011-hip-flexor-stretch:stride-stiffest]",
         "sources: [watt-2011-hip-flexor-stretch:stride]")
    msg = load_error(data_dir)
    assert "benefits.yml" in msg and "entry 'longer-stride'" in msg
    assert "finding 'stride' of source 'watt-2011-hip-flexor-stretch'" in msg
    assert "hip-extension, stride-stiffest" in msg and "Fix" in msg


def test_duplicate_finding_id_is_rejected(data_dir):
    edit(data_dir / "sources.yml", "      - id: function\n", "      - id: pain\n")
    msg = load_error(data_dir)
    assert "sources.yml" in msg and "duplicate finding (in source 'wu-2021-mfr-back-pain') id 'pain'" in msg


def test_source_without_findings_is_rejected(data_dir):
    edit(data_dir / "sources.yml", """    findings:
      - id: course
        text: "Anatomy reference. Piriformis""", """    findingz:
      - id: course
        text: "Anatomy reference. Piriformis""")
    msg = load_error(data_dir)
    assert "entry 'orthobullets-piriformis'" in msg and "'findings'" in msg


def test_benefit_must_be_backed_by_sources_or_a_search(data_dir):
    edit(data_dir / "benefits.yml", "        evidence: People say this. We found no published trial of psoas release that tested it.\n        search: psoas-release-trials\n",
         "        evidence: People say this. We found no published trial of psoas release that tested it.\n")
    msg = load_error(data_dir)
    assert "entry 'less-hip-pain'" in msg and "'search'" in msg


def test_unknown_search_id_is_named(data_dir):
    edit(data_dir / "benefits.yml", "search: psoas-release-trials", "search: psoas-trials")
    msg = load_error(data_dir)
    assert msg.startswith(f"{data_dir / 'benefits.yml'}: entry '"), msg
    assert msg.endswith("' refers to unknown search id 'psoas-trials'. Fix: define it in data/sources.yml under "
                        "'searches:' or correct the id. Did you mean: psoas-release-trials?"), msg


def test_exercise_without_source_must_say_it_is_practical_advice(data_dir):
    text = (data_dir / "exercises.yml").read_text(encoding="utf-8")
    start = text.index("    evidence_note: >-\n      Practical advice only.")
    end = text.index("    figure: ex-constructive-rest")
    (data_dir / "exercises.yml").write_text(text[:start] + text[end:], encoding="utf-8")
    msg = load_error(data_dir)
    assert "entry 'constructive-rest'" in msg and "evidence_note" in msg


def test_routine_step_that_contradicts_its_routine_fails(data_dir):
    """The bug this prevents: a "once a day" routine listing pelvic tilts "3 times a day"."""
    edit(data_dir / "exercises.yml",
         '      - exercise: pelvic-tilt\n        dose: {reps: "5", frequency: "Once a day here. On its own, up to 3 times a day", per_day: 1, days_per_week: 7}\n',
         "      - exercise: pelvic-tilt\n")
    msg = load_error(data_dir)
    assert "exercises.yml" in msg and "routine 'daily', exercise 'pelvic-tilt'" in msg
    assert "says 3 times a day" in msg and "routine is done 1 times a day" in msg
    assert "Fix: give this step its own dose with per_day: 1" in msg


def test_weekly_routine_step_done_daily_fails(data_dir):
    """The other contradiction: a "2 or 3 days a week" routine listing a bridge "daily"."""
    edit(data_dir / "exercises.yml",
         '        dose: {hold_seconds: "5", reps: "5 to 10", frequency: "On your routine days", per_day: 1, days_per_week: 2}\n', "")
    msg = load_error(data_dir)
    assert "routine 'weekly', exercise 'bridge'" in msg and "says 7 days a week" in msg and "days_per_week: 2" in msg


def test_routine_step_without_numbers_cannot_be_checked(data_dir):
    edit(data_dir / "exercises.yml", 'frequency: "At each break", per_day: 8, days_per_week: 5}', 'frequency: "At each break"}')
    msg = load_error(data_dir)
    assert "routine 'desk-break', exercise 'walking'" in msg and "has no 'per_day'" in msg and "add per_day: 8" in msg


def test_exercise_dose_needs_its_frequency_as_numbers(data_dir):
    edit(data_dir / "exercises.yml", 'frequency: "2 or 3 days a week", per_day: 1, days_per_week: 2}', 'frequency: "2 or 3 days a week"}')
    msg = load_error(data_dir)
    assert "entry 'dead-bug'" in msg and "per_day or days_per_week" in msg and "2 or 3 days a week" in msg


def test_a_self_check_line_for_a_cause_studies_did_not_find_fails(data_dir):
    """A tick beside it would suggest it is a cause."""
    edit(data_dir / "causes.yml", "    # No self-check line: studies looked for this cause and did not find it.\n",
         "    self_check: I have been told my pelvis tips forward.\n")
    msg = load_error(data_dir)
    assert "causes.yml" in msg and "pelvic-tilt" in msg and "remove the self_check line" in msg


def test_a_save_that_keeps_the_file_time_is_read_again(data_dir):
    """`guide serve` loads the data on every rebuild, in one process. Two saves within one tick of
    the file system's clock (a second on some shares) keep one modification time: the second
    save's words must still reach the pages, not the first save's."""
    path = data_dir / "safety.yml"
    before = path.stat()
    assert load_data(data_dir).safety.levels[0].card[-1] == "chest pain"
    edit(path, "      - chest pain\n", "      - chest pain or sudden breathlessness\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert load_data(data_dir).safety.levels[0].card[-1] == "chest pain or sudden breathlessness"
