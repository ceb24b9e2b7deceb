"""Run the independent parts of a build at once, in forked worker processes.

Forked, not spawned: a worker starts as a copy of the build, the guide already
loaded, so the work to do is inherited rather than pickled; only its result
travels back, through a pipe. Where forking does not pay (one job, one core)
or is not safe (not Linux, other threads running, a daemonic process), the
same calls run one after the other in this process: the artifacts are the same
bytes either way.

Stopping is the build's job (build/signals.py says how): workers ignore Ctrl-C;
when the build is interrupted, or one call fails, it sends the workers still
running SIGTERM, on which they unwind and remove their temporary files, and
waits for them. A worker whose build is killed outright dies with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import NoReturn, TypeVar

from exporter.build import signals

T = TypeVar("T")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_in_worker = False  # one level of workers: a worker runs its own calls one after the other


def forking_pays(jobs: int) -> bool:
    # A daemonic process (a multiprocessing pool's worker) may not have children.
    return (jobs > 1 and cores() > 1 and sys.platform.startswith("linux") and not _in_worker
            and threading.active_count() == 1 and not multiprocessing.current_process().daemon)


def results_of(calls: Sequence[Callable[[], T]]) -> Iterator[T]:
    """Each call's result, in the calls' order, as soon as it and those before it are done.

    At most one worker per core; the calls start in the order given. An
    exception in a call is raised here, after the other workers are stopped.
    """
    if not forking_pays(len(calls)):
        for call in calls:
            yield call()
        return
    # What exists now lives as long as the workers: their collector need not walk it
    # again and again (a layout makes many objects), nor copy its pages.
    gc.freeze()
    try:
        yield from _forked(calls, min(len(calls), cores()))
    finally:
        gc.unfreeze()  # the workers are gone: a longer-lived caller collects as before


class _Worker:
    def __init__(self, index: int, call: Callable[[], object], held: signals.deferred):
        """Fork the worker; the caller holds the signals back (`held`) until it is recorded."""
        self.index = index
        read_end, write_end = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read_end)
            _work(call, write_end, parent, held)  # never returns
        os.close(write_end)
        self.pipe = read_end
        self.received: list[bytes] = []

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)

    def end(self) -> int:
        """Wait for the worker to end; its exit status."""
        os.close(self.pipe)
        return os.waitpid(self.pid, 0)[1]

    def outcome(self) -> tuple[bool, object]:
        """Once its pipe is at its end: (True, result) or (False, exception)."""
        status = self.end()
        if self.received:
            return pickle.loads(b"".join(self.received))
        return False, RuntimeError(f"a worker process ended without a result (status {status})")


def _forked(calls: Sequence[Callable[[], T]], width: int) -> Iterator[T]:
    waiting = list(enumerate(calls))[::-1]
    running: dict[int, _Worker] = {}  # by pipe
    finished: dict[int, tuple[bool, object]] = {}  # by index
    try:
        for index in range(len(calls)):
            while index not in finished:
                while waiting and len(running) < width:
                    # A signal during the fork would land in the fork hooks of either side (and print
                    # "Exception ignored"), or in the child before its handlers are set: held back.
                    with signals.deferred() as held:
                        worker = _Worker(*waiting.pop(), held)
                        running[worker.pipe] = worker
                readable, _, _ = select.select(list(running), [], [])
                for pipe in readable:
                    chunk = os.read(pipe, 1 << 16)
                    if chunk:
                        running[pipe].received.append(chunk)
                    else:  # the worker closed its end: its result is complete
                        worker = running.pop(pipe)
                        ok, value = finished[worker.index] = worker.outcome()
                        if not ok:
                            raise value  # at once: the finally below stops the others
            yield finished.pop(index)[1]
    finally:
        with signals.deferred():  # a Ctrl-C now must not leave workers unwaited for
            for worker in running.values():
                worker.stop()
            for worker in running.values():
                worker.end()


def _work(call: Callable[[], object], pipe: int, parent: int, held: signals.deferred) -> NoReturn:
    """In the worker: run the call, send back its result or its exception, and exit."""
    global _in_worker
    status = 0
    try:
        _in_worker = True
        signals.install_in_worker()
        held.release()  # a Ctrl-C or SIGTERM that came meanwhile lands now, on the worker's handlers
        die_with_parent(parent)
        try:
            outcome = (True, call())
        except BaseException as error:  # noqa: BLE001  # raised again in the build
            outcome = (False, error)
        try:
            data = pickle.dumps(outcome)
        except Exception:  # an exception that cannot travel: send its words
            data = pickle.dumps((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
        with open(pipe, "wb") as out:
            out.write(data)
    except BaseException:  # noqa: BLE001
        status = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)


def die_with_parent(parent_pid: int) -> None:
    """Make a worker process end as soon as the build that forked it ends.

    Otherwise a worker of a killed build would write on, into a temporary
    file the next build has already cleaned up. Linux only; elsewhere a no-op.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    PR_SET_PDEATHSIG = 1
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)
