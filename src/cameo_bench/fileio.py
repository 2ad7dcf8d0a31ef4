"""Durable file writes: whole files atomically (temp + fsync + rename), lines appended with fsync.

Every artifact cameo-bench writes goes through these two functions, so a crash or ``kill -9``
leaves either the old file or the new one, and an appended log loses at most a torn last line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["append_synced", "atomic_write"]


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
