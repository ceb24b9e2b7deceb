"""A build stopped at any moment leaves the guide's artifacts either all as they
were or all complete and new, says so in one line, and the next build leaves no
partial file behind.

The signals are sent at points the build itself shows, never after a fixed
guess of how far it got, so the test means the same on a loaded machine:
at once (before the interpreter has run a line of ours), as soon as the
build's signal handlers are in place (read from /proc), 200 ms after that
(imports, loading), and while the cheat sheet is being laid out
(the deck, written first, waits under its temporary name; the sheet takes seconds more).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exporter.build import output

from ..conftest import SMALL_GUIDE
from ..helpers import run_cli, snapshot

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see the handlers")]

SOURCE = SMALL_GUIDE
LINES = {signal.SIGINT: "interrupted; artifacts already in place were left as they were.",
         signal.SIGTERM: "terminated; artifacts already in place were left as they were."}


def edited_copy(folder: Path) -> Path:
    """The fixture guide with one text changed and its date bumped, as an author would."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8")
    text = text.replace("updated: 2026-03-01", "updated: 2026-03-02")
    text = text.replace("Tree anatomy and the pruning calendar.", "Tree anatomy, then the pruning calendar.")
    edited = folder / SOURCE.name
    edited.write_text(text, encoding="utf-8")
    return edited


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Snapshots of a complete build of the old and of the edited source."""
    old_out = tmp_path_factory.mktemp("old")
    new_out = tmp_path_factory.mktemp("new")
    edited = edited_copy(tmp_path_factory.mktemp("edited"))
    assert run_cli("build", str(SOURCE), "--out", str(old_out)).returncode == 0
    assert run_cli("build", str(edited), "--out", str(new_out)).returncode == 0
    old, new = snapshot(old_out), snapshot(new_out)
    assert old.keys() == new.keys() and old != new
    return old_out, old, new, edited


def handlers_in_place(pid: int) -> bool:
    """True once the process catches SIGTERM: only our `signals.install()` does (Python itself never)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def wait_for(condition, build: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert build.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"no sign of {what}"
        time.sleep(0.001)  # polling an event, not guessing a delay


POINTS = ["at-once", "handlers", "handlers+200ms", "mid-sheet"]


SIGNALS = {"Ctrl-C": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGKILL": signal.SIGKILL}
# SIGKILL cannot be caught: before the build writes anything, every point is the same to it. It is
# sent once during start-up and once while the sheet is laid out, with files half written.
CASES = [(point, name) for point in POINTS for name in SIGNALS
         if name != "SIGKILL" or point in ("handlers+200ms", "mid-sheet")]


@pytest.mark.parametrize(("point", "signal_number"), [(point, SIGNALS[name]) for point, name in CASES],
                         ids=[f"{point}-{name}" for point, name in CASES])
def test_stopped_build_keeps_artifacts_whole(versions, tmp_path, signal_number, point):
    old_out, old, new, edited = versions
    out = tmp_path / "dist"
    shutil.copytree(old_out, out)
    build = subprocess.Popen([sys.executable, "-m", "exporter", "build", str(edited), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
    if point != "at-once":
        wait_for(lambda: handlers_in_place(build.pid), build, "the signal handlers")
    if point.startswith("handlers+"):
        time.sleep(int(point.removeprefix("handlers+").removesuffix("ms")) / 1000)  # a point in the start-up
    if point == "mid-sheet":
        # The deck, done first, waits beside the others under the build's own temporary name
        # (output.staged_path) until the whole set is put in place; the sheets take seconds more.
        deck = output.staged_path(out / f"{edited.stem}.apkg", build.pid)
        wait_for(deck.exists, build, "the deck written while the sheets are laid out")
    if signal_number == signal.SIGINT:  # as a terminal sends it: to the build and all its workers
        os.killpg(build.pid, signal_number)
    else:
        build.send_signal(signal_number)
    _, errors = build.communicate(timeout=120)

    after = {name: digest for name, digest in snapshot(out).items() if not name.endswith(".tmp")}
    assert after.keys() == old.keys()
    for name, digest in after.items():
        assert digest in (old[name], new[name]), f"{name} is neither the old nor the new artifact"
    # All or nothing: the guide's artifacts are all the old ones or all the new ones (the
    # build's own record of the last release date, a hidden file, is no artifact).
    artifacts = sorted(name for name in after if not name.startswith("."))
    assert [after[name] for name in artifacts] in ([old[name] for name in artifacts],
                                                   [new[name] for name in artifacts]), "a mixed set"
    # (A build may finish before the signal lands, most often at "mid-sheet" on a loaded
    # machine, where the last jobs can end while this process waits for its turn: status 0.)
    if signal_number != signal.SIGKILL:
        assert not list(out.glob(".*.tmp")), "an orderly stop cleans up temporary files"
        if not (point == "at-once" and errors.startswith("Fatal Python error: init_import_site")):
            assert "Traceback" not in errors
        if point == "at-once" and build.returncode == -signal_number:
            # Before the interpreter ran our first line, the signal's default action ends it:
            # a shell reports 128 + the number all the same, and nothing was written.
            assert errors == ""
        elif point == "at-once" and errors.startswith("Fatal Python error: init_import_site"):
            # A Ctrl-C while the interpreter imports `site`, before any line of ours can run:
            # CPython's own start-up failure (it says so), with nothing written.
            assert build.returncode == 1 and errors.rstrip().endswith("KeyboardInterrupt")
        else:
            assert build.returncode in (0, 128 + signal_number), errors  # 0: it was done already
            if build.returncode:
                assert errors.strip().splitlines()[-1] == LINES[signal_number]
                assert errors.strip().splitlines() == [LINES[signal_number]], "one line, nothing else"

    if signal_number == signal.SIGKILL or point == "mid-sheet":
        # The next build completes and leaves nothing partial behind.
        assert run_cli("build", str(edited), "--out", str(out)).returncode == 0
        assert snapshot(out) == new
