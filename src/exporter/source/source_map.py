"""Where every field of a loaded guide is written: the source map.

The loader returns it beside the guide. Any later stage reports a problem by
the field's path in the model (`model/problems.py`); the command line turns it
into `file:line:col: field: message` here, never by reading the YAML again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exporter.model.problems import FieldPath, FieldProblem, GuideProblems, format_path
from exporter.source.problems import Marks, Problem, SourceError

# How far below its field's mark a word is looked for: a block scalar's lines.
_SEARCH_LINES = 200


@dataclass(frozen=True)
class SourceMap:
    file: str  # the source as problems name it
    marks: Marks = field(repr=False)
    lines: tuple[str, ...] = field(repr=False, default=())

    def position(self, path: FieldPath, words: str = "") -> tuple[int, int]:
        """Line and column of a field (the nearest marked parent if it has none of
        its own); of `words` in it when they are written there as they read."""
        while path and path not in self.marks:
            path = path[:-1]
        line, column = self.marks.get(path, (0, 0))
        if words and line:
            for number in range(line, min(len(self.lines), line + _SEARCH_LINES) + 1):
                if (at := self.lines[number - 1].find(words[:24])) >= 0:
                    return number, at + 1
        return line, column

    def problem(self, found: FieldProblem) -> Problem:
        if not found.path:
            return Problem(self.file, 0, 0, found.label or "(top level)", found.message)
        return Problem(self.file, *self.position(found.path, found.words), found.label or format_path(found.path),
                       found.message)

    def source_error(self, error: GuideProblems) -> SourceError:
        return SourceError(sorted(self.problem(found) for found in error.problems))
