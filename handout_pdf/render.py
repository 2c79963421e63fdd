"""Typeset handout HTML with WeasyPrint: local files only, strict about problems, cached by content.

WeasyPrint takes about a second per page, so documents render in parallel worker processes
(both cores), and a document whose inputs have not changed is copied from the cache instead.
The whole guide is a Book: typeset in parts of about 40 pages and joined (join.py), so its
memory does not grow with the guide. The join runs once the workers are done, so its memory
never adds to theirs.
A cache key is computed from a recipe's inputs without building the document, and WeasyPrint
is imported only in a process that has something to render.

Cache entries are KEY.pdf plus KEY.json ({pages, size, sha256}); both are written atomically
and the .json last, so an entry is whole or absent. An entry that does not match its .json is
thrown away and rendered again. Workers die with the build (PR_SET_PDEATHSIG) and remove their
half-written files when stopped.
"""
from __future__ import annotations

import errno
import functools
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Protocol, Sequence, TypeVar
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .chapter import HandoutError
from .lifetime import die_with_parent, give_back_freed_memory
from .sheets import PACKAGE, STYLESHEET
# Tagged PDF (headings, lists, tables, figures with alt text), fonts embedded, A4 from the CSS.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class Document:
    html: str
    base_url: str             # file:// URL of the built page; relative paths resolve from it
    files: tuple[Path, ...]   # local files the HTML loads


# How a part of a Book links to an anchor in another part (document.py); join.py makes it a
# link inside the joined PDF, so the address is never printed or kept.
LINK_SCHEME = "guide-anchor:"


@dataclass(frozen=True)
class Book:
    """A long document (the whole guide), typeset part by part and joined (join.py): WeasyPrint
    then holds one part in memory, not the whole book, however long the guide grows.

    front(first page of each anchor, total pages) is the cover with its contents, made last;
    each of parts(first page number) is the HTML of one run of chapters, numbered on from the
    part before it."""
    front: Callable[[Mapping[str, int], int], str]
    parts: tuple[Callable[[int], str], ...]
    base_url: str


class Recipe(Protocol):
    """How to make one handout document, and what its cache key depends on (picklable)."""

    def key_parts(self, site: Path) -> Iterable[bytes]: ...

    def make(self) -> Document | Book: ...


@dataclass(frozen=True)
class Ready:
    """A document that is already made (tests, or callers with their own HTML)."""
    html: str
    base_url: str
    files: tuple[Path, ...] = ()

    def key_parts(self, site: Path) -> Iterable[bytes]:
        yield self.html.replace(site.as_uri(), "site:").encode()
        for path in self.files:
            yield path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes()

    def make(self) -> Document:
        return Document(self.html, self.base_url, self.files)


@dataclass(frozen=True)
class Job:
    name: str                 # what the reader calls it, for progress and errors
    where: str                # the Markdown file(s) it comes from, for errors
    recipe: Recipe
    allowed: Path             # the built site: the only folder a handout may read from
    target: Path


@dataclass(frozen=True)
class Result:
    job: Job
    pages: int
    size: int                 # bytes
    seconds: float
    cached: bool


# The libraries that write the PDFs' bytes besides WeasyPrint: the PDF writer, the join, the HTML
# cleaner and its parser. An upgrade of one renders anew rather than serving an older PDF.
PDF_LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "beautifulsoup4", "lxml", "jinja2")


def code_fingerprint() -> bytes:
    """Everything in this package shapes the PDFs: templates, CSS, cleaning, the renderer, and
    the versions of the libraries they use."""
    versions = {name: version(name) for name in PDF_LIBRARIES}
    digest = hashlib.sha256(json.dumps(versions, sort_keys=True).encode() + json.dumps(PDF_OPTIONS).encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".css"}:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def cache_key(job: Job, fingerprint: bytes) -> str:
    """A hash of everything that shapes the PDF. Where the site was built is left out, so copies
    of the project (tests, a second checkout) can share one cache."""
    digest = hashlib.sha256(fingerprint)
    for part in job.recipe.key_parts(job.allowed.resolve()):
        digest.update(part + b"\0")
    return digest.hexdigest()[:32]


