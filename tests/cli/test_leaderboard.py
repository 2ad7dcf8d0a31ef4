"""`cameo leaderboard submit|build` end to end; rejections are one line on stderr, exit 2."""

from __future__ import annotations

import json

from cameo_bench.cli import run
from support.eval_collections import DEFAULT_LAYOUT, make_collection
from support.leaderboard_data import make_predictions, write_collection, write_submission


def test_submit_then_build(tmp_path, capsys):
    collection = write_collection(tmp_path / "collection")
    pred, meta = write_submission(tmp_path, make_predictions(temperatures=(0.0, 0.3)))
    results = tmp_path / "results"
    assert run(["leaderboard", "submit", str(pred), "--meta", str(meta), "--results",
                str(results), "--collection", str(collection), "--resamples", "10"]) == 0
    out = capsys.readouterr().out
    assert "verified 'Test system' as " in out and "(2 run(s))" in out
    (entry,) = json.loads((results / "index.json").read_text())
    assert (results / "submissions" / f"{entry['id']}.json").is_file()
    assert run(["leaderboard", "build", str(results), "--out", str(tmp_path / "site")]) == 0
    assert "(16 rows)" in capsys.readouterr().out
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Test system" in page and "Qwen2-Audio" in page
    assert run(["leaderboard", "build", str(results), "--out", str(tmp_path / "site2"),
                "--no-reported"]) == 0
    assert "(4 rows)" in capsys.readouterr().out


def test_rejections_are_one_line(tmp_path, capsys):
    collection = write_collection(tmp_path / "collection")
    pred, meta = write_submission(tmp_path, make_predictions()[:-1])
    results = tmp_path / "results"
    assert run(["leaderboard", "submit", str(pred), "--meta", str(meta), "--results",
                str(results), "--collection", str(collection)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: run (temperature 0, prompt cameo-v1) misses 1 of")
    assert err.count("\n") == 1
    meta.write_text('{"name": "x", "path": "../../etc"}', encoding="utf-8")
    assert run(["leaderboard", "submit", str(pred), "--meta", str(meta), "--results",
                str(results)]) == 2
    assert "metadata field 'path' is not allowed" in capsys.readouterr().err
    assert run(["leaderboard", "build", str(tmp_path / "nothing"), "--out",
                str(tmp_path / "site")]) == 2
    assert "not a results store" in capsys.readouterr().err


def test_runner_output_is_accepted_end_to_end(tmp_path, capsys):
    collection = make_collection(tmp_path / "collection")
    (collection / "metadata.jsonl").unlink()  # the store then reads the parquet splits
    runs = tmp_path / "runs"
    assert run(["evaluate", "-m", "random", "-d", str(collection), "-o", str(runs),
                "--temperature", "0.0", "0.7", "--no-scores"]) == 0
    meta = tmp_path / "meta.json"
    meta.write_text('{"name": "Random guess", "family": "baseline"}', encoding="utf-8")
    results = tmp_path / "results"
    assert run(["leaderboard", "submit", str(runs / "predictions.jsonl"), "--meta", str(meta),
                "--results", str(results), "--collection", str(collection),
                "--resamples", "10"]) == 0
    assert "(2 run(s))" in capsys.readouterr().out
    collection_json = json.loads((results / "collection.json").read_text())
    assert len(collection_json["clips"]) == sum(DEFAULT_LAYOUT.values())
