"""Problems with a source, and how they are worded and located.

A `Problem` names the file, the line and column, and the field, so an author
can go straight to it: `sources/x.yaml:12:5: domains[0].weight: ...`. Fields
are paths into the data (`("domains", 0, "weight")`); `Marks` maps each path
to where it is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporter.model.problems import FieldPath

Path_ = FieldPath  # the same paths name fields in the source and in the model
Marks = dict[Path_, tuple[int, int]]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source, located as precisely as we can."""

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}"


class SourceError(Exception):
    """The source could not be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems

    def __reduce__(self):
        # Rebuilt from its problems, so it keeps them when it crosses from a worker process.
        return (type(self), (self.problems,))


def _locate(loc: Path_, marks: Marks) -> tuple[int, int]:
    while loc and loc not in marks:
        loc = loc[:-1]
    return marks.get(loc, (1, 1))