def cached_pages(stored: Path) -> tuple[int, bytes] | None:
    """(pages, PDF bytes) of a whole, matching cache entry; a bad entry is removed."""
    meta = stored.with_suffix(".json")
    try:
        info = json.loads(meta.read_text("utf-8"))
        pages, size, digest = int(info["pages"]), int(info["size"]), str(info["sha256"])
        data = stored.read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        data, pages, size, digest = b"", 0, -1, ""
    if len(data) == size and hashlib.sha256(data).hexdigest() == digest and data.startswith(b"%PDF"):
        return pages, data
    for path in (stored, meta):
        path.unlink(missing_ok=True)
    return None


def clean_stray_files(cache_dir: Path) -> None:
    """Remove half-written files of builds that were stopped (their process is gone)."""
    for tmp in cache_dir.glob("*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if not pid.isdigit() or not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Superseded(HandoutError):
    """The caller no longer wants these handouts (a newer edit is waiting while serving)."""


def make_all(jobs: Iterable[Job], cache_dir: Path, report: Callable[[Result, int, int], None],
             workers: int | None = None, superseded: Callable[[], bool] = lambda: False,
             background: bool = False) -> list[Result]:
    """Copy cached PDFs, render the rest in parallel; report(result, n, total) after each one.
    Results come back in the order of jobs. superseded() is asked between documents: when it
    says yes, the work stops (workers included) with Superseded. background: render in worker
    processes at low priority, so the live preview's rebuilds keep the CPU (guide serve)."""
    jobs = list(jobs)
    cache_dir.mkdir(parents=True, exist_ok=True)
    clean_stray_files(cache_dir)
    fingerprint = code_fingerprint()
    results: dict[int, Result] = {}

    def done(n: int, result: Result) -> None:
        if superseded():
            raise Superseded("a newer build is waiting")
        results[n] = result
        report(result, len(results), len(jobs))

    todo: list[tuple[int, Job, Path]] = []
    for n, job in enumerate(jobs):
        stored = cache_dir / f"{cache_key(job, fingerprint)}.pdf"
        hit = cached_pages(stored)
        if hit:
            os.utime(stored)  # recently used: kept by prune()
            done(n, _deliver(job, hit[1], hit[0], 0.0, True))
        else:
            todo.append((n, job, stored))
    if not background and (len(todo) == 1 or (todo and (workers or os.cpu_count() or 1) == 1)):
        for n, job, stored in todo:  # no process worth starting
            done(n, _named(job, functools.partial(_render_and_deliver, job, stored)))
    elif todo:
        _render_in_workers(todo, cache_dir, workers, done, background, superseded)
    prune(cache_dir)
    return [results[n] for n in range(len(jobs))]


def _render_in_workers(todo: Sequence[tuple[int, Job, Path]], cache_dir: Path, workers: int | None,
                       done: Callable[[int, Result], None], background: bool = False,
                       superseded: Callable[[], bool] = lambda: False) -> None:
    # Callers list the longest document (the whole guide) last; it starts first, so both cores
    # finish at about the same time.
    todo = sorted(todo, key=lambda item: -item[0])
    # Fork, said outright (Python 3.14 makes forkserver Linux's default): the workers start with
    # what this process has loaded (WeasyPrint on a first build) and share its frozen heap.
    pool = ProcessPoolExecutor(max_workers=min(len(todo), workers or os.cpu_count() or 1),
                               mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start,
                               initargs=(os.getpid(), cache_dir, background, tuple({job.target.parent for _, job, _ in todo})))
    failures: dict[int, HandoutError] = {}
    # Books typeset in a worker, joined once the workers have stopped: qpdf's copy of the whole
    # book then never stacks on two WeasyPrint processes.
    unjoined: dict[int, BookParts] = {}
    try:
        with _shared_with_workers():  # the first submit forks every worker
            futures: dict[Future[tuple[int, float] | BookParts], tuple[int, Job, Path]] = {
                pool.submit(typeset_into_cache, job, stored): (n, job, stored) for n, job, stored in todo}
        for future in _as_completed(futures, superseded):
            n, job, stored = futures[future]
            if future.cancelled():
                continue
            try:
                made = _named(job, future.result)
            except HandoutError as exc:
                # Stop what has not started; the ones running finish, so the first job that
                # failed (a chapter before the whole guide) is the one reported.
                failures[n] = exc
                for other in futures:
                    other.cancel()
                continue
            if isinstance(made, BookParts):
                unjoined[n] = _adopted(made)
            else:
                _done_from_cache(n, job, stored, *made, done)
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM) or failed: stop the workers now; they remove their own .tmp files.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        _forget(unjoined.values())
        raise
    pool.shutdown(wait=True)
    if failures:
        _forget(unjoined.values())
        raise failures[min(failures)]
    try:
        for n, job, stored in todo:
            if n in unjoined:
                made = _named(job, functools.partial(join_into_cache, unjoined[n], stored, background, superseded))
                _done_from_cache(n, job, stored, *made, done)
    finally:
        _forget(unjoined.values())


