"""batch/forked.py: the fork workers `check` uses, without multiprocessing."""

from __future__ import annotations

import os
import sys
import time

import pytest

from profilecheck.batch import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")


def _echo(conn):
    while (message := conn.recv()) is not None:
        conn.send(("echo", message))


def test_a_forked_worker_answers_over_its_pipe_and_ends_when_told():
    parent, child = forked.Pipe()
    process = forked.Process(target=_echo, args=(child,))
    process.start()
    child.close()
    big = "x" * 300_000  # more than a pipe holds at once
    parent.send(big)
    assert forked.wait([parent, process.sentinel], timeout=30) == [parent]
    assert parent.recv() == ("echo", big)
    parent.send(None)
    process.join(timeout=30)
    assert process.exitcode == 0 and not process.is_alive()
    parent.close()


def test_a_crash_and_a_kill_are_told_by_the_exit_code_and_the_sentinel():
    crash = forked.Process(target=os._exit, args=(3,))
    crash.start()
    assert forked.wait([crash.sentinel], timeout=30) == [crash.sentinel]
    crash.join()
    assert crash.exitcode == 3

    sleeper = forked.Process(target=time.sleep, args=(60,))
    sleeper.start()
    assert forked.wait([sleeper.sentinel], timeout=0.05) == []
    assert sleeper.is_alive()
    sleeper.kill()
    sleeper.join()
    assert sleeper.exitcode == -9


def test_a_dead_worker_is_an_end_of_file_not_a_hang():
    parent, child = forked.Pipe()
    process = forked.Process(target=sys.exit, args=(0,))
    process.start()
    child.close()
    process.join(timeout=30)
    assert parent.poll(5)
    with pytest.raises(EOFError):
        parent.recv()
    parent.close()
