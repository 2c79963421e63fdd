"""`guide` (or `python -m pipeline`): every chore of the project, one command each.

    guide build [--engine mkdocs|zensical] [--site-dir DIR] [--no-handouts]   the site, its handouts and the zip
    guide prepare      check data/ and pages, write the generated files
    guide handouts     the PDFs of an already built site
    guide zip          the offline zip of an already built site
    guide check        the output checks over an already built site
    guide serve        live preview: pages reload at once, handouts follow in the background
    guide zensical     build with Zensical into site-zensical/ (same steps after the engine)
    guide fingerprint  which data a reviewer read: for data/review.yml's reviewer.data_fingerprint
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from . import engine as engines
from .clock import today
from .config import Config, load_config
from .errors import PipelineError
from .offline_zip import ZIP_URI, guide_date, write_offline_zip
from .workspace import build_lock, check_writable, refuse_project_folder, writing

if TYPE_CHECKING:
    from macros.data import GuideData

    from .checks import Problem

    from .manifest import Manifest

log = logging.getLogger("guide")


@dataclass(frozen=True)
class Options:
    config: Config
    site_dir: Path
    engine: str
    handouts: bool
    zip: bool


def prepare(config: Config, engine_ran: bool = False) -> GuideData:
    """Inputs first: a data or page mistake stops the build before the engine reads a page.
    The data schema is imported here, not with the CLI, so that `guide build` can start the
    engine first (engine.Run). engine_ran: the engine has built the site already (`guide
    handouts`), so its generated inputs must be the ones the data makes now."""
    from macros.data import DataError, load_data
    from macros.register import macro_names

    from . import manifest as manifests
    from . import pages
    from .generate import out_of_date, write_generated

    try:
        data = load_data(config.root / "data")
    except DataError as exc:
        raise PipelineError(str(exc)) from None
    # Every page's front matter against the schema, and its macro calls against the real macros.
    problems = pages.validate_pages(config.docs_dir, today(), macro_names(data),
                                    {s.id: s.kind for s in data.sources.values()})
    if problems:
        raise PipelineError("\n".join(problems))
    manifests.read_pages(config)  # every nav page exists and its front matter parses
    stale = list(out_of_date(config.root, data)) if engine_ran else []
    if stale:
        # The pages show the old review status or glossary, the PDFs would print the new one.
        raise PipelineError(f"{', '.join(stale)}: not what data/ makes now, so the engine built the pages from "
                            "old words (it ran before `guide prepare`). Fix: run `guide prepare`, the engine "
                            "again, then this step (or just `guide build`).")
    with writing(config.root / "includes", "the generated files' folder"):
        write_generated(config.root, data)
    return data


def _steps_after_engine(root: Path | None) -> None:
    """Import the steps that read the built site while the engine runs (in its own process, on
    the other core): about 0.15 s off every build. With no PDF in the handout cache (a first
    build) every PDF will be made, so WeasyPrint too (about 0.45 s): the PDF workers, forked
    from this process, then start with it instead of each importing it. A later build renders
    few PDFs or none, and leaves it to the workers that need it. root: None without handouts."""
    handouts = importlib.import_module("pipeline.handouts")
    importlib.import_module("pipeline.checks")
    if root is not None and not any(handouts.cache_dir(root).glob("*.pdf")):
        importlib.import_module("weasyprint")


def _step(name: str) -> float:
    log.info(f"{name} ...")
    return time.perf_counter()


def _done(name: str, start: float) -> None:
    log.info(f"{name}: done in {time.perf_counter() - start:.1f} s")


def after_engine(config: Config, data: GuideData, site_dir: Path, handouts: bool = True,
                 check: bool = True, *, pdfs_later: bool = False, offline_zip: bool = True,
                 checked_inputs: list[Problem] | None = None) -> Manifest:
    """The steps over the built HTML that every engine shares (not the zip). `guide serve` runs
    the output checks itself, after the browser has reloaded (check=False), and makes the PDFs in
    the background (pdfs_later). The manifest records which PDFs and zip the site will have (offline_zip:
    the caller makes it next), so the pages and checks never count on a file this build does not make.
    checked_inputs: the checks of docs/ alone, run while the engine built (`guide build`)."""
    from . import manifest as manifests
    from . import postprocess

    manifest = manifests.make_manifest(config, data, site_dir, handouts or pdfs_later, offline_zip)
    manifests.save(manifest, site_dir)
    postprocess.run(site_dir, manifest)
    if check:
        output_checks(config, site_dir, checked_inputs)
    if handouts:
        from .handouts import list_handouts, make_handouts  # see _steps_after_engine

        start = _step("Handouts (PDF)")
        list_handouts(site_dir, make_handouts(manifest, site_dir, config.root))
        _done("Handouts", start)
    left = postprocess.leftover_markers(site_dir, lists_filled=not pdfs_later)
    if left:
        raise PipelineError("a build step left its marker in the site (the page would show a gap): "
                            + "; ".join(left[:5]) + ". Fix: keep the marker's page in the nav and the marker intact.")
    return manifest


def output_checks(config: Config, site_dir: Path, checked_inputs: list[Problem] | None = None) -> None:
    """The checks over the built site (pipeline/checks.py): nothing wrong ships with a green build."""
    from . import checks  # see _steps_after_engine

    ok = checks.gate(site_dir, config.docs_dir, today(), True, os.environ, log=log.warning, inputs=checked_inputs)
    if not ok:
        raise PipelineError("the checks of the built site found problems (listed above); nothing was published.")


def build(opts: Options) -> None:
    site_dir = opts.site_dir
    with build_lock(site_dir):
        # The site with its PDFs and zip is about 15 MB; fail at once rather than half-way.
        check_writable(site_dir, "the site folder", "build into a writable folder with --site-dir", need_mb=40)
        # A failed build must not leave the last build's zip looking like this one's.
        (site_dir / ZIP_URI).unlink(missing_ok=True)
        run = engines.Run(opts.engine, opts.config, site_dir)
        try:
            from .freshness import inputs_now

            read = inputs_now(opts.config)  # before anything reads them (the engine waits for go)
            data = prepare(opts.config)
            start = _step(f"Site ({opts.engine})")
            run.go()
            _steps_after_engine(opts.config.root if opts.handouts else None)
            from .checks import input_problems  # imported by _steps_after_engine

            checked_inputs = input_problems(opts.config.docs_dir, today())  # while the engine builds
        except BaseException:
            run.stop()
            raise
        run.finish()
        _done("Site", start)
        with writing(site_dir, "the site folder", "free space or build elsewhere with --site-dir"):
            after_engine(opts.config, data, site_dir, opts.handouts, offline_zip=opts.zip, checked_inputs=checked_inputs)
            if opts.zip:
                make_zip(site_dir)
        _unchanged_since(opts.config, read, site_dir)


def _unchanged_since(config: Config, read: dict[str, bytes], site_dir: Path) -> None:
    """An input saved while the build ran may be in some of its pages and PDFs and not in others
    (or under a review status made from the data before it): fail, and leave no zip to upload.
    Unchanged: the site is recorded as built from `read`, for the steps run on it later."""
    from .freshness import inputs_now, record_inputs, refuse_changed_during_build

    try:
        refuse_changed_during_build(read, inputs_now(config))
    except PipelineError:
        (site_dir / ZIP_URI).unlink(missing_ok=True)
        raise
    record_inputs(config, site_dir, read)


def make_zip(site_dir: Path) -> None:
    from .manifest import load as load_manifest

    # Dated as the guide is (not 1980): a newer copy unzipped over an older one is seen as newer.
    pages = load_manifest(site_dir).pages
    stamp = guide_date(d for p in pages for d in (p.updated, p.evidence_checked))
    size = write_offline_zip(site_dir, site_dir / ZIP_URI, stamp)
    log.info(f"Offline zip: {ZIP_URI} ({size / 1_000_000:.1f} MB)")


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM behaves like Ctrl-C: every step's cleanup (workers, half-written files) runs."""
    raise KeyboardInterrupt


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="guide", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="default: mkdocs.yml")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site, its handouts and the offline zip")
    b.add_argument("--engine", choices=engines.ENGINES, default="mkdocs")
    b.add_argument("-d", "--site-dir", type=Path, help="default: site/ (site-zensical/ for Zensical)")
    b.add_argument("--no-handouts", action="store_true", help="skip the PDFs (and the zip)")
    z = sub.add_parser("zensical", help="build with Zensical into site-zensical/")
    z.add_argument("-d", "--site-dir", type=Path)
    z.add_argument("--no-handouts", action="store_true", help="skip the PDFs (and the zip)")
    sub.add_parser("prepare", help="check data/ and pages; write the generated files")
    sub.add_parser("fingerprint", help="print the data's fingerprint, for data/review.yml after a review")
    for name, text in (("handouts", "make the PDFs of a built site"), ("zip", "pack a built site"),
                       ("check", "check a built site")):
        c = sub.add_parser(name, help=text)
        c.add_argument("-d", "--site-dir", type=Path)
    s = sub.add_parser("serve", help="live preview with handouts in the background")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="host:port (port 0: any free port)")
    s.add_argument("-d", "--site-dir", type=Path)
    s.add_argument("--no-build", action="store_true", help="serve the site already in --site-dir, rebuild on edits")
    return p


