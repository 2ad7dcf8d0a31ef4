"""Worker processes that never outlive their work: :func:`process_map`.

Each worker is a spawned process joined to the parent by its own pipe and given two tasks at a
time (it starts the next while the parent stores a result), so the parent decides everything:

- Ctrl-C: workers ignore SIGINT (a terminal sends it to the whole process group), so no worker
  dies half-way through a task; the parent polls its ``stop`` event and, once it is set,
  terminates the workers at once and yields nothing more.
- The parent dies (even by ``kill -9``): a waiting worker reads end-of-file from its pipe and a
  busy one fails to send its result, and either exits (within one task).
- A worker dies (out of memory, a crash): the parent raises a one-line :class:`CameoError`
  instead of waiting forever.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

from cameo_bench.errors import CameoError

__all__ = ["process_map"]

#: Seconds between two looks at the stop event while the workers are busy.
_POLL = 0.1
#: Seconds a terminated worker gets to exit before it is killed.
_GRACE = 2.0
#: Tasks sent ahead to each worker: it starts the next one while the caller handles a result.
_DEPTH = 2


def _serve(conn: Connection, fn: Callable[[Any], Any]) -> None:
    """A worker's life: answer tasks until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        try:
            reply = (True, fn(task))
        except Exception as exc:  # noqa: BLE001 (handed to the parent, which raises it)
            reply = (False, exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 (an unpicklable result or error)
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """While active, processes started inherit SIGINT ignored (Python keeps an ignored SIGINT
    at start-up), so a Ctrl-C during their start cannot kill them. SIGINT is blocked here
    meanwhile: one that arrives is delivered to this process's handler afterwards, not lost.
    Outside the main thread this does nothing (the worker ignores SIGINT once it runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _died(exitcode: int | None) -> CameoError:
    how = f"was killed by signal {-exitcode}" if exitcode and exitcode < 0 else \
        f"exited with code {exitcode}"
    return CameoError(f"a worker process {how} (out of memory?); rerun to resume, or use "
                      "fewer workers")


def process_map(fn: Callable[[Any], Any], tasks: Sequence[Any], workers: int,
                stop: threading.Event | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(i, fn(tasks[i]))`` for every task, in completion order, computed by ``workers``
    spawned processes (``fn`` must be importable by name).

    A task's exception is raised here; so is a :class:`CameoError` when a worker dies. Once
    ``stop`` is set, the workers are terminated within about a tenth of a second and the
    iteration ends early, without the tasks in flight. Closing the iterator or an exception in
    the caller terminates them too: none survives this call.
    """
    if not tasks:
        return
    ctx = multiprocessing.get_context("spawn")
    procs: list[Any] = []
    conns: list[Connection] = []
    try:
        with _children_ignore_sigint():
            for _ in range(max(1, min(workers, len(tasks)))):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(theirs, fn), daemon=True)
                proc.start()
                theirs.close()
                procs.append(proc)
                conns.append(mine)
        queue = iter(enumerate(tasks))
        busy: dict[Connection, deque[int]] = {conn: deque() for conn in conns}

        def give(conn: Connection) -> None:
            item = next(queue, None)
            if item is not None:
                conn.send(item[1])
                busy[conn].append(item[0])

        for _ in range(_DEPTH):
            for conn in conns:
                give(conn)
        owner = {proc.sentinel: conn for proc, conn in zip(procs, conns, strict=True)}
        while any(busy.values()):
            if stop is not None and stop.is_set():
                return
            working = [c for c, queued in busy.items() if queued]
            ready = wait([*working, *(s for s, c in owner.items() if c in working)],
                         timeout=_POLL)
            for conn in [r for r in ready if r in busy]:
                try:
                    ok, value = conn.recv()
                except (EOFError, OSError):
                    raise _died(procs[conns.index(conn)].exitcode) from None
                index = busy[conn].popleft()
                give(conn)
                if not ok:
                    raise value
                yield index, value
            for sentinel in [r for r in ready if r in owner]:
                conn = owner[sentinel]
                if busy[conn] and not conn.poll():
                    proc = procs[conns.index(conn)]
                    proc.join()
                    raise _died(proc.exitcode)
    finally:
        _stop_all(procs, conns)


def _stop_all(procs: list[Any], conns: list[Connection]) -> None:
    """Terminate the workers still running (SIGTERM, then SIGKILL after a grace period)."""
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(_GRACE)
        if proc.is_alive():
            proc.kill()
            proc.join()
    for conn in conns:
        conn.close()
