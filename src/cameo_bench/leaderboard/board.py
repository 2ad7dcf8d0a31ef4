"""The leaderboard's data: one row per (system, temperature, prompt), verified rows from the
store, reported rows from the paper, and the chance and majority references. The static site
and the Gradio app both render this one structure (``board_data``); neither computes a score.

A row's ``cells`` map ``"scope|group|metric"`` to ``[value, ci_low, ci_high]`` (``None`` bounds
without an interval), the keys of :class:`cameo_bench.scores.ScoreRecord`.
"""

from __future__ import annotations

from typing import Any

from cameo_bench import __version__
from cameo_bench.backends.models import series_of
from cameo_bench.leaderboard.reported import read_reported
from cameo_bench.leaderboard.results_store import ResultsStore

__all__ = ["VIEWS", "OVERALL_METRICS", "REFERENCES", "board_data", "cell_key"]

#: The per-group tabs: (tab title, scope, metric).
VIEWS: tuple[tuple[str, str, str], ...] = (
    ("Per language (macro-F1)", "language", "macro_f1"),
    ("Per dataset (macro-F1)", "dataset", "macro_f1"),
    ("Per emotion (F1)", "emotion", "f1"),
)
#: The overall columns: (metric, header).
OVERALL_METRICS: tuple[tuple[str, str], ...] = (
    ("macro_f1", "Macro-F1"), ("weighted_f1", "Weighted-F1"), ("accuracy", "Accuracy"),
    ("unparsed_rate", "Unparsed"),
)
#: Reference rows' names (the ``model`` of the scorer's reference records).
REFERENCES: tuple[str, ...] = ("chance", "majority")


def cell_key(scope: str, group: str, metric: str) -> str:
    """The key of one number in a row's ``cells``."""
    return f"{scope}|{group}|{metric}"


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _cells(scores: list[dict[str, Any]], model: str, temperature: Any, prompt_id: Any) -> dict:
    return {
        cell_key(r["scope"], r["group"], r["metric"]):
            [_round(r["value"]), _round(r["ci_low"]), _round(r["ci_high"])]
        for r in scores
        if (r["model"], r["temperature"], r["prompt_id"]) == (model, temperature, prompt_id)
    }


def _verified_rows(sub: dict[str, Any]) -> list[dict[str, Any]]:
    meta = sub["meta"]
    rows = []
    for run in sub["runs"]:
        t, pid = run["temperature"], run["prompt_id"]
        rows.append({
            "key": f"v:{sub['id'][:16]}:{t!r}:{pid}",
            "status": "verified",
            "name": meta["name"],
            "family": meta.get("family") or series_of(sub["model"]) or meta["name"],
            "model": sub["model"],
            "model_id": meta.get("model_id", sub["model"]),
            "url": meta.get("url"),
            "description": meta.get("description"),
            "submitter": meta.get("submitter"),
            "temperature": t,
            "prompt_id": pid,
            "submission": sub["id"],
            "scorer": sub["scorer"],
            "cells": _cells(sub["scores"], sub["model"], t, pid),
            "confusion": sub["confusion"].get(f"{t!r}|{pid}", []),
        })
    return rows


def _reference_rows(subs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chance and majority rows of the first submission (all cover the same whole collection)."""
    if not subs:
        return []
    return [{
        "key": f"ref:{name}", "status": "reference", "name": name, "family": "reference",
        "model": name, "temperature": None, "prompt_id": None,
        "cells": _cells(subs[0]["scores"], name, None, None),
    } for name in REFERENCES]


def _reported_rows() -> list[dict[str, Any]]:
    return [{
        "key": f"r:{run['name']}:{run['temperature']!r}",
        "status": "reported",
        "name": run["name"],
        "family": series_of(run["model_id"]) or run["name"],
        "model": run["model_id"],
        "model_id": run["model_id"],
        "temperature": run["temperature"],
        "prompt_id": run["prompt_id"],
        "cells": run["cells"],
    } for run in read_reported()]


def board_data(store: ResultsStore | None, *, reported: bool = True) -> dict[str, Any]:
    """Everything the leaderboard shows, JSON-ready: ``rows`` (verified, then reported, then
    references), ``groups`` (the languages, datasets and emotions seen in any row) and the
    ``views`` and ``metrics`` to show."""
    subs = store.submissions() if store is not None else []
    rows = [row for sub in subs for row in _verified_rows(sub)]
    rows += _reported_rows() if reported else []
    rows += _reference_rows(subs)
    groups: dict[str, set[str]] = {scope: set() for _, scope, _ in VIEWS}
    for row in rows:
        for key in row["cells"]:
            scope, group, _ = key.split("|")
            if scope in groups:
                groups[scope].add(group)
    return {
        "generator": f"cameo-bench {__version__}",
        "rows": rows,
        "groups": {scope: sorted(names) for scope, names in groups.items()},
        "views": [list(v) for v in VIEWS],
        "metrics": [list(m) for m in OVERALL_METRICS],
    }
