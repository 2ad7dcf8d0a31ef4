"""What a run's answers say about the run itself: its predicted-label distribution beside the
gold one, and whether the run is degenerate.

Label bias is the commonest failure of zero-shot speech emotion recognition: a model that
answers ``neutral`` to nearly every clip, or whose answers mostly name no offered label, scores
near a reference whatever it hears. A run is *degenerate* when one label is the answer for more
than :data:`LABEL_SHARE_LIMIT` of its clips, or more than :data:`UNPARSED_LIMIT` of its answers
are unparsed. Everything here is a view of score records (``answer_share`` per label, the
overall ``unparsed_rate``, per-emotion support).
"""

from __future__ import annotations

from collections.abc import Iterable

from cameo_bench.scores import ANSWER_SHARE, CHANCE, REFERENCE_MODELS, ScoreRecord

__all__ = ["LABEL_SHARE_LIMIT", "UNPARSED_LIMIT", "answer_shares", "gold_shares",
           "degenerate_runs"]

#: A run answering one label for more than this share of its clips is degenerate.
LABEL_SHARE_LIMIT = 0.9
#: A run with more than this share of unparsed answers is degenerate.
UNPARSED_LIMIT = 0.5


def answer_shares(records: Iterable[ScoreRecord]) -> dict[tuple, dict[str, float]]:
    """Per run (references left out): the share of its clips answered with each label."""
    out: dict[tuple, dict[str, float]] = {}
    for r in records:
        if r.metric == ANSWER_SHARE and r.model not in REFERENCE_MODELS:
            out.setdefault(r.run, {})[r.group] = r.value
    return out


def gold_shares(records: Iterable[ScoreRecord]) -> dict[str, float]:
    """The share of each gold label among the clips of all runs (from the references'
    per-emotion support); empty without reference records."""
    support = {r.group: r.n for r in records
               if r.model == CHANCE and r.scope == "emotion" and r.metric == "f1"}
    total = sum(support.values())
    return {label: n / total for label, n in sorted(support.items())} if total else {}


def degenerate_runs(records: Iterable[ScoreRecord]) -> dict[tuple, str]:
    """Per degenerate run (see the module docstring): why, in words, e.g. ``answers 'neutral'
    for 94.1% of clips``; runs that are not degenerate are left out."""
    records = list(records)
    unparsed = {r.run: r.value for r in records if r.model not in REFERENCE_MODELS
                and (r.scope, r.metric) == ("overall", "unparsed_rate")}
    out: dict[tuple, str] = {}
    for run, shares in answer_shares(records).items():
        reasons = []
        label, share = max(shares.items(), key=lambda item: item[1])  # ties: first label
        if share > LABEL_SHARE_LIMIT:
            reasons.append(f"answers {label!r} for {share:.1%} of clips")
        if unparsed.get(run, 0.0) > UNPARSED_LIMIT:
            reasons.append(f"{unparsed[run]:.1%} of its answers name no offered label")
        if reasons:
            out[run] = " and ".join(reasons)
    return out
