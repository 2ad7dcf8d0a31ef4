"""The Ray executor on a local Ray (2 CPUs): the bytes of the local executor for 1, 2 and 3
workers, a driver killed with SIGKILL at random points and rerun, a worker that dies on its
first unit, a torn last line, a whole-collection backend, and what run.json records."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cameo_bench.errors import CameoError
from cameo_bench.evaluation import RunConfig, evaluate, units
from cameo_bench.evaluation import runner as runner_module
from support.eval_collections import make_collection
from support.processes import CLI
from support.ray_cluster import ray_env
from support.tiny_qwen2_audio import build_tiny_qwen2_audio

pytestmark = pytest.mark.slow  # each test starts a Ray cluster

LAYOUT = {"cafe": 9, "nemo": 8, "ravdess": 7}
N_CLIPS = sum(LAYOUT.values())
#: Clips per unit in these tests, so a small collection makes several units.
UNIT = 4
RAY = {"cpus_per_worker": 0.5}  # three workers fit the tests' 2 CPUs


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"), LAYOUT, seed=3)


@pytest.fixture
def small_units(monkeypatch):
    monkeypatch.setattr(units, "UNIT_CLIPS", UNIT)


def run(collection, out, **kw):
    kw.setdefault("temperatures", (0.0, 0.7))
    kw.setdefault("batch_size", 2)
    return evaluate(RunConfig(kw.pop("model", "random"), collection, **kw), out)


@pytest.fixture(scope="module")
def reference(collection, tmp_path_factory) -> bytes:
    """The local executor's predictions (units of the default size)."""
    out = tmp_path_factory.mktemp("local")
    assert run(collection, out).complete
    return (out / "predictions.jsonl").read_bytes()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_ray_writes_the_bytes_of_the_local_executor(collection, reference, ray_cluster,
                                                    small_units, tmp_path, workers):
    result = run(collection, tmp_path, executor="ray", workers=workers, options=RAY)
    assert result.complete and result.answered == 2 * N_CLIPS
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference


def test_run_json_records_the_workers_not_in_the_settings(collection, ray_cluster, tmp_path):
    run(collection, tmp_path, executor="ray", workers=2, options=RAY)
    manifest = json.loads((tmp_path / "run.json").read_text())
    executor = manifest["sessions"][-1]["executor"]
    assert (executor["name"], executor["workers"], executor["cpus_per_worker"]) == ("ray", 2, 0.5)
    assert sum(node["workers"] for node in executor["nodes"]) == 2
    node = executor["nodes"][0]
    assert node["cpus"] == os.cpu_count() and node["gpus"] == []
    assert "cpus_per_worker" not in json.dumps(manifest["settings"])
    # changing the executor and its workers on resume is allowed: the answers are reused
    again = run(collection, tmp_path, executor="local")
    assert (again.answered, again.cached) == (0, 2 * N_CLIPS)


@pytest.fixture(scope="module")
def tiny_qwen(tmp_path_factory) -> Path:
    return build_tiny_qwen2_audio(tmp_path_factory.mktemp("ckpt") / "tiny-qwen2-audio")


def test_tiny_qwen2_audio_greedy_and_sampled_match_the_local_executor(
        collection, tiny_qwen, ray_cluster, monkeypatch, tmp_path):
    monkeypatch.setattr(units, "UNIT_CLIPS", 2)  # four units of one batch each
    config = {"model": f"hf:{tiny_qwen}", "limit": 8, "temperatures": (0.0, 0.7)}
    local = run(collection, tmp_path / "local", **config)
    assert local.complete and local.answered == 16
    expected = (tmp_path / "local" / "predictions.jsonl").read_bytes()
    assert len(set(expected.split(b'"response": ')[1:])) > 1  # the answers depend on the audio
    for workers in (1, 2, 3):
        out = tmp_path / f"ray{workers}"
        assert run(collection, out, executor="ray", workers=workers, options=RAY,
                   **config).complete
        assert (out / "predictions.jsonl").read_bytes() == expected, workers


def test_a_worker_that_dies_on_its_first_unit_is_restarted(collection, reference, ray_cluster,
                                                           small_units, monkeypatch, tmp_path):
    from support import crash_once

    backends = {**runner_module.BACKENDS, "random": crash_once.create}
    monkeypatch.setattr(runner_module, "BACKENDS", backends)
    flag = tmp_path / "crashed"
    result = run(collection, tmp_path / "run", executor="ray", workers=2,
                 options={**RAY, "flag": str(flag)})
    assert flag.exists(), "no worker died"
    pids = flag.with_suffix(".pids").read_text().split()
    assert len(pids) == 3  # two workers, one of them started again
    assert result.complete and result.answered == 2 * N_CLIPS
    assert (tmp_path / "run" / "predictions.jsonl").read_bytes() == reference


def test_a_torn_last_line_is_dropped_and_answered_again(collection, reference, ray_cluster,
                                                        small_units, tmp_path):
    run(collection, tmp_path, limit=6)
    with open(tmp_path / "predictions.jsonl", "a") as f:
        f.write('{"file_id": "abc", "dataset": "Ca')
    result = run(collection, tmp_path, executor="ray", workers=2, options=RAY)
    assert result.answered == 2 * N_CLIPS - 12
    assert (tmp_path / "predictions.jsonl").read_bytes() == reference


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_a_driver_killed_at_random_points_resumes_to_the_same_bytes(
        collection, reference, ray_cluster, tmp_path):
    code = f"import cameo_bench.evaluation.units as u; u.UNIT_CLIPS = {UNIT}; {CLI}"
    args = ["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
            "-t", "0.0", "0.7", "-b", "2", "-O", "delay=0.1", "--no-scores",
            "--executor", "ray", "--workers", "2", "-O", f"ray_address={ray_cluster}",
            "-O", "cpus_per_worker=0.5"]
    cmd = [sys.executable, "-c", code, *args]
    path = tmp_path / "predictions.jsonl"
    rng = random.Random(12)
    seen = []
    for _ in range(3):
        before = _lines(path)
        target = before + rng.randint(1, 8)  # within the next unit or two (8 rows each)
        proc = subprocess.Popen(cmd, env=ray_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _lines(path) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen.append(_lines(path))
    kills = sum(0 < n < 2 * N_CLIPS for n in seen)
    assert kills >= 2, f"the driver was not killed mid-run: lines after each kill {seen}"
    done = subprocess.run(cmd, env=ray_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == reference
    sessions = json.loads((tmp_path / "run.json").read_text())["sessions"]
    assert [s["status"] for s in sessions][-1] == "complete"
    assert [s["status"] for s in sessions].count("killed") >= kills


def test_a_whole_collection_backend_runs_in_the_driver(collection, ray_cluster, tmp_path):
    local = run(collection, tmp_path / "local", model="majority", temperatures=(0.0,))
    remote = run(collection, tmp_path / "ray", model="majority", temperatures=(0.0,),
                 executor="ray", workers=2, options=RAY)
    assert local.complete and remote.complete
    assert any("ran in the driver" in note for note in remote.notes)
    assert (tmp_path / "ray" / "predictions.jsonl").read_bytes() == (
        tmp_path / "local" / "predictions.jsonl").read_bytes()


def test_more_workers_than_the_cluster_holds_is_one_line(collection, ray_cluster, tmp_path):
    with pytest.raises(CameoError, match="the Ray cluster has 2 CPUs and 0 GPUs: 5 workers"):
        run(collection, tmp_path, executor="ray", workers=5)
