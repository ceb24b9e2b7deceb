"""The preview's cheat sheets, in a process of their own: `python -m exporter.preview.sheet_job SOURCE FOLDER`.

Like the build: the same loader and exporter, both papers side by side in
forked workers (`workers.py`), stopped cleanly by SIGTERM (`signals.py`),
which the server sends when a newer save makes this sheet stale. Writes into
FOLDER each paper's PDF, its pages as PNG images when poppler's `pdftoppm`
is installed, and `sheet.json`: per paper, the files and what the fill put
on the sheet and left out, in rank order. Problems of the source go into
`sheet.json` too; the exit status is 0 whenever `sheet.json` was written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from exporter.build import signals

SHEET_FILE = "sheet.json"
PAGE_RESOLUTION = 80  # dots per inch of the page images: an A4 page is 660 pixels wide


def main(argv: list[str]) -> int:
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


def _papers(source: Path, folder: Path) -> list[dict]:
    import functools

    from exporter.build import registry, workers
    from exporter.source.loader import load_guide
    from exporter.text import i18n

    guide = load_guide(source, root=source.parent)
    i18n.prepare(guide)
    exporter = registry.EXPORTERS["pdf"]
    exporter.load()  # once, before the workers fork
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
    subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_RESOLUTION), str(pdf), str(prefix)], check=True)
    return sorted(path.name for path in pdf.parent.glob(f"{prefix.name}-*.png"))


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
