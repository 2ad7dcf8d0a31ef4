"""Re-score a submission with the project's own parser and scorer: the one place a leaderboard
number is computed. Submitted ``parsed`` values are never used."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from cameo_bench.metrics import confusion
from cameo_bench.parse import PARSER_VERSION, parse_predictions
from cameo_bench.records import Prediction
from cameo_bench.scores import run_key, score_predictions

__all__ = ["rescore"]


def _confusions(preds: list[Prediction]) -> list[dict[str, Any]]:
    """Confusion matrices of one run: ``overall`` (classes: every offered label), then one per
    dataset (``dataset:<name>``, its offered labels), each ``{"scope", "classes", "counts"}``;
    the last column of each count row is the unparsed answers."""
    scopes: dict[str, list[Prediction]] = {"overall": preds}
    for p in preds:
        scopes.setdefault(f"dataset:{p.dataset}", []).append(p)
    out = []
    for scope in sorted(scopes, key=lambda s: (s != "overall", s)):
        rows = scopes[scope]
        classes = sorted({c for p in rows for c in p.labels})
        conf = confusion([p.emotion for p in rows], [p.parsed for p in rows], classes)
        out.append({"scope": scope, "classes": list(conf.classes),
                    "counts": conf.counts.tolist()})
    return out


def rescore(preds: list[Prediction], *, n_resamples: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Parse every answer afresh and score ``preds`` (one system): returns a JSON-ready dict with
    ``scores`` (score records as dicts, chance and majority references included), ``confusion``
    (per run ``"<temperature>|<prompt_id>"``: the matrices of :func:`_confusions`) and
    ``scorer`` (parser version and bootstrap settings)."""
    parsed = parse_predictions(preds, overwrite=True)
    records = score_predictions(parsed, n_resamples=n_resamples, seed=seed)
    ordered = sorted(parsed, key=lambda p: (run_key(p), p.file_id))
    matrices = {
        f"{key[1]!r}|{key[2]}": _confusions(list(rows))
        for key, rows in groupby(ordered, key=run_key)
    }
    return {
        "scores": [r.to_dict() for r in records],
        "confusion": matrices,
        "scorer": {"parser": PARSER_VERSION, "n_resamples": n_resamples, "seed": seed},
    }
