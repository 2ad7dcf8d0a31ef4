"""fileio: atomic writes, synced appends and the one-writer lock (real processes)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from cameo_bench.errors import BusyError
from cameo_bench.fileio import append_synced, atomic_write, exclusive_lock
from support import REPO

_HOLD = """
import sys, time
sys.path.insert(0, {src!r})
from cameo_bench.fileio import exclusive_lock
with exclusive_lock({path!r}, "test folder"):
    print("held", flush=True)
    time.sleep(float(sys.argv[1]))
"""


def _holder(path, seconds: float) -> subprocess.Popen:
    code = _HOLD.format(src=str(REPO / "src"), path=str(path))
    proc = subprocess.Popen([sys.executable, "-c", code, str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_gets_one_line_naming_the_holder(tmp_path):
    lock = tmp_path / ".lock"
    proc = _holder(lock, 30)
    try:
        with pytest.raises(BusyError, match=rf"test folder is in use by pid {proc.pid} on "), \
                exclusive_lock(lock, "test folder"):
            pass
    finally:
        proc.kill()
        proc.wait()
    with exclusive_lock(lock, "test folder"):  # kill -9 released it
        pass


def test_a_waiting_writer_gets_the_lock_when_the_holder_ends(tmp_path):
    lock = tmp_path / ".lock"
    proc = _holder(lock, 1.0)
    start = time.monotonic()
    with exclusive_lock(lock, "test folder", wait=30):
        waited = time.monotonic() - start
    proc.wait()
    assert 0.5 < waited < 30  # it waited for the holder's second, then got the lock


def test_atomic_write_leaves_the_old_file_when_the_writer_fails(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")

    def fail(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(path, fail)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_append_synced_appends_and_writes_nothing_for_empty_text(tmp_path):
    path = tmp_path / "log"
    append_synced(path, "")
    assert not path.exists()
    append_synced(path, "a\n")
    append_synced(path, "b\u2028c\n")
    assert path.read_bytes() == "a\nb\u2028c\n".encode()
