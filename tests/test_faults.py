"""Issue 14, pipeline faults: a bad cache, a stopped or concurrent build, a read-only or full
folder. Each fault must end in a clear line (path + fix) or a correct result, never a green
build with wrong output, a traceback, stray worker processes or half-written files."""
from __future__ import annotations

import errno
import gc
import json
import os
import re
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import GUIDE, children, wait_for
from handout_pdf import render
from handout_pdf.chapter import HandoutError
from handout_pdf.render import Job, Ready, make_all
from pipeline.errors import PipelineError
from pipeline.offline_zip import ZIP_URI, write_offline_zip
from pipeline.workspace import build_lock, check_writable, state_dir

HTML = '<html lang="en"><title>Cached</title><body><h1>Cached</h1><p>{}</p></body></html>'


def job(tmp_path: Path, words: str = "Once.") -> Job:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    return Job("Demo", "demo.md", Ready(HTML.format(words), (site / "demo.html").as_uri()), site,
               site / "handouts" / "demo.pdf")


def entry(cache: Path) -> tuple[Path, Path]:
    (pdf,) = cache.glob("*.pdf")
    return pdf, pdf.with_suffix(".json")


def quiet(*_args: object) -> None:
    pass


# --- 3. the handout cache is verified, rebuilt when bad, written atomically ------------------------

@pytest.mark.parametrize("damage", ["truncated", "garbage", "half-written json", "json missing", "no pdf"])
def test_a_damaged_cache_entry_is_rendered_again(tmp_path, damage):
    cache = tmp_path / "cache"
    first = make_all([job(tmp_path)], cache, quiet)[0]
    good = first.job.target.read_bytes()
    pdf, meta = entry(cache)
    if damage == "truncated":
        pdf.write_bytes(pdf.read_bytes()[:500])
    elif damage == "garbage":
        pdf.write_bytes(b"%PDF-1.7 not really" + b"\0" * (len(good) - 19))
    elif damage == "half-written json":
        meta.write_text('{"pages": 1, "si')
    elif damage == "json missing":
        meta.unlink()
    else:
        pdf.unlink()
    again = make_all([job(tmp_path)], cache, quiet)[0]
    assert not again.cached, "a damaged entry was used"
    assert again.job.target.read_bytes()[:4] == b"%PDF" and again.size == len(again.job.target.read_bytes())
    assert make_all([job(tmp_path)], cache, quiet)[0].cached, "the repaired entry is not used"