@contextmanager
def _shared_with_workers() -> Iterator[None]:
    """A forked worker shares this process's memory until either writes to it, and the garbage
    collector writes to every object it tracks. Objects frozen at the fork are left alone in the
    workers (the advice of Python's gc docs): all processes' memory at 1x 249 -> 222 MB."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # this process goes on (guide serve): its garbage is collected as before


def _done_from_cache(n: int, job: Job, stored: Path, pages: int, seconds: float,
                     done: Callable[[int, Result], None]) -> None:
    hit = cached_pages(stored)
    if hit is None:
        raise HandoutError(f"the handout for '{job.name}' was rendered but its cache entry {stored} is unreadable.")
    done(n, _deliver(job, hit[1], pages, seconds, False))


def _adopted(book: BookParts) -> BookParts:
    """The worker's part files under this process's id: another build sharing the cache removes
    .tmp files whose process has ended (clean_stray_files), and the worker may end first."""
    files = tuple(path.with_name(f"{path.name.rsplit('.', 2)[0]}.{os.getpid()}.tmp") for path in book.files)
    for old, new in zip(book.files, files, strict=True):
        os.replace(old, new)
    return BookParts(files, book.seconds)


def _forget(books: Iterable[BookParts]) -> None:
    for book in books:
        for path in book.files:
            path.unlink(missing_ok=True)


def _as_completed(futures: Iterable[Future[T]], superseded: Callable[[], bool]) -> Iterator[Future[T]]:
    """as_completed, asking superseded() twenty times a second while it waits: a newer edit (or
    `guide serve` stopping) does not wait for the whole guide to finish typesetting, and the
    rebuild the reader waits for soon has both cores to itself."""
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
        if superseded():
            raise Superseded("a newer build is waiting")
        yield from finished


def _worker_start(parent: int, cache_dir: Path, background: bool = False, site_dirs: tuple[Path, ...] = ()) -> None:
    """In each worker: die with the build, and leave no half-written file when stopped. A build
    killed outright (SIGKILL) cannot tidy up; its workers, told of its death, remove what it was
    writing into the site (_site_partial) as well as their own files."""
    _child_start(background)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the build, which stops us

    def stop(signum: int, frame: object) -> None:
        for tmp in cache_dir.glob(f"*.{os.getpid()}.tmp"):
            tmp.unlink(missing_ok=True)
        if os.getppid() != parent:  # the build is gone (not a worker stopped by a living build)
            for folder in site_dirs:
                for tmp in folder.glob(_site_partial("*", parent)):
                    tmp.unlink(missing_ok=True)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    if os.getppid() != parent:  # the build died before we could ask to be told
        stop(signal.SIGTERM, None)


T = TypeVar("T")


def _named(job: Job, work: Callable[[], T]) -> T:
    """Run work; any failure (a worker process that died included) names the handout it was for."""
    try:
        return work()
    except Superseded:
        raise
    except Exception as exc:
        reason = str(exc) if isinstance(exc, HandoutError) else f"{type(exc).__name__}: {exc}"
        raise HandoutError(f"the handout for '{job.name}' ({job.where}) could not be made: {reason}") from None


def _render_and_deliver(job: Job, stored: Path) -> Result:
    pages, seconds = render_into_cache(job, stored)
    hit = cached_pages(stored)
    if hit is None:
        raise HandoutError(f"its cache entry {stored} is unreadable right after rendering")
    return _deliver(job, hit[1], pages, seconds, False)


def _site_partial(name: str, pid: int) -> str:
    """A handout being written into the site by process pid (hidden, renamed when whole); name
    "*" makes the pattern the workers clear when that process is killed."""
    return f".{name}.{pid}.tmp"


def _deliver(job: Job, data: bytes, pages: int, seconds: float, from_cache: bool) -> Result:
    job.target.parent.mkdir(parents=True, exist_ok=True)
    partial = job.target.with_name(_site_partial(job.target.name, os.getpid()))
    try:
        partial.write_bytes(data)
        os.replace(partial, job.target)
    finally:
        partial.unlink(missing_ok=True)
    return Result(job, pages, len(data), seconds, from_cache)


def prune(cache_dir: Path, max_age_days: int = 30) -> None:
    """Forget PDFs no build has used for a month, so the cache does not grow without end."""
    cutoff = time.time() - max_age_days * 86400
    for path in cache_dir.glob("*.pdf"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)


@dataclass(frozen=True)
class BookParts:
    """A Book's parts, typeset (in a worker) and not yet joined; the files are the caller's."""
    files: tuple[Path, ...]
    seconds: float


def render_into_cache(job: Job, stored: Path) -> tuple[int, float]:
    """Make and typeset one document into the cache, in this process; (pages, seconds)."""
    made = typeset_into_cache(job, stored)
    if not isinstance(made, BookParts):
        return made
    try:
        return join_into_cache(made, stored)
    finally:
        _forget([made])


def typeset_into_cache(job: Job, stored: Path) -> tuple[int, float] | BookParts:
    """Make and typeset one document into the cache (in a worker); (pages, seconds). A Book
    comes back as its typeset parts, which the caller joins (join_into_cache) and removes."""
    made = _typeset_into_cache(job, stored)
    give_back_freed_memory()  # the document went with the call's locals
    return made


def _typeset_into_cache(job: Job, stored: Path) -> tuple[int, float] | BookParts:
    start = time.perf_counter()
    document = job.recipe.make()
    if isinstance(document, Book):
        with _cache_errors(stored):
            files = typeset_book_parts(document, job.allowed, stored.with_name(f"{stored.stem}.{os.getpid()}.tmp"))
        return BookParts(tuple(files), time.perf_counter() - start)
    pages = _into_cache(stored, lambda partial: typeset(document, job.allowed, partial))
    return pages, time.perf_counter() - start


def join_into_cache(parts: BookParts, stored: Path, background: bool = False,
                    superseded: Callable[[], bool] = lambda: False) -> tuple[int, float]:
    """Join a Book's typeset parts into its cache entry; (pages, seconds in all). background and
    superseded as for make_all."""
    start = time.perf_counter()
    give_back_freed_memory()  # the build waits beside the join, the peak's other phase
    pages = _into_cache(stored, lambda partial: _join(parts.files, partial, background, superseded))
    return pages, parts.seconds + time.perf_counter() - start


def _into_cache(stored: Path, write: Callable[[Path], int]) -> int:
    """Write a PDF with write(path) and store it as a whole cache entry; its page count."""
    pid = os.getpid()
    partial = stored.with_name(f"{stored.stem}.{pid}.tmp")
    meta_partial = stored.with_name(f"{stored.stem}.json.{pid}.tmp")
    try:
        with _cache_errors(stored):
            pages = write(partial)
            data = partial.read_bytes()
            meta_partial.write_text(json.dumps({"pages": pages, "size": len(data),
                                                "sha256": hashlib.sha256(data).hexdigest()}), "utf-8")
            os.replace(partial, stored)
            os.replace(meta_partial, stored.with_suffix(".json"))  # last: the entry is now whole
    finally:
        partial.unlink(missing_ok=True)
        meta_partial.unlink(missing_ok=True)
    return pages


@contextmanager
def _cache_errors(stored: Path) -> Iterator[None]:
    """Failures while typesetting into the cache, as HandoutErrors that say what to fix."""
    try:
        yield
    except HandoutError:
        raise
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise HandoutError(f"{type(exc).__name__}: {exc}") from None
        raise HandoutError(f"cannot write the handout cache {stored.parent}: {_CANNOT_WRITE[exc.errno]}. "
                           "Fix: free some space or make it writable, or set HANDOUTS_CACHE_DIR "
                           "to another folder.") from None
    except Exception as exc:  # WeasyPrint's own errors may not cross the process boundary intact
        raise HandoutError(f"WeasyPrint failed: {type(exc).__name__}: {exc}") from None


_CANNOT_WRITE = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                 errno.EROFS: "it is on a read-only file system", errno.EACCES: "permission denied"}


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings: a missing image or ignored rule should fail, not pass quietly."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_strictly() -> Iterator[None]:
    """WeasyPrint's warnings (a missing image, an ignored rule) fail the handout."""
    from weasyprint.urls import FatalURLFetchingError

    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    # Whatever level the caller's logging set (the CLI keeps WeasyPrint off the console), every
    # warning must reach this handler; it is reported once, in the HandoutError.
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(problems)
    try:
        yield
        if problems.messages:
            raise HandoutError("WeasyPrint reported: " + "; ".join(dict.fromkeys(problems.messages)))
    except FatalURLFetchingError as exc:
        raise HandoutError(f"{exc}: {exc.__cause__}") from None
    finally:
        logger.removeHandler(problems)
        logger.setLevel(level)
        logger.propagate = propagate


