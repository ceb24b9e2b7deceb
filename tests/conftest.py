"""Shared test fixtures: the guides every exporter must build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from exporter.loader import load_guide

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_GUIDES = sorted((ROOT / "tests" / "fixtures" / "guides").glob("*.yaml"))
# Every real guide plus the made-up fixture guide: the compiler must be generic.
ALL_GUIDES = sorted((ROOT / "sources").glob("*.yaml")) + FIXTURE_GUIDES
PYTHON = sys.executable


@pytest.fixture(params=ALL_GUIDES, ids=lambda path: path.stem)
def guide_source(request) -> Path:
    return request.param


@pytest.fixture
def guide(guide_source):
    return load_guide(guide_source)
