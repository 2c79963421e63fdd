"""Every data file validates, and each kind of bad input fails naming file, entry and fix."""
from __future__ import annotations

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
    edit(data_dir / "benefits.yml", "sources: [wu-2021-mfr-back-pain, chen", "sources: [wu-2021-mfr-backpain, chen")
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
