"""The paper's published numbers (Tables 4-7) as leaderboard rows marked ``reported``.

The package ships a copy of them in ``resources/paper_results.tsv`` (numbers only, from the
published paper). Groups are mapped to the collection's names: ``"CaFE (fr)"`` -> ``"CaFE"``,
``"Oreau (fr)"`` -> ``"Oréau"``; the tables' ``All`` groups repeat Table 4's overall macro-F1
and are left out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

from cameo_bench.errors import InputError
from cameo_bench.prompts import DEFAULT_PROMPT
from cameo_bench.vocab import CORPORA

__all__ = ["PAPER_PROMPT", "read_reported"]

#: The paper's instruction is the registered default prompt.
PAPER_PROMPT = DEFAULT_PROMPT
_COLUMNS = ["table", "model", "model_id", "temperature", "scope", "group", "metric", "value",
            "ci95_halfwidth"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_DATASETS = {_ascii(c.name): c.name for c in CORPORA.values()}


def _group(scope: str, group: str) -> str:
    if scope == "dataset":
        name = re.sub(r"\s*\([a-z]{2}\)$", "", group)
        return _DATASETS.get(_ascii(name), name)
    return group


def read_reported(path: str | Path | None = None) -> list[dict[str, Any]]:
    """Reported runs from ``path`` (default: the packaged paper_results.tsv), one dict per
    (model, temperature) in file order of first appearance: ``name``, ``model_id``,
    ``temperature``, ``prompt_id`` and ``cells`` ``{"scope|group|metric": [value, low, high]}``
    where low/high are value ∓ the reported 95% half-width."""
    if path is None:
        text = resources.files("cameo_bench").joinpath("resources/paper_results.tsv").read_text(
            encoding="utf-8")
        source = "paper_results.tsv"
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if reader.fieldnames != _COLUMNS:
        raise InputError(source, f"expected the columns {', '.join(_COLUMNS)}", line=1)
    runs: dict[tuple[str, float], dict[str, Any]] = {}
    for n, row in enumerate(reader, start=2):
        if row["group"] == "All":
            continue
        try:
            temperature, value = float(row["temperature"]), float(row["value"])
            half = float(row["ci95_halfwidth"])
        except ValueError:
            raise InputError(source, "temperature, value and ci95_halfwidth must be numbers",
                             line=n) from None
        run = runs.setdefault((row["model"], temperature), {
            "name": row["model"], "model_id": row["model_id"], "temperature": temperature,
            "prompt_id": PAPER_PROMPT, "cells": {},
        })
        key = f"{row['scope']}|{_group(row['scope'], row['group'])}|{row['metric']}"
        run["cells"][key] = [value, round(value - half, 6), round(value + half, 6)]
    return list(runs.values())
