"""Typeset handout HTML with WeasyPrint: local files only, strict about problems, cached by content.

WeasyPrint takes about a second per document, so documents render in parallel worker
processes, and a document whose HTML, stylesheet and images have not changed is copied from
the cache instead (`mkdocs serve` rebuilds stay fast).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .chapter import HandoutError
from .document import STYLESHEET

# Tagged PDF (headings, lists, tables, figures with alt text), fonts embedded, A4 from the CSS.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class Job:
    name: str                 # what the reader calls it, for progress and errors
    where: str                # the Markdown file(s) it comes from, for errors
    html: str
    base_url: str             # file:// URL of the built page; relative paths resolve from it
    files: tuple[Path, ...]   # local files the HTML loads (their bytes are part of the cache key)
    allowed: Path             # the built site: the only folder a handout may read from
    target: Path


@dataclass(frozen=True)
class Result:
    job: Job
    pages: int
    size: int                 # bytes
    seconds: float
    cached: bool


def cache_key(job: Job) -> str:
    """A hash of everything that shapes the PDF. Where the site was built is left out, so copies
    of the project (tests, a second checkout) can share one cache."""
    import weasyprint

    site = job.allowed.resolve()
    html = job.html.replace(site.as_uri(), "site:")
    digest = hashlib.sha256()
    for part in (weasyprint.__version__, json.dumps(PDF_OPTIONS), STYLESHEET.read_text("utf-8"), html):
        digest.update(part.encode("utf-8") + b"\0")
    for path in job.files:
        digest.update(path.relative_to(site).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def make_all(jobs: Iterable[Job], cache_dir: Path, report: Callable[[Result, int, int], None],
             workers: int | None = None) -> list[Result]:
    """Copy cached PDFs, render the rest in parallel; report(result, n, total) after each one."""
    jobs = list(jobs)
    cache_dir.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []

    def done(job: Job, stored: Path, seconds: float, from_cache: bool) -> None:
        results.append(_deliver(job, stored, seconds, from_cache))
        report(results[-1], len(results), len(jobs))

    todo: list[tuple[Job, Path]] = []
    for job in jobs:
        stored = cache_dir / f"{cache_key(job)}.pdf"
        if stored.is_file() and stored.with_suffix(".json").is_file():
            done(job, stored, 0.0, True)
        else:
            todo.append((job, stored))
    if len(todo) == 1:  # one document is not worth starting a process for
        job, stored = todo[0]
        done(job, stored, _named(job, lambda: render_into_cache(job, stored)), False)
    elif todo:
        # Longest first (the whole guide), so both cores finish at about the same time.
        todo.sort(key=lambda item: len(item[0].html), reverse=True)
        with ProcessPoolExecutor(max_workers=min(len(todo), workers or os.cpu_count() or 1)) as pool:
            futures = {pool.submit(render_into_cache, job, stored): (job, stored) for job, stored in todo}
            for future in as_completed(futures):
                job, stored = futures[future]
                try:
                    seconds = _named(job, future.result)
                except HandoutError:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
                done(job, stored, seconds, False)
    prune(cache_dir)
    return results


def _named(job: Job, work: Callable[[], float]) -> float:
    """Run work; any failure (a worker process that died included) names the handout it was for."""
    try:
        return work()
    except Exception as exc:
        reason = str(exc) if isinstance(exc, HandoutError) else f"{type(exc).__name__}: {exc}"
        raise HandoutError(f"the handout for '{job.name}' ({job.where}) could not be made: {reason}") from None


def _deliver(job: Job, stored: Path, seconds: float, from_cache: bool) -> Result:
    job.target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stored, job.target)
    os.utime(stored)  # recently used: kept by prune()
    pages = json.loads(stored.with_suffix(".json").read_text("utf-8"))["pages"]
    return Result(job, pages, job.target.stat().st_size, seconds, from_cache)


def prune(cache_dir: Path, max_age_days: int = 30) -> None:
    """Forget PDFs no build has used for a month, so the cache does not grow without end."""
    cutoff = time.time() - max_age_days * 86400
    for path in cache_dir.glob("*.pdf"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)


def render_into_cache(job: Job, stored: Path) -> float:
    """Typeset one document into the cache (runs in a worker process); returns the seconds taken."""
    start = time.perf_counter()
    partial = stored.with_suffix(f".{os.getpid()}.tmp")  # a build stopped halfway leaves no broken PDF
    try:
        pages = typeset(job, partial)
    except HandoutError:
        raise
    except Exception as exc:  # WeasyPrint's own errors may not cross the process boundary intact
        raise HandoutError(f"WeasyPrint failed: {type(exc).__name__}: {exc}") from None
    partial.replace(stored)
    stored.with_suffix(".json").write_text(json.dumps({"pages": pages}), "utf-8")
    return time.perf_counter() - start


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings: a missing image or ignored rule should fail, not pass quietly."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def typeset(job: Job, target: Path) -> int:
    """Write job's PDF to target; return its page count."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _local_fetcher(job.allowed)
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        document = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
            stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher)], **PDF_OPTIONS)
        if problems.messages:
            raise HandoutError("WeasyPrint reported: " + "; ".join(dict.fromkeys(problems.messages)))
        document.write_pdf(target, **PDF_OPTIONS)
    except FatalURLFetchingError as exc:
        raise HandoutError(f"{exc}: {exc.__cause__}") from None
    finally:
        logger.removeHandler(problems)
    return len(document.pages)


def _local_fetcher(allowed: Path):
    """A WeasyPrint URL fetcher that reads files from the built site and refuses everything else."""
    from weasyprint.urls import URLFetcher

    roots = (allowed.resolve(), STYLESHEET.parent.resolve())

    class LocalFiles(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise HandoutError(f"refused to fetch {url}: handouts only read files of the built site")
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise HandoutError(f"refused to read {path}: it is outside the built site")
            return super().fetch(url, headers)

    return LocalFiles(fail_on_errors=True)
