"""Live preview: an edited page reloads at once; its handouts follow in the background.

MkDocs' own live-reload server serves the site folder and calls our builder on every change:
the engine build (in this process: no start-up cost), then the same steps over the HTML as
`guide build`. The browser reloads then; one background thread runs the output checks and
makes the handouts, from a snapshot taken right after the build, so nothing it reads is cleared
by the next rebuild. When a newer build arrives the running job stops and the pending one is
dropped (the latest edit wins). Problems are logged; the preview keeps serving. It makes no
offline zip, so the pages say so instead of linking to one.
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Callable, NamedTuple

from handout_pdf.chapter import HandoutError
from handout_pdf.render import Superseded, make_all

from . import checks, link_brackets
from .cli import after_engine, prepare
from .clock import today
from .config import Config, load_config
from .errors import PipelineError
from .handouts import cache_dir, chapter_pages, jobs, list_handouts, progress
from .manifest import Manifest
from .mkdocs_build import template_cache, tune_theme
from .workspace import build_lock

log = logging.getLogger("guide.serve")


class Snapshot(NamedTuple):
    """What the background job needs from one rebuild, read before the next one can change it."""
    manifest: Manifest
    pages: dict[str, str]    # chapter url -> its built HTML
    docs_dir: Path           # from that rebuild's mkdocs.yml


class BackgroundHandouts:
    """One thread; holds at most one waiting snapshot, and the newest replaces an older one."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self._cache = cache_dir(root)
        self._site_dir = site_dir
        self._cond = threading.Condition()
        self._waiting: Snapshot | None = None
        self._generation = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="handouts", daemon=True)
        self._thread.start()

    def hold(self) -> None:
        """A rebuild is starting: what runs now reads files the rebuild replaces, so it stops."""
        with self._cond:
            self._waiting = None
            self._generation += 1

    def submit(self, snapshot: Snapshot) -> None:
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

    def _check(self, docs_dir: Path, generation: int) -> None:
        """The output checks `guide build` runs, reported but not fatal. A rebuild that started
        meanwhile may have emptied the site folder under them, so then they say nothing."""
        try:
            found = checks.verdict(checks.check_site(self._site_dir, docs_dir, today()), True, os.environ)
        except (OSError, ValueError, PipelineError) as exc:  # ValueError: a page cut mid-write, mid-character
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
            self._check(snapshot.docs_dir, generation)
            try:
                documents = jobs(snapshot.manifest, self._site_dir, snapshot.pages)  # parsed here, off the reload's path

                def superseded(g: int = generation) -> bool:
                    return self._stale(g)

                results = make_all(documents, self._cache, progress, superseded=superseded, background=True)
                # Under the lock a rebuild's hold() takes: a rebuild starting between the check and
                # the listing would have its fresh Handouts page filled with this older list, and
                # its own job would then find no marker left to fill.
                with self._cond:
                    if not self._stale(generation):
                        list_handouts(self._site_dir, results)
                        log.info(f"Handouts: up to date ({time.perf_counter() - start:.1f} s after the build)")
            except Superseded:
                # The newer edit's build may yet fail: then no PDFs follow until one passes.
                log.info("Handouts: stopped for a newer edit; they follow its build once it passes.")
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


# A host name or IPv4 address, or an IPv6 address in brackets; then ':' and the port.
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_DEV_ADDR = re.compile(rf"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<host>{_LABEL}(?:\.{_LABEL})*)):(?P<port>[0-9]{{1,5}})")


def parse_dev_addr(text: str) -> tuple[str, int]:
    """'127.0.0.1:8000' -> ('127.0.0.1', 8000); '[::1]:0' -> ('::1', 0). Never an empty host:
    that would bind every interface and show the preview to the whole network."""
    match = _DEV_ADDR.fullmatch(text)
    if match and int(match["port"]) <= 65535 and (not match["ipv6"] or _is_ipv6(match["ipv6"])):
        return match["ipv6"] or match["host"], int(match["port"])
    raise PipelineError(f"--dev-addr {text!r} is not host:port. Fix: give both, e.g. -a 127.0.0.1:8000, "
                        "-a localhost:0 (port 0: any free port) or -a [::1]:8000.")


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def watched_paths(config: Config) -> list[Path]:
    """What a rebuild follows: the content, the configuration, and the code (whose edit the
    rebuild reports as needing a restart). Only those that exist."""
    paths = [config.docs_dir, config.file, config.root / "data", config.root / "overrides",
             *(config.root / folder for folder in CODE_DIRS)]
    return [path for path in paths if path.exists()]


def make_builder(config_file: Path, site_dir: Path, handouts: BackgroundHandouts,
                 engine_build: Callable[[Config], None]) -> Callable[[], None]:
    """The rebuild MkDocs' server calls on every change. Each one reads mkdocs.yml afresh, as the
    engine does: a nav or docs_dir edit then reaches the checks, manifest and handouts too."""
    root = config_file.parent
    loaded_code = code_digest(root)

    def builder() -> None:
        start = time.perf_counter()
        handouts.hold()
        try:
            config = load_config(config_file)
            data = prepare(config)
            engine_build(config)
            # The PDFs follow in the background, so their buttons stay; no zip is made, so its links say so.
            manifest = after_engine(config, data, site_dir, handouts=False, check=False, pdfs_later=True,
                                    offline_zip=False)
            snapshot = Snapshot(manifest, chapter_pages(manifest, site_dir), config.docs_dir)  # read now, not when rendering
        except (Exception, SystemExit) as exc:  # the macros plugin exits on a macro error
            # Keep serving; the message above this line (or here) says what to fix.
            log.error(f"Build failed: {exc or type(exc).__name__}. Fix the page or data, then save again.")
            return
        if code_digest(root) != loaded_code:
            # The PDF cache keys hash the renderer's files on disk, while this process runs
            # the code it loaded: PDFs made now would be stored under the new code's key.
            log.warning(f"Python code in {', '.join(d + '/' for d in CODE_DIRS)} changed since `guide serve` "
                        "started; this preview still runs the old code, and makes no handouts or checks. "
                        "Fix: restart it (Ctrl-C, then `make`).")
            return
        log.info(f"Site: rebuilt in {time.perf_counter() - start:.2f} s; handouts follow in the background")
        handouts.submit(snapshot)

    return builder


def serve(config: Config, site_dir: Path, dev_addr: str, build_first: bool = True) -> None:
    # The CLI may use MkDocs directly (the macros may not): serving is an MkDocs feature.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_config
    from mkdocs.livereload import LiveReloadServer

    host, port = parse_dev_addr(dev_addr)
    port = port or _free_port(host)

    link_brackets.install()
    with build_lock(site_dir):
        handouts = BackgroundHandouts(config.root, site_dir)
        templates = template_cache(config.root)

        def engine_build(current: Config) -> None:
            engine_config = mkdocs_config(config_file=str(current.file), site_dir=str(site_dir))
            engine_config.plugins.on_startup(command="build", dirty=False)
            tune_theme(engine_config.theme, templates)
            mkdocs_build(engine_config)

        builder = make_builder(config.file, site_dir, handouts, engine_build)
        # Polling (not inotify): it works the same in containers and on network folders.
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir),
                                  polling_interval=0.1)
        try:
            if build_first:
                builder()
            for path in watched_paths(config):
                server.watch(str(path))
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down ...")
        finally:
            server.shutdown()
            handouts.close()
