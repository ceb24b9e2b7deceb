"""`make check`: run the real third-party checkers on what is in dist/.

Each format has a module `tests/checkers/<format>.py` with
`check_artifacts(paths) -> list[str]`, returning the problems it found.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from exporter.build.registry import EXPORTERS


def main(dist: Path) -> int:
    failures = 0
    ids = sorted(path.stem for path in Path("sources").glob("*.yaml"))
    for name, exporter in EXPORTERS.items():
        try:
            checker = importlib.import_module(f"tests.checkers.{name}")
        except ModuleNotFoundError:
            print(f"{name}: no checker yet")
            continue
        for guide_id in ids:
            paths = [dist / artifact for artifact in exporter.artifact_names(guide_id)]
            problems = checker.check_artifacts(paths)
            for problem in problems:
                print(f"{name}: {problem}")
            print(f"{name} {guide_id}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
            failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist")))
