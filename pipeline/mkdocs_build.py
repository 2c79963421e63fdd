"""The MkDocs engine step: `mkdocs build --strict`, with three savings.

- MkDocs compiles Material's Jinja templates anew in every build: about 0.15 s of a 1 s build of
  this guide, in `guide build` and in every `guide serve` rebuild. Jinja's own
  FileSystemBytecodeCache keeps them in .engine-cache/. It keys each entry by template name and
  source checksum, and by Python and Jinja version, so an edited override or a new Material
  recompiles.
- Python-Markdown finds the brackets of each link one character at a time: link_brackets.py does
  it a run at a time (about 0.06 s of a 1 s build, 1.1 s of the 183-page benchmark's 8.6 s).
- MkDocs lists every file of the theme to copy its assets, then drops each one under a folder
  whose name starts with a dot: Material's .icons, 14,348 of its 14,514 files. Not walking into
  those folders gives the same list 0.05–0.09 s sooner in every build (0.002 s instead).

Everything else is MkDocs' own command line, unchanged.

    python -m pipeline.mkdocs_build -f mkdocs.yml -d site [--wait-for-go]

With --wait-for-go (as `guide build` runs it) it first imports the engine's code, then waits for
"go" on its standard input before it reads anything of the project: `guide build` checks the
inputs and writes the generated files meanwhile, on the other core.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handout_pdf.lifetime import exit_now

if TYPE_CHECKING:
    import jinja2

CACHE_DIR = ".engine-cache"
WAIT_FOR_GO = "--wait-for-go"
GO = b"go\n"
# Code only, never the project's files: MkDocs' build, the plugins mkdocs.yml names and the
# guide's macros (their data schema is the slowest import). A module missing here is simply
# imported later, as usual.
PRELOAD = ("mkdocs.__main__", "mkdocs.commands.build", "material.plugins.search.plugin",
           "material.plugins.offline.plugin", "mkdocs_macros.plugin", "macros.register")


def template_cache(root: Path) -> jinja2.BytecodeCache | None:
    """The project's cache of compiled theme templates; None where it cannot be written (a
    read-only checkout still builds, only without the saving)."""
    import jinja2

    folder = root / CACHE_DIR / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def tune_theme(theme: Any, cache: jinja2.BytecodeCache | None) -> None:
    """Make the environment this theme creates (anew for each build) use `cache` (None: no
    cache), and list its files without walking into dot folders."""
    import jinja2

    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        if cache is not None:
            env.bytecode_cache = cache
        if isinstance(env.loader, jinja2.FileSystemLoader):
            env.loader.list_templates = functools.partial(files_outside_dot_folders, env.loader)  # type: ignore[method-assign]
        return env
    theme.get_env = get_env


def files_outside_dot_folders(loader: jinja2.FileSystemLoader) -> list[str]:
    """FileSystemLoader.list_templates, without the files under a folder named ".*" (which MkDocs'
    filter of theme files drops: its patterns ".*" and "*/.*" match any such path)."""
    found: set[str] = set()
    for searchpath in loader.searchpath:
        for folder, subfolders, files in os.walk(searchpath, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            base = Path(folder).relative_to(searchpath)
            found.update((base / name).as_posix() for name in files)
    return sorted(found)


def wait_for_go() -> bool:
    """Import PRELOAD, then wait: True on "go", False when `guide build` stopped first (an input
    mistake), which closes the pipe or ends this process."""
    for name in PRELOAD:
        # An import error is left for MkDocs to report in its own words, after "go".
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    return sys.stdin.buffer.readline() == GO


def main(argv: list[str]) -> None:
    if WAIT_FOR_GO in argv:
        argv = [a for a in argv if a != WAIT_FOR_GO]
        if not wait_for_go():
            return
    from mkdocs.__main__ import cli
    from mkdocs.theme import Theme

    from .link_brackets import install

    install()

    config_file = Path(argv[argv.index("-f") + 1]) if "-f" in argv else Path("mkdocs.yml")
    cache = template_cache(config_file.resolve().parent)
    make_theme = Theme.__init__

    def theme_with_cache(self: Theme, *args: Any, **kwargs: Any) -> None:
        # The theme object is made inside MkDocs' config loading: this process is ours, so its
        # one change is here rather than a copy of MkDocs' command line.
        make_theme(self, *args, **kwargs)
        tune_theme(self, cache)
    Theme.__init__ = theme_with_cache  # type: ignore[method-assign]
    cli(["build", "--strict", *argv], prog_name="mkdocs")


def exit_code(done: SystemExit) -> int:
    """The exit status a SystemExit asks for, as the interpreter would make it."""
    if done.code is None or isinstance(done.code, int):
        return done.code or 0
    print(done.code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SystemExit as done:  # click ends every command this way, failed or not
        exit_now(exit_code(done))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole group; `guide build` says "Stopped."
        exit_now(130)
    exit_now(0)
