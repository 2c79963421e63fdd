"""The settings the pipeline reads from mkdocs.yml, read with plain YAML (no MkDocs import).

Zensical reads the same file, so this is the one place both engines and the pipeline agree on.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from macros.text import char_problems, theme_markup, word_problems

from .errors import PipelineError


class _Loader(yaml.SafeLoader):
    """SafeLoader plus MkDocs' `!ENV` tag: `!ENV NAME` or `!ENV [NAME, ..., default]`."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1] or items, items[-1] if len(items) > 1 else None
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


_Loader.add_constructor("!ENV", _env)


@dataclass(frozen=True)
class Config:
    root: Path                  # the project folder (where mkdocs.yml is)
    file: Path
    site_name: str
    site_url: str               # '' when SITE_URL is unset: nothing may print a placeholder then
    site_description: str
    site_author: str
    docs_dir: Path
    nav: tuple[str, ...]        # every page's Markdown path, in nav order

    def page_url(self, src: str) -> str:
        """'before/is-it-safe.md' -> 'before/is-it-safe.html' (use_directory_urls is off)."""
        return str(PurePosixPath(src).with_suffix(".html"))


def _flatten(nav: Any) -> list[str]:
    found: list[str] = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += _flatten(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


def _nav_titles(nav: Any) -> list[str]:
    titles: list[str] = []
    for item in nav or []:
        if isinstance(item, dict):
            title, value = next(iter(item.items()))
            titles.append(str(title))
            if isinstance(value, list):
                titles += _nav_titles(value)
    return titles


def _check_site_fields(config_file: Path, raw: dict, url: str) -> None:
    for key in ("site_name", "site_description", "site_author"):
        found = theme_markup(str(raw.get(key) or ""))
        if found:
            raise PipelineError(f"{config_file}: {key} has '{found}', which the theme would print as markup "
                                "(in <title>, the header, the handouts). Fix: leave it out, or use typographic quotes.")
    # A nav title is the page's title on the site (<title>, the navigation, the report box): it wins
    # over the front matter's, which the page check reads, so it is held to the same rules.
    for title in _nav_titles(raw.get("nav")):
        found = theme_markup(title)
        if found:
            raise PipelineError(f"{config_file}: the nav title {title!r} has '{found}', which the theme would print as "
                                "markup (it is the page's title on the site). Fix: leave it out, or use typographic "
                                "quotes \u201c \u201d.")
        problems = char_problems(title) + word_problems(title)
        if problems:
            raise PipelineError(f"{config_file}: the nav title {title!r} {problems[0]}.")
    if url and not url.lower().startswith("https://"):
        raise PipelineError(f"{config_file}: site_url (SITE_URL) is {url!r}: the guide's own address must start "
                            "https:// (it is printed on every handout and an http:// page is not private). "
                            "Fix: give the https:// address, or leave SITE_URL unset.")


def load_config(config_file: Path) -> Config:
    config_file = Path(config_file).resolve()
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise PipelineError(f"{config_file}: cannot read it ({exc.strerror}). Fix: run from the project folder.") from None
    except yaml.YAMLError as exc:
        raise PipelineError(f"{config_file}: invalid YAML: {exc}") from None
    root = config_file.parent
    url = str(raw.get("site_url") or "")
    _check_site_fields(config_file, raw, url)
    return Config(
        root=root, file=config_file, site_name=str(raw.get("site_name", "")),
        site_url=url if not url or url.endswith("/") else url + "/",
        site_description=" ".join(str(raw.get("site_description") or "").split()),
        site_author=str(raw.get("site_author") or raw.get("site_name", "")),
        docs_dir=root / str(raw.get("docs_dir", "docs")), nav=tuple(_flatten(raw.get("nav"))))
