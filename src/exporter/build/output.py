"""Writing artifacts safely and reproducibly.

Every artifact is written to a temporary file beside its final name and
renamed into place only when complete, so an interrupted or failed build
never leaves a half-written or missing artifact in `dist/`. A build goes
further, guide by guide: it stages all the artifacts of a guide
(`staged_output`) and puts them in place together (`put_in_place`) only when
every one of them is complete, so `dist/` holds either the whole previous set
of a guide or the whole new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from exporter.build import signals
from exporter.model.clock import build_time
from exporter.model.guide import Guide

# Temporary files are named `.<artifact>.<pid>.tmp`, so a later build can tell
# which ones a dead process left behind.
_TEMP_NAME = re.compile(r"^\.(?P<artifact>.+)\.(?P<pid>\d+)\.tmp$")


@contextlib.contextmanager
def pinned_font_clock(moment: dt.datetime):
    """Font subsets made meanwhile carry `moment` as their date, not the clock's.

    fontTools stamps the fonts it subsets (WeasyPrint uses it for bitmap fonts
    such as Noto Color Emoji) with the time, unless SOURCE_DATE_EPOCH is set.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@contextlib.contextmanager
def atomic_output(final: Path) -> Iterator[Path]:
    """Yield a temporary path; on success rename it to `final`, else remove it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, final)
    finally:
        with signals.deferred(), contextlib.suppress(FileNotFoundError):  # a Ctrl-C now: removed all the same
            temp.unlink()


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold the output folder for one build at a time: a second build into it waits.

    Two builds at once would each put their set in place and clean up what they
    take for stale temporary files; serialised, the later one wins whole. The lock
    is the folder's own (flock), so no file is left in it; the build's workers
    share it, and it goes with the last of them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build into {folder} to finish", file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def staged_path(final: Path, owner: int) -> Path:
    """Where the build with process id `owner` writes `final` before it goes into place.

    Named after the build, not after the worker that writes it: the file waits
    for the build to rename it after the worker has gone, and a later build
    must not take it for one a dead process left behind.
    """
    return final.with_name(f".{final.name}.{owner}.tmp")


@contextlib.contextmanager
def staged_output(final: Path, owner: int) -> Iterator[Path]:
    """Yield the staged path of `final`; on success leave it there, complete and on disk,
    for `put_in_place`; on failure (or a stop) remove it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = staged_path(final, owner)
    try:
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
    except BaseException:
        with signals.deferred(), contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def put_in_place(staged: list[tuple[Path, Path]]) -> None:
    """Rename every (staged, final) pair into place, all of them or, if stopped before, none.

    Ctrl-C and SIGTERM wait until the last rename: a set half old, half new
    would give a learner a deck and a book of different versions.
    """
    for _, final in staged:  # what would refuse a rename, refused before the first one
        if final.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is where the artifact goes", str(final))
    with signals.deferred():
        for temp, final in staged:
            os.replace(temp, final)
        for folder in {final.parent for _, final in staged}:
            descriptor = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(descriptor)  # the renames themselves survive a power cut
            finally:
                os.close(descriptor)


def remove_staged(folder: Path, owner: int) -> None:
    """Remove whatever the build `owner` staged in `folder` and did not put in place."""
    if not folder.is_dir():
        return
    with signals.deferred():
        for entry in folder.iterdir():
            match = _TEMP_NAME.match(entry.name)
            if match and int(match["pid"]) == owner:
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete temporary files left by builds that were killed (their process is gone)."""
    removed = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _TEMP_NAME.match(entry.name)
        if match and not _process_alive(int(match["pid"])):
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed.append(entry)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def note_stale_release_date(guide: Guide, out_dir: Path) -> str | None:
    """Warn when the content changed since the last build but `updated` did not.

    Anki ignores an edited note on re-import unless its modification time
    rose, so such a release would silently keep learners on the old text.
    The last build's content digest is kept in `out_dir/.<id>.release.json`.
    """
    content = guide.model_dump(mode="json", exclude={"updated", "version", "lint"})  # lint settings change no artifact
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    stamp = build_time(guide).isoformat()
    record = out_dir / f".{guide.id}.release.json"
    try:
        previous = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    warning = None
    if previous.get("digest") not in (None, digest) and previous.get("time", "") >= stamp:
        warning = (f"warning: {guide.id} changed since the last build but `updated:` did not move forward "
                   f"(still {stamp}); Anki will not apply the edited notes on re-import. Bump `updated:`.")
    if previous.get("digest") != digest or previous.get("time") != stamp:
        with atomic_output(record) as temp:
            temp.write_text(json.dumps({"digest": digest, "time": stamp}) + "\n", encoding="utf-8")
    return warning
