from collections import Counter

import numpy as np
import pytest

from cameo_bench.backends import BACKENDS, GenerationConfig, Request
from cameo_bench.baseline.crossval import cross_corpus, speaker_cv
from cameo_bench.baseline.folds import assign_folds
from cameo_bench.baseline.models import fit_predict_logreg, fit_predict_majority
from cameo_bench.errors import CameoError, UnknownNameError
from cameo_bench.evaluation import load_backend
from cameo_bench.records import ClipRecord


def _rec(i, emotion, speaker, dataset="A", text=None):
    return ClipRecord(f"{i:064x}.flac", emotion, text, speaker, None, None, dataset, "English",
                      "L")


def _requests(records, labels):
    return [Request(r, np.zeros(1600, np.float32), "", tuple(labels)) for r in records]


def test_majority_is_computed_from_the_training_folds_only():
    emotions = ["anger"] * 5 + ["sadness"] * 2 + ["sadness"] * 4 + ["anger"] * 1 + ["fear"] * 3
    speakers = ["a"] * 7 + ["b"] * 5 + ["c"] * 3
    records = [_rec(i, e, s) for i, (e, s) in enumerate(zip(emotions, speakers, strict=True))]
    labels = ("anger", "fear", "sadness")
    backend = BACKENDS["majority"]("majority")
    answers = backend.generate(_requests(records, labels), GenerationConfig())
    folds = assign_folds(records)
    for k in range(folds.n_folds):
        train, test = folds.train_test(k)
        counts = Counter(emotions[i] for i in train)
        expected = sorted(counts, key=lambda e: (-counts[e], e))[0]
        assert {answers[i] for i in test} == {expected}
    # speaker a's own majority (anger) must not leak into a's answers
    assert answers[0] == "sadness"


def test_one_class_corpus_answers_that_class_with_a_note():
    records = [_rec(i, "anger", f"s{i % 3}") for i in range(6)]
    backend = BACKENDS["majority"]("majority")
    assert backend.generate(_requests(records, ["anger", "fear"]), GenerationConfig()) == \
        ["anger"] * 6
    assert any("one class (anger)" in n for n in backend.notes)


def test_one_speaker_corpus_is_folded_by_sentence_and_says_so():
    records = [_rec(i, ["anger", "fear"][i % 2], "solo", text=f"t{i % 3}") for i in range(12)]
    out = speaker_cv(records, [("anger", "fear")] * 12, np.zeros((12, 0)), fit_predict_majority)
    assert all(a in {"anger", "fear"} for a in out.answers)
    assert any("fewer than two speakers" in n and "transcription" in n for n in out.notes)


def test_a_corpus_of_one_clip_is_answered_empty_with_a_note():
    out = speaker_cv([_rec(0, "anger", "a")], [("anger",)], np.zeros((1, 0)),
                     fit_predict_majority)
    assert out.answers == [""]
    assert any("no cross-validation possible" in n for n in out.notes)


def test_cross_corpus_answers_only_labels_the_held_out_corpus_offers():
    rng = np.random.default_rng(0)
    records = ([_rec(i, e, "a", "A") for i, e in enumerate(["calm", "anger", "fear"] * 10)]
               + [_rec(100 + i, e, "b", "B") for i, e in enumerate(["anger", "fear"] * 10)])
    labels = [("anger", "calm", "fear")] * 30 + [("anger", "fear")] * 20
    X = rng.normal(size=(50, 4))
    out = cross_corpus(records, labels, X, fit_predict_logreg)
    assert set(out.answers[30:]) <= {"anger", "fear"}
    assert set(out.answers[:30]) <= {"anger", "fear"}  # B never showed "calm"
    with pytest.raises(CameoError, match="at least two corpora"):
        cross_corpus(records[:30], labels[:30], X[:30], fit_predict_logreg)


def test_logreg_matches_an_independent_scikit_learn_pipeline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 5))
    y = ["a" if v > 0 else "b" for v in X[:, 0] + 0.3 * rng.normal(size=40)]
    scaler = StandardScaler().fit(X[:30])
    clf = LogisticRegression(max_iter=2000).fit(scaler.transform(X[:30]), y[:30])
    expected = list(clf.predict(scaler.transform(X[30:])))
    assert fit_predict_logreg(X[:30], y[:30], X[30:], ["a", "b"]) == expected


def test_logreg_survives_clips_without_features():
    X = np.arange(24, dtype=float).reshape(8, 3)
    X[2] = np.nan
    answers = fit_predict_logreg(X[:6], ["a", "b"] * 3, np.vstack([X[6:], np.full(3, np.nan)]),
                                 ["a", "b"])
    assert len(answers) == 3 and set(answers) <= {"a", "b"}


def test_bad_options_are_clear_errors():
    with pytest.raises(UnknownNameError, match="Did you mean 'cross-corpus'"):
        BACKENDS["majority"]("majority", protocol="cross-corpora")
    with pytest.raises(CameoError, match="unknown backend option"):
        load_backend("majority", {"fold": 3})
    with pytest.raises(CameoError, match="folds='x'"):
        load_backend("majority", {"folds": "x"})
    backend = load_backend("majority", {"protocol": "cross-corpus", "folds": "3"})
    assert backend.model_id == "majority-cross-corpus" and backend.n_folds == 3
    assert BACKENDS["majority"]("majority").model_id == "majority-cv"  # scorer owns "majority"
    assert backend.whole_collection
