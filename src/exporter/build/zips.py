"""Zip entries that give the same bytes on every machine: one rule for the deck and the book.

An entry carries the build's moment (never the clock), clamped to 1980, the
earliest a zip entry can hold; it is made on Unix with mode 0644 wherever the
build runs.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from exporter.model.fields import EARLIEST_RELEASE


def entry_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """`moment` in UTC as a zip entry's date_time, never before 1980."""
    return max(moment.astimezone(dt.timezone.utc), EARLIEST_RELEASE).timetuple()[:6]


def pinned_entry(name: str, date_time: tuple[int, ...], compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=date_time)
    entry.compress_type = compress_type
    entry.create_system = 3  # Unix, on every platform
    entry.external_attr = 0o644 << 16
    return entry
