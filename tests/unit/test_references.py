"""Files the code and templates point a reader to (`docs/…`, `tests/…`) exist: a
moved or renamed file leaves no dead reference behind."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"\b(?:docs|tests|schema)/[\w./-]*\w\.[a-z]{2,4}\b")


def references(root: Path) -> list[tuple[str, str]]:
    """(where, path) of every reference to a repository file in the package and its templates."""
    found = []
    for folder in (root / "src" / "exporter", root / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".j2", ".html", ".css", ".js"}:
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    found += [(f"{path.relative_to(root)}:{number}", match) for match in REFERENCE.findall(line)]
    return found


def test_every_file_the_code_names_exists():
    found = references(ROOT)
    assert len(found) >= 3  # the pattern still finds references at all
    missing = [f"{where}: {target}" for where, target in found if not (ROOT / target).exists()]
    assert missing == [], "references to files that do not exist:\n" + "\n".join(missing)
