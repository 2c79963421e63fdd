"""Run the site engine: MkDocs (the default) or Zensical, each only Markdown + data -> HTML."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from handout_pdf.lifetime import die_with_parent

from .config import Config
from .errors import PipelineError

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


def start(engine: str, config: Config, site_dir: Path) -> subprocess.Popen[bytes]:
    """Start the engine; its own output goes straight to the terminal. finish() waits for it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.Popen(command(engine, config, site_dir), cwd=config.root, env=env,
                                preexec_fn=die_with_parent)
    except FileNotFoundError as exc:
        raise PipelineError(f"cannot run {engine}: {exc}. Fix: run `make setup`.") from None


def finish(engine: str, proc: subprocess.Popen[bytes]) -> None:
    """Wait for the engine; fails if it did. Stopped (Ctrl-C), it stops the engine too."""
    try:
        returncode = proc.wait()
    except BaseException:
        proc.terminate()
        proc.wait()
        raise
    if returncode != 0:
        raise PipelineError(f"the {engine} build failed (exit code {returncode}); its messages are above.")


def build(engine: str, config: Config, site_dir: Path) -> None:
    """Run the engine and wait for it."""
    finish(engine, start(engine, config, site_dir))
