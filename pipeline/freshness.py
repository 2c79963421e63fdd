"""Whether a built site is whole and still shows its inputs.

`guide handouts`, `guide zip` and `guide check` work on a site already built. Run after an edit
without a rebuild, they made PDFs and a zip of the old words, reported success, and `guide
handouts` even printed the new review status over the old text. Run after a build that was
stopped half-way, `guide zip` packed a site without most of its PDFs. Each step now asks here first.
`guide build` asks too, at its end: an input saved while it ran may be half in its pages.
Two tests: no input is newer than the site's pages, and (after `guide build` or `guide handouts`,
which record what they read) every input's contents are what the site was built from.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Iterable, Iterator

from .config import Config
from .errors import PipelineError
from .manifest import Manifest
from .workspace import INPUT_FOLDERS, state_dir, write_text

SHOWN = 3  # files named in a message; the rest are counted


def inputs(config: Config) -> Iterator[Path]:
    yield config.file
    for folder in (config.docs_dir, *(config.root / name for name in INPUT_FOLDERS)):
        found = []
        # Into symlinked folders too, as MkDocs reads docs/ (rglob would not look inside them).
        for parent, subfolders, files in os.walk(folder, followlinks=True):
            # Not dotfiles (editors' swap files; the engine leaves them out), nor compiled Python.
            subfolders[:] = [name for name in subfolders if not name.startswith(".") and name != "__pycache__"]
            found += [Path(parent, name) for name in files if not name.startswith(".")]
        yield from sorted(found)


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
    changed = [] if moment is None else changed_after(config, moment) or changed_since_recorded(config, site_dir)
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


def inputs_now(config: Config) -> dict[str, bytes]:
    """digests() of every input but the files the build writes itself (generate.py)."""
    from .generate import generated_paths

    return digests(config, skip=generated_paths(config.root))


def _record_path(site_dir: Path) -> Path:
    return state_dir(site_dir) / "inputs.json"


def record_inputs(config: Config, site_dir: Path, read: dict[str, bytes]) -> None:
    """What a finished site was built from (read: inputs_now() when the build read them), for the
    steps run on it later. File times alone miss an input deleted since, or one put back with its
    old time (`git checkout` of an earlier commit, `cp -p`)."""
    record = {"built_at": built_at(config, site_dir), "inputs": {name: d.hex() for name, d in read.items()}}
    write_text(_record_path(site_dir), json.dumps(record, indent=0, sort_keys=True))


def changed_since_recorded(config: Config, site_dir: Path) -> list[str]:
    """Inputs whose contents differ from what the site was built from, by record_inputs(). No
    record, or one of an earlier engine run (the engine was run again by hand since): [], and
    file times decide alone."""
    try:
        record = json.loads(_record_path(site_dir).read_text(encoding="utf-8"))
        if record["built_at"] != built_at(config, site_dir):
            return []
        before = {name: bytes.fromhex(d) for name, d in record["inputs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []  # no record, or not one this code wrote
    now = inputs_now(config)
    return [name + (" (deleted)" if name not in now else " (new)" if name not in before else "")
            for name in sorted(before.keys() | now.keys()) if before.get(name) != now.get(name)]
