"""Broken sources: each must give exit status 1, the exact problem lines, no
traceback, and leave the output folder exactly as it was.

Most cases are files in `tests/invalid/` (`<case>.yaml` beside `<case>.expected`),
each a copy of `valid-minimal.yaml` with a mistake and its id set to its file
name. Cases a text file cannot hold well (bytes, huge or hostile input, odd
paths) are generated into a temporary folder below.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from exporter.cli.main import main
from exporter.model.guide import Guide
from exporter.source.schema_messages import _model_in

from ..helpers import run_main, snapshot

INVALID = Path(__file__).resolve().parents[1] / "invalid"
MINIMAL = INVALID / "valid-minimal.yaml"
FILE_CASES = sorted(path.stem for path in INVALID.glob("*.yaml") if path != MINIMAL)
# A sample of file cases also goes through `build`: syntax, schema, cross-field and tag problems.
BUILD_SAMPLE = ["yaml-tab-indent", "empty", "wrong-types", "duplicate-keys", "weights-not-100",
                "python-tag", "several-problems", "id-mismatch"]
MEMORY_LIMIT = 1024**3  # bytes of address space for each CLI run
TIMEOUT = 60  # seconds; far above what any case needs, it only stops a hang


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, cwd: Path, user: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "exporter", *args], cwd=cwd, capture_output=True, encoding="utf-8",
        errors="replace", timeout=TIMEOUT, preexec_fn=_limit_memory, user=user,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def assert_refused(result: subprocess.CompletedProcess, expected: list[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stderr
    count = len(expected)
    summary = f"{count} problem{'s' if count != 1 else ''} found; nothing was written."
    assert result.stderr.splitlines() == [*expected, summary]


def minimal(case_id: str) -> bytes:
    """The minimal valid guide, with its id set to `case_id`."""
    return MINIMAL.read_bytes().replace(b"id: valid-minimal\n", f"id: {case_id}\n".encode(), 1)


def populated_dist(tmp_path: Path) -> Path:
    """An output folder holding earlier artifacts, as a real dist/ would."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "earlier.apkg").write_bytes(b"PK\x03\x04 an earlier deck")
    (dist / "earlier.epub").write_bytes(b"PK\x03\x04 an earlier book")
    (dist / "notes.txt").write_text("left alone\n")
    return dist


# --- cases in files ---------------------------------------------------------------


def test_every_case_file_has_its_expected_messages():
    expected = sorted(path.stem for path in INVALID.glob("*.expected"))
    assert expected == FILE_CASES
    assert len(FILE_CASES) + len(GENERATED) >= 35


def test_the_minimal_guide_is_valid():
    result = run_main("validate", MINIMAL.name, cwd=INVALID)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def expected_lines(case: str) -> list[str]:
    return (INVALID / f"{case}.expected").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", FILE_CASES)
def test_validate_reports_exactly(case):
    assert_refused(run_main("validate", f"{case}.yaml", cwd=INVALID), expected_lines(case))


@pytest.mark.parametrize("case", BUILD_SAMPLE)
def test_build_refuses_and_leaves_dist_alone(case, tmp_path):
    dist = populated_dist(tmp_path)
    before = snapshot(dist)
    result = run_main("build", f"{case}.yaml", "--out", str(dist), cwd=INVALID)
    assert_refused(result, expected_lines(case))
    assert result.stdout == ""
    assert snapshot(dist) == before  # nothing changed, no temporary file left


@pytest.mark.parametrize("command", ["validate", "build"])
def test_the_real_command_refuses_as_main_does(command, tmp_path):
    """The cases above run `main()` in this process; the installed command says the same."""
    dist = populated_dist(tmp_path)
    args = (command, "several-problems.yaml", *(["--out", str(dist)] if command == "build" else []))
    in_process = run_main(*args, cwd=INVALID)
    result = run_cli(*args, cwd=INVALID)
    assert_refused(result, expected_lines("several-problems"))
    assert (result.returncode, result.stdout, result.stderr) == (
        in_process.returncode, in_process.stdout, in_process.stderr)


# --- generated cases ----------------------------------------------------------------
#
# Each writes its source into `folder` and returns the argument to pass and the
# expected lines.

GENERATED = {}


def generated(make):
    GENERATED[make.__name__.replace("_", "-")] = make
    return make


@generated
def bom(folder):
    (folder / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + minimal("bom"))
    return "bom.yaml", ["bom.yaml:1:1: (file): starts with a byte-order mark (BOM); save it as UTF-8 without BOM"]


