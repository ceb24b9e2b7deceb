"""Ctrl-C and SIGTERM: how the build and its workers stop. Decided here only.

The command line installs these handlers with its very first statement
(`exporter/__main__.py`), before any heavy import, so a signal at any moment
of a build unwinds the same way: temporary files are removed on the way out
(see `output.atomic_output`), one line says what happened, and the exit
status is 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM).
Standard library only, so that importing it costs nothing.

A signal that lands before the interpreter has run that first statement
ends the process the operating system's way: killed by that signal, which a
shell reports as the same 130 or 143, with nothing written yet.

Workers (see `build/workers.py`) ignore Ctrl-C, which a terminal sends to the
whole process group: stopping them is the build's job, by SIGTERM, which in
a worker unwinds just as in the build.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable

STOPPING = (signal.SIGINT, signal.SIGTERM)
MESSAGES = {
    signal.SIGINT: "interrupted; artifacts already in place were left as they were.",
    signal.SIGTERM: "terminated; artifacts already in place were left as they were.",
}


def describe_stop(messages: dict[int, str]) -> None:
    """For a command whose stop means something else than a build's (the preview server): its lines."""
    MESSAGES.update(messages)


class Stopped(BaseException):
    """Raised where the program was when a stopping signal arrived.

    A BaseException, like KeyboardInterrupt: `except Exception` does not
    swallow it, `finally` and context managers run on the way out.
    """

    def __init__(self, signal_number: int):
        super().__init__(signal_number)  # the number alone, so that it pickles (a worker sends it back)
        self.signal_number = signal_number

    @property
    def status(self) -> int:
        return 128 + self.signal_number

    @property
    def message(self) -> str:
        return MESSAGES[self.signal_number]


def _stop(signal_number: int, frame) -> None:
    # Once only: a second Ctrl-C must not cut short the removal of temporary files.
    for number in STOPPING:
        signal.signal(number, signal.SIG_IGN)
    raise Stopped(signal_number)


def install() -> None:
    """In the build's process: Ctrl-C and SIGTERM raise `Stopped`."""
    for number in STOPPING:
        signal.signal(number, _stop)


def install_in_worker() -> None:
    """In a forked worker: Ctrl-C is the build's to handle; SIGTERM (from the build) raises `Stopped`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


class deferred:
    """Hold Ctrl-C and SIGTERM back until the block is done (cleanup that must finish).

    Also around a fork: the child starts with them held, and lets them through
    (`release`) only once its own handlers are in place.
    """

    def __enter__(self) -> deferred:
        self.previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        return self

    def __exit__(self, *exception) -> None:
        self.release()

    def release(self) -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, self.previous)


def run_stoppable(command: Callable[[], int]) -> int:
    """Run the command line with the handlers installed first, before its heavy imports.

    A stopping signal becomes one line and 128 + its number. Python's own
    KeyboardInterrupt counts too: it is what a Ctrl-C raises in the moment
    before `install()` has run.
    """
    try:
        install()
        return command()
    except (Stopped, KeyboardInterrupt) as stop:
        stopped = stop if isinstance(stop, Stopped) else Stopped(signal.SIGINT)
        _say(stopped.message)
        return stopped.status


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # a closed or broken stderr: the exit status still tells
        pass
