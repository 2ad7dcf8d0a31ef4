"""score_predictions against independent computations (scikit-learn, explicit loops)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from cameo_bench.errors import CameoError
from cameo_bench.parse import parse_answer, parse_predictions
from cameo_bench.records import UNPARSED
from cameo_bench.scores import run_confusions, score_predictions
from support.scoring_data import make_predictions


def _index(records):
    return {(r.model, r.scope, r.group, r.metric): r for r in records}


def _sk(preds, average):
    gold = [p.emotion for p in preds]
    pred = [parse_answer(p.response, p.labels) for p in preds]
    labels = sorted({c for p in preds for c in p.labels})
    if average == "accuracy":
        return accuracy_score(gold, pred)
    per_class = f1_score(gold, pred, labels=labels, average=average, zero_division=0)
    return dict(zip(labels, per_class, strict=True)) if average is None else per_class


def test_every_scope_equals_sklearn():
    preds = make_predictions()
    rec = _index(score_predictions(preds, n_resamples=0))
    scopes = [("overall", "all", preds)]
    scopes += [("language", g, [p for p in preds if p.language == g])
               for g in {p.language for p in preds}]
    scopes += [("dataset", g, [p for p in preds if p.dataset == g])
               for g in {p.dataset for p in preds}]
    for scope, group, rows in scopes:
        assert rec[("m", scope, group, "accuracy")].value == pytest.approx(_sk(rows, "accuracy"))
        assert rec[("m", scope, group, "macro_f1")].value == pytest.approx(_sk(rows, "macro"))
        assert rec[("m", scope, group, "weighted_f1")].value == pytest.approx(
            _sk(rows, "weighted"))
        assert rec[("m", scope, group, "accuracy")].n == len(rows)
    for emotion, value in _sk(preds, None).items():
        assert rec[("m", "emotion", emotion, "f1")].value == pytest.approx(value)
        assert rec[("m", "emotion", emotion, "f1")].n == sum(p.emotion == emotion for p in preds)


def test_unparsed_rate_per_group():
    preds = make_predictions()
    rec = _index(score_predictions(preds, n_resamples=0))
    for dataset in {p.dataset for p in preds}:
        rows = [p for p in preds if p.dataset == dataset]
        rate = np.mean([parse_answer(p.response, p.labels) == UNPARSED for p in rows])
        assert rec[("m", "dataset", dataset, "unparsed_rate")].value == pytest.approx(rate)


def test_chance_reference_is_the_expected_confusion_of_uniform_answers():
    preds = make_predictions()
    rec = _index(score_predictions(preds, n_resamples=0))
    assert rec[("chance", "overall", "all", "accuracy")].value == pytest.approx(
        np.mean([1 / len(p.labels) for p in preds]))
    # macro-F1 of the expected confusion matrix, built with plain dictionaries
    classes = sorted({c for p in preds for c in p.labels})
    expected = {(g, q): 0.0 for g in classes for q in classes}
    for p in preds:
        for q in p.labels:
            expected[(p.emotion, q)] += 1 / len(p.labels)
    f1s = []
    for c in classes:
        tp = expected[(c, c)]
        fp = sum(expected[(g, c)] for g in classes) - tp
        fn = sum(expected[(c, q)] for q in classes) - tp
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    assert rec[("chance", "overall", "all", "macro_f1")].value == pytest.approx(np.mean(f1s))
    # and it is close to the mean macro-F1 of simulated uniform answers
    rng = np.random.default_rng(0)
    sims = [f1_score([p.emotion for p in preds], [p.labels[rng.integers(len(p.labels))]
                                                 for p in preds],
                     labels=classes, average="macro", zero_division=0) for _ in range(200)]
    assert rec[("chance", "overall", "all", "macro_f1")].value == pytest.approx(
        np.mean(sims), abs=0.02)


def test_majority_reference_answers_the_most_frequent_gold_class():
    preds = make_predictions()
    rec = _index(score_predictions(preds, n_resamples=0))
    for dataset in {p.dataset for p in preds}:
        rows = [p for p in preds if p.dataset == dataset]
        gold = [p.emotion for p in rows]
        major = sorted(set(gold), key=lambda c: (-gold.count(c), c))[0]
        labels = sorted({c for p in rows for c in p.labels})
        assert rec[("majority", "dataset", dataset, "macro_f1")].value == pytest.approx(
            f1_score(gold, [major] * len(gold), labels=labels, average="macro", zero_division=0))
        assert rec[("majority", "dataset", dataset, "accuracy")].value == pytest.approx(
            gold.count(major) / len(gold))


def test_intervals_are_seeded_and_contain_the_value():
    preds = make_predictions(skill=0.6)
    a = score_predictions(preds, n_resamples=200, seed=3)
    assert a == score_predictions(preds, n_resamples=200, seed=3)
    assert a != score_predictions(preds, n_resamples=200, seed=4)
    for r in a:
        if r.scope == "overall":
            assert r.ci_low <= r.value <= r.ci_high


def test_each_run_is_scored_and_references_come_last():
    preds = make_predictions("b") + make_predictions("a", temperature=0.7, seed=1)
    records = score_predictions(preds, n_resamples=0)
    order = list(dict.fromkeys((r.model, r.temperature) for r in records))
    assert order == [("a", 0.7), ("b", 0.0), ("chance", None), ("majority", None)]


def test_present_parsed_is_used_and_errors_are_unparsed():
    preds = make_predictions(per_corpus=4)
    preds = [dataclasses.replace(p, parsed=p.emotion, response="") for p in preds]
    preds[0] = dataclasses.replace(preds[0], parsed=None, error="CUDA out of memory")
    rec = _index(score_predictions(preds, n_resamples=0))
    assert rec[("m", "overall", "all", "accuracy")].value == pytest.approx(1 - 1 / len(preds))
    assert rec[("m", "overall", "all", "unparsed_rate")].value == pytest.approx(1 / len(preds))


def test_bad_rows_are_errors():
    preds = make_predictions(per_corpus=2)
    bad_gold = [dataclasses.replace(preds[0], emotion="angry")] + preds[1:]
    with pytest.raises(CameoError, match="Unknown label 'angry'.*Did you mean 'anger'"):
        score_predictions(bad_gold)
    not_offered = [dataclasses.replace(preds[0], emotion="poker")] + preds[1:]
    with pytest.raises(CameoError, match="gold label 'poker' is not among the offered labels"):
        score_predictions(not_offered)
    bad_parsed = [dataclasses.replace(preds[0], parsed="joy")] + preds[1:]
    with pytest.raises(CameoError, match="parsed answer 'joy' is not an offered label"):
        score_predictions(bad_parsed)
    with pytest.raises(CameoError, match="no predictions"):
        score_predictions([])
    two_bad = list(preds)  # rows are checked kind by kind, yet the first bad row is named
    two_bad[9] = dataclasses.replace(preds[9], emotion="angry")
    two_bad[5] = dataclasses.replace(preds[5], parsed="joy")
    with pytest.raises(CameoError, match=f"^clip {preds[5].file_id}: parsed answer 'joy'"):
        score_predictions(two_bad)


def test_run_confusions_per_run_and_dataset_equal_sklearn():
    preds = parse_predictions(make_predictions("b") + make_predictions("a", temperature=0.7,
                                                                        seed=1))
    runs = run_confusions(preds)
    assert list(runs) == [("a", 0.7, "cameo-v1"), ("b", 0.0, "cameo-v1")]
    for (model, temperature, _), matrices in runs.items():
        run = [p for p in preds if (p.model, p.temperature) == (model, temperature)]
        datasets = sorted({p.dataset for p in run})
        assert list(matrices) == [("overall", "all")] + [("dataset", d) for d in datasets]
        for (scope, group), conf in matrices.items():
            rows = [p for p in run if scope == "overall" or p.dataset == group]
            labels = sorted({c for p in rows for c in p.labels})
            gold, pred = [p.emotion for p in rows], [p.parsed for p in rows]
            assert conf.classes == tuple(labels)
            assert conf.counts[:, :-1].tolist() == confusion_matrix(gold, pred,
                                                                    labels=labels).tolist()
            assert conf.counts[:, -1].sum() == pred.count(UNPARSED)


def test_every_record_carries_its_runs_clip_count_and_fingerprint():
    """The fingerprint is recomputed here from its definition (sha256 of the sorted distinct
    file_ids joined by newlines), not by the coverage module."""
    import hashlib

    a = make_predictions("a")
    b = make_predictions("b", temperature=0.7, seed=1)[10:]
    records = score_predictions(a + b, n_resamples=0)

    def fingerprint(rows) -> str:
        ids = "\n".join(sorted({p.file_id for p in rows}))
        return "sha256:" + hashlib.sha256(ids.encode()).hexdigest()

    expected = {"a": (len(a), fingerprint(a)), "b": (len(b), fingerprint(b)),
                "chance": (len(a), fingerprint(a)), "majority": (len(a), fingerprint(a))}
    assert {r.model: (r.clips, r.fingerprint) for r in records} == expected
    assert all((r.clips, r.fingerprint) == expected[r.model] for r in records)


def test_answer_shares_are_the_runs_predicted_label_distribution():
    from collections import Counter

    preds = make_predictions(skill=0.4)
    shares = {r.group: r for r in score_predictions(preds, n_resamples=100)
              if r.metric == "answer_share"}
    answered = Counter(parse_answer(p.response, p.labels) for p in preds)
    classes = sorted({c for p in preds for c in p.labels})
    assert sorted(shares) == classes
    for label in classes:
        assert shares[label].n == answered[label]
        assert shares[label].value == pytest.approx(answered[label] / len(preds))
        assert shares[label].ci_low <= shares[label].value <= shares[label].ci_high
    assert sum(r.value for r in shares.values()) == pytest.approx(
        1 - answered[UNPARSED] / len(preds))
    refs = [r for r in score_predictions(preds, n_resamples=0) if r.metric == "answer_share"
            and r.model in ("chance", "majority")]
    assert refs == []  # references give no answers


def test_chance_per_emotion_n_is_the_whole_gold_count():
    """The chance reference counts expected (float) clips; its per-emotion n is still the
    integer number of gold clips (it once read 6 for 7: a float sum 6.9999... truncated)."""
    preds = make_predictions(per_corpus=13)
    gold = {e: sum(p.emotion == e for p in preds) for e in {p.emotion for p in preds}}
    chance = {r.group: r.n for r in score_predictions(preds, n_resamples=0)
              if (r.model, r.scope, r.metric) == ("chance", "emotion", "f1")}
    assert {e: chance[e] for e in gold} == gold
