"""Metrics equal scikit-learn's on random data (unparsed answers counted wrong, class set fixed
by ``labels=``, ``zero_division=0``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

from cameo_bench.errors import UnknownLabelError
from cameo_bench.metrics import (
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
