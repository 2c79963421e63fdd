"""Whether a built site is whole and still shows its inputs.

`guide handouts`, `guide zip` and `guide check` work on a site already built. Run after an edit
without a rebuild, they made PDFs and a zip of the old words, reported success, and `guide
handouts` even printed the new review status over the old text. Run after a build that was
stopped half-way, `guide zip` packed a site without most of its PDFs. Each step now asks here first.
`guide build` asks too, at its end: an input saved while it ran may be half in its pages.
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Iterable, Iterator

from .config import Config
from .errors import PipelineError
from .manifest import Manifest

# What the engine reads besides docs/ and mkdocs.yml: the data, the theme overrides, the generated
# includes, and the macros' code (a changed macro renders other words).
INPUT_FOLDERS = ("data", "overrides", "includes", "macros")
SHOWN = 3  # files named in a message; the rest are counted


def inputs(config: Config) -> Iterator[Path]:
    yield config.file
    for folder in (config.docs_dir, *(config.root / name for name in INPUT_FOLDERS)):
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            # Not dotfiles (editors' swap files; the engine leaves them out), nor compiled Python.
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in parts):
                yield path


def _name(path: Path, config: Config) -> str:
    return path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)


def _listed(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def built_at(config: Config, site_dir: Path) -> int | None:
    """When the engine wrote the site (ns): its oldest page of the nav. None: no page is built."""
    times = []
    for src in config.nav:
        try:
            times.append((site_dir / config.page_url(src)).stat().st_mtime_ns)
        except OSError:
            continue  # the manifest step names a page that was not built
    return min(times, default=None)


def changed_after(config: Config, moment_ns: int) -> list[str]:
    """Inputs saved after moment_ns. A time in the future is a copied file's, not an edit's (and
    no build could ever be newer than it)."""
    now = time.time_ns()
    changed = []
    for path in inputs(config):
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            continue
        if moment_ns < mtime <= now:
            changed.append(_name(path, config))
    return changed


def refuse_changed_inputs(config: Config, site_dir: Path, made: str) -> None:
    """made: what the step would make of the old pages ('its PDFs', 'the zip')."""
    moment = built_at(config, site_dir)
    changed = [] if moment is None else changed_after(config, moment)
    if changed:
        raise PipelineError(f"{_listed(changed)} changed after the site in {site_dir} was built, so {made} would "
                            "show the old words. Fix: run `guide build` (or, running the engine by hand: "
                            "`guide prepare`, the engine, then this step).")


def unfinished(site_dir: Path, manifest: Manifest) -> list[str]:
    """What a finished build has and this site lacks: a PDF its pages link to, a marker a step fills."""
    from .postprocess import leftover_markers
    from .site_rules import handout_files

    wanted = sorted(handout_files(manifest)) if manifest.handouts else []
    missing = [f"{rel} is missing" for rel in wanted if not (site_dir / rel).is_file()]
    return missing + [f"{where} is left unfilled" for where in leftover_markers(site_dir, lists_filled=True)]


def refuse_unfinished(site_dir: Path, manifest: Manifest, step: str) -> None:
    problems = unfinished(site_dir, manifest)
    if problems:
        raise PipelineError(f"{site_dir} is not a finished build ({_listed(problems)}): its build was stopped, or the "
                            f"engine ran again without the steps after it, so {step} would pass half a site. "
                            "Fix: run `guide build` (or `guide handouts`, which finishes it).")


def digests(config: Config, skip: Iterable[Path] = ()) -> dict[str, bytes]:
    """Every input's content hash: what `guide build` read, to compare with at its end. Contents,
    not times: a build must not fail on a clock that differs between machines."""
    left_out = {path.resolve() for path in skip}
    found = {}
    for path in inputs(config):
        if path.resolve() in left_out:
            continue
        try:
            found[_name(path, config)] = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            continue
    return found


def refuse_changed_during_build(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        raise PipelineError(f"{_listed(changed)} changed while the site was being built, so its pages, PDFs and zip "
                            "may show the old words, or old and new together. Fix: build again once the edit "
                            "is saved.")
