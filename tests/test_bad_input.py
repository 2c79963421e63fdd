"""Bad input stops the build with a message naming the file, the entry and the fix.

Each row breaks one thing in a small fixture project (one page, the real data files, the real
macros) and builds it in this process: "break X -> expect message Y", in a fraction of a second
per row instead of a full build of a copy of the guide.
"""
from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from pipeline.cli import prepare
from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.mkdocs_build import GO, WAIT_FOR_GO

ROOT = Path(__file__).resolve().parents[1]
PAGE = """---
title: Fixture page
description: A page that uses the macros.
updated: 2026-11-24
evidence_checked: 2026-11-24
review_due: 2029-11-24
render_macros: true
---

# Fixture page

Text {{ cite("nhs-back-pain") }}.

{{ routine_table("weekly") }}
"""
CONFIG = """site_name: Fixture
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - macros:
      module_name: macros
      on_error_fail: true
      on_undefined: strict
      render_by_default: false
markdown_extensions: [attr_list, md_in_html, tables]
validation:
  links:
    not_found: info  # the macros link to pages this one-page fixture does not have
nav:
  - Home: index.md
"""


@dataclass
class Outcome:
    ok: bool
    message: str
    site: Path


def build_fixture(project: Path) -> Outcome:
    """prepare (data, pages, generated files), then MkDocs in this process, strictly."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as mkdocs_config

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    handler = Collect()
    logging.getLogger("mkdocs").addHandler(handler)
    printed = io.StringIO()  # the macros plugin prints its error, then exits
    try:
        with redirect_stdout(printed), redirect_stderr(printed):
            prepare(load_config(project / "mkdocs.yml"))
            cfg = mkdocs_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
            cfg.plugins.on_startup(command="build", dirty=False)
            build(cfg)
        ok = not messages
    except (PipelineError, Exception, SystemExit) as exc:  # MkDocs raises its own kinds, the macros plugin exits
        messages.append(f"{type(exc).__name__}: {exc}")
        ok = False
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return Outcome(ok, "\n".join([*messages, printed.getvalue()]), project / "site")


@pytest.fixture
def fixture_project(tmp_path) -> Path:
    project = tmp_path / "fixture"
    (project / "docs").mkdir(parents=True)
    shutil.copytree(ROOT / "data", project / "data")
    (project / "macros").symlink_to(ROOT / "macros")  # the real macros, found as the local module
    (project / "mkdocs.yml").write_text(CONFIG)
    (project / "docs" / "index.md").write_text(PAGE)
    return project


def edit(path: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        file = project / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{path} no longer contains {old!r}: update this test row"
        file.write_text(text.replace(old, new, count), encoding="utf-8")
    return apply


def both(*breaks: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        for brk in breaks:
            brk(project)
    return apply


def _drop_self_checks(causes: Path) -> None:
    text = causes.read_text(encoding="utf-8")
    assert "self_check:" in text, "data/causes.yml has no self_check lines: update this test row"
    causes.write_text(re.sub(r"\n +self_check:[^\n]*", "", text), encoding="utf-8")


# (what is broken, how, what the message must say)
CASES = [
    ("unknown id in a macro", edit("docs/index.md", 'routine_table("weekly")', 'routine_table("weekley")'),
     ["unknown routine id 'weekley'", "Did you mean: weekly"]),
    ("unknown source in cite()", edit("docs/index.md", 'cite("nhs-back-pain")', 'cite("nhs-backpain")'),
     ["unknown source id 'nhs-backpain'", "Did you mean: nhs-back-pain"]),
    # An id that is not text: a Python error ('list' object has no attribute 'partition') named no page or fix.
    ("a list of source ids in cite()", edit("docs/index.md", 'cite("nhs-back-pain")', 'cite(["nhs-back-pain", "nice-ng59"])'),
     ["docs/index.md, line 12", "cite(['nhs-back-pain', 'nice-ng59']): each source id is text in quotes", "Fix:"]),
    ("a number for a routine id", edit("docs/index.md", 'routine_table("weekly")', "routine_table(7)"),
     ["docs/index.md, line 14", "routine_table(7): a routine id is text in quotes", 'Fix: write it as routine_table("']),
    ("undefined variable", edit("docs/index.md", "Text", "{{ no_such_variable }} Text"), ["no_such_variable"]),
    ("bad grade in a data file", edit("data/benefits.yml", "grade: limited", "grade: maybe"),
     ["benefits.yml", "entry 'less-back-pain'", "Fix:"]),
    ("invalid YAML in a data file", edit("data/causes.yml", "causes:", "causes: [", 1),
     ["causes.yml", "invalid YAML", "Fix:"]),
    ("front matter that is not YAML", edit("docs/index.md", "title: Fixture page", "title: Fixture: a page: x"),
     ["index.md", "front matter", "Fix:"]),
    ("nav names a missing page", edit("mkdocs.yml", "Home: index.md", "Home: home.md"),
     ["home.md", "does not exist", "Fix:"]),
    # The self-check's title and "Tick each one that is true for you" printed over an empty list.
    ("a self-check with no line to tick", both(edit("docs/index.md", "Text", "{{ self_check() }}\n\nText"),
                                               lambda project: _drop_self_checks(project / "data" / "causes.yml")),
     ["docs/index.md, line 12", "no cause in data/causes.yml has a self_check line", "Fix:"]),
    ("placeholder inbox for reports", edit("data/review.yml", "report_how:", "report_contact: fix@clinic.invalid\nreport_how:"),
     ["review.yml", "report_contact", "placeholder address", "Fix:"]),
]


def test_the_fixture_project_builds(fixture_project):
    outcome = build_fixture(fixture_project)
    assert outcome.ok, outcome.message
    page = (outcome.site / "index.html").read_text(encoding="utf-8")
    assert 'data-source="nhs-back-pain"' in page and "<table>" in page


@pytest.mark.parametrize("name, breaks, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_with_a_clear_message(fixture_project, name, breaks, expected):
    breaks(fixture_project)
    outcome = build_fixture(fixture_project)
    assert not outcome.ok, f"{name}: the build passed"
    for words in expected:
        assert words in outcome.message, f"{name}: {words!r} missing from:\n{outcome.message}"


def test_the_page_check_knows_the_real_macros(fixture_project):
    """prepare checks each macro name against the ones the macros register, before any engine runs."""
    edit("docs/index.md", 'routine_table("weekly")', 'routine_tabel("weekly")')(fixture_project)
    with pytest.raises(PipelineError, match=r"docs/index.md, line 14: unknown macro or variable 'routine_tabel'\. "
                                            r"Fix: use one of .*\broutine_table\b"):
        prepare(load_config(fixture_project / "mkdocs.yml"))


def test_handouts_refuse_pages_the_engine_built_before_prepare(fixture_project):
    """By hand, the engine ran on the generated files of the data before: its pages said "Clinical
    review: not yet" while `guide handouts`, which reads data/ again, printed "Reviewed by" on the PDFs."""
    config = load_config(fixture_project / "mkdocs.yml")
    prepare(config)
    prepare(config, engine_ran=True)  # the engine read what the data makes now
    edit("data/review.yml", "report_how: Write down", "report_how: Please write down")(fixture_project)
    with pytest.raises(PipelineError, match=r"overrides/partials/generated/review-report.html: not what data/ makes "
                                            r"now, so the engine built the pages from old words .*Fix: run `guide "
                                            r"prepare`, the engine again"):
        prepare(config, engine_ran=True)
    prepare(config)
    prepare(config, engine_ran=True)


