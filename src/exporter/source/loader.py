"""Load `sources/<guide>.yaml` into a `Guide`, or into every problem at once.

Each problem names the file, the line and column, and the field, so an author
can go straight to it: `sources/x.yaml:12:5: domains[0].weight: ...`.

The work is split by job: `source_file` reads the file safely, `yaml_marks`
turns the YAML into plain data with the position of every field,
`schema_messages` words the model's validation errors, `rules` checks what the
schema cannot express, on the typed model. The cross-field rules run even when
the schema fails, on the part it accepts (`accepted_part`), so one run reports
everything.
"""

from __future__ import annotations

import contextlib
import gc
import os
import typing
from pathlib import Path

from exporter.model.clock import source_date_epoch_problem
from exporter.model.guide import Guide
from exporter.model.problems import FieldProblem, shown
from exporter.source.accepted_part import AcceptedPart, accepted_part
from exporter.source.figures import load_figures
from exporter.source.file import MAX_SOURCE_BYTES, read_text
from exporter.source.problems import Marks, Path_, Problem, SourceError
from exporter.source.rules import check_guide
from exporter.source.schema_messages import validate_schema
from exporter.source.source_map import SourceMap
from exporter.source.yaml_marks import MAX_DEPTH, parse

if typing.TYPE_CHECKING:
    from exporter.releases.ledgers import Ledger

__all__ = ["MAX_DEPTH", "MAX_SOURCE_BYTES", "Loaded", "Marks", "Path_", "Problem", "SourceError", "SourceMap",
           "check_guide", "load_guide", "load_guide_located", "load_guides"]


Check = typing.Callable[[Guide], list[FieldProblem]]


class Loaded(typing.NamedTuple):
    """A loaded guide and where each of its fields is written."""

    guide: Guide
    source_map: SourceMap


def load_guides(sources: typing.Sequence[Path], checks: typing.Sequence[Check] = ()) -> list[Loaded]:
    """Load the sources of one command, reporting every problem of every file at once.

    Besides each file's own problems: two sources with the same guide id (their
    artifacts would overwrite each other) and a SOURCE_DATE_EPOCH that cannot
    date the artifacts. A file given twice is loaded once.
    """
    guides: list[Loaded] = []
    problems: list[Problem] = []
    first_with_id: dict[str, str] = {}
    seen: set[Path] = set()
    for source in sources:
        if (resolved := Path(source).resolve()) in seen:
            continue
        seen.add(resolved)
        try:
            loaded = load_guide_located(source, root=Path(source).parent, checks=checks)
        except SourceError as error:
            problems.extend(error.problems)
            continue
        guide_id = loaded.guide.id
        if guide_id in first_with_id:
            problems.append(Problem(str(source), *loaded.source_map.position(("id",)), "id",
                                    f"{shown(guide_id)} is also the id of {first_with_id[guide_id]}; "
                                    "each guide of one build needs its own id, since artifacts are named after it"))
            continue
        first_with_id[guide_id] = str(source)
        guides.append(loaded)
    if epoch_problem := source_date_epoch_problem():
        problems.append(Problem("(environment)", 0, 0, "SOURCE_DATE_EPOCH", epoch_problem))
    if problems:
        raise SourceError(problems)
    return guides


def load_guide(source: str | os.PathLike[str], root: str | os.PathLike[str] | None = None,
               checks: typing.Sequence[Check] = ()) -> Guide:
    """Read, parse and validate one guide. Raises SourceError with all problems.

    With `root`, a source that is a symbolic link must point inside `root`. `checks` are
    the exporters' checks of what their formats cannot carry (`registry.source_checks()`).
    """
    return load_guide_located(source, root, checks).guide


def load_guide_located(source: str | os.PathLike[str],
                       root: str | os.PathLike[str] | None = None,
                       checks: typing.Sequence[Check] = ()) -> Loaded:
    """`load_guide`, plus where each field sits in the source (its source map): field
    paths such as ("domains", 0, "concepts", 1, "text") to (line, column). A
    mapping's field points at its key, a list's item at its first character."""
    path = Path(source)
    name = str(source)
    text = read_text(path, name, Path(root) if root is not None else None)
    with _collector_paused():
        data, marks, problems = parse(text, name)
        guide, schema_problems, rejected_paths = validate_schema(data, marks, name, problems)
        problems += schema_problems
        # Rules on parts the parser or the schema already rejected would only repeat their complaint.
        rejected = {problem.field for problem in problems}
        part = AcceptedPart.whole(guide) if guide else accepted_part(data, rejected_paths)
        for problem in check_guide(part, marks, name, checks):
            if not any(_within(problem.field, field) for field in rejected):
                problems.append(problem)
        figures, figure_problems = load_figures(part, marks, name, text, path.parent)
        problems += [problem for problem in figure_problems
                     if not any(_within(problem.field, field) for field in rejected)]
    guide_id = data.get("id")
    if path.suffix in (".yaml", ".yml") and isinstance(guide_id, str) and guide_id != path.stem:
        problems.append(
            Problem(name, *marks[("id",)], "id",
                    f"{shown(guide_id)} must match the file name '{path.stem}'; artifacts are named after it")
        )
    ledger = None
    if path.suffix in (".yaml", ".yml"):
        ledger, ledger_problems = _read_ledger(path, guide_id if isinstance(guide_id, str) else None, root)
        problems += ledger_problems
    if problems:
        raise SourceError(sorted(problems))
    assert guide is not None
    guide = guide.with_ledger(ledger) if ledger else guide
    guide = guide.with_figures(figures) if figures else guide
    return Loaded(guide, SourceMap(name, marks, tuple(text.splitlines())))


def _read_ledger(source: Path, guide_id: str | None, root) -> tuple[Ledger | None, list[Problem]]:
    """The release ledger beside the source, if there is one (none: no release yet)."""
    from exporter.releases import ledgers  # imported when used: every command starts faster without it

    path = ledgers.ledger_path(source)
    if not (path.exists() or path.is_symlink()):
        return None, []
    name = str(path)
    try:
        text = read_text(path, name, Path(root) if root is not None else None)
    except SourceError as error:
        return None, error.problems
    ledger, problems = ledgers.parse_ledger(text, guide_id)
    return ledger, [Problem(name, line, column, field, message) for line, column, field, message in problems]


@contextlib.contextmanager
def _collector_paused() -> typing.Iterator[None]:
    """Pause the cyclic garbage collector while the guide is built.

    Loading makes a large tree of new objects, and the collector would walk it
    again and again as it grows (a third of the time for a 7 MB guide); the
    tree holds no cycles for it to collect.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _within(field: str, outer: str) -> bool:
    return outer == "(top level)" or field == outer or field.startswith((outer + ".", outer + "["))
