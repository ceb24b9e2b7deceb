"""Shared test fixtures: the guides every exporter must build, and the builds of
them that many tests read (each made once for the whole run)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from exporter.build import registry
from exporter.source.loader import load_guide

from .helpers import run_cli, run_guarded_cli, snapshot

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_GUIDES = sorted((ROOT / "tests" / "fixtures" / "guides").glob("*.yaml"))
# The small English fixture, one item of every kind: what single-guide tests edit and build.
SMALL_GUIDE = ROOT / "tests" / "fixtures" / "guides" / "orch-110.yaml"
# Every real guide plus the made-up fixture guide: the compiler must be generic.
ALL_GUIDES = sorted((ROOT / "sources").glob("*.yaml")) + FIXTURE_GUIDES
PYTHON = sys.executable

# CI replays the same generated examples on every run, so a red build always
# points at a change, never at a new random draw; local runs keep exploring.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(params=ALL_GUIDES, ids=lambda path: path.stem)
def guide_source(request) -> Path:
    return request.param


@pytest.fixture
def guide(guide_source):
    return load_guide(guide_source)


# --- builds made once per run and shared -------------------------------------------------------


# Modules with the longest tests, run first: the two pytest workers then end the run on short
# tests, side by side, not with one long test on one worker while the other has nothing left.
LONGEST_FIRST = ("test_wheel.py", "test_make.py", "test_property.py", "test_generated.py",
                 "test_documented_commands.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)  # stable: the order within is kept


def made_once(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """A folder that `make(folder)` fills once for the whole run, whichever xdist worker
    asks first (the others wait for it), with what `make` returned and the digest of
    every file. Tests only read it: `check_unchanged` says so at the end."""
    root = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # the run's own folder, which all its workers share
    folder, record = root / name, root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():  # not made yet, or its maker failed in another worker
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            made = make(folder)
            record.write_text(json.dumps({"made": made, "files": snapshot(folder)}), encoding="utf-8")
    kept = json.loads(record.read_text(encoding="utf-8"))
    return folder, {**kept["made"], "files": kept["files"]}


def built_once(tmp_path_factory, source: Path, name: str) -> tuple[Path, dict]:
    """`source` built by one `studyguide build` for the whole run, whichever test (in whichever
    module or worker) asks first: the output folder, with the build's returncode and stderr.
    `name` says which build it is (relabelled copies share a file name)."""
    def build(out: Path) -> dict:
        result = run_cli("build", str(source), "--out", str(out))
        return {"returncode": result.returncode, "stderr": result.stderr}

    return made_once(tmp_path_factory, f"build-{name}", build)


def check_unchanged(folder: Path, made: dict) -> None:
    assert snapshot(folder) == made["files"], f"a test changed the shared {folder.name}: tests must only read it"


@dataclass(frozen=True)
class ReferenceBuild:
    """Every guide built by one `studyguide build` command, as a user runs it, with a
    guard that stops the build at its first network access (helpers.NETWORK_GUARD)."""

    out: Path
    returncode: int
    stderr: str
    files: dict[str, str]  # every file of `out`, build records included, with its digest

    @property
    def artifacts(self) -> dict[str, str]:
        """The artifacts only, not the build records (hidden files)."""
        return {name: digest for name, digest in self.files.items() if not name.startswith(".")}


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory) -> ReferenceBuild:
    def build(out: Path) -> dict:
        sources = [str(path.relative_to(ROOT)) for path in ALL_GUIDES]
        result = run_guarded_cli("build", *sources, "--out", str(out), cwd=ROOT)
        return {"returncode": result.returncode, "stderr": result.stderr}

    out, made = made_once(tmp_path_factory, "reference-build", build)
    yield ReferenceBuild(out, made["returncode"], made["stderr"], made["files"])
    check_unchanged(out, made)


class Exported(Mapping):
    """{guide id: {exporter name: [artifact paths]}} for every guide and exporter: the
    artifacts of the shared build of every guide (`reference_build`), made once for the
    run by one `studyguide build`, as a user makes them. (test_reproducible.py checks
    that exporting in one process, without workers, gives the same bytes.)"""

    def __init__(self, reference: ReferenceBuild):
        assert reference.returncode == 0, reference.stderr
        self._out = reference.out
        self._ids = [source.stem for source in ALL_GUIDES]  # a guide's file is named by its id

    def __getitem__(self, guide_id: str) -> Mapping[str, list[Path]]:
        if guide_id not in self._ids:
            raise KeyError(guide_id)
        return _GuideExports(self, guide_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def paths(self, guide_id: str, name: str) -> list[Path]:
        return [self._out / artifact for artifact in registry.EXPORTERS[name].artifact_names(guide_id)]


class _GuideExports(Mapping):
    def __init__(self, builds: Exported, guide_id: str):
        self._builds, self._guide_id = builds, guide_id

    def __getitem__(self, name: str) -> list[Path]:
        if name not in registry.EXPORTERS:
            raise KeyError(name)
        return self._builds.paths(self._guide_id, name)

    def __iter__(self) -> Iterator[str]:
        return iter(registry.EXPORTERS)

    def __len__(self) -> int:
        return len(registry.EXPORTERS)


@pytest.fixture(scope="session")
def exported(reference_build) -> Exported:
    return Exported(reference_build)
