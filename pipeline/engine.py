"""Run the site engine: MkDocs (the default) or Zensical, each only Markdown + data -> HTML."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from handout_pdf.lifetime import die_with_parent

from .config import Config
from .errors import PipelineError
from .mkdocs_build import GO, WAIT_FOR_GO

ENGINES = ("mkdocs", "zensical")
# Zensical takes its output folder from the config file only, and it must lie inside the project.
ZENSICAL_CONFIG = ".zensical.yml"


def command(engine: str, config: Config, site_dir: Path) -> list[str]:
    if engine == "mkdocs":
        # `mkdocs build --strict`, keeping the theme's compiled templates (mkdocs_build.py).
        return [sys.executable, "-m", "pipeline.mkdocs_build", "-f", str(config.file), "-d", str(site_dir)]
    if engine == "zensical":
        try:
            rel = site_dir.resolve().relative_to(config.root)
        except ValueError:
            raise PipelineError(f"Zensical builds only inside the project: {site_dir} is outside {config.root}. "
                                "Fix: pass a --site-dir inside the project, e.g. site-zensical.") from None
        generated = config.root / ZENSICAL_CONFIG
        # The classic variant is Material's look and markup (search box, tooltips), so both builds
        # show readers the same guide; Zensical's default "modern" variant is a redesign.
        generated.write_text(f"# Made by `guide zensical`; do not edit.\nINHERIT: {config.file.name}\n"
                             f"site_dir: {rel.as_posix()}\ntheme:\n  variant: classic\n", encoding="utf-8")
        # --strict as for MkDocs; --clean because after a failed build 0.0.73's cache reported
        # existing pages as missing ("page does not exist") on the next build.
        return [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(generated)]
    raise PipelineError(f"unknown engine '{engine}'. Fix: use one of {', '.join(ENGINES)}.")


def _popen(engine: str, cmd: list[str], config: Config, stdin: int | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.Popen(cmd, cwd=config.root, env=env, stdin=stdin, preexec_fn=die_with_parent)
    except FileNotFoundError as exc:
        raise PipelineError(f"cannot run {engine}: {exc}. Fix: run `make setup`.") from None


class Run:
    """One engine build, started before the inputs are checked. MkDocs loads its code (about half
    a second) while `guide build` checks data/ and the pages on the other core, then reads the
    project only after go(): an input mistake still stops the build before any page is built.
    Zensical is a single binary call, so it simply starts at go(). Its own output goes straight
    to the terminal."""

    def __init__(self, engine: str, config: Config, site_dir: Path) -> None:
        self.engine, self.config, self.site_dir = engine, config, site_dir
        self.proc: subprocess.Popen[bytes] | None = None
        if engine == "mkdocs":
            cmd = [*command(engine, config, site_dir), WAIT_FOR_GO]
            self.proc = _popen(engine, cmd, config, stdin=subprocess.PIPE)

    def go(self) -> None:
        if self.proc is None:
            self.proc = _popen(self.engine, command(self.engine, self.config, self.site_dir), self.config)
            return
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(GO)
            self.proc.stdin.close()
        except BrokenPipeError:
            pass  # it has already stopped; finish() reports how

    def stop(self) -> None:
        """Stop it unfinished (an input mistake, Ctrl-C)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()

    def finish(self) -> None:
        """Wait for the engine; fails if it did. Stopped (Ctrl-C), it stops the engine too."""
        assert self.proc is not None, "go() first"
        try:
            returncode = self.proc.wait()
        except BaseException:
            self.stop()
            raise
        if returncode != 0:
            raise PipelineError(f"the {self.engine} build failed (exit code {returncode}); its messages are above.")
