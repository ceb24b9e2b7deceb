"""Same input, same bytes: under other time zones, locales, hash seeds, checkout
paths and wall-clock times. And a build never touches the network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ALL_GUIDES
from .helpers import ROOT, copy_checkout, run_cli, snapshot

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


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("reference"))


def test_builds_are_identical_under_other_time_zone_locale_hash_seed_and_clock(reference, tmp_path):
    if not shutil.which("faketime"):
        pytest.fail("faketime is missing: `make test` installs it (Debian package faketime)")
    env = {"TZ": "Pacific/Kiritimati", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8", "PYTHONHASHSEED": "12345"}
    assert build_all(tmp_path, env=env, prefix=["faketime", "2031-02-03 04:05:06"]) == reference


def test_builds_are_identical_from_another_checkout_path(reference, tmp_path):
    checkout = copy_checkout(tmp_path / "elsewhere" / "a deeper checkout")
    env = {"PYTHONPATH": str(checkout / "src"), "TZ": "America/St_Johns", "PYTHONHASHSEED": "987"}
    probe = run_cli("--help", cwd=checkout, env=env)
    assert probe.returncode == 0
    assert build_all(tmp_path / "out", cwd=checkout, env=env) == reference


def test_one_process_builds_what_the_parallel_workers_build(reference, tmp_path, monkeypatch):
    """The CLI exports the formats, and the sheet's two papers, in forked workers;
    built one after the other in this process, every artifact has the same bytes."""
    from exporter import registry, workers
    from exporter.loader import load_guide

    monkeypatch.setattr(workers, "forking_pays", lambda jobs: False)
    for source in ALL_GUIDES:
        guide = load_guide(source)
        for exporter in registry.EXPORTERS.values():
            exporter.load().export(guide, tmp_path)
    artifacts = {name: digest for name, digest in reference.items() if not name.startswith(".")}  # not build records
    assert snapshot(tmp_path) == artifacts


NO_NETWORK = """
import socket, sys
def refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        # Printed first, in case a library swallows the exception.
        print(f"network access attempted: {event} {args!r}", file=sys.stderr, flush=True)
        raise SystemExit(3)
sys.addaudithook(refuse)
if sys.argv[1] == "--probe":  # proves the guard works
    socket.create_connection(("127.0.0.1", 9), timeout=1)
from exporter.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_network_guard_catches_a_connection():
    result = subprocess.run([sys.executable, "-c", NO_NETWORK, "--probe"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert "network access attempted: socket." in result.stderr


def test_building_never_touches_the_network(tmp_path):
    sources = [str(path) for path in ALL_GUIDES]
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, "build", *sources, "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "network access attempted" not in result.stderr
