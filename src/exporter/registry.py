"""The exporters, registered by name.

Each exporter is a module with `export(guide, out_dir) -> list[Path]`, which
writes its artifacts atomically and returns their paths. The registry also
knows the artifacts' names, so the Makefile's rules can be generated without
importing the (heavy) exporter modules; they are imported only when used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Exporter:
    name: str
    module: str
    artifacts: tuple[str, ...]  # file names, `{id}` standing for the guide id

    def artifact_names(self, guide_id: str) -> list[str]:
        return [pattern.format(id=guide_id) for pattern in self.artifacts]

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("anki", "exporter.anki", ("{id}.apkg",)),
        Exporter("pdf", "exporter.pdf", ("{id}-cheatsheet-a4.pdf", "{id}-cheatsheet-letter.pdf")),
        Exporter("epub", "exporter.epub", ("{id}.epub",)),
    )
}
