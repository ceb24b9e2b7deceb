"""The loader: a round trip, and behaviour best checked in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from exporter.model.figures import figure_paths
from exporter.releases import ledgers as releases
from exporter.source import loader
from exporter.source.loader import Problem, SourceError, check_guide, load_guide

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "guides"


def test_round_trip(guide_source, tmp_path):
    """Dumping a guide to YAML and loading that gives the same guide."""
    guide = load_guide(guide_source)
    data = guide.model_dump(mode="json")
    # JSON mode turns the date into a string, which YAML would quote; put the date
    # itself back, so it is written unquoted as authors write it.
    data["updated"] = guide.updated
    copy = tmp_path / guide_source.name
    copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if releases.ledger_path(guide_source).exists():  # the ledger beside the source is part of the guide
        shutil.copy(releases.ledger_path(guide_source), releases.ledger_path(copy))
    for _, figure in figure_paths(guide):  # and so are its figures' files
        if figure.file:
            (tmp_path / figure.file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(guide_source.parent / figure.file, tmp_path / figure.file)
    assert load_guide(copy) == guide


def test_a_quoted_date_stays_a_date(tmp_path):
    source = tmp_path / "orch-110.yaml"
    text = (FIXTURES / "orch-110.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("updated: 2026-03-01", 'updated: "2026-03-01"'), encoding="utf-8")
    assert load_guide(source).updated == load_guide(FIXTURES / "orch-110.yaml").updated


def test_cross_field_rules_read_the_typed_model(guide):
    first = guide.domains[0]
    changed = guide.model_copy(update={"domains": [first.model_copy(update={"weight": first.weight + 1}),
                                                   *guide.domains[1:]]})
    problems = check_guide(changed, name="g.yaml")
    assert [problem.field for problem in problems] == ["domains"]
    assert problems[0].message.startswith("domain weights must sum to 100, but ")


def test_permission_denied_is_a_problem_not_a_crash(guide_source, monkeypatch):
    # Root reads any file, so the refusal is simulated where the loader opens it.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader.os, "open", refuse)
    with pytest.raises(SourceError) as raised:
        load_guide(guide_source)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{guide_source}: (file): cannot be read: permission denied"
    ]


def test_problem_format():
    assert str(Problem("a.yaml", 3, 5, "domains[0].weight", "msg")) == "a.yaml:3:5: domains[0].weight: msg"
    assert str(Problem("a.yaml", 3, 0, "id", "msg")) == "a.yaml:3: id: msg"
    assert str(Problem("a.yaml", 0, 0, "(file)", "msg")) == "a.yaml: (file): msg"


def test_problems_are_sorted_by_position(tmp_path):
    source = tmp_path / "g.yaml"
    source.write_text("id: g\ntitle: 5\nzzz: 1\naaa: 2\n")
    with pytest.raises(SourceError) as raised:
        load_guide(source)
    positions = [(problem.line, problem.column) for problem in raised.value.problems]
    assert positions == sorted(positions)
    assert ("zzz", 3, 1, "is not a known field") in [
        (problem.field, problem.line, problem.column, problem.message) for problem in raised.value.problems
    ]
