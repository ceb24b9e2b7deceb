"""Forked workers: results in order, nested runs, errors carried back."""

from __future__ import annotations

import functools
import os
import sys
import time

import pytest

from exporter.build import workers

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")


@pytest.fixture(autouse=True)
def forking(monkeypatch):
    """Fork for every run of two calls or more, even on one core or beside a test runner's thread."""
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value


def _inner_run(value: int) -> list[tuple[int, int]]:
    """A call that runs calls of its own."""
    return [(os.getpid(), pid_and_value) for pid_and_value in
            workers.results_of([functools.partial(_pid_and, value * 10 + k) for k in range(2)])]


def _fail() -> None:
    raise ValueError("this call fails")


def _sleep() -> int:
    time.sleep(60)
    return 1


class _Untravelled(Exception):
    """An exception that cannot be pickled (it holds a function made on the spot)."""

    def __init__(self):
        super().__init__("cannot travel")
        self.callback = lambda: None


def _fail_untravelled() -> None:
    raise _Untravelled()


def test_results_come_in_order_from_other_processes():
    calls = [functools.partial(_pid_and, k) for k in range(5)]
    results = list(workers.results_of(calls))
    assert [value for _, value in results] == list(range(5))
    assert os.getpid() not in {pid for pid, _ in results}


def test_one_level_of_workers_a_worker_runs_its_own_calls_itself():
    # More calls than workers; each worker's own calls run in that worker, not in workers of its own.
    calls = [functools.partial(_inner_run, k) for k in range(2 * workers.cores() + 1)]
    results = list(workers.results_of(calls))
    assert [[value for _, (_, value) in inner] for inner in results] == [[k * 10, k * 10 + 1] for k in range(len(calls))]
    assert all(worker == pid for inner in results for worker, (pid, _) in inner)
    assert os.getpid() not in {worker for inner in results for worker, _ in inner}


def test_an_error_reaches_the_caller():
    with pytest.raises(ValueError, match="this call fails"):
        list(workers.results_of([functools.partial(_pid_and, 1), _fail]))


def test_a_failing_call_stops_the_others_at_once():
    started = time.monotonic()
    with pytest.raises(ValueError, match="this call fails"):
        list(workers.results_of([_sleep, _fail]))
    assert time.monotonic() - started < 30, "the sleeping worker was stopped, not waited for"


def test_an_exception_that_cannot_be_pickled_still_reaches_the_caller_in_words():
    with pytest.raises(RuntimeError, match="_Untravelled: cannot travel"):
        list(workers.results_of([functools.partial(_pid_and, 1), _fail_untravelled]))


def test_a_single_call_runs_here():
    assert list(workers.results_of([functools.partial(_pid_and, 7)])) == [(os.getpid(), 7)]
