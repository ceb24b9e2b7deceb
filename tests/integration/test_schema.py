"""The committed JSON Schema matches the model, and sources point editors at it."""

from __future__ import annotations

import json

from ..conftest import ALL_GUIDES
from ..helpers import ROOT, run_cli


def test_committed_schema_is_up_to_date():
    result = run_cli("schema")
    assert result.returncode == 0
    committed = (ROOT / "schema" / "guide.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(committed), "run `make schema` and commit the result"


def test_every_source_names_the_schema_for_editors():
    for source in ALL_GUIDES:
        first_line = source.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("# yaml-language-server: $schema="), source
        schema = (source.parent / first_line.split("$schema=", 1)[1]).resolve()
        assert schema == (ROOT / "schema" / "guide.schema.json").resolve(), source


def test_schema_rejects_unknown_fields_everywhere():
    """Editors flag typos only if every object forbids extra fields."""
    schema = json.loads((ROOT / "schema" / "guide.schema.json").read_text(encoding="utf-8"))
    objects = [schema, *schema["$defs"].values()]
    assert all(obj.get("additionalProperties") is False for obj in objects if obj.get("type") == "object")


def test_every_pattern_of_the_model_says_in_words_what_it_wants():
    """A pattern added to the model without its rule would reach authors as a bare regex."""
    from exporter.model.fields import PATTERN_RULES
    from exporter.model.guide import Guide

    def patterns(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                yield node["pattern"]
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    found = set(patterns(Guide.model_json_schema()))
    assert found and found <= set(PATTERN_RULES), found - set(PATTERN_RULES)
