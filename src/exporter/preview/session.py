"""The preview's state: the last good build beside the current problems, rebuilt on each save.

One build at a time. Saves that arrive during a build coalesce into one
more build after it. A save that breaks the source keeps the last good
cards, book and sheet, and shows its problems beside them; the next good
save replaces both. The cards and the book are built in a thread of this
process; beside them, the sheet, in a process of its own (`sheet_job`), kept
ready with its imports done, which a newer save stops, since its sheet would
be stale before it was shown. The sheet is shown only once the cards and book
of the same save are: a save that breaks the source keeps the last good one.
Every change of the state goes to the open pages (`subscribe`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import signal
import sys
import time
from pathlib import Path

from exporter.preview.builds import Outcome, fast_build
from exporter.preview.sheet_job import READY, READY_LINE, SHEET_FILE

KEPT_BUILDS = 2  # the current build and the one before, which a page may still be reading


class Session:
    def __init__(self, source: Path, folder: Path, print_line=print):
        self.source, self.folder, self.print_line = source, folder, print_line
        self.state: dict = {
            "source": str(source), "version": 0,
            "status": "building",  # building, ready (the preview shows the source as saved), broken
            "problems": [], "findings": [], "notes": [],
            "build": None,  # the last good cards and book
            "sheet_status": "waiting",  # waiting, building, ready, failed
            "sheet_problems": [],
            "sheet": None,  # the last good sheets
            "sheet_job_ready": False,  # a sheet job waits, warmed up: the next save's sheet starts at once
        }
        self.watched: list[Path] = [source]
        self.language = "en"  # the guide's, as last loaded: what the ready sheet job warms up for
        self._numbers = itertools.count(1)
        self._wanted = asyncio.Event()
        self._listeners: set[asyncio.Queue] = set()
        self._sheet_task: asyncio.Task | None = None
        self._sheet_process: asyncio.subprocess.Process | None = None
        self._ready_process: asyncio.subprocess.Process | None = None  # a sheet job waiting for its source
        self._ready_task: asyncio.Task | None = None
        self.closed = asyncio.Event()

    # --- the open pages --------------------------------------------------------------------

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._listeners.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._listeners.discard(queue)

    def _publish(self, **changes) -> None:
        self.state.update(changes, version=self.state["version"] + 1)
        snapshot = json.loads(json.dumps(self.state))
        for queue in self._listeners:
            queue.put_nowait(snapshot)

    # --- builds ----------------------------------------------------------------------------

    def request(self) -> None:
        """A save: build again, after the build under way if there is one."""
        self._wanted.set()

    async def run(self) -> None:
        """Build now, then once after each batch of saves."""
        self.request()
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            await self._build()

    async def _build(self) -> None:
        number = next(self._numbers)
        self._stop_sheet()  # a sheet under way is of an older save: whatever this one gives, it is stale
        started = time.perf_counter()
        built = asyncio.get_running_loop().create_future()  # whether this save's cards and book were built
        self._sheet_task = asyncio.create_task(self._sheet(number, built))
        self._publish(status="building", sheet_status="building", sheet_problems=[])
        try:
            outcome: Outcome = await asyncio.to_thread(fast_build, self.source, self.folder / f"build-{number}")
        except BaseException:
            built.set_result(False)
            raise
        seconds = time.perf_counter() - started
        self.watched = outcome.watched
        self.language = outcome.language or self.language
        common = {"findings": outcome.findings, "notes": outcome.notes, "problems": outcome.problems}
        if outcome.manifest is None:
            built.set_result(False)
            self._stop_sheet()  # the last good sheet stays, as the last good cards and book do
            self._publish(sheet_status="ready" if self.state["sheet"] else "waiting")
            self._keep_one_ready()
            shutil.rmtree(self.folder / f"build-{number}", ignore_errors=True)
            count = len(outcome.problems)
            kept = "; the page keeps the last good preview" if self.state["build"] else ""
            for problem in outcome.problems:
                self.print_line(problem)
            self.print_line(f"{count} problem{'s' if count != 1 else ''} in {self.source}{kept}.")
            self._publish(status="broken", **common)
            return
        build = {"number": number, "base": f"files/build-{number}/", "seconds": round(seconds, 3), **outcome.manifest}
        self._publish(status="ready", build=build, **common)
        built.set_result(True)
        self.print_line(f"build {number}: cards and book in {seconds:.2f} s")
        self._remove_old("build-", number)

    async def _sheet_job(self) -> asyncio.subprocess.Process:
        """A sheet job that has imported what it needs and waits for its source on its input."""
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "exporter.preview.sheet_job", READY, self.language,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            start_new_session=True)  # a Ctrl-C in the terminal is the server's to handle

    def _keep_one_ready(self) -> None:
        """Start the next sheet job now, while nothing is being built, so that it is ready for the next save."""
        if self._ready_process is None and not self.closed.is_set():
            self._ready_task = asyncio.create_task(self._make_ready())

    async def _make_ready(self) -> None:
        process = await self._sheet_job()
        if self.closed.is_set() or self._ready_process is not None:
            process.kill()
            await process.communicate()  # its pipes closed too, not left to the garbage collector
            return
        self._ready_process = process  # a save now gives it its job, which it starts once warmed up
        if (await process.stdout.readline()).decode().strip() == READY_LINE and self._ready_process is process:
            self._publish(sheet_job_ready=True)

    async def _sheet(self, number: int, built: asyncio.Future) -> None:
        folder = self.folder / f"sheet-{number}"
        started = time.perf_counter()
        process, self._ready_process = self._ready_process, None
        if process is not None and self._ready_task is not None and not self._ready_task.done():
            self._ready_task.cancel()  # it waits for the ready line on the output this job now reads
            await asyncio.gather(self._ready_task, return_exceptions=True)
        if self.state["sheet_job_ready"]:
            self._publish(sheet_job_ready=False)
        if process is None or process.returncode is not None:
            process = await self._sheet_job()
        self._sheet_process = process
        try:
            job = json.dumps([str(self.source), str(folder)]) + "\n"
            _, errors = await process.communicate(job.encode())
            seconds = time.perf_counter() - started
            if not await built:  # the cards and book of this save failed: they say why
                shutil.rmtree(folder, ignore_errors=True)
                return
        except asyncio.CancelledError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            self._sheet_process = None
        self._keep_one_ready()
        if process.returncode != 0 or not (folder / SHEET_FILE).is_file():
            last = (errors.decode(errors="replace").strip().splitlines() or ["(no message)"])[-1]
            self._publish(sheet_status="failed", sheet_problems=[f"error: the cheat sheet's build failed: {last}"])
            return
        result = json.loads((folder / SHEET_FILE).read_text(encoding="utf-8"))
        if "papers" not in result:
            self._publish(sheet_status="failed", sheet_problems=result.get("problems") or [
                f"error: building the cheat sheet failed: {result.get('error')}. The guide is valid, so this is "
                "a bug in the compiler: please report it with this line"])
            return
        sheet = {"number": number, "base": f"files/sheet-{number}/", "seconds": round(seconds, 3),
                 "papers": result["papers"]}
        self._publish(sheet_status="ready", sheet=sheet, sheet_problems=[])
        self.print_line(f"build {number}: cheat sheets in {seconds:.2f} s")
        self._remove_old("sheet-", number)

    def _stop_sheet(self) -> None:
        if self._sheet_task is None or self._sheet_task.done():
            return
        if self._sheet_process and self._sheet_process.returncode is None:
            self._sheet_process.send_signal(signal.SIGTERM)  # it unwinds like a build and removes its files
        if self._sheet_task:
            self._sheet_task.cancel()

    def _remove_old(self, prefix: str, number: int) -> None:
        for folder in self.folder.glob(f"{prefix}*"):
            suffix = folder.name.removeprefix(prefix)
            if suffix.isdigit() and int(suffix) <= number - KEPT_BUILDS:
                shutil.rmtree(folder, ignore_errors=True)

    async def close(self) -> None:
        """Stop the sheet's build, if one is under way, and the ready sheet job; wait for both to end."""
        self.closed.set()
        if self._ready_task is not None:
            self._ready_task.cancel()
            await asyncio.gather(self._ready_task, return_exceptions=True)
        process, ready, self._ready_process = self._sheet_process, self._ready_process, None
        self._stop_sheet()
        if ready and ready.returncode is None:
            ready.kill()  # it has started nothing yet
            await ready.communicate()
        if process and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