def test_stray_temporary_files_of_dead_builds_are_removed(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = subprocess.run(["true"]).returncode or 999_999  # a pid that is not running
    stray = [cache / f"abc.{dead}.tmp", cache / f"abc.json.{dead}.tmp"]
    for path in stray:
        path.write_bytes(b"half")
    mine = cache / f"def.{os.getpid()}.tmp"  # a running build's file stays
    mine.write_bytes(b"busy")
    make_all([job(tmp_path)], cache, quiet)
    assert not any(p.exists() for p in stray) and mine.exists()


def test_cache_entries_are_whole(tmp_path):
    cache = tmp_path / "cache"
    make_all([job(tmp_path)], cache, quiet)
    pdf, meta = entry(cache)
    info = json.loads(meta.read_text())
    assert info["size"] == pdf.stat().st_size and len(info["sha256"]) == 64
    assert sorted(p.suffix for p in cache.iterdir()) == [".json", ".pdf"], "temporary files left behind"


def frozen_objects(job: Job, stored: Path) -> None:
    """Stands in for the worker's typesetting: reports how many objects the fork froze."""
    raise HandoutError(f"frozen: {gc.get_freeze_count()}")


def test_workers_are_forked_with_the_heap_frozen(tmp_path, monkeypatch):
    """The garbage collector would otherwise write to every object a worker inherited, copying
    the build's memory into each worker (at 1x, 27 MB more for all processes)."""
    monkeypatch.setattr(render, "typeset_into_cache", frozen_objects)  # a fork keeps the patch
    with pytest.raises(HandoutError, match=r"frozen: (\d+)") as failed:
        make_all([job(tmp_path, "One."), job(tmp_path, "Two.")], tmp_path / "cache", quiet, workers=2)
    assert int(failed.value.args[0].split()[-1]) > 1000, "the workers' inherited objects are not frozen"
    assert gc.get_freeze_count() == 0, "the build's own objects stay frozen (never collected while serving)"


# --- 6. read-only or full folders: one clear line naming the path and the fix ----------------------

@pytest.mark.parametrize("code, words", [(errno.EROFS, "read-only file system"), (errno.ENOSPC, "disk is full"),
                                         (errno.EACCES, "permission denied")])
def test_unwritable_folder_is_one_clear_line(tmp_path, monkeypatch, code, words):
    def refuse(*_a, **_k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.NamedTemporaryFile", refuse)
    with pytest.raises(PipelineError) as caught:
        check_writable(tmp_path / "cache", "the handout cache", "set HANDOUTS_CACHE_DIR to a writable folder")
    message = str(caught.value)
    assert message == (f"cannot write the handout cache {tmp_path / 'cache'}: "
                       f"{'it is on a ' if code == errno.EROFS else 'the ' if code == errno.ENOSPC else ''}{words}. "
                       "Fix: set HANDOUTS_CACHE_DIR to a writable folder.")


def _mounted(folder: Path, options: str, *command: str) -> subprocess.CompletedProcess:
    """Run command with a small tmpfs mounted on folder, in a private mount namespace."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--mount"]
    script = f'mount -t tmpfs -o {options} tmpfs "$0" && exec "$@"'
    return subprocess.run([*prefix, "sh", "-c", script, str(folder), *command], capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.mark.slow
@pytest.mark.parametrize("where, options, expected", [
    ("site", "ro,size=100m", "cannot write the site folder {path}: it is on a read-only file system. Fix: build into"),
    ("site", "size=2m", "cannot write the site folder {path}: the disk is almost full"),
    ("cache", "ro,size=100m", "cannot write the handout cache {path}: it is on a read-only file system. Fix:"),
    ("cache", "size=64k", "cannot write the handout cache {path}: the disk is full. Fix:"),
])
def test_read_only_or_full_folder_stops_the_build_in_one_line(project_copy, tmp_path, where, options, expected):
    site, cache = tmp_path / "out" / "site", tmp_path / "cache"
    folder = site if where == "site" else cache
    proc = _mounted(folder, options, "env", f"HANDOUTS_CACHE_DIR={cache}", *GUIDE, "-f",
                    str(project_copy / "mkdocs.yml"), "build", "-d", str(site))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert expected.format(path=folder) in output, output
    assert "Traceback" not in output, output


# --- 7. stopped and concurrent builds --------------------------------------------------------------

def test_a_second_build_of_the_same_folder_says_who_is_building(tmp_path):
    site = tmp_path / "site"
    with build_lock(site):
        with pytest.raises(PipelineError, match=rf"another build is running \(pid {os.getpid()}\) into {site}"):
            with build_lock(site):
                pass
    with build_lock(site):  # released when the first build ends
        pass


def test_a_stopped_zip_leaves_nothing_that_could_ship(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    for n in range(5):
        (site / "a" / f"{n}.html").write_text(f"<p>{n}</p>")
    read = Path.read_bytes
    calls = []

    def stop_half_way(path: Path) -> bytes:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt  # what SIGTERM becomes in the CLI
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", stop_half_way)
    with pytest.raises(KeyboardInterrupt):
        write_offline_zip(site, site / ZIP_URI)
    monkeypatch.undo()
    leftovers = [p for p in [*site.rglob("*"), *state_dir(site).rglob("*")] if p.is_file() and "html" not in p.name]
    assert leftovers == []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_build_stopped_while_rendering_leaves_no_workers_or_temporary_files(project_copy, tmp_path, sig):
    site, cache = tmp_path / "site", tmp_path / "cache"  # an empty cache: every PDF must be rendered
    (site / "downloads").mkdir(parents=True)
    (site / ZIP_URI).write_bytes(b"the last build's zip")
    log = tmp_path / "build.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*GUIDE, "build", "-d", str(site)], cwd=project_copy, stdout=out,
                                stderr=subprocess.STDOUT, env={**os.environ, "HANDOUTS_CACHE_DIR": str(cache)})
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2 and list(cache.glob("*.tmp")) or proc.poll() is not None,
                     120), log.read_text()
        workers = children(proc.pid)
        assert proc.poll() is None, "the build ended before it could be stopped: " + log.read_text()
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert wait_for(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), 20), "worker processes left running"
    assert wait_for(lambda: not list(cache.glob("*.tmp")), 20), f"temporary files left: {list(cache.glob('*.tmp'))}"
    assert not (site / ZIP_URI).exists(), "a stopped build left a zip that looks publishable"
    assert not [p for p in site.rglob("*") if p.name.endswith((".tmp", ".partial"))]
    if sig == signal.SIGTERM:
        assert "Traceback" not in log.read_text() and "Stopped." in log.read_text()


@pytest.mark.slow
def test_a_failed_build_leaves_no_zip(project_copy, tmp_path):
    from conftest import build

    site = tmp_path / "site"
    assert build(project_copy, site, "--no-handouts").returncode == 0
    (site / "downloads").mkdir(exist_ok=True)
    (site / ZIP_URI).write_bytes(b"the last build's zip")
    page = project_copy / "docs" / "before" / "preparing.md"
    page.write_text(page.read_text() + "\n[a broken link](no-such-page.md)\n")
    result = build(project_copy, site)
    assert result.returncode != 0 and "no-such-page.md" in result.output
    assert not (site / ZIP_URI).exists()
    assert not re.search(r"Offline zip: ", result.output)


def test_zip_never_contains_build_state(tmp_path):
    site = tmp_path / "site"
    (site / "handouts").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "handouts" / ".x.pdf.123.tmp").write_bytes(b"half")
    state_dir(site).mkdir()
    (state_dir(site) / "manifest.json").write_text("{}")
    write_offline_zip(site, site / ZIP_URI)
    with zipfile.ZipFile(site / ZIP_URI) as archive:
        assert archive.namelist() == ["README.txt", "psoas-guide/index.html"]
    shutil.rmtree(site)
