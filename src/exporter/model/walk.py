"""One walk over the typed guide: every text it holds, with the path of its field.

The paths are the ones the source's marks use (`("domains", 0, "concepts", 3,
"text")`), so whatever a later stage finds in a text (a glyph no font has, a
word past its column) can be located in the source. The glyph check, the
sheet's layout check and the cover use it.
"""

from __future__ import annotations

from collections.abc import Iterator

from exporter.model.problems import FieldPath
from exporter.text.markup import Text


def texts(value, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Text]]:
    """Every text under `value` (a guide, an item, a list), in source order, with its path."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from texts(item, (*path, index))
    elif hasattr(value, "__pydantic_fields__"):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), (*path, name))


def at(guide, path: FieldPath):
    """The value a path names."""
    value = guide
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


def first_text_with(value, path: FieldPath, wanted) -> FieldPath | None:
    """The path of the first text under `value` (found at `path`) for which `wanted(text)` holds."""
    return next((found for found, text in texts(value, path) if wanted(text)), None)


def items(value, path: FieldPath = ()) -> Iterator[tuple[FieldPath, object]]:
    """Every item with an `id` under `value` (domains, concepts, questions...), with its path."""
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from items(item, (*path, index))
    elif hasattr(value, "__pydantic_fields__") and not isinstance(value, Text):
        if path and isinstance(getattr(value, "id", None), str):
            yield path, value
        for name in type(value).model_fields:
            yield from items(getattr(value, name), (*path, name))
