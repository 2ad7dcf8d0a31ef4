"""Re-score a submission with the project's own parser and scorer: the one place a leaderboard
number is computed. Submitted ``parsed`` values are never used."""

from __future__ import annotations

from typing import Any

from cameo_bench.metrics import Confusion
from cameo_bench.parse import PARSER_VERSION, parse_predictions
from cameo_bench.records import Prediction
from cameo_bench.scores import run_confusions, score_predictions

__all__ = ["rescore"]


def _matrices(confusions: dict[tuple[str, str], Confusion]) -> list[dict[str, Any]]:
    """A run's matrices as stored: ``overall`` (classes: every offered label), then one per
    dataset (``dataset:<name>``, its offered labels), each ``{"scope", "classes", "counts"}``;
    the last column of each count row is the unparsed answers."""
    return [{"scope": scope if scope == "overall" else f"{scope}:{group}",
             "classes": list(conf.classes), "counts": conf.counts.tolist()}
            for (scope, group), conf in confusions.items()]


def rescore(preds: list[Prediction], *, n_resamples: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Parse every answer afresh and score ``preds`` (one system): returns a JSON-ready dict with
    ``scores`` (score records as dicts, chance and majority references included), ``confusion``
    (per run ``"<temperature>|<prompt_id>"``: the matrices of :func:`_matrices`) and
    ``scorer`` (parser version and bootstrap settings)."""
    parsed = parse_predictions(preds, overwrite=True)
    records = score_predictions(parsed, n_resamples=n_resamples, seed=seed)
    matrices = {f"{key[1]!r}|{key[2]}": _matrices(confusions)
                for key, confusions in run_confusions(parsed).items()}
    return {
        "scores": [r.to_dict() for r in records],
        "confusion": matrices,
        "scorer": {"parser": PARSER_VERSION, "n_resamples": n_resamples, "seed": seed},
    }
