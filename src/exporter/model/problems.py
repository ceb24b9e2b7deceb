"""Problems that only a later stage can see in a valid guide (a character no font
draws, a word too long for its column), named by the field they concern.

An exporter knows the model, not the source file: it names a field by its path
in the model (`("domains", 0, "concepts", 3, "text")`, the same path the
source's marks use) and may add the words it is about. The command line turns
each into `file:line:col: field: message` with the source map the loader
returned beside the guide (`source/source_map.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldProblem:
    path: FieldPath  # () for the guide as a whole
    message: str
    words: str = ""  # the text it is about, to point inside the field: a word, a character
    label: str = ""  # the field as shown when it is no single path ("(sheet)", "(cover)")


class GuideProblems(Exception):
    """Raised by an exporter; every problem at once."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__("\n".join(problem.message for problem in problems))
        self.problems = problems

    def __reduce__(self):
        # Rebuilt from its problems, so it keeps them when it crosses from a worker process.
        return (type(self), (self.problems,))
