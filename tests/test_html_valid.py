"""Every built page is valid HTML (Nu Html Checker), except for listed errors from Material's own templates."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

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


def test_built_html_is_valid(built_site):
    pages = html_pages(built_site.site)
    problems = unexplained(vnu_errors(pages))
    assert not problems, "\n".join(problems)


def test_every_allowlist_entry_is_still_needed(built_site):
    errors = vnu_errors(html_pages(built_site.site))
    for rule in allowed():
        assert any(rule.search(e["message"]) for e in errors), f"stale allow-list entry: {rule.pattern}"


def test_checker_catches_planted_errors(built_site, tmp_path):
    page = tmp_path / "bad.html"
    html = (built_site.site / "index.html").read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", '<p id="x"></p><p id="x"><ul></ul></p></article>', 1))
    problems = unexplained(vnu_errors([page]))
    assert any("Duplicate ID" in p for p in problems)
