"""The checker kept running between books (tests/checkers/resident.py): it answers
each request in turn, and a checker that dies or hangs is reported, not waited for."""

from __future__ import annotations

import sys

import pytest

from ..checkers.resident import CheckerDied, Resident

# Speaks the protocol: answers each request with its arguments, reversed, and the
# status 7; "die" ends the process with a message on stderr, "hang" never answers.
FAKE_CHECKER = r"""
import sys, time
for line in sys.stdin.buffer:
    args = line.rstrip(b"\n").split(b"\0")
    if args == [b"die"]:
        sys.stderr.write("out of memory\n")
        sys.exit(9)
    if args == [b"hang"]:
        time.sleep(3600)
    body = b" ".join(reversed(args))
    sys.stdout.buffer.write(b"7 %d\n" % len(body) + body)
    sys.stdout.buffer.flush()
"""


@pytest.fixture
def checker():
    resident = Resident("Fake", lambda: [sys.executable, "-c", FAKE_CHECKER])
    yield resident
    resident.close()


def test_one_process_answers_every_request_in_turn(checker):
    assert checker.ask(["a", "b c", "dé"]) == (7, "dé b c a")
    first = checker._process.pid
    assert checker.ask(["x"]) == (7, "x")
    assert checker._process.pid == first


def test_a_checker_that_dies_is_reported_with_its_message_and_started_again(checker):
    with pytest.raises(CheckerDied, match=r"Fake ended \(exit 9\) before answering: out of memory"):
        checker.ask(["die"])
    assert checker.ask(["again"]) == (7, "again")


def test_a_checker_that_hangs_is_ended(checker):
    with pytest.raises(CheckerDied, match="Fake did not answer within 0.5 s"):
        checker.ask(["hang"], timeout=0.5)
    assert checker.ask(["after"]) == (7, "after")


def test_a_request_cannot_hold_a_line_break(checker):
    with pytest.raises(ValueError, match="line break"):
        checker.ask(["two\nlines"])
