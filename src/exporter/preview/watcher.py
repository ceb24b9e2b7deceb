"""Saves of the source and of the files it refers to, seen with watchfiles, each batch one rebuild.

Their folders are watched rather than the files, since editors often save by
writing a new file and renaming it over the old one. watchfiles yields a
batch once no change has come for `QUIET_MS`: the writes of one save, or of
several quick saves, make one rebuild.
"""

from __future__ import annotations

import os

from watchfiles import awatch

from exporter.preview.session import Session

QUIET_MS = 50


async def watch(session: Session) -> None:
    while not session.closed.is_set():
        files = {os.path.abspath(path) for path in session.watched}
        folders = sorted({os.path.dirname(path) for path in files if os.path.isdir(os.path.dirname(path))})
        async for _ in awatch(*folders, watch_filter=_only(files),
                              step=QUIET_MS, stop_event=session.closed, recursive=False):
            session.request()
            if {os.path.abspath(path) for path in session.watched} != files:
                break  # the source now refers to other files: watch those



def _only(files: set[str]):
    return lambda change, path: os.path.abspath(path) in files
