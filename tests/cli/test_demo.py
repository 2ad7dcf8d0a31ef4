import pytest

from cameo_bench.cli import run


@pytest.mark.slow
def test_demo_command_generates_once_and_says_synthetic(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CAMEO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CAMEO_DEMO_DIR", raising=False)
    assert run(["demo", "--size", "small"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == str(tmp_path / "demo-v1-small")
    assert "generated" in out.err and "SYNTHETIC" in out.err
    assert run(["demo", "--size", "small"]) == 0
    again = capsys.readouterr()
    assert "generated" not in again.err and "SYNTHETIC" in again.err


def test_unknown_demo_size_is_a_clear_error(capsys):
    assert run(["demo", "--size", "tiny"]) == 2
    assert "Unknown demo size 'tiny'" in capsys.readouterr().err


@pytest.mark.slow
def test_evaluate_without_arguments_runs_the_baseline_on_the_demo(tmp_path, capsys,
                                                                   monkeypatch):
    from cameo_bench.cli import demo

    monkeypatch.setenv("CAMEO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CAMEO_DEMO_DIR", raising=False)
    monkeypatch.setattr(demo, "DEMO_SIZE", "small")
    assert run(["evaluate"]) == 0
    out = capsys.readouterr()
    assert "SYNTHETIC" in out.err and "report.html: cameo score" in out.err
    assert "Overall" in out.out and "egemaps-logreg T=0" in out.out
    assert "Demo Polish (synthetic)" in out.out
    predictions = tmp_path / "runs" / "demo-v1-small-egemaps-logreg" / "predictions.jsonl"
    assert len(predictions.read_text().splitlines()) == 36
    assert list((tmp_path / "features").rglob("*.npy"))  # features cached for the next run


def test_evaluate_prints_the_fallbacks_a_baseline_took(tmp_path, capsys):
    import numpy as np

    from cameo_bench.audio import encode_flac, pcm_file_id
    from cameo_bench.collection.format import write_split
    from cameo_bench.records import ClipRecord
    from cameo_bench.vocab import corpus_info

    info, rows = corpus_info("emns"), []
    for i in range(8):
        pcm = (np.sin(np.arange(1600) * (i + 1) / 50) * 3000).astype("<i2")
        record = ClipRecord(pcm_file_id(pcm), ["anger", "sadness"][i % 2], f"line {i % 4}",
                            "emns_1", "female", "20s", info.name, info.language, info.license)
        rows.append((record, encode_flac(pcm)))
    write_split(tmp_path / "coll", "emns", rows)
    assert run(["evaluate", "-m", "majority", "-d", str(tmp_path / "coll"),
                "--out", str(tmp_path / "run"), "--no-scores"]) == 0
    out = capsys.readouterr().out
    assert "note: EMNS: fewer than two speakers; folds group clips by transcription" in out


def test_cross_corpus_protocol_is_a_backend_option(tmp_path, capsys, monkeypatch):
    import json

    from support.demo import feature_cache, small_demo

    monkeypatch.setenv("CAMEO_CACHE_DIR", str(tmp_path))
    assert run(["evaluate", "-m", "egemaps-logreg", "-d", str(small_demo()), "--out",
                str(tmp_path / "run"), "-O", "protocol=cross-corpus", "-O", "folds=3",
                "-O", f"cache_dir={feature_cache()}", "-O", "progress=false"]) == 0
    assert "egemaps-logreg-cross-corpus T=0" in capsys.readouterr().out
    rows = [json.loads(line) for line in
            (tmp_path / "run" / "predictions.jsonl").read_text().splitlines()]
    assert len(rows) == 36 and {r["model"] for r in rows} == {"egemaps-logreg-cross-corpus"}
    assert all(r["response"] in r["labels"] for r in rows)
    assert "protocol=cross-corpus" in rows[0]["model_revision"]
