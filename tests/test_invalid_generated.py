"""Property: any broken variant of a valid guide gives exit status 1 and
`file:line[:col]: field: message` lines, never a traceback."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from exporter.cli import main
from exporter.model import Guide

MINIMAL = Path(__file__).resolve().parent / "invalid" / "valid-minimal.yaml"
TEXT = MINIMAL.read_text(encoding="utf-8")
DATA = yaml.safe_load(TEXT)
NAME = MINIMAL.name  # the id must match the file name, so copies keep it
LINE = re.compile(rf"^{re.escape(NAME)}:\d+(:\d+)?: \S.*?: \S.*$")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_model_in, typing.get_args(annotation))), None)


def required_keys(data, model: type[BaseModel] = Guide, path=()) -> list[tuple]:
    """Paths of the required fields present in `data`, at any depth."""
    found = []
    for key, value in data.items():
        field = model.model_fields[key]
        if field.is_required():
            found.append(path + (key,))
        inner = _model_in(field.annotation)
        if inner and isinstance(value, dict):
            found += required_keys(value, inner, path + (key,))
        elif inner and isinstance(value, list):
            for i, item in enumerate(value):
                found += required_keys(item, inner, path + (key, i))
    return found


def leaves(data, path=()) -> list[tuple]:
    """Paths of every scalar in `data`."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else None
    if items is None:
        return [path]
    return [leaf for key, value in items for leaf in leaves(value, path + (key,))]


def collections(data, path=()) -> list[tuple]:
    """Paths of every non-empty list or mapping below the top level."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    found = [path] if path and items else []
    for key, value in items:
        found += collections(value, path + (key,))
    return found


def changed(data, path, change):
    """A deep copy of `data` with `change` applied to the container of `path`."""
    copy = yaml.safe_load(yaml.safe_dump(data))
    container = copy
    for part in path[:-1]:
        container = container[part]
    change(container, path[-1])
    return copy


def run_validate(folder: Path, source: str | bytes, capsys) -> tuple[int, list[str]]:
    path = folder / NAME
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    capsys.readouterr()
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = [line.replace(str(path), NAME, 1) for line in err.splitlines()]
    return status, lines


def assert_clean_refusal(status: int, lines: list[str]) -> None:
    assert status == 1, lines
    *problems, summary = lines
    assert problems and summary.endswith("found; nothing was written.")
    for line in problems:
        assert LINE.match(line), line


# Values that no field accepts in place of a scalar, or of a list or mapping.
NOT_A_SCALAR = st.sampled_from([[], ["x"], {"x": 1}, [[1]]])
NOT_A_COLLECTION = st.sampled_from([0, -1, 3.5, True, "text", "", "2026-01-01"])


@SETTINGS
@given(path=st.sampled_from(required_keys(DATA)))
def test_deleting_a_required_key(path, tmp_path, capsys):
    data = changed(DATA, path, lambda container, key: container.pop(key))
    assert_clean_refusal(*run_validate(tmp_path, yaml.safe_dump(data, sort_keys=False), capsys))


@SETTINGS
@given(path=st.sampled_from(leaves(DATA)), value=NOT_A_SCALAR)
def test_a_scalar_of_the_wrong_type(path, value, tmp_path, capsys):
    data = changed(DATA, path, lambda container, key: container.__setitem__(key, value))
    assert_clean_refusal(*run_validate(tmp_path, yaml.safe_dump(data, sort_keys=False), capsys))


@SETTINGS
@given(path=st.sampled_from(collections(DATA)), value=NOT_A_COLLECTION)
def test_a_collection_replaced_by_a_scalar(path, value, tmp_path, capsys):
    data = changed(DATA, path, lambda container, key: container.__setitem__(key, value))
    assert_clean_refusal(*run_validate(tmp_path, yaml.safe_dump(data, sort_keys=False), capsys))


KEYS = [match.start() + 1 for match in re.finditer(r"\n *(?:- )?[a-z_]+:", TEXT)]


@SETTINGS
@given(position=st.sampled_from(KEYS), offset=st.integers(0, 3),
       garbage=st.binary(min_size=1, max_size=20) | st.text(min_size=1, max_size=20).map(str.encode))
def test_garbage_inside_a_key(position, offset, garbage, tmp_path, capsys):
    """Bytes inserted into a field name always break the guide: an unknown or
    duplicate field, a syntax error, a control character or bad UTF-8."""
    raw = TEXT.encode("utf-8")
    at = raw.index(b":", position) - offset  # within the key, or just before its colon
    at = max(at, raw.rindex(b"\n", 0, position + 1) + 1)
    assert_clean_refusal(*run_validate(tmp_path, raw[:at] + garbage + raw[at:], capsys))


@SETTINGS
@given(position=st.integers(0, len(TEXT.encode("utf-8"))),
       garbage=st.binary(min_size=1, max_size=40) | st.text(min_size=1, max_size=40).map(str.encode))
def test_garbage_anywhere_never_crashes(position, garbage, tmp_path, capsys):
    raw = TEXT.encode("utf-8")
    status, lines = run_validate(tmp_path, raw[:position] + garbage + raw[position:], capsys)
    if status != 0:  # text inserted into a value or a comment may leave it valid
        assert_clean_refusal(status, lines)