def _layout(html: str, base_url: str, allowed: Path):  # type: ignore[no-untyped-def]
    from weasyprint import CSS, HTML

    fetcher = _local_fetcher(allowed)
    fonts = _font_config(os.getpid())
    with _weasyprint_strictly():
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=fonts)], font_config=fonts,
            **PDF_OPTIONS)


@functools.cache
def _font_config(pid: int):  # type: ignore[no-untyped-def]
    """One font setup per process (a forked worker makes its own), not one per document: the same
    PDFs, about 10% faster, and a worker's memory stays flat (with one per document it grew
    about 0.25 MB a document: 50 MB over the 16x guide's chapters)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def typeset(document: Document, allowed: Path, target: Path) -> int:
    """Write the document's PDF to target; return its page count."""
    return typeset_part(document.html, document.base_url, allowed, target, 1, {})


# Any number as wide as a real one: the cover is laid out once to learn its length.
_UNKNOWN_PAGE = 999


def typeset_book_parts(book: Book, allowed: Path, target: Path) -> list[Path]:
    """Typeset the book's parts one after another, then its cover, into files beside target (the
    cover first); the caller joins them (_join) and removes them."""
    cover_pages = len(_layout(book.front(defaultdict(lambda: _UNKNOWN_PAGE), _UNKNOWN_PAGE), book.base_url,
                              allowed).pages)
    stem = target.name.split(".")[0]
    files: list[Path] = []
    starts: dict[str, int] = {}
    first = cover_pages + 1
    try:
        for n, part in enumerate(book.parts, start=1):
            files.append(target.with_name(f"{stem}.part{n}.{os.getpid()}.tmp"))
            first += typeset_part(part(first), book.base_url, allowed, files[-1], first, starts)
            give_back_freed_memory()
        cover_file = target.with_name(f"{stem}.part0.{os.getpid()}.tmp")
        files.insert(0, cover_file)
        made = typeset_part(book.front(starts, first - 1), book.base_url, allowed, cover_file, 1, {})
        if made != cover_pages:
            raise HandoutError(f"the cover took {made} pages once the page numbers were known, not "
                               f"{cover_pages}, so the contents would be wrong.")
    except BaseException:
        for path in files:
            path.unlink(missing_ok=True)
        raise
    return files


