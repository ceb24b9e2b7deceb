"""Every command README.md and docs/ show works after `make all` and `make test`.

The commands are read from the documents themselves (shell blocks and inline
code), so a command added to them is checked too: a test fails on any command it
does not know how to try. Each is run for real where that changes nothing outside a
temporary folder (paths into `dist/`, `build/` and the catalogs are redirected
there); `make` targets, which would rebuild or rewrite the project, are checked
with `make -n` (the target exists and its recipe expands).
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT
from ..helpers import run_cli

pytestmark = pytest.mark.slow

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PYTHON = ROOT / ".venv" / "bin" / "python"
# Commands checked by a test of their own.
CHECKED_ELSEWHERE = {"pip wheel .": "tests/integration/test_wheel.py builds and installs the wheel"}


def documented_commands() -> list[tuple[str, str]]:
    """(document, command) for each command line shown, without its comment."""
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        lines = [line for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S) if lang in ("sh", "")
                 for line in body.splitlines()]
        lines += re.findall(r"`((?:\.venv/bin/|make |python -m |pip )[^`]*)`", text)
        for line in lines:
            command = line.split("  #")[0].split(" # ")[0].strip()
            if command.startswith((".venv/bin/", "make ", "python -m ", "pip ")):
                found.append((document.name, command))
    return sorted(set(found))


COMMANDS = documented_commands()


def test_the_documents_show_commands():
    assert len(COMMANDS) > 20


def concrete(command: str) -> list[str]:
    """The command with its placeholders filled: optional parts left out, a guide for `<id>`."""
    command = re.sub(r"\s\[[^\]]*\]", "", command).replace("<id>", "ai-300")
    # The shell's globbing, from the project's folder.
    return [match for word in shlex.split(command)
            for match in (sorted(str(path.relative_to(ROOT)) for path in ROOT.glob(word)) if "*" in word else [word])]


def serve_until_it_answers(args: list[str]) -> None:
    """Start the preview, read the address it announces (an event on its output), fetch
    the page, and stop it as Ctrl-C would."""
    server = subprocess.Popen([str(PYTHON), "-m", "exporter", *args], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        announced = server.stdout.readline()
        address = re.search(r"http://\S+/", announced)
        assert address, announced + server.stderr.read()
        with urllib.request.urlopen(address.group(), timeout=60) as page:
            assert page.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)


def bumped_copy(source: Path, folder: Path) -> Path:
    """The guide and its ledger in `folder`, with the next version, dated an hour ago."""
    text = source.read_text(encoding="utf-8")
    an_hour_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = re.sub(r"(?m)^version: .*$", 'version: "99.0.0"', text)
    text = re.sub(r"(?m)^updated: .*$", f"updated: {an_hour_ago}", text)
    copy = folder / source.name
    copy.write_text(text, encoding="utf-8")
    ledger = source.with_name(source.stem + ".releases.json")
    if ledger.exists():
        shutil.copy(ledger, folder / ledger.name)
    return copy


@pytest.mark.parametrize(("document", "command"), COMMANDS, ids=[command for _, command in COMMANDS])
def test_documented_command_works(document, command, tmp_path):
    if command in CHECKED_ELSEWHERE:
        return
    words = concrete(command)
    if words[0] == "make":
        result = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{document}: {command}: {result.stderr}"
        # The recipe is not run, so the files it names must at least exist.
        named = set(re.findall(r"(?<![\w/.])((?:tests|src|sources)/[\w./-]+\.(?:py|yaml))\b", result.stdout))
        assert [path for path in sorted(named) if not (ROOT / path).exists()] == [], f"{document}: {command}"
        return
    if words[:3] == ["python", "-m", "exporter"]:
        words = [str(PYTHON), *words[1:], "--help"]
    words = [str(ROOT / word) if word.startswith(".venv/") else word for word in words]
    tool = Path(words[0]).name
    if tool == "studyguide" or words[1:3] == ["-m", "exporter"]:
        args = words[1:] if tool == "studyguide" else words[3:]
        if args and args[0] == "build":
            args += ["--out", str(tmp_path / "dist")]
        if args and args[0] == "serve":  # runs until stopped: it must come up and serve the page
            serve_until_it_answers([*args, "--port", "0"])
            return
        if args and args[0] == "release":  # on a copy with `version:` and `updated:` bumped, as step 2 says
            args = ["release", str(bumped_copy(ROOT / args[1], tmp_path)), *args[2:], "--dry-run"]
        result = run_cli(*args)
        assert result.returncode == 0, f"{document}: {command}: {result.stderr}"
        return
    if words[1:3] == ["-m", "pytest"]:
        assert all((ROOT / path).exists() for path in words[3:]), f"{document}: {command}: no such test file"
        words += ["--collect-only", "-q"]
    elif words[1:3] == ["-m", "tests.checkers.anki"] and words[3] == "render":
        deck = tmp_path / "dist" / "ai-300.apkg"
        built = run_cli("build", "sources/ai-300.yaml", "--format", "anki", "--out", str(deck.parent))
        assert built.returncode == 0, built.stderr
        words = [*words[:4], str(deck), str(tmp_path / "cards")]
    elif tool == "pybabel":
        words = [str(tmp_path / "locale") if word == "src/exporter/text/locale" and words[index - 1] == "-d" else word
                 for index, word in enumerate(words)]
    else:
        pytest.fail(f"{document}: {command}: no way to try this command; teach this test")
    result = subprocess.run(words, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{document}: {command}: {result.stdout}{result.stderr}"
