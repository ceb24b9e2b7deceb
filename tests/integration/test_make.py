"""`make all` as a learner runs it: on a fresh checkout, again with nothing
changed, twice at once, and with a broken source."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from exporter.build.registry import EXPORTERS

from ..helpers import ROOT, copy_checkout, snapshot

pytestmark = pytest.mark.slow


def make(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTEST"))}
    return subprocess.run(["make", *args], cwd=checkout, env=env, capture_output=True, text=True, timeout=1200)


def expected_artifacts(checkout: Path) -> set[str]:
    return {
        name
        for source in (checkout / "sources").glob("*.yaml")
        for exporter in EXPORTERS.values()
        for name in exporter.artifact_names(source.stem)
    }


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A fresh copy of the project, after one `make all`.

    It uses the project's own virtual environment (already set up, and it
    runs the same code: the copy is of the working tree): setting up a new
    one is what `tests/test_wheel.py` checks, and here it would double the
    time of the suite.
    """
    checkout = copy_checkout(tmp_path_factory.mktemp("fresh") / "project")
    (checkout / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    result = make(checkout, "all")
    assert result.returncode == 0, result.stdout + result.stderr
    return checkout


def test_make_all_builds_every_artifact_from_a_fresh_checkout(checkout):
    dist = checkout / "dist"
    assert expected_artifacts(checkout) <= {path.name for path in dist.iterdir()}
    for name in expected_artifacts(checkout):
        assert (dist / name).stat().st_size > 1000, name
    assert not [path for path in dist.iterdir() if path.name.endswith(".tmp")]


def test_make_all_with_nothing_changed_does_nothing(checkout):
    before = {path.name: path.stat().st_mtime_ns for path in (checkout / "dist").iterdir()}
    result = make(checkout, "all")
    assert result.returncode == 0, result.stderr
    assert " build " not in result.stdout
    assert before == {path.name: path.stat().st_mtime_ns for path in (checkout / "dist").iterdir()}


def test_concurrent_builds_match_a_single_build(checkout):
    """Two `make all` at once (the build's lock on dist/) make what one makes. (Within one build
    the guides' formats already run in parallel workers: test_reproducible.py compares them.)"""
    serial = snapshot(checkout / "dist")

    shutil.rmtree(checkout / "dist")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTEST"))}
    runs = [subprocess.Popen(["make", "all"], cwd=checkout, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=1200)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert snapshot(checkout / "dist") == serial


def test_a_broken_source_fails_make_and_leaves_dist_as_it_was(checkout):
    before = snapshot(checkout / "dist")
    broken = checkout / "sources" / "broken-guide.yaml"
    broken.write_text("id: broken-guide\ntitle: [unclosed\n", encoding="utf-8")
    try:
        result = make(checkout, "all")
    finally:
        broken.unlink()
    assert result.returncode != 0
    assert "sources/broken-guide.yaml:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(checkout / "dist") == before
