"""Times as the artifacts and the ledger write them: aware UTC, ISO 8601, whole seconds.

The one place that decides how a moment becomes text; the moment itself comes
from the guide (`model/clock.py`), never from the clock on the wall.
"""

from __future__ import annotations

import datetime as dt


def as_utc(value: dt.datetime | dt.date) -> dt.datetime:
    """A date or datetime as an aware UTC datetime: a bare date means midnight UTC,
    a datetime without an offset means UTC."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=dt.timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def iso_utc(moment: dt.datetime | dt.date) -> str:
    """`2026-06-14T15:00:00Z`: the W3C form that PDF and EPUB metadata and the ledger use."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
