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
MAX_SHOWN = 60  # characters of an offending value quoted back in a message


def format_path(path: FieldPath) -> str:
    """A field as an author reads it: `("domains", 0, "weight")` -> `domains[0].weight`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{shown(part, quote=False)}" if text else shown(part, quote=False))
    return text or "(top level)"


def data_path(error: dict, data, kept: dict[FieldPath, list[int]] | None = None) -> FieldPath:
    """A pydantic error's location as a path into the data it validated.

    Pydantic adds the names of union members and validators to locations; those
    are not in the data, so only the parts that are, plus a final missing field's
    name, are kept. `data` may be a view of the source with items left out:
    `kept` holds, by source path, the source indices of each list that lost some.
    """
    value, path = data, ()
    parts = error["loc"]
    for number, part in enumerate(parts, 1):
        if isinstance(value, dict) and part in value:
            value = value[part]
            path += (part,)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
            path += (kept[path][part] if kept and path in kept else part,)
        elif number == len(parts) and error["type"] == "missing":
            path += (part,)
    return path


def shown(value, quote: bool = True) -> str:
    """A value quoted back to the author, cut short if it is long."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "…"
    return repr(text) if quote and isinstance(value, str) else text


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
