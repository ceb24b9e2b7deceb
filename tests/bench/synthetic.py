"""Synthetic guides for benchmarks: a real guide's items repeated N times.

Each copy gets fresh ids and reworded text (its words shuffled with a seeded
generator), so the sizes are realistic and no two stems repeat. The result
is valid under the same schema and rules as the original.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from exporter.source.loader import load_guide

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/guide.schema.json\n"


def scaled_guide(source: Path, factor: int, guide_id: str) -> dict:
    """The guide at `source` with every list of items `factor` times as long."""
    data = load_guide(source).model_dump(mode="json", exclude_none=True)
    rng = random.Random(f"{guide_id}:{factor}")
    data["id"] = guide_id

    def reword(text: str) -> str:
        words = text.split()
        rng.shuffle(words)
        return " ".join(words)

    def copies(items: list[dict], fields: tuple[str, ...]) -> list[dict]:
        result = []
        for copy in range(factor):
            for item in items:
                clone = _renamed(item, copy)
                if copy:
                    for field in fields:
                        if field in clone:
                            clone[field] = f"{reword(clone[field])} (variant {copy})"
                result.append(clone)
        return result

    for domain in data["domains"]:
        domain["concepts"] = copies(domain["concepts"], ("text",))
        domain["traps"] = copies(domain["traps"], ("myth", "truth"))
        domain["questions"] = copies(domain["questions"], ("stem", "explanation"))
    data["practice_exam"] = copies(data.get("practice_exam", []), ("stem", "explanation"))
    data["pairs"] = copies(data.get("pairs", []), ("trap",))
    data["mistakes"] = copies(data.get("mistakes", []), ("text",))
    data["glossary"] = copies(data.get("glossary", []), ("definition",))
    return data


def _renamed(item: dict, copy: int) -> dict:
    """A deep copy whose ids (and references to ids) carry the copy number."""
    if not copy:
        return item

    def suffix(value: str) -> str:
        return f"{value}-x{copy}"

    clone = dict(item)
    clone["id"] = suffix(item["id"])
    clone.pop("figure", None)  # a figure once: the copies repeat text, not pictures to render
    if "tests" in item:
        clone["tests"] = [suffix(ref) for ref in item["tests"]]
    if "glossary" in item:
        clone["glossary"] = [suffix(ref) for ref in item["glossary"]]
    if "term" in item and "definition" not in item:
        clone["term"] = f"{item['term']} ({copy + 1})"
    if "a" in item and "b" in item:
        clone["a"] = {**item["a"], "name": f"{item['a']['name']} ({copy + 1})"}
        clone["b"] = {**item["b"], "name": f"{item['b']['name']} ({copy + 1})"}
    return clone


class _NoAliasDumper(yaml.CSafeDumper):
    """Copies share sub-objects; write each out in full (sources refuse aliases). libyaml's
    emitter: a guide 50 times larger is written in a fifth of the pure-Python emitter's time."""

    def ignore_aliases(self, data) -> bool:
        return True


def write_scaled_guide(source: Path, factor: int, folder: Path) -> Path:
    guide_id = f"{source.stem}-x{factor}"
    path = folder / f"{guide_id}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    body = yaml.dump(scaled_guide(source, factor, guide_id), Dumper=_NoAliasDumper,
                     allow_unicode=True, sort_keys=False, width=100)
    path.write_text(SCHEMA_LINE + body, encoding="utf-8")
    return path
