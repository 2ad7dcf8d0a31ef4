"""``cameo evaluate -m egemaps-logreg`` as a user runs it, in real processes (issue 11): the
first Ctrl-C stops feature extraction within seconds with no partial row cached and no worker
left, the rerun completes; ``kill -9`` of the evaluating process leaves no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from cameo_bench.baseline.features import N_FEATURES, egemaps_rows
from cameo_bench.collection import open_collection
from support.processes import CLI, run_cameo
from support.tone_collections import tone_collection

pytestmark = pytest.mark.slow  # each test runs `cameo evaluate` in a subprocess

#: Enough audio that two workers are still extracting seconds after their first rows.
LAYOUT = {"cafe": 48, "nemo": 48}
SECONDS = 1.5


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return tone_collection(tmp_path_factory.mktemp("collection"), LAYOUT, seconds=SECONDS)


def _args(collection: Path, out: Path, cache: Path) -> list[str]:
    return ["evaluate", "-m", "egemaps-logreg", "-d", str(collection), "-o", str(out),
            "-O", f"cache_dir={cache}", "-O", "progress=false", "--no-scores"]


def _start_and_wait_for_rows(collection: Path, out: Path, cache: Path) -> subprocess.Popen:
    """Start the run in its own process group; return once its workers have cached rows."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", CLI, *_args(collection, out, cache)],
                            env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(cache.rglob("*.npy")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no feature row after two minutes"
        time.sleep(0.02)
    return proc


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def test_ctrl_c_stops_within_seconds_caches_no_partial_row_and_the_rerun_completes(
        collection, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "run"
    proc = _start_and_wait_for_rows(collection, out, cache)
    workers = _children(proc.pid)  # the two workers and multiprocessing's resource tracker
    assert len(workers) == 3
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C: the whole process group
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 5
    said = " ".join(err.split())
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "stopped early (Ctrl-C)" in said and "rerun the same command to resume" in said, err
    assert _gone_within(workers, 5) == []
    rows = list(cache.rglob("*.npy"))
    assert 0 < len(rows) < sum(LAYOUT.values())  # stopped mid-way
    for path in rows:  # only complete, finite rows were cached
        row = np.load(path)
        assert row.shape == (N_FEATURES,) and np.isfinite(row).all()
    assert not (out / "predictions.jsonl").exists()

    rerun = run_cameo(*_args(collection, out, cache), timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert len((out / "predictions.jsonl").read_text().splitlines()) == sum(LAYOUT.values())
    coll = open_collection(collection)
    sample = coll.clips()[::40]
    expected = egemaps_rows(x for _, x in coll.audio(sample))
    for clip, row in zip(sample, expected, strict=True):
        digest = clip.record.file_id[:64]
        np.testing.assert_array_equal(np.load(cache / digest[:2] / f"{digest}.npy"), row)


def test_kill_9_of_the_run_leaves_no_worker_behind(collection, tmp_path):
    proc = _start_and_wait_for_rows(collection, tmp_path / "run", tmp_path / "cache")
    workers = _children(proc.pid)  # the two workers and multiprocessing's resource tracker
    assert len(workers) == 3
    proc.kill()  # SIGKILL to the evaluating process only, as `kill -9 PID` would
    proc.communicate(timeout=30)
    assert _gone_within(workers, 10) == []
