"""Live preview: an edited page reloads at once; its handouts follow in the background.

MkDocs' own live-reload server serves the site folder and calls our builder on every change:
the engine build (in this process: no start-up cost), then the same steps over the HTML as
`guide build`. The browser reloads then; one background thread runs the output checks and
makes the handouts, from a snapshot taken right after the build, so nothing it reads is cleared
by the next rebuild. When a newer build arrives the running job stops and the pending one is
dropped (the latest edit wins). Problems are logged; the preview keeps serving.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import threading
import time
from pathlib import Path

from handout_pdf.chapter import HandoutError
from handout_pdf.render import Superseded, make_all

from . import checks
from .cli import after_engine, prepare
from .config import Config
from .errors import PipelineError
from .handouts import cache_dir, chapter_pages, jobs, list_handouts, progress
from .manifest import Manifest
from .mkdocs_build import template_cache, tune_theme
from .workspace import build_lock

log = logging.getLogger("guide.serve")


class BackgroundHandouts:
    """One thread; holds at most one waiting snapshot, and the newest replaces an older one."""

    def __init__(self, config: Config, site_dir: Path) -> None:
        self._cache = cache_dir(config.root)
        self._docs_dir = config.docs_dir
        self._site_dir = site_dir
        self._cond = threading.Condition()
        self._waiting: tuple[Manifest, dict[str, str]] | None = None
        self._generation = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="handouts", daemon=True)
        self._thread.start()

    def hold(self) -> None:
        """A rebuild is starting: what runs now reads files the rebuild replaces, so it stops."""
        with self._cond:
            self._waiting = None
            self._generation += 1

    def submit(self, snapshot: tuple[Manifest, dict[str, str]]) -> None:
        with self._cond:
            self._waiting = snapshot
            self._generation += 1
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._generation += 1  # the running job sees it and stops
            self._cond.notify_all()
        self._thread.join(timeout=30)

    def _stale(self, generation: int) -> bool:
        with self._cond:
            return generation != self._generation

    def _check(self, generation: int) -> None:
        """The output checks `guide build` runs, reported but not fatal. A rebuild that started
        meanwhile may have emptied the site folder under them, so then they say nothing."""
        try:
            found = checks.verdict(checks.check_site(self._site_dir, self._docs_dir, dt.date.today()), True, os.environ)
        except (OSError, ValueError) as exc:  # ValueError: a page cut mid-write, mid-character
            if not self._stale(generation):
                log.error(f"Checks: {exc}")
            return
        if self._stale(generation):
            return
        for line in found.log:
            log.warning(line)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._waiting is not None or self._closed)
                if self._closed:
                    return
                snapshot, generation, self._waiting = self._waiting, self._generation, None
            assert snapshot is not None
            start = time.perf_counter()
            self._check(generation)
            try:
                manifest, pages = snapshot
                documents = jobs(manifest, self._site_dir, pages)  # parsed here, off the reload's path

                def superseded(g: int = generation) -> bool:
                    return self._stale(g)

                results = make_all(documents, self._cache, progress, superseded=superseded, background=True)
                if not self._stale(generation):
                    list_handouts(self._site_dir, results[-1:] + results[:-1])
                    log.info(f"Handouts: up to date ({time.perf_counter() - start:.1f} s after the build)")
            except Superseded:
                log.info("Handouts: a newer edit arrived; starting again with it.")
            except (HandoutError, PipelineError, OSError) as exc:
                if not self._stale(generation):
                    log.error(f"Handouts: {exc}")


# Python code a running preview has already imported: an edit to it takes effect only on restart.
CODE_DIRS = ("macros", "handout_pdf", "pipeline")


def code_digest(root: Path) -> bytes:
    digest = hashlib.sha256()
    for folder in CODE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def serve(config: Config, site_dir: Path, dev_addr: str, build_first: bool = True) -> None:
    # The CLI may use MkDocs directly (the macros may not): serving is an MkDocs feature.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_config
    from mkdocs.livereload import LiveReloadServer

    host, _, port_text = dev_addr.rpartition(":")
    port = int(port_text) or _free_port(host)

    with build_lock(site_dir):
        handouts = BackgroundHandouts(config, site_dir)
        templates = template_cache(config.root)
        loaded_code = code_digest(config.root)

        def builder() -> None:
            start = time.perf_counter()
            handouts.hold()
            try:
                data = prepare(config)
                engine_config = mkdocs_config(config_file=str(config.file), site_dir=str(site_dir))
                engine_config.plugins.on_startup(command="build", dirty=False)
                tune_theme(engine_config.theme, templates)
                mkdocs_build(engine_config)
                manifest = after_engine(config, data, site_dir, handouts=False, check=False)
                snapshot = (manifest, chapter_pages(manifest, site_dir))  # read now, not when rendering
            except (Exception, SystemExit) as exc:  # the macros plugin exits on a macro error
                # Keep serving; the message above this line (or here) says what to fix.
                log.error(f"Build failed: {exc or type(exc).__name__}. Fix the page or data, then save again.")
                return
            if code_digest(config.root) != loaded_code:
                # The PDF cache keys hash the renderer's files on disk, while this process runs
                # the code it loaded: PDFs made now would be stored under the new code's key.
                log.warning(f"Python code in {', '.join(d + '/' for d in CODE_DIRS)} changed since `guide serve` "
                            "started; this preview still runs the old code, and makes no handouts or checks. "
                            "Fix: restart it (Ctrl-C, then `make`).")
                return
            log.info(f"Site: rebuilt in {time.perf_counter() - start:.2f} s; handouts follow in the background")
            handouts.submit(snapshot)

        # Polling (not inotify): it works the same in containers and on network folders.
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir),
                                  polling_interval=0.1)
        try:
            if build_first:
                builder()
            for path in (config.docs_dir, config.root / "data", config.root / "macros",
                         config.root / "overrides", config.root / "handout_pdf", config.file):
                if path.exists():
                    server.watch(str(path))
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down ...")
        finally:
            server.shutdown()
            handouts.close()
