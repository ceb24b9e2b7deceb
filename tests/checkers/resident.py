"""A checker kept running for many requests: one process per test process (so
one per xdist worker), started on first use and ended when the test process
ends. Starting the Java VM and loading EPUBCheck, or Node, Ace and Chromium,
costs more than checking one of our books, and the suite checks dozens.

The protocol (EpubCheckBatch.java, ace_batch.js): a request is one line, its
arguments separated by NUL characters; the answer is one line
"<status> <byte count>" followed by that many bytes of UTF-8 text.
"""

from __future__ import annotations

import atexit
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence


class CheckerDied(RuntimeError):
    """The checker process ended, or did not answer in time, before answering."""


class Resident:
    def __init__(self, name: str, command: Callable[[], list[str]], env: Callable[[], dict[str, str]] | None = None):
        """`command` and `env` are asked for when the process starts, not before: a test
        process that checks no book needs no Java, no Node and no EPUBCheck package."""
        self.name, self.command, self.env = name, command, env
        self._process: subprocess.Popen | None = None
        self._errors = None  # the process's own stderr, kept in a file: only read when it dies
        self._lock = threading.Lock()
        atexit.register(self.close)

    def ask(self, args: Sequence[str], timeout: float = 600) -> tuple[int, str]:
        """Send one request and wait for its answer; a process that died before is started again."""
        line = "\0".join(args)
        if "\n" in line:
            raise ValueError(f"{self.name}: a request cannot hold a line break: {line!r}")
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            process = self._process
            # A checker that hangs is ended, so that the read below returns.
            expired = threading.Event()

            def expire():
                expired.set()
                process.kill()

            watchdog = threading.Timer(timeout, expire)
            watchdog.start()
            try:
                process.stdin.write(line.encode("utf-8") + b"\n")
                process.stdin.flush()
                header = process.stdout.readline().split()
                if len(header) != 2:
                    raise CheckerDied(self._death(timeout, expired))
                status, size = int(header[0]), int(header[1])
                body = process.stdout.read(size)
                if len(body) != size:
                    raise CheckerDied(self._death(timeout, expired))
            except BrokenPipeError:
                raise CheckerDied(self._death(timeout, expired)) from None
            finally:
                watchdog.cancel()
        return status, body.decode("utf-8", errors="replace")

    def _start(self) -> None:
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._errors, env=self.env() if self.env else None)

    def _death(self, timeout: float, expired: threading.Event) -> str:
        process = self._process
        process.kill()
        process.wait()
        self._process = None
        if expired.is_set():
            return f"{self.name} did not answer within {timeout:g} s"
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", errors="replace").strip()
        return f"{self.name} ended (exit {process.returncode}) before answering: {said[-500:]}"

    def close(self) -> None:
        """End the process: EOF on its input, then wait for it to close what it opened (Chromium)."""
        with self._lock:
            process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.stdin.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
