"""A random backend whose process dies (``os._exit``) on its first generate call, once per
flag file: what a worker that crashes mid-unit looks like. Each backend created logs its pid."""

from __future__ import annotations

import os
from pathlib import Path

from cameo_bench.backends.random import RandomBackend

__all__ = ["CrashOnceBackend", "create"]


class CrashOnceBackend(RandomBackend):
    """:class:`RandomBackend` that exits its process at the first generate call of a run
    (when ``flag`` does not exist yet: it is created first, so the restarted worker goes on)."""

    runtime_options = frozenset({"delay", "flag"})

    def __init__(self, flag: str):
        super().__init__("random")
        self.flag = Path(flag)
        with open(self.flag.with_suffix(".pids"), "a") as f:
            f.write(f"{os.getpid()}\n")

    def generate(self, requests, config):
        """Die the first time (per flag file), then answer as the random backend."""
        try:
            fd = os.open(self.flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return super().generate(requests, config)
        os.close(fd)
        os._exit(1)


def create(model: str = "random", *, flag: str = "", delay: float = 0.0) -> CrashOnceBackend:
    """The crashing backend (``flag``: the file that marks the crash as done)."""
    return CrashOnceBackend(flag)
