"""The MkDocs engine step: `mkdocs build --strict`, keeping the theme's compiled templates.

MkDocs compiles Material's Jinja templates anew in every build: about 0.15 s of a 1 s build of
this guide, in `guide build` and in every `guide serve` rebuild. Jinja's own
FileSystemBytecodeCache keeps them in .engine-cache/. It keys each entry by template name and
source checksum, and by Python and Jinja version, so an edited override or a new Material
recompiles. Everything else is MkDocs' own command line, unchanged.

    python -m pipeline.mkdocs_build -f mkdocs.yml -d site
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import jinja2

CACHE_DIR = ".engine-cache"


def template_cache(root: Path) -> jinja2.BytecodeCache | None:
    """The project's cache of compiled theme templates; None where it cannot be written (a
    read-only checkout still builds, only without the saving)."""
    folder = root / CACHE_DIR / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def with_template_cache(theme: Any, cache: jinja2.BytecodeCache | None) -> None:
    """Make the environment this theme creates (anew for each build) use `cache`."""
    if cache is None:
        return
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = cache
        return env
    theme.get_env = get_env


def main(argv: list[str]) -> None:
    from mkdocs.__main__ import cli
    from mkdocs.theme import Theme

    config_file = Path(argv[argv.index("-f") + 1]) if "-f" in argv else Path("mkdocs.yml")
    cache = template_cache(config_file.resolve().parent)
    make_theme = Theme.__init__

    def theme_with_cache(self: Theme, *args: Any, **kwargs: Any) -> None:
        # The theme object is made inside MkDocs' config loading: this process is ours, so its
        # one change is here rather than a copy of MkDocs' command line.
        make_theme(self, *args, **kwargs)
        with_template_cache(self, cache)
    Theme.__init__ = theme_with_cache  # type: ignore[method-assign]
    cli(["build", "--strict", *argv], prog_name="mkdocs")


if __name__ == "__main__":
    main(sys.argv[1:])
