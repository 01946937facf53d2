"""Forked worker processes without `multiprocessing`: what `ProcessExecutor` uses with fork.

`check` (a pre-commit hook, one small file) forks one worker after the engine is built. Through
`multiprocessing` that costs its import (pickle, socket, the connection and process machinery:
10-20 ms) and its process bookkeeping; these few lines do the same with `os.fork` and two pipes:
`Pipe()`, `Process(...)` with `start`, `is_alive`, `join`, `kill`, `pid`, `exitcode` and a
`sentinel` that becomes readable when the process ends, and `wait` on connections and sentinels,
as `multiprocessing.get_context("fork")` and `multiprocessing.connection.wait` have them. A
message is a 4-byte length and a pickle. POSIX only (fork); spawn still uses multiprocessing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import struct
import sys
from collections.abc import Callable, Iterable
from typing import Any

HEADER = struct.Struct("!I")


class Connection:
    """One end of a duplex pipe: reads from `read_fd`, writes to `write_fd`."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd, self.write_fd = read_fd, write_fd

    def fileno(self) -> int:
        return self.read_fd

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        view = memoryview(HEADER.pack(len(data)) + data)
        while view:
            view = view[os.write(self.write_fd, view) :]

    def recv(self) -> Any:
        (size,) = HEADER.unpack(self._read(HEADER.size))
        return pickle.loads(self._read(size))

    def poll(self, timeout: float = 0.0) -> bool:
        return bool(wait([self.read_fd], timeout))

    def close(self) -> None:
        for fd in {self.read_fd, self.write_fd}:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.read_fd = self.write_fd = -1

    def _read(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = os.read(self.read_fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError("the other end closed the pipe")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


class Process:
    """A forked child running `target(*args)`, then leaving with `os._exit`."""

    def __init__(self, target: Callable, args: tuple = (), daemon: bool = True) -> None:
        self.target, self.args = target, args
        self.pid: int | None = None
        self.sentinel = -1
        self._code: int | None = None

    def start(self) -> None:
        ended, alive = os.pipe()  # `ended` reads EOF once the child (holding `alive`) is gone
        gc.freeze()  # the child's collections leave the inherited objects (and their pages) be
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid == 0:  # the child
            os.close(ended)
            os._exit(_run(self.target, self.args, closing=self.args))
        gc.unfreeze()
        os.close(alive)
        self.pid, self.sentinel = pid, ended

    @property
    def exitcode(self) -> int | None:
        self._reap(os.WNOHANG)
        return self._code

    def is_alive(self) -> bool:
        return self.pid is not None and self.exitcode is None

    def kill(self) -> None:
        if self.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def join(self, timeout: float | None = None) -> None:
        if self.pid is None or self._code is not None:
            return
        if timeout is not None and not wait([self.sentinel], timeout):
            return
        self._reap(0)

    def _reap(self, flags: int) -> None:
        if self.pid is None or self._code is not None:
            return
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:
            self._code = 1  # someone else reaped it; it is gone
            return
        if pid:
            self._code = os.waitstatus_to_exitcode(status)
            if self.sentinel >= 0:
                os.close(self.sentinel)
                self.sentinel = -1


def _run(target: Callable, args: tuple, closing: Iterable) -> int:
    """The child's whole life, as multiprocessing's bootstrap: stdin from /dev/null, the target,
    streams flushed; the exit code."""
    code = 0
    try:
        for arg in closing:  # the parent's ends of the pipes this child was given
            if isinstance(arg, Connection) and getattr(arg, "peer", None) is not None:
                arg.peer.close()
        try:
            sys.stdin.close()
            sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
        except (OSError, ValueError):
            pass
        target(*args)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
    return code


def Pipe() -> tuple[Connection, Connection]:
    """(parent end, child end) of a duplex pipe."""
    down_r, down_w = os.pipe()  # parent -> child
    up_r, up_w = os.pipe()  # child -> parent
    parent, child = Connection(up_r, down_w), Connection(down_r, up_w)
    child.peer = parent  # closed in the child once it runs
    return parent, child


def wait(handles: list, timeout: float | None = None) -> list:
    """The handles (connections or sentinel fds) ready to read, as multiprocessing's `wait`."""
    by_fd = {(h if isinstance(h, int) else h.fileno()): h for h in handles}
    by_fd.pop(-1, None)
    poller = select.poll()  # not select(): no limit on descriptor numbers (a long-lived server)
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    events = poller.poll(None if timeout is None else max(0.0, timeout) * 1000)
    return [by_fd[fd] for fd, _event in events if fd in by_fd]


class ForkContext:
    """What `ProcessExecutor` takes from `multiprocessing.get_context("fork")`."""

    Pipe = staticmethod(Pipe)
    Process = Process
