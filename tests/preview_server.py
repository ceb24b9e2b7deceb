"""A `studyguide serve` running in a child process, for the preview's tests: its lines, as they come."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# Waits are on events (a line, a page condition), with limits generous enough for a busy machine.
LINE_WAIT = 120


class PreviewServer:
    def __init__(self, source: Path, cwd: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "exporter", "serve", str(source), "--port", "0", *args],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self.wait_for(r"^serving the preview of .* at (http://\S+) ")
        self.url = re.search(r"http://\S+", first)[0]

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = LINE_WAIT) -> str:
        """The next line of the server's output that matches `pattern`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in {timeout} s; saw {self.seen}") from None
            self.seen.append(line)
            if re.search(pattern, line):
                return line

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C: the exit status and what it said on stderr."""
        self.process.send_signal(signal.SIGINT)
        _, errors = self.process.communicate(timeout=LINE_WAIT)
        return self.process.returncode, errors

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
