"""Shared test fixtures: the guides every exporter must build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from exporter.loader import load_guide

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
