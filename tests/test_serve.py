"""`guide serve` (the last step of `make`): edits show at once, PDFs follow, the latest edit wins."""
from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import GUIDE, wait_for

pytestmark = pytest.mark.slow


def fetch(url: str) -> bytes:
    try:
        return urllib.request.urlopen(url, timeout=5).read()
    except OSError:
        return b""


def pdf_text(data: bytes) -> str:
    try:
        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return ""  # half-written while we read it: try again


def _like_a_terminal() -> None:
    """Ctrl-C reaches serve as it does in a terminal, however the tests were started: a shell
    starts background jobs with SIGINT ignored, and a child keeps that (found in CI runs)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_shows_the_latest_edit_in_the_page_and_its_pdf(project_copy: Path, tmp_path: Path):
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*GUIDE, "serve", "-a", "127.0.0.1:0", "-d", str(tmp_path / "site")],
                                cwd=project_copy, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_like_a_terminal,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONFAULTHANDLER": "1"})
    try:
        assert wait_for(lambda: "Serving on http://" in log.read_text(), 120), log.read_text()
        base = re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", log.read_text()).group(1)
        assert wait_for(lambda: b"Is it safe for me?" in fetch(base + "before/is-it-safe.html"), 30)
        assert b"<!doctype html>" in fetch(base)[:64], "/ does not open the guide"
        assert wait_for(lambda: fetch(base + "handouts/preparing.pdf").startswith(b"%PDF"), 120), \
            "the chapter's PDF never appeared while serving"

        page = project_copy / "docs" / "before" / "preparing.md"
        original = page.read_text()
        page.write_text(original + "\nA first sentence added while serving.\n")
        page.write_text(original + "\nA second sentence added while serving.\n")  # at once: latest wins
        edited = time.monotonic()
        assert wait_for(lambda: b"A second sentence added" in fetch(base + "before/preparing.html"), 30)
        print(f"\nserve: edit visible after {time.monotonic() - edited:.1f} s")
        assert wait_for(lambda: "A second sentence added" in pdf_text(fetch(base + "handouts/preparing.pdf")), 120), \
            "the PDF never caught up with the latest edit"
        assert "A first sentence" not in pdf_text(fetch(base + "handouts/preparing.pdf"))
        assert "Traceback" not in log.read_text(), log.read_text()

        # A mistake is reported and serving goes on; fixing it brings the page back.
        page.write_text(original + '\n{{ routine_table("weekley") }}\n')
        assert wait_for(lambda: "Build failed" in log.read_text(), 60), log.read_text()[-2000:]
        page.write_text(original + "\nA third sentence, after the fix.\n")
        assert wait_for(lambda: b"A third sentence" in fetch(base + "before/preparing.html"), 60), log.read_text()[-2000:]

        # The output checks run after the reload, and still report: a private note in docs/.
        (project_copy / "docs" / "notes.txt").write_text("call the client back\n")
        assert wait_for(lambda: "docs/notes.txt: is an editor leftover" in log.read_text(), 60), log.read_text()[-2000:]

        # An edit to the renderer's Python code: the preview says it needs a restart, and makes
        # no PDF with the old code that the cache would file under the new code's key.
        recipes = project_copy / "handout_pdf" / "recipes.py"
        recipes.write_text(recipes.read_text() + "\n# edited while serving\n")
        assert wait_for(lambda: "changed since `guide serve` started" in log.read_text(), 60), log.read_text()[-2000:]
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGABRT)  # faulthandler writes where every thread was to the log
            wait_for(lambda: "Current thread" in log.read_text(), 10)
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("serve did not stop within 60 s of Ctrl-C; its log ends:\n" + log.read_text()[-6000:])
    assert proc.returncode == 0, log.read_text()[-2000:]
    assert "Shutting down" in log.read_text()
