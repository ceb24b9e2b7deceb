"""Same input, same bytes: under other time zones, locales, hash seeds and
wall-clock times (and from another folder: test_wheel.py). And a build never
touches the network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exporter.build.registry import EXPORTERS

from ..conftest import ALL_GUIDES
from ..helpers import NETWORK_GUARD, ROOT, run_cli, snapshot

pytestmark = pytest.mark.slow


def build_all(out: Path, cwd: Path = ROOT, env: dict[str, str] | None = None, prefix: list[str] | None = None):
    sources = [str(path.relative_to(ROOT)) for path in ALL_GUIDES]
    if prefix:  # e.g. faketime: run the interpreter under it
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "exporter", "build", *sources, "--out", str(out)],
            cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=600,
        )
    else:
        result = run_cli("build", *sources, "--out", str(out), cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    return snapshot(out)


@pytest.fixture
def reference(reference_build):
    """What one build of every guide makes (conftest.py: one for the whole run)."""
    assert reference_build.returncode == 0, reference_build.stderr
    return reference_build.files


def test_builds_are_identical_under_other_time_zone_locale_hash_seed_and_clock(reference, tmp_path):
    if not shutil.which("faketime"):
        pytest.fail("faketime is missing: `make test` installs it (Debian package faketime)")
    env = {"TZ": "Pacific/Kiritimati", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8", "PYTHONHASHSEED": "12345"}
    assert build_all(tmp_path, env=env, prefix=["faketime", "2031-02-03 04:05:06"]) == reference


def test_one_process_builds_what_the_parallel_workers_build(reference, exported):
    """The CLI exports the artifacts in forked workers; built one after the other in
    this process (the shared `exported` build), every artifact has the same bytes."""
    artifacts = {name: digest for name, digest in reference.items() if not name.startswith(".")}  # not build records
    folders = {path.parent for formats in exported.values() for paths in formats.values() for path in paths}
    assert {name: digest for folder in folders for name, digest in snapshot(folder).items()} == artifacts


def test_the_network_guard_catches_a_connection():
    result = subprocess.run([sys.executable, "-c", NETWORK_GUARD, "--probe"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 3
    assert "network access attempted: socket." in result.stderr


def test_building_never_touches_the_network(reference_build):
    """The shared build of every guide ran under the guard (conftest.py)."""
    assert reference_build.returncode == 0, reference_build.stderr
    assert "network access attempted" not in reference_build.stderr
    expected = {name for source in ALL_GUIDES for exporter in EXPORTERS.values()
                for name in exporter.artifact_names(source.stem)}
    assert expected <= set(reference_build.artifacts)
