"""`guide serve`'s parts as units (no server, no engine): the address, what it watches, and a
rebuild reading mkdocs.yml afresh. The preview itself, end to end, is test_serve.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import serve
from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.manifest import Manifest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:8000", ("127.0.0.1", 8000)),
    ("localhost:0", ("localhost", 0)),
    ("guide.local:65535", ("guide.local", 65535)),
    ("[::1]:8000", ("::1", 8000)),
    ("localhost", None),          # no port: was a ValueError traceback
    ("8000", None),
    (":8000", None),              # empty host: would bind every interface
    ("0.0.0.0:", None),
    ("127.0.0.1:65536", None),
    ("127.0.0.1:80a", None),
    ("::1:8000", None),           # IPv6 without brackets
    ("[::g]:8000", None),
    ("-bad.host:8000", None),
    ("local host:8000", None),
    (" 127.0.0.1:8000", None),
])
def test_dev_addr_is_host_and_port_or_a_clear_error(text, expected):
    if expected is not None:
        assert serve.parse_dev_addr(text) == expected
        return
    with pytest.raises(PipelineError) as info:
        serve.parse_dev_addr(text)
    assert str(info.value) == (f"--dev-addr {text!r} is not host:port. Fix: give both, e.g. -a 127.0.0.1:8000, "
                               "-a localhost:0 (port 0: any free port) or -a [::1]:8000.")


def test_serve_watches_every_code_folder_and_the_content():
    config = load_config(ROOT / "mkdocs.yml")
    watched = set(serve.watched_paths(config))
    assert {ROOT / folder for folder in serve.CODE_DIRS} <= watched  # an edit there: "restart", said at once
    assert {config.docs_dir, config.file, ROOT / "data", ROOT / "overrides"} <= watched


class Handouts:
    """Stands in for BackgroundHandouts: records what each rebuild hands over."""

    def __init__(self) -> None:
        self.submitted: list[serve.Snapshot] = []

    def hold(self) -> None:
        pass

    def submit(self, snapshot: serve.Snapshot) -> None:
        self.submitted.append(snapshot)


def test_each_rebuild_reads_mkdocs_yml_afresh(tmp_path, monkeypatch):
    """The engine re-reads mkdocs.yml on every rebuild; so must the steps around it, or after a
    nav edit the preview fails on the old nav until restarted."""
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: Guide\nnav:\n  - a.md\n", encoding="utf-8")
    seen: list[tuple[str, tuple[str, ...]]] = []
    manifest = Manifest("Guide", "", "", "", [], {})

    def step(name, result=None):
        def run(config, *args, **kwargs):
            seen.append((name, config.nav))
            return result
        return run

    monkeypatch.setattr(serve, "prepare", step("prepare", "data"))
    monkeypatch.setattr(serve, "after_engine", step("after", manifest))
    handouts = Handouts()
    builder = serve.make_builder(config_file, tmp_path / "site", handouts, step("engine"))
    builder()
    config_file.write_text("site_name: Guide\ndocs_dir: pages\nnav:\n  - b.md\n", encoding="utf-8")
    builder()
    assert seen == [("prepare", ("a.md",)), ("engine", ("a.md",)), ("after", ("a.md",)),
                    ("prepare", ("b.md",)), ("engine", ("b.md",)), ("after", ("b.md",))]
    assert [s.docs_dir for s in handouts.submitted] == [tmp_path / "docs", tmp_path / "pages"]


def test_the_handout_list_is_written_while_no_rebuild_can_start(tmp_path, monkeypatch):
    """A rebuild starting between the staleness check and the listing would get the older list
    in its fresh Handouts page (and its own job would find no marker left): hold() must wait."""
    import threading

    from conftest import wait_for

    site = tmp_path / "site"
    site.mkdir()
    handouts = serve.BackgroundHandouts(tmp_path, site)
    monkeypatch.setattr(handouts, "_check", lambda docs_dir, generation: None)
    monkeypatch.setattr(serve, "jobs", lambda manifest, site_dir, pages: [])
    monkeypatch.setattr(serve, "make_all", lambda *args, **kwargs: [])
    could_start: list[bool] = []

    def listing(site_dir, results):
        # Another thread, as MkDocs' build loop is: can it take the lock hold() needs right now?
        def try_hold():
            got = handouts._cond.acquire(blocking=False)
            if got:
                handouts._cond.release()
            could_start.append(got)
        other = threading.Thread(target=try_hold)
        other.start()
        other.join()

    monkeypatch.setattr(serve, "list_handouts", listing)
    try:
        handouts.submit(serve.Snapshot(Manifest("Guide", "", "", "", [], {}), {}, tmp_path / "docs"))
        assert wait_for(lambda: could_start, 10)
    finally:
        handouts.close()
    assert could_start == [False]