def _join(parts: Sequence[Path], target: Path, background: bool = False,
          superseded: Callable[[], bool] = lambda: False) -> int:
    """Join the parts in a process of its own: qpdf's copy of a long book then does not stack on
    the memory WeasyPrint has taken in this one (measured: 190 + 250 MB at 16x, against 250 MB).
    In the background it runs at the workers' low priority, and a newer edit stops it (the join
    of the 16x guide takes seconds)."""
    proc = subprocess.Popen([sys.executable, "-m", "handout_pdf.join", str(target), *map(str, parts)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=functools.partial(_child_start, background))
    try:
        while True:
            if superseded():
                raise Superseded("a newer build is waiting")
            try:
                out, err = proc.communicate(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                continue
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if proc.returncode != 0:
        why = err.strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        raise HandoutError(f"joining the whole guide's parts failed: {why[0]}")
    return int(out)


def _child_start(background: bool) -> None:
    """In a worker or the join: die with the build; in the background, give way."""
    if background:
        os.nice(10)  # behind the live preview's rebuild, which a reader is waiting for
    die_with_parent()


def typeset_part(html: str, base_url: str, allowed: Path, target: Path, first: int, starts: dict[str, int]) -> int:
    """Typeset one part to target; note the page each of its anchors is on; return its page count."""
    rendered = _layout(html, base_url, allowed)
    for number, page in enumerate(rendered.pages, start=first):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    with _weasyprint_strictly():
        rendered.write_pdf(target, **PDF_OPTIONS)
    return len(rendered.pages)


def _local_fetcher(allowed: Path):  # type: ignore[no-untyped-def]
    """A WeasyPrint URL fetcher that reads files from the built site and refuses everything else."""
    from weasyprint.urls import URLFetcher

    roots = (allowed.resolve(), STYLESHEET.parent.resolve())

    class LocalFiles(URLFetcher):  # type: ignore[misc]
        def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
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