@generated
def non_utf8(folder):
    # "Exampl\xe9" is Latin-1; the column counts characters, not bytes.
    source = minimal("non-utf8").replace(b"vendor: Example Vendor", "vendor: Ünïcode Exampl\xe9".encode("latin-1"))
    (folder / "non-utf8.yaml").write_bytes(source.replace("Ünïcode".encode("latin-1"), "Ünïcode".encode()))
    return "non-utf8.yaml", ["non-utf8.yaml:7:23: (file): is not valid UTF-8 (byte 0xe9); save it as UTF-8"]


@generated
def nul_character(folder):
    (folder / "nul.yaml").write_bytes(minimal("nul").replace(b"Example Vendor", b"Example\x00Vendor"))
    return "nul.yaml", ["nul.yaml:7:16: (file): contains the control character U+0000; remove it"]


@generated
def noncharacter(folder):
    """U+FFFE is valid UTF-8 but neither YAML nor XML accepts it."""
    (folder / "nonchar.yaml").write_text(
        minimal("nonchar").decode().replace("Example Vendor", "Example\ufffeVendor"), encoding="utf-8")
    return "nonchar.yaml", ["nonchar.yaml:7:16: (file): contains the noncharacter U+FFFE; remove it"]


@generated
def escaped_noncharacter_and_control(folder):
    """Written as YAML escapes, they pass the file check; the model refuses them."""
    text = minimal("escaped").decode().replace("vendor: Example Vendor", 'vendor: "Example\\uFFFEVendor"').replace(
        "summary: The smallest valid guide.", 'summary: "The \\x07 smallest valid guide."')
    (folder / "escaped.yaml").write_text(text, encoding="utf-8")
    return "escaped.yaml", [
        "escaped.yaml:7:1: vendor: contains the noncharacter U+FFFE; remove it",
        "escaped.yaml:14:1: summary: contains the control character U+0007; remove it",
    ]


@generated
def control_characters(folder):
    # U+0085 (NEL) is also a line break to YAML and to str.splitlines; lines must still count right.
    text = minimal("control").decode().replace("Example Vendor", "Ex\x07ample\x85Vendor\x1b").replace(
        "summary: The smallest", "summary: The \x9b smallest")
    (folder / "control.yaml").write_text(text, encoding="utf-8")
    return "control.yaml", [
        "control.yaml:7:11: (file): contains the control character U+0007; remove it",
        "control.yaml:7:17: (file): contains the control character U+0085; remove it",
        "control.yaml:7:24: (file): contains the control character U+001B; remove it",
        "control.yaml:14:14: (file): contains the control character U+009B; remove it",
    ]


@generated
def ten_megabyte_string(folder):
    source = minimal("huge").replace(b"summary: The smallest valid guide.", b"summary: " + b"x" * 10_000_000)
    (folder / "huge.yaml").write_bytes(source)
    return "huge.yaml", ["huge.yaml:14:1: summary: is too long (10000000 characters; at most 5000)"]


@generated
def ten_megabyte_key(folder):
    (folder / "huge-key.yaml").write_bytes(minimal("huge-key") + b"k" * 10_000_000 + b": value\n")
    return "huge-key.yaml", ["huge-key.yaml:97:1: (yaml): YAML syntax error: expected 'key: value', "
                             "but this line has no ':' (or its key is over 1024 characters)"]


@generated
def long_unknown_key(folder):
    # An unknown field is named in the message: cut short, not echoed whole.
    (folder / "long-key.yaml").write_bytes(minimal("long-key") + b"k" * 1000 + b": value\n")
    return "long-key.yaml", [f"long-key.yaml:97:1: {'k' * 60}…: is not a known field"]


@generated
def nested_10000_deep_flow(folder):
    (folder / "deep.yaml").write_bytes(minimal("deep") + b"extra: " + b"[" * 10_000 + b"]" * 10_000 + b"\n")
    # libyaml stops flow nesting at 1000 levels, before the loader counts; the line is right.
    return "deep.yaml", ["deep.yaml:97:1007: (yaml): nested more than 32 levels deep"]


@generated
def nested_10000_deep_block(folder):
    # "- - - x" nests one list in another on a single line.
    (folder / "deep-block.yaml").write_bytes(minimal("deep-block") + b"extra:\n  " + b"- " * 10_000 + b"x\n")
    return "deep-block.yaml", ["deep-block.yaml:98:65: (yaml): nested more than 32 levels deep"]


@generated
def billion_laughs(folder):
    lines = ['lol0: &lol0 "lol"']
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    (folder / "laughs.yaml").write_text("\n".join(lines) + "\n")
    return "laughs.yaml", ["laughs.yaml:1:7: (yaml): anchors and aliases (& and *) are not supported; write the value out"]


@generated
def missing_file(folder):
    return "missing.yaml", ["missing.yaml: (file): no such file"]


@generated
def directory(folder):
    (folder / "folder.yaml").mkdir()
    return "folder.yaml", ["folder.yaml: (file): is a directory, not a YAML file"]


