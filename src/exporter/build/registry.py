"""The exporters: what each one writes, decided here and nowhere else.

An `Exporter` declares, without importing its (heavy) module, the artifacts it
writes for a guide and what else it can do; its module writes one artifact into
a path it is given. Everything that needs a file name (the command line, the
Makefile's rules from `make-rules`, the build's jobs, the tests) asks here.

The build runs one job per artifact (each paper of the cheat sheet is its own
job), all in one pool of workers: see `plan` and `cli._build`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from exporter.model.guide import Guide
    from exporter.model.problems import FieldProblem


class ExporterModule(Protocol):
    """What an exporter's module provides."""

    def write(self, guide: Guide, target: Path, variant: str) -> str | None:
        """Write the artifact `variant` (as declared in the registry) of `guide` to `target`;
        return a note for the author, if any (what the artifact had to leave out)."""


@dataclass(frozen=True)
class Artifact:
    pattern: str  # the file name, `{id}` standing for the guide id
    variant: str = ""  # what the exporter makes differently for this one (the paper of a cheat sheet)

    def file_name(self, guide_id: str) -> str:
        return self.pattern.format(id=guide_id)


@dataclass(frozen=True)
class Exporter:
    name: str
    module: str
    outputs: tuple[Artifact, ...]
    # Optional capability: `cards_by_domain(guide) -> {domain id: cards}`, which `stats` shows;
    # the module's GENERAL_CARDS and RETIRED_CARDS keys count the cards of no domain.
    counts_cards: bool = False
    # Optional capability: `left_out_line(guide, variant) -> str`, the items an artifact has no
    # room for, which `stats` shows (laying the artifact out, as a build would).
    lists_left_out: bool = False
    # What the format cannot carry, known from the model alone: "module:function" names of
    # light functions `(guide) -> [FieldProblem]` that every command runs with the source's
    # own rules, so that `validate` refuses what the build would.
    source_checks: tuple[str, ...] = ()

    @property
    def artifacts(self) -> tuple[str, ...]:
        """The file name patterns, `{id}` standing for the guide id."""
        return tuple(artifact.pattern for artifact in self.outputs)

    def artifact_names(self, guide_id: str) -> list[str]:
        return [artifact.file_name(guide_id) for artifact in self.outputs]

    def load(self) -> ExporterModule:
        return importlib.import_module(self.module)

    def write(self, guide: Guide, artifact: Artifact, target: Path) -> str | None:
        return self.load().write(guide, target, artifact.variant)

    def cards_by_domain(self, guide: Guide) -> dict[str, int]:
        if not self.counts_cards:
            raise TypeError(f"the {self.name} exporter does not count cards")
        return self.load().cards_by_domain(guide)

    def left_out_line(self, guide: Guide, artifact: Artifact) -> str:
        if not self.lists_left_out:
            raise TypeError(f"the {self.name} exporter leaves nothing out")
        return self.load().left_out_line(guide, artifact.variant)


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("anki", "exporter.anki.deck", (Artifact("{id}.apkg"),), counts_cards=True,
                 source_checks=("exporter.anki.notes:field_name_problems",)),
        Exporter("pdf", "exporter.sheet.pdf", (Artifact("{id}-cheatsheet-a4.pdf", "a4"),
                                                Artifact("{id}-cheatsheet-letter.pdf", "letter")),
                 lists_left_out=True,
                 source_checks=("exporter.sheet.room:fixed_part_problems", "exporter.sheet.glyph_check:fontless_problems")),
        Exporter("epub", "exporter.book.epub", (Artifact("{id}.epub"),)),
    )
}


def source_checks() -> list[Callable[[Guide], list[FieldProblem]]]:
    """Every exporter's checks of a loaded guide, for the loader to run with its rules."""
    checks = []
    for exporter in EXPORTERS.values():
        for name in exporter.source_checks:
            module, _, function = name.partition(":")
            checks.append(getattr(importlib.import_module(module), function))
    return checks


@dataclass(frozen=True)
class Job:
    """One artifact of one guide: the unit of work of a build."""

    guide: Guide
    exporter: Exporter
    artifact: Artifact

    def target(self, out_dir: Path) -> Path:
        return Path(out_dir) / self.artifact.file_name(self.guide.id)


def plan(guides: list[Guide], formats: list[str]) -> list[Job]:
    """One job per artifact, in the order the artifacts are reported."""
    return [Job(guide, EXPORTERS[name], artifact)
            for guide in guides for name in formats for artifact in EXPORTERS[name].outputs]


def shared_imports(jobs: list[Job]) -> list[Callable[[], ExporterModule]]:
    """The exporters that more than one job needs: the build imports them once, before forking."""
    users: dict[str, int] = {}
    for job in jobs:
        users[job.exporter.name] = users.get(job.exporter.name, 0) + 1
    return [EXPORTERS[name].load for name, count in users.items() if count > 1]
