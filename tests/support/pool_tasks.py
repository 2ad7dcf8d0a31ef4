"""Tasks for the worker-pool tests (importable by name in a spawned worker)."""

from __future__ import annotations

import os
import signal
import time

from cameo_bench.errors import InputError


def square(x: int) -> int:
    """``x * x``."""
    return x * x


def fail(x: int) -> int:
    """Raise an :class:`InputError` naming ``x``."""
    raise InputError(f"clip-{x}", "damaged")


def die(x: int) -> int:
    """Kill the worker running it."""
    os.kill(os.getpid(), signal.SIGKILL)
    return x


def pid_after(seconds: float) -> int:
    """The worker's pid, after ``seconds``."""
    time.sleep(seconds)
    return os.getpid()
