"""Degenerate runs are flagged (one label for > 90% of clips, or > 50% unparsed), and the
answer and gold distributions are the shares counted directly from the rows."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from cameo_bench.diagnostics import answer_shares, degenerate_runs, gold_shares
from cameo_bench.scores import score_predictions
from support.scoring_data import make_predictions


def _answering(preds, model: str, answer, share: float):
    """Copies of ``preds`` as run ``model``: the first ``share`` of the clips answer
    ``answer(p)``, the others their gold label."""
    cut = round(share * len(preds))
    return [dataclasses.replace(p, model=model, response=answer(p) if i < cut else p.emotion)
            for i, p in enumerate(preds)]


def test_a_run_answering_one_label_or_nothing_is_degenerate():
    clips = [p for p in make_predictions(per_corpus=20) if "neutral" in p.labels]
    neutral = _answering(clips, "neutral-parrot", lambda p: "neutral", 0.95)
    neutral_ok = _answering(clips, "mostly-neutral", lambda p: "neutral", 0.85)
    mute = _answering(clips, "mute", lambda p: "", 0.6)
    fine = _answering(clips, "fine", lambda p: "", 0.4)
    flags = {run[0]: why for run, why in degenerate_runs(
        score_predictions(neutral + neutral_ok + mute + fine, n_resamples=0)).items()}
    share = Counter(p.response if p.response == "neutral" else "" for p in neutral)["neutral"]
    assert share / len(clips) > 0.9
    assert flags == {
        "neutral-parrot": f"answers 'neutral' for {share / len(clips):.1%} of clips",
        "mute": "60.0% of its answers name no offered label"}


def test_shares_are_counted_from_the_rows():
    preds = make_predictions(skill=0.3) + make_predictions("other", skill=0.8, seed=2)
    records = score_predictions(preds, n_resamples=0)
    from cameo_bench.parse import parse_predictions

    for (model, _, _), shares in answer_shares(records).items():
        rows = [p for p in parse_predictions(preds) if p.model == model]
        counted = Counter(p.parsed for p in rows)
        for label, share in shares.items():
            assert share == pytest.approx(counted[label] / len(rows))
    clips = {p.file_id: p.emotion for p in preds}
    gold = Counter(clips.values())
    assert {k: v for k, v in gold_shares(records).items() if v} == pytest.approx(
        {label: n / len(clips) for label, n in gold.items()})
    assert sum(gold_shares(records).values()) == pytest.approx(1.0)
