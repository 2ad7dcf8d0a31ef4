"""The paper's published numbers (Tables 4-7) as leaderboard rows marked ``reported``.

Reading the packaged table lives in :mod:`cameo_bench.paper`; this groups its numbers into
one leaderboard run per (model, temperature).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cameo_bench.paper import PAPER_PROMPT, read_paper_results

__all__ = ["PAPER_PROMPT", "read_reported"]


def read_reported(path: str | Path | None = None) -> list[dict[str, Any]]:
    """Reported runs from ``path`` (default: the packaged paper_results.tsv), one dict per
    (model, temperature) in file order of first appearance: ``name``, ``model_id``,
    ``temperature``, ``prompt_id`` and ``cells`` ``{"scope|group|metric": [value, low, high]}``
    where low/high are value ∓ the reported 95% half-width."""
    runs: dict[tuple[str, float], dict[str, Any]] = {}
    for v in read_paper_results(path):
        run = runs.setdefault((v.model, v.temperature), {
            "name": v.model, "model_id": v.model_id, "temperature": v.temperature,
            "prompt_id": PAPER_PROMPT, "cells": {},
        })
        run["cells"][f"{v.scope}|{v.group}|{v.metric}"] = [
            v.value, round(v.value - v.half_width, 6), round(v.value + v.half_width, 6)]
    return list(runs.values())
