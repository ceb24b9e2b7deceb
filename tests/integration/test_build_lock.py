"""Two builds into one folder at once: the second waits for the first (a lock, not chance)."""

from __future__ import annotations

import os
import subprocess
import sys

from ..conftest import ROOT, SMALL_GUIDE
from ..helpers import snapshot

HOLDER = """
import sys
from pathlib import Path
from exporter.build.output import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()  # hold the folder until the test says so
"""


def test_a_second_build_into_the_same_folder_waits_for_the_first(tmp_path):
    out = tmp_path / "dist"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        build = subprocess.Popen([sys.executable, "-m", "exporter", "build", str(SMALL_GUIDE), "--out", str(out),
                                  "--format", "anki"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env={**os.environ})
        # The build says it waits (an event on its stderr), and has written nothing meanwhile.
        assert build.stderr.readline() == f"waiting for another build into {out} to finish\n"
        assert build.poll() is None
        assert snapshot(out) == {}
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
        stdout, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr
        assert "orch-110.apkg" in stdout
        assert set(snapshot(out)) >= {"orch-110.apkg"}
    finally:
        holder.kill()


def test_two_builds_at_once_both_succeed_and_leave_one_whole_set(tmp_path):
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "exporter", "build", str(SMALL_GUIDE), "--out", str(out), "--format", "anki,epub"]
    builds = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    for build in builds:
        _, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr
    assert sorted(name for name in os.listdir(out) if not name.startswith(".")) == ["orch-110.apkg", "orch-110.epub"]
    assert not [name for name in os.listdir(out) if name.endswith(".tmp")]
