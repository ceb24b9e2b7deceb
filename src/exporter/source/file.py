"""Reading a guide source safely: a regular file of bounded size, UTF-8
without BOM, no forbidden characters, no symbolic link out of the source folder,
no waiting on a named pipe."""

from __future__ import annotations

import os
import stat
import typing
from pathlib import Path

from exporter.source.problems import Problem, SourceError
from exporter.text.characters import FORBIDDEN_CHARACTERS, forbidden_character_problem

MAX_SOURCE_BYTES = 20 * 1024 * 1024


def read_text(path: Path, name: str, root: Path | None) -> str:
    def fail(message: str, line: int = 0, column: int = 0) -> typing.NoReturn:
        raise SourceError([Problem(name, line, column, "(file)", message)])

    try:
        if root is not None and path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                fail(f"is a symbolic link to {target}, outside the source folder; copy the file in instead")
        # Non-blocking, so a named pipe cannot make us wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            info = os.fstat(descriptor)
            if stat.S_ISDIR(info.st_mode):
                fail("is a directory, not a YAML file")
            if not stat.S_ISREG(info.st_mode):
                fail("is not a regular file (a device, pipe or socket?); give the path of a YAML file")
            if info.st_size > MAX_SOURCE_BYTES:
                fail(f"is {info.st_size // 2**20} MiB; a guide source may be at most {MAX_SOURCE_BYTES // 2**20} MiB")
            with open(descriptor, "rb", closefd=False) as file:
                raw = file.read(MAX_SOURCE_BYTES + 1)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        fail("no such file")
    except PermissionError:
        fail("cannot be read: permission denied")
    except OSError as error:
        fail(f"cannot be read: {error.strerror or error}")
    if len(raw) > MAX_SOURCE_BYTES:  # it grew while we read it
        fail(f"is larger than {MAX_SOURCE_BYTES // 2**20} MiB, the most a guide source may be")
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("starts with a byte-order mark (BOM); save it as UTF-8 without BOM", 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1:error.start].decode("utf-8", "replace")) + 1
        fail(f"is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8", line, column)
    problems = []
    # Lines are split on "\n" only, as YAML and editors count them (not on U+0085 and the like).
    for line_number, line in enumerate(text.split("\n"), 1):
        for match in FORBIDDEN_CHARACTERS.finditer(line):
            problems.append(
                Problem(name, line_number, match.start() + 1, "(file)", forbidden_character_problem(match.group())))
    if problems:
        raise SourceError(problems[:50])
    return text
