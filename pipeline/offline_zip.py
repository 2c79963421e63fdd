"""Pack the built site into downloads/psoas-guide-offline.zip.

Clinics without internet unzip it and open psoas-guide/index.html from disk. The zip is
deterministic (sorted entries, one timestamp, fixed permissions), so it only changes
when the site's content does. Its one timestamp is the guide's own date (the newest page's
"updated" or "evidence checked"), not the earliest a zip can hold: unzipped, every file said
1 January 1980, and a copy refreshed with a tool that skips files of the same size and time
(rsync, robocopy, most "sync folder" tools) kept the old words of every page whose length had
not changed ("5 times" -> "6 times"). It is written in the build's state folder (SITE.build) and moved
into the site when whole, so a stopped build never leaves a half zip where it could ship.

Being deterministic, a zip of the same entries is the same bytes: the state folder keeps the last
zip, named by a digest of what it holds (and of this file), and a build whose site packs to the
same digest copies it instead of compressing 4.5 MB again (about 0.15 s of a 1.4 s warm build).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .workspace import state_dir

ZIP_URI = "downloads/psoas-guide-offline.zip"
TOP_FOLDER = "psoas-guide"
# The earliest time a zip can store: the time of a zip packed with no guide date (a bare folder).
# Any fixed value keeps the bytes stable from build to build; a build gives its guide's date (guide_date).
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
Stamp = tuple[int, int, int, int, int, int]
# Left out: sitemaps are for search-engine crawlers of the hosted site and carry the build date;
# the 404 page is for web servers, and its links start at the server's root, so from disk it is
# unstyled with every link dead; source maps are for debugging the theme's scripts and are ~40%
# of the site's bytes.
LEFT_OUT_NAMES = {"sitemap.xml", "sitemap.xml.gz", "404.html"}
LEFT_OUT_SUFFIXES = (".map", ".tmp", ".partial")
# zlib's default. Measured on this guide: level 9 takes twice as long for a zip 0.2% smaller.
LEVEL = 6
README = (
    "Psoas Guide - offline copy\r\n"
    "\r\n"
    "Unzip, then open psoas-guide/index.html\r\n"
    "\r\n"
    "Everything, including search, works without the internet.\r\n"
    "Help: open psoas-guide/reference/offline.html (Using this guide offline).\r\n"
)
# A link to download the zip, with the full stop after it: the words that replace it end with their own.
# Inside the zip it would open "file not found" (the reader has it already); a build that makes no zip
# (pipeline/postprocess.py not_made) replaces it too.
ZIP_LINK = re.compile(r'<a [^>]*href="[^"]*' + re.escape(ZIP_URI) + r'"[^>]*>.*?</a>\.?', re.S)
_DOWNLOAD_LINK = re.compile(ZIP_LINK.pattern.encode(), re.S)  # the same, over a file's bytes
IN_THE_ZIP = b'<strong class="offline-copy">You are reading the offline copy.</strong>'


def guide_date(dates: Iterable[str | None]) -> Stamp:
    """Midnight of the newest of the pages' ISO dates ('updated', 'evidence_checked'): the day the guide
    is of, as "Written or updated" says on its pages. FIXED_TIME when there are none."""
    newest = max((dt.date.fromisoformat(d) for d in dates if d), default=None)
    return FIXED_TIME if newest is None or newest.year < 1980 else (newest.year, newest.month, newest.day, 0, 0, 0)


def as_zipped(path: Path, data: bytes) -> bytes:
    if path.suffix == ".html" and ZIP_URI.encode() in data:
        return _DOWNLOAD_LINK.sub(IN_THE_ZIP, data)
    return data


def site_files(site_dir: Path, zip_path: Path) -> list[Path]:
    """Every file to pack, sorted by its path inside the site (never the zip itself)."""
    files = []
    for path in site_dir.rglob("*"):
        if path == zip_path or not path.is_file():
            continue
        if path.name in LEFT_OUT_NAMES or path.name.endswith(LEFT_OUT_SUFFIXES):
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(site_dir).as_posix())


def _entry(name: str, stamp: Stamp) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # rw-r--r--, whatever the build machine's umask
    info.create_system = 3  # Unix, so the permissions above are read back the same everywhere
    return info


def _entries(site_dir: Path, zip_path: Path) -> Iterator[tuple[str, bytes]]:
    """(name in the zip, bytes) of each site file, in zip order, read one at a time."""
    for path in site_files(site_dir, zip_path):
        yield f"{TOP_FOLDER}/{path.relative_to(site_dir).as_posix()}", as_zipped(path, path.read_bytes())


def _digest(site_dir: Path, zip_path: Path, stamp: Stamp) -> str:
    """Of every name and byte the zip would hold, its time, and how it is written (this file, zlib)."""
    digest = hashlib.blake2b(Path(__file__).read_bytes() + zlib.ZLIB_RUNTIME_VERSION.encode() + repr(stamp).encode(),
                             digest_size=20)
    for name, data in _entries(site_dir, zip_path):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _write(partial: Path, site_dir: Path, zip_path: Path, stamp: Stamp) -> None:
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The level goes with each entry: a ZipInfo does not take the archive's.
        archive.writestr(_entry("README.txt", stamp), README, compresslevel=LEVEL)
        for name, data in _entries(site_dir, zip_path):
            archive.writestr(_entry(name, stamp), data, compresslevel=LEVEL)


def write_offline_zip(site_dir: Path, zip_path: Path, stamp: Stamp = FIXED_TIME) -> int:
    """Write the zip (README.txt first, then the site under TOP_FOLDER/), every entry dated stamp
    (a build gives guide_date of its pages), and return its size."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    work = state_dir(site_dir)
    work.mkdir(parents=True, exist_ok=True)
    partial = work / f"{zip_path.name}.{os.getpid()}.partial"
    for stale in work.glob(f"{zip_path.name}.*.partial"):
        stale.unlink(missing_ok=True)
    kept = work / f"{zip_path.name}.{_digest(site_dir, zip_path, stamp)}.kept"
    try:
        if kept.is_file():
            shutil.copyfile(kept, partial)
        else:
            _write(partial, site_dir, zip_path, stamp)
        os.chmod(partial, 0o644)
        # Replace in one step, so a reader never downloads a half-written zip.
        os.replace(partial, zip_path)
        if not kept.is_file():
            for old in work.glob(f"{zip_path.name}.*.kept"):
                old.unlink(missing_ok=True)
            shutil.copyfile(zip_path, partial)
            os.replace(partial, kept)  # whole, or not there
    finally:
        partial.unlink(missing_ok=True)
    return zip_path.stat().st_size
