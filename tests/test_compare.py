"""Paired bootstrap comparison of two runs on the same clips."""

from __future__ import annotations

import dataclasses

import pytest

from cameo_bench.compare import compare_runs, select_run
from cameo_bench.errors import CameoError
from cameo_bench.scores import score_predictions
from support.scoring_data import make_predictions


def _by_key(comparisons):
    return {(c.scope, c.group, c.metric): c for c in comparisons}


def test_a_run_against_itself_is_a_tie():
    preds = make_predictions()
    for c in compare_runs(preds, preds, n_resamples=200):
        assert c.diff == 0 and c.ci_low == 0 == c.ci_high
        assert c.p_value == 1.0 and c.verdict() == "tie"


def test_a_clearly_better_run_wins_and_values_match_the_scorer():
    good, poor = make_predictions("good", skill=0.9), make_predictions("poor", skill=0.2, seed=5)
    result = _by_key(compare_runs(good, poor, n_resamples=500))
    overall = result[("overall", "all", "macro_f1")]
    assert overall.verdict() == "A" and overall.p_value < 0.01 and overall.ci_low > 0
    assert _by_key(compare_runs(poor, good, n_resamples=500))[
        ("overall", "all", "macro_f1")].verdict() == "B"
    scores = {(r.model, r.scope, r.group, r.metric): r.value
              for r in score_predictions(good + poor, n_resamples=0)}
    for (scope, group, metric), c in result.items():
        assert c.a == pytest.approx(scores[("good", scope, group, metric)])
        assert c.b == pytest.approx(scores[("poor", scope, group, metric)])
        assert c.diff == pytest.approx(c.a - c.b)


def test_comparison_is_reproducible_for_a_seed():
    a, b = make_predictions("a", skill=0.5), make_predictions("b", skill=0.45, seed=9)
    assert compare_runs(a, b, seed=1, n_resamples=100) == compare_runs(a, b, seed=1,
                                                                       n_resamples=100)


def test_paired_interval_is_narrower_than_the_unpaired_one_for_correlated_runs():
    a = make_predictions("a", skill=0.6)
    # b answers as a does, except on a few clips
    b = [dataclasses.replace(p, model="b", response=p.labels[0] if i % 10 == 0 else p.response)
         for i, p in enumerate(a)]
    paired = _by_key(compare_runs(a, b, n_resamples=500))[("overall", "all", "accuracy")]
    single = {r.model: r for r in score_predictions(a + b, n_resamples=500)
              if (r.scope, r.metric) == ("overall", "accuracy")}
    unpaired_half = (single["a"].half_width ** 2 + single["b"].half_width ** 2) ** 0.5
    assert (paired.ci_high - paired.ci_low) / 2 < unpaired_half / 2


def test_mismatched_inputs_are_errors():
    a = make_predictions("a")
    with pytest.raises(CameoError, match="different clips .1 only in A, 0 only in B"):
        compare_runs(a, make_predictions("b")[1:])
    with pytest.raises(CameoError, match="A holds 2 runs"):
        compare_runs(a + make_predictions("c"), make_predictions("b"))
    changed = [dataclasses.replace(p, model="b") for p in a]
    changed[0] = dataclasses.replace(changed[0], emotion=changed[0].labels[-1])
    with pytest.raises(CameoError, match="gold label differs"):
        compare_runs(a, changed)


def test_select_run_picks_one_run_or_says_how():
    rows = make_predictions("a") + make_predictions("a", temperature=0.7, seed=1)
    picked = select_run(rows, "A", temperature=0.7)
    assert {p.temperature for p in picked} == {0.7} and len(picked) == len(rows) // 2
    with pytest.raises(CameoError, match=r"^A holds 2 runs \(a T=0 cameo-v1, a T=0.7 cameo-v1\); "
                       "pick one with --a-temperature$"):
        select_run(rows, "A")
    with pytest.raises(CameoError, match=r"^B: no run of b at T=0.7; it holds a T=0 cameo-v1, "):
        select_run(rows, "B", model="b", temperature=0.7)
    both = rows + make_predictions("b", temperature=0.3)
    with pytest.raises(CameoError, match="pick one with --b-temperature and --b-model"):
        select_run(both, "B")


def test_a_difference_the_test_cannot_see_is_not_significant_not_no_difference():
    a, b = make_predictions("a", skill=0.5), make_predictions("b", skill=0.5, seed=9)
    overall = _by_key(compare_runs(a, b, n_resamples=200))[("overall", "all", "macro_f1")]
    assert overall.diff != 0 and overall.p_value >= 0.05
    assert overall.verdict_text() == "not significant"
    good = _by_key(compare_runs(make_predictions("g", skill=0.95), b, n_resamples=200))
    assert good[("overall", "all", "macro_f1")].verdict_text() == "A better"
