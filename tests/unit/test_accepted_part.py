"""The cross-field rules beside what the schema rejects (`source/accepted_part.py`).

Each case is the minimal valid guide with a few edits: one the schema rejects,
and one only a cross-field rule can see. The rule's problem must still be
reported, and no rule may complain about what the rejection left unknown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.source.accepted_part import AcceptedPart, accepted_part
from exporter.source.loader import SourceError, load_guide

MINIMAL = Path(__file__).resolve().parents[1] / "invalid" / "valid-minimal.yaml"


def problems_of(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    source = tmp_path / "valid-minimal.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_guide(source)
    return [f"{problem.field}: {problem.message}" for problem in raised.value.problems]


SECOND_DOMAIN_AS_NUMBER_1 = ("  - id: advanced\n    number: 2", "  - id: advanced\n    number: 1")


def test_a_stray_value_in_a_list_of_items_leaves_out_only_itself(tmp_path):
    problems = problems_of(tmp_path, ("domains:\n", "domains:\n  - stray\n"), SECOND_DOMAIN_AS_NUMBER_1)
    assert problems == ["domains[0]: should be a mapping of fields, got 'stray'",
                        "domains[2].number: domain number 1 is already used on line 37"]


def test_an_unknown_field_in_an_item_leaves_the_rest_of_the_item_checked(tmp_path):
    problems = problems_of(tmp_path, ("glossary: [term-one]", "glossary: [term-two]\n        colour: red"))
    assert problems == ["domains[0].concepts[0].glossary[0]: 'term-two' is not the id of any glossary entry; "
                        "did you mean 'term-one'?",
                        "domains[0].concepts[0].colour: is not a known field"]


def test_a_misspelled_field_is_read_under_the_name_it_meant(tmp_path):
    problems = problems_of(tmp_path, ("domains:\n", "domians:\n"), SECOND_DOMAIN_AS_NUMBER_1)
    assert problems == ["domians: is not a known field; did you mean 'domains'?",
                        "domains[1].number: domain number 1 is already used on line 36"]


@pytest.mark.parametrize("edit", [("tiers:\n  - level: 1\n    name: Must know\n", "tiers:\n  - level: 1\n    name: []\n"),
                                  ("tiers:\n  - level: 1\n    name: Must know\n    meaning: Asked often.\n", "")],
                         ids=["rejected", "missing"])
def test_references_into_a_list_the_schema_lost_are_not_judged(tmp_path, edit):
    problems = problems_of(tmp_path, edit)
    assert len(problems) == 1 and problems[0].startswith("tiers"), problems  # no "tier 1 is not described"


def test_a_rejected_items_id_still_counts_as_a_reference(tmp_path):
    problems = problems_of(tmp_path, ("        text: The first thing to know.\n        tier: 1",
                                      "        text: The first thing to know.\n        tier: 7"))
    # qc-one tests first-idea, the concept left out: no "not the id of any concept"
    assert problems == ["domains[0].concepts[0].tier: must be at most 3, got 7"]


def test_paths_into_the_accepted_part_map_back_to_the_source():
    guide = load_guide(MINIMAL)
    # Source domains 0 and 2 kept; of source domain 2's concepts, the second.
    part = AcceptedPart(guide, kept={("domains",): [0, 2], ("domains", 2, "concepts"): [1]}, lost=frozenset({"faq"}))
    assert part.source_path(("domains", 1, "concepts", 0, "id")) == ("domains", 2, "concepts", 1, "id")
    assert part.source_path(("domains", 0, "concepts", 0)) == ("domains", 0, "concepts", 0)
    assert not part.complete(("domains",)) and not part.complete(("domains", 1, "concepts"))
    assert part.complete(("domains", 0, "concepts")) and part.complete(("tiers",))
    assert not part.complete(("faq",))  # lost whole
    assert AcceptedPart.whole(guide).source_path(("domains", 1)) == ("domains", 1)


def test_the_ids_of_left_out_items_are_kept_once_each():
    data = {"glossary": [{"id": "g1", "term": "T", "definition": "D"}, {"id": "g2"}],
            "domains": [{"id": "a", "concepts": [{"id": "c1"}]}]}
    part = accepted_part(data, [(("glossary", 1, "term"), "missing"), (("domains", 0, "concepts", 0, "term"), "missing")])
    assert part.kept["glossary",] == [0] and [entry.id for entry in part.guide.glossary] == ["g1"]
    # The domain lacks its required fields too, so it is left out with the concept inside it.
    assert part.left_out_ids == [(("domains", 0, "id"), "a"), (("domains", 0, "concepts", 0, "id"), "c1"),
                                 (("glossary", 1, "id"), "g2")]


def test_a_misspelling_beside_the_field_it_meant_hides_none_of_that_fields_problems(tmp_path):
    problems = problems_of(tmp_path, ("glossary:\n", "glossary: abc\nglossary_x:\n"))
    assert problems == ["glossary: should be a list, got 'abc'",
                            "glossary_x: is not a known field; did you mean 'glossary'?"], problems