def _zip_said_not_made(site_dir: Path) -> bool:
    """`guide handouts` fills the places the engine left for the PDF buttons. A site that `guide
    build --no-handouts` finished has a note there instead, and no place left to fill: refused.
    One that `guide serve` finished keeps its buttons but says the zip was not made (True): the
    step's manifest says so too, so `guide zip` refuses it rather than pack pages that say no zip."""
    from .postprocess import NO_CHAPTER_HANDOUTS, NO_ZIP, html_pages

    texts = [page.read_text(encoding="utf-8") for page in html_pages(site_dir)]
    if any(NO_CHAPTER_HANDOUTS in text for text in texts):
        raise PipelineError(f"{site_dir} was finished by `guide build --no-handouts`: its pages say the PDFs were not "
                            "made, and keep no place for their buttons. Fix: run `guide build`, which makes the "
                            "site, its PDFs and the zip (or run the engine again before `guide handouts`).")
    return any(NO_ZIP in text for text in texts)


def run(args: argparse.Namespace) -> None:
    config = load_config(args.config_file)
    engine = "zensical" if args.command == "zensical" else getattr(args, "engine", "mkdocs")
    default = "site-zensical" if engine == "zensical" else "site"
    site_dir = Path(getattr(args, "site_dir", None) or config.root / default).resolve()
    if args.command in ("build", "zensical", "serve"):  # the engine empties the site folder first
        refuse_project_folder(config.root, config.docs_dir, site_dir)
    if args.command in ("build", "zensical"):
        no_pdfs = getattr(args, "no_handouts", False)
        build(Options(config, site_dir, engine, handouts=not no_pdfs, zip=not no_pdfs))
    elif args.command == "prepare":
        prepare(config)
    elif args.command == "fingerprint":  # read as bytes, not loaded: review.yml may lack it until now
        from macros.data import data_fingerprint

        print(data_fingerprint(config.root / "data"))
    elif args.command == "handouts":  # after an engine run by hand: the post-build steps, then the PDFs
        from .freshness import inputs_now, refuse_changed_inputs

        no_zip = _zip_said_not_made(site_dir)
        read = inputs_now(config)
        # Before prepare: the pages must be newer than the data it reads for the manifest (review
        # status, sources, report words), or the PDFs would print new words over old pages.
        refuse_changed_inputs(config, site_dir, "its PDFs")
        with build_lock(site_dir), writing(site_dir, "the site folder"):
            after_engine(config, prepare(config, engine_ran=True), site_dir, handouts=True, offline_zip=not no_zip)
            _unchanged_since(config, read, site_dir)
    elif args.command == "zip":
        from .freshness import refuse_changed_inputs, refuse_unfinished
        from .manifest import load as load_manifest

        # A built site: never a zip of an empty folder (nor a stray SITE.build for it).
        built = load_manifest(site_dir)
        if not built.offline_zip:
            # Its pages say the zip was not made (and, after --no-handouts, it has no PDFs to pack).
            raise PipelineError(f"{site_dir} was built without its offline zip (`guide build --no-handouts` or "
                                "`guide serve`), and its pages say so. Fix: build it with `guide build`, "
                                "which makes the zip too.")
        with build_lock(site_dir), writing(site_dir, "the site folder"):
            refuse_unfinished(site_dir, built, "the zip")
            refuse_changed_inputs(config, site_dir, "the zip")
            make_zip(site_dir)
    elif args.command == "check":
        from .freshness import refuse_unfinished
        from .manifest import load as load_manifest

        # A built site, and a whole one: the checks pass links to PDFs the build makes after them.
        refuse_unfinished(site_dir, load_manifest(site_dir), "`guide check`")
        output_checks(config, site_dir)
        log.info("Checks: passed.")
    elif args.command == "serve":
        from .serve import serve

        serve(config, site_dir, args.dev_addr, build_first=not args.no_build)


def configure_logging() -> None:
    """Our steps' lines on the console. The libraries' own warnings stay off it: a WeasyPrint
    warning fails its handout and is reported there (handout_pdf/render.py)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    signal.signal(signal.SIGTERM, _stop)
    args = parser().parse_args(argv)
    try:
        run(args)
    except PipelineError as exc:
        log.error(str(exc))
        return 1
    except KeyboardInterrupt:
        log.error("Stopped.")
        return 130
    return 0