@generated
def named_pipe(folder):
    # Reading a pipe would wait for a writer forever; it must be refused at once.
    os.mkfifo(folder / "pipe.yaml")
    return "pipe.yaml", ["pipe.yaml: (file): is not a regular file (a device, pipe or socket?); give the path of a YAML file"]


@generated
def symlink_out_of_tree(folder):
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir()
    (outside / "link.yaml").write_bytes(minimal("link"))
    (folder / "link.yaml").symlink_to(outside / "link.yaml")
    target = (outside / "link.yaml").resolve()
    return "link.yaml", [f"link.yaml: (file): is a symbolic link to {target}, outside the source folder; copy the file in instead"]


def _with_figure(case_id: str, file: str) -> bytes:
    """The minimal guide with one figure of its first domain, from `file`."""
    figure = (f"    figures:\n      - id: fig-one\n        file: {file}\n"
              "        alt: A test picture standing in for a diagram that a learner would read.\n").encode()
    return minimal(case_id).replace(b"    key_topics: [Foundations]\n", b"    key_topics: [Foundations]\n" + figure, 1)


@generated
def figure_over_five_megabytes(folder):
    # A real PNG (its header is read first), padded past the limit.
    png = (INVALID / "figures" / "really-a-jpeg.png").read_bytes()
    (folder / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + png + b"\0" * (5 * 1024 * 1024))
    (folder / "big-figure.yaml").write_bytes(_with_figure("big-figure", "big.png"))
    return "big-figure.yaml", ["big-figure.yaml:43:9: domains[0].figures[0].file: is 5.0 MiB; a figure may be at most 5 MiB"]


@generated
def figure_named_pipe(folder):
    os.mkfifo(folder / "pipe.svg")
    (folder / "pipe-figure.yaml").write_bytes(_with_figure("pipe-figure", "pipe.svg"))
    return "pipe-figure.yaml", ["pipe-figure.yaml:43:9: domains[0].figures[0].file: is not a regular file; "
                                "give the path of an SVG, PNG or JPEG file"]


@pytest.mark.parametrize("case", sorted(GENERATED))
@pytest.mark.parametrize("command", ["validate", "build"])
def test_generated_case(case, command, tmp_path):
    """`validate` runs the real command, under a memory limit (these inputs are huge or
    hostile); `build`, which loads the same way, runs `main()` in this process."""
    folder = tmp_path / "sources"
    folder.mkdir()
    argument, expected = GENERATED[case](folder)
    args = [command, argument]
    if command == "build":
        dist = populated_dist(tmp_path)
        before = snapshot(dist)
        args += ["--out", str(dist)]
    result = run_cli(*args, cwd=folder) if command == "validate" else run_main(*args, cwd=folder)
    assert_refused(result, expected)
    if command == "build":
        assert snapshot(dist) == before


def test_a_symlink_inside_the_tree_is_followed(tmp_path):
    (tmp_path / "real.yaml").write_bytes(minimal("inside"))
    (tmp_path / "inside.yaml").symlink_to(tmp_path / "real.yaml")
    result = run_main("validate", "inside.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


NOBODY = 65534


def test_unreadable_file():
    """chmod 000 stops everyone but root; as root the CLI runs as nobody instead."""
    user = None
    if os.geteuid() == 0:
        try:
            probe = subprocess.run([sys.executable, "-c", "import exporter.source.loader"], user=NOBODY,
                                   capture_output=True, timeout=TIMEOUT, cwd="/").returncode
        except OSError:
            probe = None
        if probe != 0:
            pytest.skip("running as root, and the user nobody cannot run this Python")
        user = NOBODY
    # tmp_path's parents are private to the owner, so nobody could not even look inside.
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)
        source = Path(folder) / "locked.yaml"
        source.write_bytes(minimal("locked"))
        source.chmod(0)
        result = run_cli("validate", "locked.yaml", cwd=Path(folder), user=user)
    assert_refused(result, ["locked.yaml: (file): cannot be read: permission denied"])


# --- generated broken guides (hypothesis) -----------------------------------------------
#
# Any broken variant of the valid guide gives exit status 1 and
# `file:line[:col]: field: message` lines, never a traceback. These call the CLI
# in-process for speed.

TEXT = MINIMAL.read_text(encoding="utf-8")
DATA = yaml.safe_load(TEXT)
NAME = MINIMAL.name  # the id must match the file name, so copies keep it
LINE = re.compile(rf"^{re.escape(NAME)}:\d+(:\d+)?: \S.*?: \S.*$")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


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
       garbage=(st.binary(min_size=1, max_size=20) | st.text(min_size=1, max_size=20).map(str.encode))
       .filter(lambda garbage: garbage.strip(b" \t")))  # `key :` and `key\t:` are still valid YAML
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
