"""Issue 11 against the run folder: concurrent writers (real processes), a folder that would
mix collections, a disk that fills, a read-only or over-long --out, and the backend's effective
decoding settings in run.json and in the cache key (issue 9)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from cameo_bench.backends import Backend
from cameo_bench.errors import BusyError, CameoError
from cameo_bench.evaluation import RunConfig, evaluate, parse_shard
from cameo_bench.evaluation.run_folder import LOCK, lock_run_folder
from cameo_bench.fileio import exclusive_lock
from support.audio_backends import DeafBackend, install
from support.eval_collections import DEFAULT_LAYOUT, make_collection
from support.processes import CLI, run_cameo

N_CLIPS = sum(DEFAULT_LAYOUT.values())


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"))


def _start(*args: str) -> subprocess.Popen[str]:
    """``cameo ARGS`` in a child process (stderr piped)."""
    return subprocess.Popen([sys.executable, "-c", CLI, *map(str, args)], text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={"PYTHONPATH": ":".join(p for p in sys.path if p),
                                 "PATH": "/usr/bin:/bin"})


def _holding(lock: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``proc`` holds the lock file ``lock`` (it records its holder's pid)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if json.loads(lock.read_text())["pid"] == proc.pid:
                return
        except (OSError, ValueError, KeyError):
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "the writer never started"
        time.sleep(0.01)


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def _alive(proc: subprocess.Popen[str]) -> None:
    """Fail, with its stderr, when ``proc`` has exited (a writer the test means to hold its
    lock must still be running)."""
    if proc.poll() is not None:
        pytest.fail(f"the writer exited with {proc.returncode}: {proc.stderr.read()}")


def _one_error_line(done: subprocess.CompletedProcess[str] | tuple[int, str], text: str) -> None:
    code, err = (done.returncode, done.stderr) if hasattr(done, "stderr") else done
    assert code == 2, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and text in " ".join(err.split()), err


@pytest.mark.slow
def test_a_second_writer_is_refused_and_nothing_is_lost(collection, tmp_path):
    """Before: two ``cameo evaluate`` (-t 0.0 and -t 0.7) into one folder both reported
    complete while rows vanished (each merge replaced the file the other appended to)."""
    out = tmp_path / "run"
    first = _start("evaluate", "-m", "random", "-d", collection, "-o", out, "-t", "0.0",
                   "-b", "1", "-O", "delay=30", "--no-scores")  # killed below
    _holding(out / LOCK, first)
    second = run_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "-t", "0.7",
                       "--no-scores")
    _one_error_line(second, f"run folder {out} is in use by pid {first.pid} on ")
    _stop(first)  # the OS frees the lock of a killed writer
    for t in ("0.0", "0.7"):
        assert run_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "-t", t,
                         "--no-scores").returncode == 0
    evaluate(RunConfig("random", collection, temperatures=(0.0, 0.7)), tmp_path / "whole")
    assert (out / "predictions.jsonl").read_bytes() == \
        (tmp_path / "whole" / "predictions.jsonl").read_bytes()


@pytest.mark.slow
def test_shards_write_side_by_side_but_not_beside_the_merging_run(collection, tmp_path):
    out = tmp_path / "run"
    shards = [_start("evaluate", "-m", "random", "-d", collection, "-o", out, "--shard",
                     f"{i}/2", "-b", "1", "-O", "delay=30", "--no-scores")  # killed below
              for i in range(2)]
    for i, shard in enumerate(shards):  # both hold their shard at once
        _holding(out / f".cameo-run.shard-{i}-of-2.lock", shard)
    merge = run_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "--no-scores")
    _alive(shards[0])
    _one_error_line(merge, f"run folder {out} (shard-0-of-2) is in use by pid {shards[0].pid}")
    _alive(shards[1])
    again = run_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "--shard", "1/2",
                      "--no-scores")
    _one_error_line(again, f"run folder {out} (shard-1-of-2) is in use by pid {shards[1].pid}")
    for shard in shards:
        _stop(shard)
    merged = run_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "--no-scores")
    assert merged.returncode == 0, merged.stderr
    evaluate(RunConfig("random", collection), tmp_path / "whole")
    assert (out / "predictions.jsonl").read_bytes() == \
        (tmp_path / "whole" / "predictions.jsonl").read_bytes()


def test_a_shard_is_refused_while_the_merging_run_writes(tmp_path):
    with lock_run_folder(tmp_path), pytest.raises(
            BusyError, match=f"run folder {tmp_path} is in use by pid"), \
            lock_run_folder(tmp_path, parse_shard("0/2")):
        pass
    with lock_run_folder(tmp_path, parse_shard("0/2")), \
            lock_run_folder(tmp_path, parse_shard("1/2")), \
            pytest.raises(BusyError, match=r"\(shard-0-of-2\) is in use"), \
            lock_run_folder(tmp_path):
        pass
    with lock_run_folder(tmp_path):  # all released
        pass


def test_a_starting_shard_outwaits_the_check_of_a_refused_unsharded_writer(tmp_path):
    """Before: a shard that had taken its lock but not yet checked the folder's was refused
    when an unsharded rerun (itself refused: another shard runs) held that lock for its own
    check, so one refused command took a starting shard down with it."""
    import threading

    checking = threading.Event()

    def unsharded_check() -> None:  # holds the folder's lock as a refused rerun's check does
        with exclusive_lock(tmp_path / LOCK, "run folder"):
            checking.set()
            time.sleep(1.0)

    thread = threading.Thread(target=unsharded_check)
    thread.start()
    checking.wait()
    started = time.monotonic()
    with lock_run_folder(tmp_path, parse_shard("1/2")):
        waited = time.monotonic() - started
    thread.join()
    assert 0.5 < waited < 3.0


def test_a_folder_never_mixes_two_collections(collection, tmp_path):
    """Before: evaluating the full collection into a folder made from a subset answered the
    missing clips and called the mixture complete."""
    subset = make_collection(tmp_path / "subset", {"cafe": 5})  # the same 5 CaFE clips
    out = tmp_path / "run"
    evaluate(RunConfig("random", subset), out)
    before = (out / "predictions.jsonl").read_bytes()
    full = run_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "--no-scores")
    _one_error_line(full, f"{out} holds answers on another collection (5 clips, 1 of 13 "
                          f"corpora, sha256:")
    assert f"this run's collection {collection} has 12 clips, 3 of 13 corpora" in \
        " ".join(full.stderr.split())
    assert (out / "predictions.jsonl").read_bytes() == before
    data = json.loads((out / "run.json").read_text())["data"]
    assert data["collection"]["clips"] == 5 and data["collection"]["full"] is False
    assert (data["location"], data["revision"], data["limit"], data["clips"]) == (
        str(subset), None, None, 5)


def test_the_same_clips_elsewhere_are_the_same_collection(collection, tmp_path):
    moved = shutil.copytree(collection, tmp_path / "moved")
    evaluate(RunConfig("random", collection, limit=4), tmp_path / "run")
    result = evaluate(RunConfig("random", moved, corpus=["nemo"]), tmp_path / "run")
    assert result.complete
    data = json.loads((tmp_path / "run" / "run.json").read_text())["data"]
    assert data["collection"]["clips"] == N_CLIPS  # every clip, whatever the selection
    assert (data["corpus"], data["clips"]) == (["nemo"], DEFAULT_LAYOUT["nemo"])


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_the_rerun_resumes(collection, tmp_path):
    """Simulated with RLIMIT_FSIZE: appends past the limit fail with EFBIG mid-line."""
    big = make_collection(tmp_path / "big", {"cafe": 30, "nemo": 30})
    out = tmp_path / "run"
    full = run_cameo("evaluate", "-m", "random", "-d", big, "-o", out, "--no-scores",
                     file_size_limit=12_000)
    _one_error_line(full, f"{out}: cannot write the run folder (File too large); rerun the "
                          "same command to resume once the cause is fixed")
    assert 0 < (out / "predictions.jsonl").stat().st_size <= 12_000
    session = json.loads((out / "run.json").read_text())["sessions"][-1]
    assert (session["status"], session["error"]) == ("failed", "OSError: File too large")
    assert run_cameo("evaluate", "-m", "random", "-d", big, "-o", out,
                     "--no-scores").returncode == 0
    evaluate(RunConfig("random", big), tmp_path / "clean")
    assert (out / "predictions.jsonl").read_bytes() == \
        (tmp_path / "clean" / "predictions.jsonl").read_bytes()


@pytest.mark.slow
def test_a_read_only_or_over_long_out_is_one_line(collection, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    _one_error_line(run_cameo("evaluate", "-m", "random", "-d", collection, "-o",
                              locked / "run", "--no-scores"),
                    f"{locked / 'run'}: cannot write the run folder (Permission denied)")
    long = tmp_path / ("x" * 300)
    _one_error_line(run_cameo("evaluate", "-m", "random", "-d", collection, "-o", long,
                              "--no-scores"),
                    "cannot write the run folder (File name too long)")
    done = tmp_path / "done"
    evaluate(RunConfig("random", collection), done)
    done.chmod(0o555)  # a finished run folder made read-only, then asked for more
    _one_error_line(run_cameo("evaluate", "-m", "random", "-d", collection, "-o", done,
                              "-t", "0.7", "--no-scores"), "cannot write the run folder")
    done.chmod(0o755)
    assert evaluate(RunConfig("random", collection, temperatures=(0.7,)), done).complete


class _Decoding(Backend):
    """Answers the first label; decodes with ``effective_settings``."""

    model_id = "decoding"
    revision = "1"

    def __init__(self, settings: Mapping):
        self.effective_settings = settings

    def generate(self, requests, config):
        return [r.labels[0] for r in requests]


def test_effective_settings_go_to_run_json_and_the_cache_key(monkeypatch, collection, tmp_path):
    install(monkeypatch, _Decoding({"top_k": 20, "top_p": 0.8, "seeds": "scheme"}))
    evaluate(RunConfig("random", collection), tmp_path)
    settings = json.loads((tmp_path / "run.json").read_text())["settings"]
    assert settings["effective_settings"] == {"top_k": 20, "top_p": 0.8, "seeds": "scheme"}
    assert settings["family_facts"] is None
    assert evaluate(RunConfig("random", collection), tmp_path).cached == N_CLIPS  # resumes
    install(monkeypatch, _Decoding({"top_k": None, "top_p": 0.8, "seeds": "scheme"}))
    with pytest.raises(CameoError, match="holds answers made with effective_settings="):
        evaluate(RunConfig("random", collection, temperatures=(0.7,)), tmp_path)


def test_a_backend_without_decoding_extras_records_none(monkeypatch, collection, tmp_path):
    install(monkeypatch, DeafBackend())
    evaluate(RunConfig("random", collection), tmp_path)
    assert json.loads((tmp_path / "run.json").read_text())["settings"][
        "effective_settings"] == {}
