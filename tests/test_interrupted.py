"""A build killed at any moment leaves every artifact either as it was or
complete, and the next build leaves no partial file behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SMALL_GUIDE
from .helpers import run_cli, snapshot

pytestmark = pytest.mark.slow

SOURCE = SMALL_GUIDE


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


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["Ctrl-C", "SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0])
def test_killed_build_keeps_artifacts_whole(versions, tmp_path, signal_number, delay):
    old_out, old, new, edited = versions
    out = tmp_path / "dist"
    shutil.copytree(old_out, out)
    build = subprocess.Popen([sys.executable, "-m", "exporter", "build", str(edited), "--out", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(delay)
    if signal_number == signal.SIGINT:  # as a terminal sends it: to the build and all its workers
        os.killpg(build.pid, signal_number)
    else:
        build.send_signal(signal_number)
    _, errors = build.communicate(timeout=60)

    after = {name: digest for name, digest in snapshot(out).items() if not name.endswith(".tmp")}
    assert after.keys() == old.keys()
    for name, digest in after.items():
        assert digest in (old[name], new[name]), f"{name} is neither the old nor the new artifact"
    if signal_number != signal.SIGKILL:
        assert not list(out.glob(".*.tmp")), "an orderly stop cleans up temporary files"
        assert "Traceback" not in errors
        assert build.returncode in (0, 128 + signal_number), errors  # 0: it was done already
    if signal_number == signal.SIGINT and build.returncode:
        assert errors.strip().endswith("interrupted; artifacts already in place were left as they were.")

    # The next build completes and leaves nothing partial behind.
    assert run_cli("build", str(edited), "--out", str(out)).returncode == 0
    assert snapshot(out) == new
