"""Every built page is valid HTML (Nu Html Checker), except for listed errors from Material's own templates."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = Path(__file__).with_name("vnu-allowlist.txt")


def allowed() -> list[re.Pattern]:
    rules = []
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, _, reason = line.partition(" | ")
            assert reason.strip(), f"allow-list entry without a reason: {line}"
            rules.append(re.compile(pattern))
    return rules


def vnu_errors(pages: list[Path]) -> list[dict]:
    assert VNU.exists(), "vnu.jar missing: run `make setup` (npm ci)"
    proc = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json",
                           *map(str, pages)], capture_output=True, text=True)
    return [m for m in json.loads(proc.stderr)["messages"] if m["type"] == "error"]


def unexplained(errors: list[dict]) -> list[str]:
    rules = allowed()
    return [f"{Path(e['url']).name}:{e.get('lastLine')}: {e['message']}"
            for e in errors if not any(r.search(e["message"]) for r in rules)]


@pytest.fixture(scope="module")
def checked(built_site, tmp_path_factory) -> tuple[list[dict], list[dict]]:
    """One run of the checker (Java starts once): (errors on the built pages, errors on a planted bad page)."""
    bad = tmp_path_factory.mktemp("planted") / "bad.html"
    html = (built_site.site / "index.html").read_text(encoding="utf-8")
    bad.write_text(html.replace("</article>", '<p id="x"></p><p id="x"><ul></ul></p></article>', 1))
    errors = vnu_errors([*html_pages(built_site.site), bad])
    planted = [e for e in errors if e["url"].endswith("/bad.html")]
    return [e for e in errors if e not in planted], planted


def test_built_html_is_valid(checked):
    problems = unexplained(checked[0])
    assert not problems, "\n".join(problems)


def test_every_allowlist_entry_is_still_needed(checked):
    for rule in allowed():
        assert any(rule.search(e["message"]) for e in checked[0]), f"stale allow-list entry: {rule.pattern}"


def test_checker_catches_planted_errors(checked):
    assert any("Duplicate ID" in p for p in unexplained(checked[1]))
