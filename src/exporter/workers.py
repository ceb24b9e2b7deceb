"""Run the independent parts of a build at once, in forked worker processes.

Forked, not spawned: a worker starts as a copy of the build, the guide already
loaded, so the work to do is inherited rather than pickled; only results travel
back. Each worker dies with the build that forked it. Where forking does not
pay (one job, one core) or is not safe (no fork, other threads running), the
same calls run one after the other in this process: the artifacts are the
same bytes either way.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# The calls of each running `results_of`, for its workers: inherited through fork.
# Keyed by run, since a worker may start a run of its own (the cheat sheet's two
# papers) and then take the next call of its parent's run.
_CALLS: dict[int, Sequence[Callable[[], object]]] = {}


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def forking_pays(jobs: int) -> bool:
    # A daemonic process (a multiprocessing pool's worker) may not have children.
    return (jobs > 1 and cores() > 1 and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1 and not multiprocessing.current_process().daemon)


def results_of(calls: Sequence[Callable[[], T]]) -> Iterator[T]:
    """Each call's result, in the calls' order, as soon as it and those before it are done.

    At most one worker per core; the calls start in the order given.
    """
    if not forking_pays(len(calls)):
        for call in calls:
            yield call()
        return
    run = id(calls)
    _CALLS[run] = calls
    # What exists now lives as long as the workers: their collector need not walk it
    # again and again (a layout makes many objects), nor copy its pages.
    gc.freeze()
    try:
        with ProcessPoolExecutor(min(len(calls), cores()), mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_call, run, index) for index in range(len(calls))]
            for future in futures:
                yield future.result()
    finally:
        del _CALLS[run]
        gc.unfreeze()  # the workers are gone: a longer-lived caller collects as before


def _call(run: int, index: int) -> object:
    return _CALLS[run][index]()


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
