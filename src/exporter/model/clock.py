"""The one moment a build stands for: the guide's `updated`, or SOURCE_DATE_EPOCH.

Time comes from the source, never from the clock on the wall, so the same
source gives the same bytes. Anki applies an edited note only if this time
rose since the last import.
"""

from __future__ import annotations

import datetime as dt
import os

from exporter.model.fields import release_time_problem
from exporter.model.guide import Guide


def build_time(guide: Guide) -> dt.datetime:
    """The one timestamp every artifact carries.

    It comes from the source (`updated`) so that builds are reproducible;
    SOURCE_DATE_EPOCH overrides it, as reproducible-builds.org specifies.
    Anki applies an edited note only if this time rose since the last import.
    """
    override = source_date_epoch()
    return override if override is not None else guide.updated_datetime


# How far ahead of the clock a release date may be: clocks of two machines differ a little.
FUTURE_TOLERANCE = dt.timedelta(minutes=1)


def future_date_problem(moment: dt.datetime, now: dt.datetime) -> str | None:
    """Why a release time later than `now` loses learners' work, or None.

    Anki stamps a note dated in the future with the time of its import; the
    next import of the same deck then finds its own (future) time newer than
    the learner's and overwrites their edits. Only `release` reads the clock
    for this; builds stay free of it and only warn.
    """
    if moment <= now + FUTURE_TOLERANCE:
        return None
    return (f"{moment:%Y-%m-%d %H:%M:%S} UTC is later than now ({now:%Y-%m-%d %H:%M:%S} UTC); Anki stamps "
            "notes dated in the future with the time of import, so re-importing the deck would overwrite "
            "learners' own edits: date the release when it is made")


def future_date_warning(guide: Guide, now: dt.datetime) -> str | None:
    """The warning `validate` and `build` give for a release time in the future."""
    problem = future_date_problem(build_time(guide), now)
    what = "SOURCE_DATE_EPOCH" if source_date_epoch() is not None else "`updated:`"
    return f"warning: {guide.id}: {what}: {problem}; `release` refuses it" if problem else None


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a time, None when unset or empty; ValueError when unusable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit():
        raise ValueError(f"must be a whole number of seconds since 1970-01-01 UTC, got {epoch[:40]!r}")
    if len(epoch) > 12:  # far past any date the artifacts can hold
        raise ValueError(f"is {epoch[:40]}, far past the year 2107; the artifacts cannot carry that date")
    moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    if problem := release_time_problem(moment, f"{epoch} ({moment:%Y-%m-%d %H:%M:%S} UTC)"):
        raise ValueError(problem)
    return moment


def source_date_epoch_problem() -> str | None:
    """Why SOURCE_DATE_EPOCH cannot date this build, or None: checked with the sources."""
    try:
        source_date_epoch()
    except ValueError as error:
        return str(error)
    return None
