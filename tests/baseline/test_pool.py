"""The worker pool: every result once, a task's error raised as itself, a dead worker one clear
error, Ctrl-C ignored by workers, and no worker left after a stop, an error or an early close."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest

from cameo_bench.baseline.pool import process_map
from cameo_bench.errors import CameoError, InputError
from support import pool_tasks


def _ours() -> list:
    return [p for p in multiprocessing.active_children() if p.is_alive()]


@pytest.mark.slow  # starts worker processes
def test_every_task_is_answered_once_with_its_index():
    results = dict(process_map(pool_tasks.square, list(range(7)), 2))
    assert results == {i: i * i for i in range(7)}
    assert _ours() == []


def test_no_task_starts_no_worker():
    assert list(process_map(pool_tasks.square, [], 2)) == []


@pytest.mark.slow  # starts worker processes
def test_a_tasks_error_is_raised_as_itself():
    with pytest.raises(InputError, match="^clip-3: damaged$"):
        list(process_map(pool_tasks.fail, [3], 2))
    assert _ours() == []


@pytest.mark.slow  # starts worker processes
def test_a_worker_that_dies_is_one_clear_error_not_a_hang():
    with pytest.raises(CameoError, match="worker process was killed by signal 9"):
        list(process_map(pool_tasks.die, [0, 1], 2))
    assert _ours() == []


@pytest.mark.slow  # starts worker processes
def test_workers_ignore_ctrl_c():
    results = process_map(pool_tasks.pid_after, [0.0, 1.0, 0.0], 1)
    _, pid = next(results)
    os.kill(pid, signal.SIGINT)  # what a terminal's Ctrl-C sends the whole process group
    assert [p for _, p in results] == [pid, pid]


@pytest.mark.slow  # starts worker processes
def test_a_stop_terminates_the_busy_workers_at_once():
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    start = time.monotonic()
    assert list(process_map(pool_tasks.pid_after, [30.0] * 3, 2, stop)) == []
    assert time.monotonic() - start < 5
    assert _ours() == []


@pytest.mark.slow  # starts worker processes
def test_closing_the_iteration_early_terminates_the_workers():
    results = process_map(pool_tasks.pid_after, [0.0, 30.0, 30.0], 2)
    next(results)
    results.close()
    assert _ours() == []