def guide_build(project: Path) -> subprocess.CompletedProcess[str]:
    """`guide build` itself, whose engine starts before the inputs are checked (engine.Run)."""
    return subprocess.run([sys.executable, "-m", "pipeline", "build", "--no-handouts"], cwd=project,
                          capture_output=True, text=True, timeout=120)


def test_an_input_mistake_stops_the_cli_before_the_engine_builds_a_page(fixture_project):
    # A page mistake: MkDocs itself would get as far as building (data mistakes stop its config).
    edit("docs/index.md", "title: Fixture page", "title: Fixture: a page: x")(fixture_project)
    done = guide_build(fixture_project)
    assert done.returncode == 1
    assert "index.md" in done.stderr and "front matter" in done.stderr
    assert "Building documentation" not in done.stderr, "the engine went on after the input check failed"
    assert not (fixture_project / "site" / "index.html").exists()


def test_the_engine_reads_nothing_until_go(fixture_project):
    cmd = [sys.executable, "-m", "pipeline.mkdocs_build", "-f", "mkdocs.yml", "-d", "site", WAIT_FOR_GO]
    stopped = subprocess.run(cmd, cwd=fixture_project, input=b"", capture_output=True, timeout=60)
    assert stopped.returncode == 0 and not (fixture_project / "site").exists(), stopped.stderr
    prepare(load_config(fixture_project / "mkdocs.yml"))
    built = subprocess.run(cmd, cwd=fixture_project, input=GO, capture_output=True, timeout=60)
    assert built.returncode == 0 and (fixture_project / "site" / "index.html").exists(), built.stderr


def test_the_cli_starts_without_the_data_schema():
    # The engine can only start first if importing the CLI does not load pydantic (~0.2 s).
    code = "import sys, pipeline.cli; print(sorted(m for m in ('pydantic', 'macros.schema') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("command, site_dir, held", [
    ("zensical", ".", "the whole project"),
    ("build", "data", "what is in the project's data/ folder"),
    ("serve", "includes", "what is in the project's includes/ folder"),
    ("build", ".git/site", "what is in the project's .git/ folder"),
])
def test_a_site_folder_that_holds_the_project_is_refused(fixture_project, command, site_dir, held):
    """The engine empties the site folder before it builds: `guide zensical --site-dir .` deleted every
    file of the project (Zensical takes any folder inside it), `guide build --site-dir data` every data file."""
    macros = fixture_project / "macros"
    macros.unlink()  # a copy, not the link to the real macros: an engine that empties the folder must not reach them
    shutil.copytree(ROOT / "macros", macros, ignore=shutil.ignore_patterns("__pycache__"))
    kept = sorted((fixture_project / "data").glob("*.yml")) + [fixture_project / "docs" / "index.md",
                                                                fixture_project / "mkdocs.yml", macros / "text.py"]
    extra = ["--no-handouts"] if command != "serve" else []
    done = subprocess.run([sys.executable, "-m", "pipeline", command, "--site-dir", site_dir, *extra],
                          cwd=fixture_project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and held in done.stderr and "Fix: give a folder of its own" in done.stderr, done.stderr
    assert all(path.exists() for path in kept), [path.name for path in kept if not path.exists()]
