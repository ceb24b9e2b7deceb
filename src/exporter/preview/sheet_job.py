"""The preview's cheat sheets, in a process of their own.

    python -m exporter.preview.sheet_job SOURCE FOLDER
    python -m exporter.preview.sheet_job --ready [LANGUAGE]   (then SOURCE and FOLDER on a line of its input)

Like the build: the same loader and exporter, both papers side by side in
forked workers (`workers.py`), stopped cleanly by SIGTERM (`signals.py`),
which the server sends when a newer save makes this sheet stale. Writes into
FOLDER each paper's PDF, its pages as JPEG images when poppler's `pdftoppm`
is installed, and `sheet.json`: per paper, the files and what the fill put
on the sheet and left out, in rank order. Problems of the source go into
`sheet.json` too; the exit status is 0 whenever `sheet.json` was written.

With `--ready`, it imports the loader and the sheet's exporter, warms them up
for a sheet in LANGUAGE (fonts, hyphenation, font maps: `pdf.warm_up`) and then
waits for its job: the server keeps one such process ready, so that a save
waits neither for Python and WeasyPrint to start nor for their first layout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from exporter.build import signals

SHEET_FILE = "sheet.json"
READY = "--ready"
READY_LINE = "ready"
PAGE_RESOLUTION = 80  # dots per inch of the page images: an A4 page is 660 pixels wide
# JPEG, not PNG: pdftoppm writes a page in a tenth of the time (its PNG compression is
# slow), and at this quality the type looks the same on screen.
PAGE_FORMAT = ["-jpeg", "-jpegopt", "quality=92"]


def main(argv: list[str]) -> int:
    if argv[:1] == [READY]:
        from exporter.sheet.pdf import warm_up

        _load_exporter()
        warm_up(argv[1] if len(argv) > 1 else "en")
        print(READY_LINE, flush=True)  # the server shows that a save's sheet will not wait for this
        line = sys.stdin.readline()
        if not line.strip():  # the server closed without a job: nothing to do
            return 0
        argv = json.loads(line)
    source, folder = Path(argv[0]), Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    try:
        result = {"papers": _papers(source, folder)}
    except Exception as error:  # reported in the page, as the build reports it
        from exporter.source.problems import SourceError

        if isinstance(error, SourceError):
            result = {"problems": [str(problem) for problem in error.problems]}
        else:
            result = {"error": " ".join(f"{type(error).__name__}: {error}".split())[:500]}
    (folder / SHEET_FILE).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


def _load_exporter():
    """The sheet's exporter, imported once, before the workers fork; the loader too."""
    from exporter.build import registry
    from exporter.source import loader  # noqa: F401

    exporter = registry.EXPORTERS["pdf"]
    exporter.load()
    return exporter


def _papers(source: Path, folder: Path) -> list[dict]:
    import functools

    from exporter.build import workers
    from exporter.source.loader import load_guide
    from exporter.text import i18n

    exporter = _load_exporter()
    guide = load_guide(source, root=source.parent)
    i18n.prepare(guide)
    calls = [functools.partial(_paper, guide, artifact, folder) for artifact in exporter.outputs]
    return list(workers.results_of(calls))


def _paper(guide, artifact, folder: Path) -> dict:
    from exporter.sheet.pdf import CheatSheet

    name = artifact.file_name(guide.id)
    sheet = CheatSheet(guide, artifact.variant)
    sheet.write(folder / name)
    shown, _ = sheet.chosen  # how many ranked items the written sheet holds
    pages = _page_images(folder / name)
    return {"paper": artifact.variant, "pdf": name, "pages": pages,
            "on": [_described(slot) for slot in sheet.ranking[:shown]],
            "off": [_described(slot) for slot in sheet.ranking[shown:]]}


def _page_images(pdf: Path) -> list[str]:
    if shutil.which("pdftoppm") is None:
        return []
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", *PAGE_FORMAT, "-r", str(PAGE_RESOLUTION), str(pdf), str(prefix)], check=True)
    return sorted(path.name for path in pdf.parent.glob(f"{prefix.name}-*.jpg"))


def _described(slot) -> dict:
    """An item of the ranking as the author knows it: its kind, id, tier and first words."""
    kind, item_id = slot.key
    return {"kind": kind, "id": item_id, "tier": slot.tier, "text": slot.title[:120]}


if __name__ == "__main__":
    signals.install_in_worker()  # before the heavy imports, which are in the functions above
    try:
        sys.exit(main(sys.argv[1:]))
    except signals.Stopped as stop:  # stale: the server asked it to stop, and says nothing of it
        sys.exit(stop.status)
