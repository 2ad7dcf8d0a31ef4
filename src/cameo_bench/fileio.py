"""Durable file writes: whole files atomically (temp + fsync + rename), lines appended with fsync.

Every artifact cameo-bench writes goes through these functions, so a crash or ``kill -9``
leaves either the old file or the new one, and an appended log loses at most a torn last line;
:func:`exclusive_lock` keeps a second writer out of a folder while the first one works.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cameo_bench.errors import BusyError

__all__ = ["append_synced", "atomic_write", "exclusive_lock"]


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path`` (same folder), so
    readers see the old file or the complete new one, never a partial one. Returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def append_synced(path: str | Path, text: str) -> None:
    """Append ``text`` (UTF-8) to ``path`` and flush + fsync before returning, so a crash loses
    no line written before; empty ``text`` writes nothing."""
    if not text:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


@contextmanager
def exclusive_lock(path: str | Path, what: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold an OS lock (``flock``) on ``path`` for the life of the block, so one writer at a
    time works on ``what`` (e.g. "run folder runs/x"). The lock file records its holder (pid,
    host, command); the OS releases the lock when the holder exits, even by ``kill -9``.

    A second caller waits up to ``wait`` seconds, then raises :class:`BusyError` naming the
    holder. The lock file itself is left in place (removing it would race with a waiter).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(f"{what} is in use by {_holder(path)}; wait for it to "
                                    "finish (or stop it), then rerun") from None
                time.sleep(0.05)
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "command": " ".join(sys.argv)[:300]}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder) + "\n").encode("utf-8"), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def _holder(path: Path) -> str:
    """``pid N on HOST (COMMAND)`` from a lock file, or ``another process``."""
    try:
        h = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {h['pid']} on {h['host']} ({h['command']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"
