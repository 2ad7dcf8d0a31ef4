"""``cameo evaluate`` on the command line: options, several temperatures, errors, batching check."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest
import typer.main
from rich.console import Console

from cameo_bench.cli import app, run
from cameo_bench.cli import evaluate as command
from cameo_bench.cli.evaluate import parse_options
from cameo_bench.evaluation import evaluate
from cameo_bench.evaluation.config import RunConfig
from cameo_bench.predictions import read_predictions
from cameo_bench.report import score_tables
from cameo_bench.scores import score_predictions
from support import REPO
from support.eval_collections import DEFAULT_LAYOUT, make_collection
from support.processes import CLI

N_CLIPS = sum(DEFAULT_LAYOUT.values())


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"))


def test_temperatures_follow_one_flag(collection, tmp_path):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--temperature", "0.0", "0.3", "0.7", "--batch-size", "4", "--no-scores"])
    assert code == 0
    manifest = json.loads((tmp_path / "run.json").read_text())
    assert manifest["settings"]["temperatures"] == [0.0, 0.3, 0.7]
    rows = read_predictions(tmp_path / "predictions.jsonl")
    assert sorted({r.temperature for r in rows}) == [0.0, 0.3, 0.7]
    assert len(rows) == 3 * N_CLIPS


def test_an_unknown_model_suggests_the_closest(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "qwen2-audoi", "-d", str(collection), "-o", str(tmp_path)])
    assert code == 2
    assert "Did you mean 'qwen2-audio'" in capsys.readouterr().err


def test_an_option_the_backend_does_not_take_is_refused(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "-O", "dtype=bfloat16"])
    assert code == 2
    assert "it takes: delay" in capsys.readouterr().err


def test_a_stray_argument_is_an_error(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path), "x"])
    assert code == 2
    assert "unexpected argument 'x'" in capsys.readouterr().err


def test_options_parse_json_values_and_keep_strings():
    assert parse_options(["concurrency=8", "backoff=0.5", "dtype=bfloat16", "flag=true"]) == {
        "concurrency": 8, "backoff": 0.5, "dtype": "bfloat16", "flag": True}
    with pytest.raises(Exception, match="KEY=VALUE"):
        parse_options(["dtype"])


def test_check_batching_writes_its_report(collection, tmp_path):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--check-batching", "-b", "4", "--limit", "6"])
    assert code == 0
    report = json.loads((tmp_path / "batching_check.json").read_text())
    assert (report["clips"], report["differing"]) == (6, 0)
    assert not (tmp_path / "predictions.jsonl").exists()


def test_a_finished_run_prints_the_score_tables(collection, tmp_path, monkeypatch):
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=300, file=sink)
        monkeypatch.setattr(command, "console", console)
        assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path)]) == 0
    text = console.export_text()
    records = score_predictions(read_predictions(tmp_path / "predictions.jsonl"))
    titles = [title for title, _, _ in score_tables(records)]
    assert titles and all(title in text for title in titles)


def test_the_options_default_to_the_run_configs_defaults():
    """Each default is stated once, in RunConfig: the command's options read theirs from it."""
    params = {p.name: p for p in typer.main.get_command(app).commands["evaluate"].params}
    field_of = {"batch_size": "batch_size", "limit": "limit", "prompt": "prompt_id",
                "seed": "seed", "max_new_tokens": "max_new_tokens",
                "retry_failed": "retry_failed", "executor": "executor", "workers": "workers"}
    defaults = {f.name: f.default for f in fields(RunConfig)}
    for option, name in field_of.items():
        assert params[option].default == defaults[name], option
    assert (defaults["batch_size"], defaults["prompt_id"], defaults["max_new_tokens"]) == (
        None, "cameo-v1", 16)  # None: the backend's preferred batch size
    assert (defaults["executor"], defaults["workers"]) == ("local", None)


def test_a_run_without_options_records_the_run_configs_defaults(collection, tmp_path):
    assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--no-scores"]) == 0
    manifest = json.loads((tmp_path / "run.json").read_text())
    expected = RunConfig("random", collection)
    settings, session = manifest["settings"], manifest["sessions"][-1]
    assert settings["temperatures"] == list(expected.temperatures) == [0.0]
    assert (settings["prompt_id"], settings["seed"], settings["max_new_tokens"]) == (
        expected.prompt_id, expected.seed, expected.max_new_tokens)
    assert expected.batch_size is None and session["batch_size"] == 8  # random prefers none
    assert session["executor"] == {"name": "local", "workers": 1}


