"""Where a build keeps its state, one build at a time, and file-system errors said in one line.

A build of SITE keeps its lock, manifest and half-written zip in the sibling folder SITE.build,
so nothing that is not the site itself is ever inside SITE (which is what gets uploaded).
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import PipelineError

_REASONS = {
    errno.EROFS: ("it is on a read-only file system", "build somewhere writable"),
    errno.ENOSPC: ("the disk is full", "free some space"),
    errno.EDQUOT: ("the disk quota is used up", "free some space"),
    errno.EACCES: ("permission denied", "make it writable for this user"),
    errno.EPERM: ("permission denied", "make it writable for this user"),
}


def fs_problem(path: Path, exc: OSError, what: str, fix: str = "") -> PipelineError:
    """'cannot write the site folder /x: the disk is full. Fix: free some space.'"""
    reason, default_fix = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc), "check the folder"))
    return PipelineError(f"cannot write {what} {path}: {reason}. Fix: {fix or default_fix}.")


@contextmanager
def writing(path: Path, what: str, fix: str = "") -> Iterator[None]:
    """Turn an OSError while writing under path into one clear PipelineError."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError)) or exc.errno not in _REASONS:
            raise
        raise fs_problem(path, exc, what, fix) from None


def write_text(path: Path, text: str) -> None:
    """Write atomically: readers see the old file or the new one, never half of it."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# What the engine reads besides docs/ and mkdocs.yml: the data, the theme overrides, the generated
# includes, and the macros' code (a changed macro renders other words). pipeline/freshness.py watches them.
INPUT_FOLDERS = ("data", "overrides", "includes", "macros")
# The project's own code, tests, tools and history: no site folder may be one of them either.
CODE_FOLDERS = ("pipeline", "handout_pdf", "tests", "benchmarks", "hosting", ".ci", ".git", ".venv", "node_modules")


def refuse_project_folder(root: Path, docs_dir: Path, site_dir: Path) -> None:
    """MkDocs and Zensical empty the site folder before they build: `--site-dir .` deleted the whole
    project (Zensical allows a site folder anywhere inside it), `--site-dir data` every data file."""
    site_dir, root = site_dir.resolve(), root.resolve()
    own = [docs_dir.resolve(), *(root / name for name in (*INPUT_FOLDERS, *CODE_FOLDERS))]
    held = "the whole project" if root.is_relative_to(site_dir) else next(
        (f"what is in the project's {folder.name}/ folder" for folder in own if site_dir.is_relative_to(folder)), "")
    if held:
        raise PipelineError(f"cannot build into {site_dir}: the engine empties the site folder before it builds, and "
                            f"that would delete {held}. Fix: give a folder of its own, e.g. --site-dir site-preview, "
                            "or leave --site-dir out.")


def state_dir(site_dir: Path) -> Path:
    return site_dir.with_name(site_dir.name + ".build")


def check_writable(folder: Path, what: str, fix: str = "", need_mb: int = 0) -> None:
    """Fail early, in one line, if folder cannot be created or written (read-only, full, no rights)."""
    with writing(folder, what, fix):
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-", delete=True)
        try:
            probe.write(b"x" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
        finally:
            probe.close()
        if need_mb:
            free = shutil.disk_usage(_existing(folder)).free // 1_000_000
            if free < need_mb:
                raise PipelineError(f"cannot write {what} {folder}: the disk is almost full ({free} MB free, "
                                    f"a build needs about {need_mb} MB). Fix: free some space, or {fix or 'build elsewhere'}.")


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """One build per site folder: a second one stops at once and says who holds the folder."""
    folder = state_dir(site_dir)
    check_writable(folder, "the build's state folder", "build into a writable folder with --site-dir")
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise PipelineError(f"another build is running (pid {holder}) into {site_dir}. "
                                "Fix: wait for it to finish, or stop it, then build again.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed
