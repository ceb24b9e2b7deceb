"""Small helpers shared by the build-level tests."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def export(guide, name: str, out_dir: Path) -> list[Path]:
    """What exporter `name` writes for `guide`, in this process, into `out_dir` under the
    registry's names, each artifact atomically (a build runs each artifact as a job of its own)."""
    from exporter.build.output import atomic_output
    from exporter.build.registry import EXPORTERS

    exporter, finals = EXPORTERS[name], []
    for artifact in exporter.outputs:
        final = Path(out_dir) / artifact.file_name(guide.id)
        with atomic_output(final) as temp:
            exporter.write(guide, artifact, temp)
        finals.append(final)
    return finals


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` (hidden ones included) with the sha256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def copy_checkout(dest: Path) -> Path:
    """Copy the working tree as a fresh clone would have it: tracked files plus
    untracked ones that git does not ignore (so uncommitted work is tested too)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 600):
    """Run `python -m exporter ARGS` in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "exporter", *args],
        cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout,
    )


def run_main(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The command line's `main()` in this process, as `run_cli` runs it in another: the same
    words and exit status, without starting Python and importing the compiler again (a test
    that does so compares the two once per command)."""
    from exporter.cli.main import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = main(list(args))
        except SystemExit as exit:  # argparse's own refusals
            status = exit.code
    return subprocess.CompletedProcess(["studyguide", *args], status, stdout.getvalue(), stderr.getvalue())


# Runs the command line (`python -m exporter ARGS`) with an audit hook that stops
# the process at its first network access; `--probe` instead tries one, to show
# that the guard works.
NETWORK_GUARD = """
import os, socket, sys
# With STUDYGUIDE_GUARD_FOLDER set, a read of any file in that folder that is not listed in
# STUDYGUIDE_GUARD_ALLOWED (paths joined by os.pathsep) stops the process too (Graphviz's dot,
# the one program that reads a guide's text, runs in an empty folder of its own).
GUARDED = os.path.realpath(os.environ["STUDYGUIDE_GUARD_FOLDER"]) if "STUDYGUIDE_GUARD_FOLDER" in os.environ else None
ALLOWED = {os.path.realpath(p) for p in os.environ.get("STUDYGUIDE_GUARD_ALLOWED", "").split(os.pathsep) if p}
# With STUDYGUIDE_GUARD_LOG set, every file the process (or a forked worker) opens is written there, a line each.
LOG = os.open(os.environ["STUDYGUIDE_GUARD_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT) if "STUDYGUIDE_GUARD_LOG" in os.environ else None
def refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        # Printed first, in case a library swallows the exception.
        print(f"network access attempted: {event} {args!r}", file=sys.stderr, flush=True)
        raise SystemExit(3)
    if LOG is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if os.path.isfile(path):
            os.write(LOG, (path + "\\n").encode("utf-8", "surrogateescape"))
    if GUARDED and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(GUARDED + os.sep) and path not in ALLOWED and os.path.isfile(path):
            print(f"file read outside the figures: {path}", file=sys.stderr, flush=True)
            os._exit(3)
sys.addaudithook(refuse)
if sys.argv[1] == "--probe":
    socket.create_connection(("127.0.0.1", 9), timeout=1)
import runpy
runpy.run_module("exporter", run_name="__main__", alter_sys=True)
"""


def run_guarded_cli(*args: str, cwd: Path = ROOT, timeout: float = 600, env: dict[str, str] | None = None):
    """`run_cli`, under NETWORK_GUARD."""
    return subprocess.run([sys.executable, "-c", NETWORK_GUARD, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
