"""Does the model hear the audio? (issue 9): the control sample, its donors, the exact test, and
runs with ``controls`` — a deaf backend is flagged, a hearing one and the eGeMAPS baseline are
not, and control rows never reach the predictions files."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import binomtest

from cameo_bench.audio import pcm_file_id
from cameo_bench.collection import open_collection
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import RunConfig, evaluate
from cameo_bench.evaluation.controls import (
    ALPHA,
    CONTROLS,
    control_sample,
    donors,
    read_controls,
    sign_test,
)
from support.audio_backends import DeafBackend, EarBackend, install
from support.demo import controls_demo, feature_cache
from support.eval_collections import make_collection

LAYOUT = {"cafe": 40, "nemo": 40, "ravdess": 40}


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"), LAYOUT)


@pytest.fixture(scope="module")
def clips(collection):
    return open_collection(collection).clips()


def test_the_sample_is_stratified_by_corpus_seeded_and_free_of_order(clips):
    sample = control_sample(clips, 50, seed=3)
    # 50 * 40/120 = 16.67 per corpus: 16 each, the 2 left go to the largest remainders, ties
    # broken by corpus name (CaFE < RAVDESS < nEMO)
    assert Counter(c.record.dataset for c in sample) == {"CaFE": 17, "RAVDESS": 17, "nEMO": 16}
    assert control_sample(list(reversed(clips)), 50, seed=3) == sample
    assert control_sample(clips, 50, seed=4) != sample
    assert control_sample(clips, 500, seed=3) == sorted(
        clips, key=lambda c: (c.record.dataset, c.record.file_id))


def test_every_sampled_clip_gets_another_clip_of_its_corpus(clips):
    sample = control_sample(clips, 50, seed=0)
    donor = donors(sample, seed=0)
    assert set(donor) == {c.record.file_id for c in sample}
    assert sorted(d.record.file_id for d in donor.values()) == sorted(donor)  # a permutation
    for c in sample:
        d = donor[c.record.file_id]
        assert d.record.file_id != c.record.file_id
        assert d.record.dataset == c.record.dataset
    assert donors(list(reversed(sample)), seed=0) == donor


def test_corpora_with_a_single_sampled_clip_swap_among_themselves(tmp_path):
    c = open_collection(make_collection(tmp_path, {"cafe": 1, "nemo": 1, "ravdess": 3}))
    donor = donors(c.clips(), seed=0)
    by_corpus = {clip.record.file_id: clip.record.dataset for clip in c.clips()}
    assert all(d.record.file_id != f for f, d in donor.items())
    singles = {f for f, corpus in by_corpus.items() if corpus in ("CaFE", "nEMO")}
    assert {donor[f].record.file_id for f in singles} == singles
    alone = open_collection(make_collection(tmp_path / "alone", {"cafe": 1, "nemo": 2}))
    donor = donors(alone.clips(), seed=0)
    assert all(d.record.file_id != f for f, d in donor.items())
    with pytest.raises(CameoError, match="at least 2 clips"):
        donors(alone.clips()[:1], seed=0)


@pytest.mark.parametrize(("k", "m"), [(0, 0), (3, 3), (12, 29), (20, 30), (59, 80), (5, 5)])
def test_the_sign_test_is_the_exact_one_sided_binomial_test(k, m):
    expected = 1.0 if m == 0 else binomtest(k, m, 0.5, alternative="greater").pvalue
    assert sign_test(k, m) == pytest.approx(expected, rel=1e-12)


def _run(monkeypatch, backend, collection, out, **kw):
    install(monkeypatch, backend)
    kw.setdefault("controls", 60)
    return evaluate(RunConfig("random", collection, **kw), out)


def test_a_deaf_backend_is_flagged_at_every_temperature(monkeypatch, collection, tmp_path):
    result = _run(monkeypatch, DeafBackend(), collection, tmp_path, temperatures=(0.0, 0.7))
    controls = json.loads((tmp_path / "run.json").read_text())["controls"]
    assert controls == result.controls
    assert controls["hears_audio"] is False
    assert "do not depend on the audio" in controls["warning"]
    for run in controls["runs"]:
        assert run["hears_audio"] is False and run["clips"] == 60
        assert run["agreement_with_real"] == {"silence": 1.0, "shuffled": 1.0}
        assert run["test"] == {"real_only_correct": 0, "discordant": 0, "p_value": 1.0}
        assert run["answers"]["real"] == run["answers"]["silence"] == run["answers"]["shuffled"]


def test_a_backend_that_hears_is_not_flagged(monkeypatch, collection, tmp_path):
    result = _run(monkeypatch, EarBackend(collection), collection, tmp_path)
    [run] = result.controls["runs"]
    assert result.controls["hears_audio"] is True and result.controls["warning"] is None
    assert run["accuracy"]["real"] == 1.0
    # with another clip of its corpus it answers that clip's emotion: right only where the
    # two share their label; an independent count over the control rows
    rows = read_controls(tmp_path / CONTROLS)
    shuffled = [r.prediction for r in rows if r.condition == "shuffled"]
    assert run["accuracy"]["shuffled"] == pytest.approx(
        sum(p.parsed == p.emotion for p in shuffled) / 60, abs=1e-6)
    assert run["test"]["p_value"] < ALPHA
    assert run["answers"]["silence"] == dict(Counter(
        r.prediction.labels[0] for r in rows if r.condition == "silence"))


def test_control_rows_never_reach_the_predictions_file(monkeypatch, collection, tmp_path):
    plain = _run(monkeypatch, EarBackend(collection), collection, tmp_path / "plain",
                 controls=None, temperatures=(0.0, 0.3))
    with_controls = _run(monkeypatch, EarBackend(collection), collection, tmp_path / "c",
                         temperatures=(0.0, 0.3))
    assert plain.controls is None and not (tmp_path / "plain" / CONTROLS).exists()
    assert with_controls.predictions.read_bytes() == plain.predictions.read_bytes()
    assert sorted(p.name for p in (tmp_path / "c").iterdir() if p.suffix == ".jsonl") == [
        CONTROLS, "predictions.jsonl"]
    rows = read_controls(tmp_path / "c" / CONTROLS)
    assert len(rows) == 60 * 2 * 2 and len({r.key for r in rows}) == len(rows)
    sample = {c.record.file_id: c for c in control_sample(
        open_collection(collection).clips(), 60, seed=0)}
    donor = donors(list(sample.values()), seed=0)
    lengths = dict(_lengths(collection))
    for r in rows:  # the row is the clip's; its audio_id names the audio it was answered with
        expected = (pcm_file_id(np.zeros(lengths[r.prediction.file_id], "<i2"))
                    if r.condition == "silence" else donor[r.prediction.file_id].record.file_id)
        assert r.prediction.file_id in sample and r.audio_id == expected


def _lengths(collection):
    c = open_collection(collection)
    return [(clip.record.file_id, len(x)) for clip, x in c.audio(c.clips())]


def test_interrupted_controls_resume_to_the_same_verdict(monkeypatch, collection, tmp_path):
    whole = _run(monkeypatch, EarBackend(collection), collection, tmp_path / "whole")

    class Interrupting(EarBackend):
        calls = 0

        def generate(self, requests, config):
            type(self).calls += 1
            if type(self).calls == 20:  # in the controls: 120 clips took 15 batches of 8
                os.kill(os.getpid(), signal.SIGINT)
            return super().generate(requests, config)

    first = _run(monkeypatch, Interrupting(collection), collection, tmp_path / "cut")
    assert first.interrupted and first.complete and first.controls is None
    assert 0 < len(read_controls(tmp_path / "cut" / CONTROLS)) < 120
    second = _run(monkeypatch, EarBackend(collection), collection, tmp_path / "cut")
    assert not second.interrupted and second.answered == 0
    assert second.controls == whole.controls
    assert len(read_controls(tmp_path / "cut" / CONTROLS)) == 120


def test_a_torn_control_row_is_dropped_and_answered_again(monkeypatch, collection, tmp_path):
    whole = _run(monkeypatch, EarBackend(collection), collection, tmp_path)
    path = tmp_path / CONTROLS
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b"\n", 0, len(data) - 1) + 1] + b'{"condition": "sil')
    again = _run(monkeypatch, EarBackend(collection), collection, tmp_path)
    assert again.controls == whole.controls and path.read_bytes() == data


@pytest.mark.slow
def test_egemaps_on_a_demo_hears_and_majority_does_not(tmp_path):
    """Whole-collection backends answer each condition through the same cross-validation,
    with the sampled clips' audio substituted (here: every clip of a 48-clip demo)."""
    demo = controls_demo()
    options = {"cache_dir": feature_cache(), "progress": False}
    logreg = evaluate(RunConfig("egemaps-logreg", demo, controls=200, options=options),
                      tmp_path / "logreg")
    majority = evaluate(RunConfig("majority", demo, controls=200), tmp_path / "majority")
    assert logreg.controls["hears_audio"] is True, logreg.controls["runs"]
    assert logreg.controls["sample"] == 48
    assert majority.controls["hears_audio"] is False
    [run] = majority.controls["runs"]
    assert run["agreement_with_real"] == {"silence": 1.0, "shuffled": 1.0}
    rows = read_controls(tmp_path / "logreg" / CONTROLS)
    assert len(rows) == 2 * 48
    assert not any(r.prediction.error for r in rows)