def test_importing_the_cli_loads_neither_numpy_nor_the_runner():
    """``cameo --help`` stays instant although the options read RunConfig's defaults."""
    code = ("import sys, cameo_bench.cli; "
            "print(sorted({'numpy', 'cameo_bench.evaluation.runner'} & set(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def _shell(command: str) -> subprocess.Popen[str]:
    """``command`` in bash, in its own process group (a terminal's Ctrl-C reaches the group)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.Popen(["bash", "-c", command], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _cameo(*args) -> str:
    return " ".join(shlex.quote(str(a)) for a in (sys.executable, "-c", CLI, *args))


def _when_rows(path: Path, proc: subprocess.Popen, n: int = 1) -> None:
    deadline = time.monotonic() + 60
    while not (path.is_file() and path.read_bytes().count(b"\n") >= n):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)


@pytest.mark.slow
def test_ctrl_c_exits_130_so_the_next_command_does_not_run(collection, tmp_path):
    """Before: an interrupted ``cameo evaluate`` exited 0, so ``cameo evaluate ... && cameo
    score ...`` scored a partial run."""
    out = tmp_path / "run"
    proc = _shell(_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "-b", "1",
                         "-O", "delay=0.3", "--no-scores") + " && echo NEXT COMMAND RAN")
    _when_rows(out / "predictions.jsonl", proc)
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "NEXT COMMAND RAN" not in stdout and "Traceback" not in stderr
    assert "stopped early (Ctrl-C): every batch answered is kept; rerun the same command to " \
           "resume" in " ".join(stderr.split())
    session = json.loads((out / "run.json").read_text())["sessions"][-1]
    assert session["status"] == "interrupted"
    assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(out),
                "--no-scores"]) == 0
    evaluate(RunConfig("random", collection), tmp_path / "whole")
    assert (out / "predictions.jsonl").read_bytes() == \
        (tmp_path / "whole" / "predictions.jsonl").read_bytes()


@pytest.mark.slow
def test_a_second_ctrl_c_stops_at_once(collection, tmp_path):
    """The first Ctrl-C waits for the batch in progress (here 8 clips of 2 s); the second
    ends the run at once, keeping every row written."""
    out = tmp_path / "run"
    proc = _shell(_cameo("evaluate", "-m", "random", "-d", collection, "-o", out, "-b", "8",
                         "-O", "delay=2", "--no-scores"))
    deadline = time.monotonic() + 60
    while not (out / "run.json").is_file():  # the run has started its first batch
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.5)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10  # not the 16 s the batch would take
    assert proc.returncode == 130 and "Traceback" not in stderr
    assert "stopped at once: every batch written before is kept; rerun the same command to " \
           "resume" in " ".join(stderr.split())
    assert json.loads((out / "run.json").read_text())["sessions"][-1]["status"] == "interrupted"
    assert evaluate(RunConfig("random", collection), out).complete


@pytest.mark.parametrize("args", [["-t", "nan"], ["-t", "0.0", "inf"], ["--limit", "-5"],
                                  ["--limit", "0"], ["--batch-size", "0"], ["--controls", "1"],
                                  ["--controls", "5", "--shard", "0/2"]])
def test_a_bad_value_is_one_line_and_writes_nothing(collection, tmp_path, capsys, args):
    out = tmp_path / "run"
    assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(out),
                *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_run_that_does_not_hear_the_audio_is_flagged_loudly(monkeypatch, collection, tmp_path,
                                                               capsys):
    from support.audio_backends import DeafBackend, install

    install(monkeypatch, DeafBackend())
    assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--controls", "--no-scores"]) == 0
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert "WARNING: the answers do not depend on the audio (T=0.0)" in err
    assert f"Controls: {N_CLIPS} clips also answered with silence" in " ".join(
        captured.out.split())
    controls = json.loads((tmp_path / "run.json").read_text())["controls"]
    assert controls["hears_audio"] is False and controls["sample"] == N_CLIPS  # 200 asked


def test_executor_ray_with_workers_writes_the_local_bytes(collection, ray_cluster, tmp_path):
    base = ["evaluate", "-m", "random", "-d", str(collection), "-t", "0.0", "0.7",
            "--no-scores"]
    assert run([*base, "-o", str(tmp_path / "local")]) == 0
    assert run([*base, "-o", str(tmp_path / "ray"), "--executor", "ray", "--workers", "2",
                "-O", "cpus_per_worker=0.5"]) == 0
    assert (tmp_path / "ray" / "predictions.jsonl").read_bytes() == (
        tmp_path / "local" / "predictions.jsonl").read_bytes()
    session = json.loads((tmp_path / "ray" / "run.json").read_text())["sessions"][-1]
    assert (session["executor"]["name"], session["executor"]["workers"]) == ("ray", 2)
    assert session["options"] == {}  # the executor's options are not the backend's


def test_workers_without_ray_is_one_line(collection, tmp_path, capsys):
    code = run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(tmp_path),
                "--workers", "2"])
    assert code == 2
    assert "--workers needs --executor ray" in capsys.readouterr().err
