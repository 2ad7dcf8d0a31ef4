"""Metrics equal scikit-learn's on random data (unparsed answers counted wrong, class set fixed
by ``labels=``, ``zero_division=0``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)

from cameo_bench.errors import UnknownLabelError
from cameo_bench.metrics import (
    CLASS_METRICS,
    HEADLINE_METRICS,
    METRICS,
    LabelCodes,
    accuracy,
    confusion,
    f1,
    macro_f1,
    precision,
    recall,
    unparsed_rate,
    unparsed_rate_per_class,
    weighted_f1,
)
from cameo_bench.records import UNPARSED

CLASSES = ("anger", "calm", "fear", "joy", "poker", "sadness")


@st.composite
def gold_and_pred(draw):
    k = draw(st.integers(2, len(CLASSES)))
    classes = CLASSES[:k]
    n = draw(st.integers(1, 60))
    gold = draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n))
    pred = draw(st.lists(st.sampled_from((*classes, UNPARSED)), min_size=n, max_size=n))
    return classes, gold, pred


@settings(max_examples=150, deadline=None)
@given(gold_and_pred())
def test_metrics_equal_sklearn(data):
    classes, gold, pred = data
    c = confusion(gold, pred, classes)
    labels = list(classes)
    kw = {"labels": labels, "zero_division": 0}
    assert c.n == len(gold)
    assert accuracy(c.counts) == pytest.approx(accuracy_score(gold, pred))
    assert f1(c.counts) == pytest.approx(f1_score(gold, pred, average=None, **kw))
    assert precision(c.counts) == pytest.approx(precision_score(gold, pred, average=None, **kw))
    assert recall(c.counts) == pytest.approx(recall_score(gold, pred, average=None, **kw))
    assert macro_f1(c.counts) == pytest.approx(f1_score(gold, pred, average="macro", **kw))
    assert weighted_f1(c.counts) == pytest.approx(f1_score(gold, pred, average="weighted", **kw))
    assert unparsed_rate(c.counts) == pytest.approx(np.mean([p == UNPARSED for p in pred]))


def test_views_are_vectorized_over_leading_dimensions():
    rng = np.random.default_rng(1)
    stack = rng.integers(0, 9, size=(4, 3, 5, 6))
    for view in (accuracy, macro_f1, weighted_f1, unparsed_rate, f1):
        batched = view(stack)
        for i in range(4):
            for j in range(3):
                assert np.allclose(batched[i, j], view(stack[i, j]))


def test_integer_and_float_counts_give_the_same_bits():
    """Integer counts are summed another way than float counts (einsum, for speed): every view
    must give exactly what it gives on the same counts as floats (small sums: exact either
    way)."""
    stack = np.random.default_rng(2).integers(0, 50, size=(200, 7, 8))
    views = [spec.function for spec in (*METRICS.values(), *CLASS_METRICS.values())]
    for view in (*views, accuracy, precision, recall, f1):
        assert np.array_equal(view(stack), view(stack.astype(float)))


def test_confusion_layout_and_views():
    c = confusion(["a", "a", "b", "b"], ["a", UNPARSED, "a", "b"], ["a", "b"])
    assert c.counts.tolist() == [[1, 0, 1], [1, 1, 0]]
    assert c.metric("accuracy") == 0.5
    assert c.per_class() == pytest.approx({"a": 0.5, "b": 2 / 3})
    assert c.metric("unparsed_rate") == 0.25
    assert unparsed_rate_per_class(c.counts).tolist() == [0.5, 0.0]


def test_class_absent_everywhere_counts_zero_in_macro_f1():
    c = confusion(["a", "a"], ["a", "a"], ["a", "b"])
    assert c.per_class() == {"a": 1.0, "b": 0.0}
    assert c.metric("macro_f1") == 0.5
    assert c.metric("weighted_f1") == 1.0


def test_unknown_labels_are_errors():
    with pytest.raises(UnknownLabelError, match="gold: Unknown label 'angry'"):
        confusion(["angry"], ["anger"], ["anger", "fear"])
    with pytest.raises(UnknownLabelError, match="prediction: Unknown label 'joy'"):
        confusion(["anger"], ["joy"], ["anger", "fear"])


@st.composite
def clips_in_two_scopes(draw):
    sets = draw(st.lists(st.lists(st.sampled_from(CLASSES), min_size=2, max_size=4, unique=True),
                         min_size=1, max_size=3))
    n = draw(st.integers(1, 40))
    clips = []
    for _ in range(n):
        offered = draw(st.sampled_from(sets))
        clips.append((offered, draw(st.sampled_from(offered)),
                      draw(st.sampled_from((*offered, UNPARSED))), draw(st.integers(0, 1))))
    return clips


@settings(max_examples=100, deadline=None)
@given(clips_in_two_scopes())
def test_scope_counts_equal_sklearn_confusion_matrix(clips):
    """Each scope counts its own clips over the labels offered to them (scikit-learn's
    confusion matrix over those labels; the last column the unparsed answers)."""
    codes = LabelCodes.encode([g for _, g, _, _ in clips], [o for o, _, _, _ in clips])
    answers = codes.answers([a for _, _, a, _ in clips])
    assert codes.classes == tuple(sorted({c for o, _, _, _ in clips for c in o}))
    for scope in (0, 1):
        rows = [c for c in clips if c[3] == scope]
        if not rows:
            continue
        counter = codes.scope(np.flatnonzero([c[3] == scope for c in clips]))
        labels = sorted({c for o, _, _, _ in rows for c in o})
        assert counter.classes == tuple(labels)
        counts = counter.counts(answers)
        gold, pred = [g for _, g, _, _ in rows], [a for _, _, a, _ in rows]
        assert counts[:, :-1].tolist() == confusion_matrix(gold, pred, labels=labels).tolist()
        assert counts[:, -1].tolist() == [
            sum(g == c and a == UNPARSED for g, a in zip(gold, pred, strict=True))
            for c in labels]
        assert counter.support().tolist() == [gold.count(c) for c in labels]
        m = counter.shape[1]
        assert [(int(x) // m, int(x) % m) for x in counter.cells(answers)] == [
            (labels.index(g), labels.index(a) if a != UNPARSED else len(labels))
            for g, a in zip(gold, pred, strict=True)]


def test_encoder_and_counter_name_unknown_labels():
    with pytest.raises(UnknownLabelError, match="gold: Unknown label 'angry'"):
        LabelCodes.encode(["angry"], [["anger", "fear"]])
    with pytest.raises(UnknownLabelError, match="offered labels: Unknown label 'joy'"):
        LabelCodes.encode(["anger"], [["anger", "joy"]], classes=["anger", "fear"])
    codes = LabelCodes.encode(["anger", "calm"], [["anger", "fear"], ["calm", "joy"]])
    with pytest.raises(UnknownLabelError, match="prediction: Unknown label 'poker'"):
        codes.answers(["anger", "poker"])
    answers = codes.answers(["joy", "calm"])  # clip 0 answers a label it was not offered
    with pytest.raises(UnknownLabelError, match="prediction: Unknown label 'joy'"):
        codes.scope(np.array([0])).counts(answers)


def test_metric_specs_cover_every_scored_metric():
    assert list(METRICS) == ["accuracy", "macro_f1", "weighted_f1", "unparsed_rate"]
    assert list(CLASS_METRICS) == ["f1", "unparsed_rate"]
    assert set(HEADLINE_METRICS) == set(METRICS)
    for name, spec in [*METRICS.items(), *CLASS_METRICS.items()]:
        assert spec.name == name and spec.title and spec.header
        assert spec.per_class == (name in CLASS_METRICS and spec is CLASS_METRICS[name])
    assert [m for m, s in METRICS.items() if not s.higher_is_better] == ["unparsed_rate"]