def test_a_run_too_small_for_controls_is_refused_before_answering(collection, tmp_path):
    with pytest.raises(CameoError, match="the controls need at least 2 clips"):
        evaluate(RunConfig("random", collection, limit=1, controls=10), tmp_path)
    assert not (tmp_path / "predictions.jsonl").exists()


def test_score_flags_a_deaf_run_folder_and_not_a_hearing_one(monkeypatch, collection, tmp_path,
                                                               capsys):
    """Issue 9: a run whose answers do not depend on the audio is flagged in the report too:
    `cameo score` on its folder warns in the terminal, scores.md and report.html."""
    from cameo_bench.cli import run

    _run(monkeypatch, DeafBackend(), collection, tmp_path / "deaf")
    _run(monkeypatch, EarBackend(collection), collection, tmp_path / "ear")
    capsys.readouterr()
    assert run(["score", str(tmp_path / "deaf"), "--resamples", "0",
                "--out", str(tmp_path / "deaf-scores")]) == 0
    line = f"Run {tmp_path / 'deaf'} does not hear its audio: the answers do not depend on"
    assert "".join(line.split()) in "".join(capsys.readouterr().out.split())  # wrapped or not
    assert line in (tmp_path / "deaf-scores" / "scores.md").read_text()
    assert line in (tmp_path / "deaf-scores" / "report.html").read_text()
    assert run(["score", str(tmp_path / "ear" / "predictions.jsonl"), "--resamples", "0",
                "--out", str(tmp_path / "ear-scores")]) == 0
    assert "does not hear" not in capsys.readouterr().out
    assert "does not hear" not in (tmp_path / "ear-scores" / "report.html").read_text()
