"""Re-score a submission with the project's own parser and scorer: the one place a leaderboard
number is computed. Submitted ``parsed`` values are never used."""

from __future__ import annotations

from cameo_bench.leaderboard.submission import Rescored, run_id
from cameo_bench.parse import PARSER_VERSION, parse_predictions
from cameo_bench.records import Prediction
from cameo_bench.scores import score_runs

__all__ = ["rescore"]


def rescore(preds: list[Prediction], *, n_resamples: int = 1000, seed: int = 0) -> Rescored:
    """Parse every answer afresh and score ``preds`` (one system): the score records (chance and
    majority references included), each run's confusion matrices (``overall``, classes every
    offered label, then ``dataset:<name>``, its offered labels) and the scorer's settings."""
    parsed = parse_predictions(preds, overwrite=True)
    scored = score_runs(parsed, n_resamples=n_resamples, seed=seed)
    matrices = {
        run_id(key[1], key[2]): {scope if scope == "overall" else f"{scope}:{group}": conf
                                 for (scope, group), conf in confusions.items()}
        for key, confusions in scored.confusions.items()}
    return Rescored(tuple(scored.records), matrices,
                    {"parser": PARSER_VERSION, "n_resamples": n_resamples, "seed": seed})
