"""Broken sources: each must give exit status 1, the exact problem lines, no
traceback, and leave the output folder exactly as it was.

Most cases are files in `tests/invalid/` (`<case>.yaml` beside `<case>.expected`),
each a copy of `valid-minimal.yaml` with a mistake and its id set to its file
name. Cases a text file cannot hold well (bytes, huge or hostile input, odd
paths) are generated into a temporary folder below.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

INVALID = Path(__file__).resolve().parent / "invalid"
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


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


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
    result = run_cli("validate", MINIMAL.name, cwd=INVALID)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def expected_lines(case: str) -> list[str]:
    return (INVALID / f"{case}.expected").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", FILE_CASES)
def test_validate_reports_exactly(case):
    assert_refused(run_cli("validate", f"{case}.yaml", cwd=INVALID), expected_lines(case))


@pytest.mark.parametrize("case", BUILD_SAMPLE)
def test_build_refuses_and_leaves_dist_alone(case, tmp_path):
    dist = populated_dist(tmp_path)
    before = snapshot(dist)
    result = run_cli("build", f"{case}.yaml", "--out", str(dist), cwd=INVALID)
    assert_refused(result, expected_lines(case))
    assert result.stdout == ""
    assert snapshot(dist) == before  # nothing changed, no temporary file left


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


@pytest.mark.parametrize("case", sorted(GENERATED))
@pytest.mark.parametrize("command", ["validate", "build"])
def test_generated_case(case, command, tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    argument, expected = GENERATED[case](folder)
    args = [command, argument]
    if command == "build":
        dist = populated_dist(tmp_path)
        before = snapshot(dist)
        args += ["--out", str(dist)]
    result = run_cli(*args, cwd=folder)
    assert_refused(result, expected)
    if command == "build":
        assert snapshot(dist) == before


def test_a_symlink_inside_the_tree_is_followed(tmp_path):
    (tmp_path / "real.yaml").write_bytes(minimal("inside"))
    (tmp_path / "inside.yaml").symlink_to(tmp_path / "real.yaml")
    result = run_cli("validate", "inside.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


NOBODY = 65534


def test_unreadable_file():
    """chmod 000 stops everyone but root; as root the CLI runs as nobody instead."""
    user = None
    if os.geteuid() == 0:
        try:
            probe = subprocess.run([sys.executable, "-c", "import exporter.loader"], user=NOBODY,
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
