"""Same input, same bytes: in one process or in forked workers (and from
another folder, under another time zone, locale, hash seed and clock:
test_wheel.py). And a build never touches the network."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exporter.build.registry import EXPORTERS

from ..conftest import ALL_GUIDES
from ..helpers import NETWORK_GUARD, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture
def reference(reference_build):
    """What one build of every guide makes (conftest.py: one for the whole run)."""
    assert reference_build.returncode == 0, reference_build.stderr
    return reference_build.files


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
