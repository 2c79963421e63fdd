"""`mkdocs serve` (the first README command's last step): edits show at once, PDFs follow."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import MKDOCS


def fetch(url: str) -> bytes:
    try:
        return urllib.request.urlopen(url, timeout=5).read()
    except OSError:
        return b""


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_serve_reloads_edits_and_makes_handouts_in_the_background(project_copy):
    with socket.socket() as s:  # a free port on loopback
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": base}
    proc = subprocess.Popen([*MKDOCS, "serve", "-a", f"127.0.0.1:{port}"], cwd=project_copy, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_for(lambda: b"Is it safe for me?" in fetch(base + "before/is-it-safe.html"), 90)
        assert wait_for(lambda: fetch(base + "handouts/is-it-safe.pdf").startswith(b"%PDF"), 90), \
            "the chapter's PDF never appeared while serving"
        page = project_copy / "docs" / "before" / "preparing.md"
        page.write_text(page.read_text() + "\nA sentence added while serving.\n")
        assert wait_for(lambda: b"A sentence added while serving." in fetch(base + "before/preparing.html"), 30)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
