"""Same input, same bytes: in one process or in forked workers (and from
another folder, under another time zone, locale, hash seed and clock:
test_wheel.py). And a build never touches the network."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exporter.build.registry import EXPORTERS
from exporter.source.loader import load_guide

from ..conftest import ALL_GUIDES
from ..helpers import NETWORK_GUARD, export, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture
def reference(reference_build):
    """What one build of every guide makes (conftest.py: one for the whole run)."""
    assert reference_build.returncode == 0, reference_build.stderr
    return reference_build.files


# Guides of each kind the workers might treat differently: the real one (figures, releases),
# the smallest, Korean (words kept whole on the sheet), Japanese and Arabic (right to left).
IN_ONE_PROCESS = ("ai-300", "orch-110", "dan-k120", "cld-j100", "dat-a150")


@pytest.mark.parametrize("guide_id", IN_ONE_PROCESS)
def test_one_process_builds_what_the_parallel_workers_build(reference, guide_id, tmp_path):
    """The CLI exports the artifacts in forked workers (the shared build); exported one after
    the other in this process, without workers, every artifact has the same bytes."""
    (source,) = [path for path in ALL_GUIDES if path.stem == guide_id]
    guide = load_guide(source)
    for name in EXPORTERS:
        export(guide, name, tmp_path)
    made = snapshot(tmp_path)
    assert made == {name: reference[name] for name in made}


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
