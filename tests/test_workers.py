"""Forked workers: results in order, nested runs, errors carried back."""

from __future__ import annotations

import functools
import os

import pytest

from exporter import workers

pytestmark = pytest.mark.skipif(not workers.forking_pays(2), reason="needs fork and two cores")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value


def _inner_run(value: int) -> list[int]:
    """A call that runs calls of its own, as the cheat sheet does for its two papers."""
    return [result for _, result in workers.results_of([functools.partial(_pid_and, value * 10 + k) for k in range(2)])]


def _fail() -> None:
    raise ValueError("this call fails")


def test_results_come_in_order_from_other_processes():
    calls = [functools.partial(_pid_and, k) for k in range(5)]
    results = list(workers.results_of(calls))
    assert [value for _, value in results] == list(range(5))
    assert os.getpid() not in {pid for pid, _ in results}


def test_a_worker_may_run_calls_of_its_own_and_then_take_the_next_call():
    # More calls than workers: a worker that ran a nested run must still find its parent's calls.
    calls = [functools.partial(_inner_run, k) for k in range(2 * workers.cores() + 1)]
    assert list(workers.results_of(calls)) == [[k * 10, k * 10 + 1] for k in range(len(calls))]


def test_an_error_reaches_the_caller():
    with pytest.raises(ValueError, match="this call fails"):
        list(workers.results_of([functools.partial(_pid_and, 1), _fail]))


def test_a_single_call_runs_here():
    assert list(workers.results_of([functools.partial(_pid_and, 7)])) == [(os.getpid(), 7)]
