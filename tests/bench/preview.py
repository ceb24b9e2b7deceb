"""Save-to-page latency of `studyguide serve`, for `make bench`.

Two measures of the same saves of a copy of a guide (each renames one concept,
as an editor saves: a new file renamed over the old), each save made once the
preview is idle, its next sheet job ready, as between an author's saves:

- in this process, with the preview's own session and watcher and no HTTP:
  from the save to the state announcing the rebuilt cards and book, then the
  rebuilt sheets (which lay out in a process of their own, so this process
  never imports WeasyPrint: checked);
- through the real server and headless Chromium: from the save to the new
  term on a card and in the book's page, then to the new sheet's images.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

_TERM = re.compile(r"^(?P<indent>\s+)term: (?P<term>.+)$", re.MULTILINE)
WAIT = 300  # seconds: a generous limit on a busy machine; the figures are what counts


def _copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / source.name
    shutil.copy(source, copy)
    ledger = source.with_name(source.stem + ".releases.json")
    if ledger.exists():
        shutil.copy(ledger, folder / ledger.name)
    return copy


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _edited(text: str, number: int) -> tuple[str, str]:
    """The text with its first concept's term renamed, and the new term."""
    match = _TERM.search(text)
    term = f"{match['term']} edit {number}"
    return text[:match.start()] + f"{match['indent']}term: {term}" + text[match.end():], term


def in_process(source: Path, scratch: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from each save to the cards and book, and to the sheets, announced in this process."""
    return asyncio.run(_in_process(_copy(source, scratch / "in-process"), scratch / "in-process-preview", runs))


async def _in_process(copy: Path, folder: Path, runs: int) -> tuple[list[float], list[float]]:
    from exporter.preview.session import Session
    from exporter.preview.watcher import watch

    folder.mkdir()
    session = Session(copy, folder, print_line=lambda line: None)
    changes = session.subscribe()
    tasks = [asyncio.create_task(session.run()), asyncio.create_task(watch(session))]

    async def until(condition) -> dict:
        while True:
            state = await asyncio.wait_for(changes.get(), WAIT)
            if condition(state):
                return state

    try:
        await until(lambda state: state["sheet"] is not None)  # the first build, cold
        text = copy.read_text(encoding="utf-8")
        cards_and_book, sheets = [], []
        for number in range(runs):
            if not session.state["sheet_job_ready"]:
                await until(lambda state: state["sheet_job_ready"])
            last = session.state["build"]["number"]
            started = time.perf_counter()
            _save(copy, _edited(text, number)[0])
            state = await until(lambda state, last=last: state["build"] and state["build"]["number"] > last)
            cards_and_book.append(time.perf_counter() - started)
            built = state["build"]["number"]
            await until(lambda state, built=built: state["sheet"] and state["sheet"]["number"] == built)
            sheets.append(time.perf_counter() - started)
        assert "weasyprint" not in sys.modules, "the preview's process imported WeasyPrint"
        return cards_and_book, sheets
    finally:
        await session.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def in_browser(source: Path, scratch: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds from each save to the new term on a card, in the book's page, and to the new sheets' images."""
    from playwright.sync_api import sync_playwright

    from ..integration.test_preview import CHROMIUM, CHROMIUM_ARGS
    from ..preview_server import PreviewServer

    copy = _copy(source, scratch / "in-browser")
    server = PreviewServer(copy, copy.parent)
    try:
        server.wait_for(r"^build 1: cheat sheets in ", WAIT)
        text = copy.read_text(encoding="utf-8")
        cards, book, sheets = [], [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server.url)
            page.wait_for_function("document.body.dataset.sheet === '1'", timeout=WAIT * 1000)
            page.click("nav#views a[data-view=book]")
            page.click("#chapters a >> nth=8")  # the first domain's chapter, where the first concept is
            for number in range(runs):
                content, term = _edited(text, number)
                page.wait_for_function("document.body.dataset.sheetJob === 'ready'", timeout=WAIT * 1000)
                build = int(page.evaluate("document.body.dataset.build"))
                started = time.perf_counter()
                _save(copy, content)
                page.wait_for_function(
                    "([term, build]) => Number(document.body.dataset.build) > build && "
                    "[...document.querySelectorAll('#card-list .screen')].some(s => s.shadowRoot.textContent.includes(term))",
                    arg=[term, build], timeout=WAIT * 1000, polling="raf")
                cards.append(time.perf_counter() - started)
                page.frame_locator("#book-frame").get_by_text(term).first.wait_for(timeout=WAIT * 1000)
                book.append(time.perf_counter() - started)
                page.wait_for_function("build => document.body.dataset.sheet === String(build)",
                                       arg=build + 1, timeout=WAIT * 1000)
                sheets.append(time.perf_counter() - started)
            browser.close()
        return cards, book, sheets
    finally:
        server.stop()


def report(source: Path, scratch: Path, runs: int, sheet_alone: float) -> tuple[list[str], list[tuple[str, bool, str]]]:
    """The benchmark's rows and goals: `sheet_alone` is the median of `build --format pdf` in the same run."""
    cards_and_book, sheets = in_process(source, scratch, runs)
    page_cards, page_book, page_sheets = in_browser(source, scratch, runs)
    rows = []
    for label, seconds in (("in process: save to cards and book announced", cards_and_book),
                           ("in process: save to sheets announced", sheets),
                           ("in Chromium: save to the new text on a card", page_cards),
                           ("in Chromium: save to the new text in the book", page_book),
                           ("in Chromium: save to the new sheets' pages", page_sheets)):
        row = (f"| preview of {source.stem}, {label} | {statistics.median(seconds):.2f} s "
               f"| {min(seconds):.2f}–{max(seconds):.2f} s | – | – |")
        print(row, flush=True)
        rows.append(row)
    goals = [(f"preview of {source.stem}: save to the {label} on the page ≤ 1 s", statistics.median(seconds) <= 1.0,
              f"{statistics.median(seconds):.2f} s") for label, seconds in (("cards", page_cards), ("book", page_book))]
    ratio = statistics.median(page_sheets) / sheet_alone
    goals.append((f"preview of {source.stem}: save to the sheets on the page within `build --format pdf`'s time",
                  ratio <= 1.0, f"{ratio:.2f}× ({statistics.median(page_sheets):.2f} s against {sheet_alone:.2f} s)"))
    return rows, goals
