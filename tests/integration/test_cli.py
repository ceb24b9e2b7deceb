"""CLI exit codes: 0 valid, 1 invalid, 2 bad usage; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..helpers import run_cli

INVALID = Path(__file__).resolve().parents[1] / "invalid"
VALID = INVALID / "valid-minimal.yaml"
BROKEN = INVALID / "weights-not-100.yaml"


@pytest.mark.parametrize(
    "args, status",
    [
        (["validate", str(VALID)], 0),
        (["validate", str(BROKEN)], 1),
        (["validate", str(VALID), str(BROKEN)], 1),  # one bad source fails the run
        (["validate", "no-such-file.yaml"], 1),
        ([], 2),
        (["frobnicate"], 2),
        (["validate"], 2),
        (["build", str(VALID), "--format", "docx"], 2),
        (["build", str(VALID), "--format", ""], 2),
        (["build", str(VALID), "--no-such-option"], 2),
        (["build", str(VALID), "--out", str(VALID)], 2),  # a file where the output folder should be
    ],
    ids=["valid", "invalid", "valid-and-invalid", "missing", "no-args", "unknown-command",
         "no-source", "unknown-format", "empty-format", "unknown-option", "out-is-a-file"],
)
def test_exit_status(args, status, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if status == 2:
        assert "usage:" in result.stderr
    if status == 1:
        assert result.stderr.endswith("found; nothing was written.\n")


def test_all_sources_are_checked_before_failing(tmp_path):
    """Problems of every source are reported in one run."""
    result = run_cli("validate", str(BROKEN), str(INVALID / "unknown-tests-ref.yaml"), cwd=tmp_path)
    assert result.returncode == 1
    assert "weights-not-100.yaml:33:1: domains:" in result.stderr
    assert "unknown-tests-ref.yaml:59:17: domains[0].questions[0].tests[0]:" in result.stderr
    assert result.stderr.endswith("2 problems found; nothing was written.\n")


def test_unknown_format_names_the_choices(tmp_path):
    result = run_cli("build", str(VALID), "--format", "anki,docx", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown format docx; choose from anki, pdf, epub" in result.stderr
    assert not (tmp_path / "dist").exists()
