"""The leaderboard's data: one row per (system, temperature, prompt), verified rows from the
store, reported rows from the paper, and the chance and majority references. The static site
and the Gradio app both render this one structure (:func:`read_board`); neither computes a
score or a rank.

Ranking (the one rule, shared by every view): numbers are comparable only on the same clips, so
each row belongs to a *collection*: ``full`` when its coverage is the full collection (every
corpus at its Table 1 count: the paper's reported rows and any row scored on the full
collection), otherwise the fingerprint of its clips. Rows of different collections are never
ranked together. Within a collection, rows are ranked by overall macro-F1, highest first (equal
values share a rank; rows without it come last, unranked). Chance and majority are not ranked:
they sit at their own macro-F1, so a system below chance is listed below it. Collections are
listed full first, then by clip count (largest first), then fingerprint. Group names (languages,
datasets, emotions) are in natural, case-insensitive order (``eNTERFACE`` after ``EmoV-DB``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cameo_bench import __version__
from cameo_bench.collection.coverage import Coverage
from cameo_bench.leaderboard.reported import read_reported
from cameo_bench.leaderboard.results_store import ResultsStore
from cameo_bench.leaderboard.rows import BoardRow, cells_of
from cameo_bench.leaderboard.submission import Submission
from cameo_bench.presentation import GROUP_VIEWS, HEADLINES, heading, split_cell_key
from cameo_bench.scores import REFERENCE_MODELS

__all__ = ["RANK_METRIC", "Board", "natural_key", "read_board"]

#: The number rows are ranked by: overall macro-F1.
RANK_METRIC = ("overall", "all", "macro_f1")


def natural_key(text: str) -> tuple:
    """Sort key for names in natural, case-insensitive order: ``eNTERFACE`` between
    ``EmoV-DB`` and ``MESD``, ``x2`` before ``x10``."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


@dataclass(frozen=True)
class Board:
    """Everything the leaderboard shows: ``rows`` in display order (by collection, then ranked;
    see the module docstring), each ranked row's ``ranks`` (row key -> rank within its
    collection) and ``groups`` (per scope of :data:`~cameo_bench.presentation.GROUP_VIEWS`: the
    groups seen in any row, in natural order)."""

    rows: tuple[BoardRow, ...]
    groups: dict[str, list[str]]
    ranks: dict[str, int]

    def collections(self) -> list[tuple[str, Coverage]]:
        """Each collection's id and coverage, in display order."""
        out: dict[str, Coverage] = {}
        for row in self.rows:
            out.setdefault(row.collection, row.coverage)
        return list(out.items())

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data for the static site: the rows (each with its ``rank`` and
        ``collection``), the ``collections`` (id, title, full, clips, corpora), groups, the
        per-group ``views`` (tab title, scope, metric), the overall ``metrics`` (name, column
        header) and the ``rank_metric`` (scope, group, metric)."""
        return {
            "generator": f"cameo-bench {__version__}",
            "rows": [row.to_json() | {"rank": self.ranks.get(row.key),
                                      "collection": row.collection} for row in self.rows],
            "collections": [
                {"id": cid, "title": _title(cov), "full": cov.full, "clips": cov.clips,
                 "corpora": sorted(cov.per_dataset, key=natural_key),
                 "fingerprint": cov.fingerprint}
                for cid, cov in self.collections()],
            "groups": self.groups,
            "views": [[v.tab_title, v.scope, v.metric.name] for v in GROUP_VIEWS],
            "metrics": [[m.name, heading(m.header)] for m in HEADLINES],
            "rank_metric": list(RANK_METRIC),
        }


def _title(coverage: Coverage) -> str:
    """A collection's heading: ``Full collection (41,265 clips)`` or ``26 clips, 2 of 13
    corpora``."""
    return heading(coverage.describe())


def _verified_rows(sub: Submission) -> list[BoardRow]:
    meta = sub.meta
    return [BoardRow(
        key=f"v:{sub.id[:16]}:{run.temperature!r}:{run.prompt_id}",
        status="verified",
        name=sub.name,
        family=sub.family,
        model=sub.model,
        model_id=meta.get("model_id", sub.model),
        url=meta.get("url"),
        description=meta.get("description"),
        submitter=meta.get("submitter"),
        temperature=run.temperature,
        prompt_id=run.prompt_id,
        submission=sub.id,
        scorer=sub.scorer,
        cells=cells_of(sub.scores, (sub.model, run.temperature, run.prompt_id)),
        coverage=sub.coverage,
        confusion=sub.confusion.get(run.id, {}),
    ) for run in sub.runs]


def _reference_rows(subs: list[Submission]) -> list[BoardRow]:
    """Chance and majority rows of the first submission (all cover the store's whole
    collection), on that collection."""
    if not subs:
        return []
    return [BoardRow(key=f"ref:{name}", status="reference", name=name, family="reference",
                     model=name, temperature=None, prompt_id=None,
                     cells=cells_of(subs[0].scores, (name, None, None)),
                     coverage=subs[0].coverage)
            for name in REFERENCE_MODELS]


def _ranked(rows: list[BoardRow]) -> tuple[list[BoardRow], dict[str, int]]:
    """``rows`` in display order and the rank of each ranked row (module docstring)."""
    coverages = {r.collection: r.coverage for r in rows}
    order = {cid: i for i, cid in enumerate(sorted(
        coverages, key=lambda c: (not coverages[c].full, -coverages[c].clips, c)))}

    def value(row: BoardRow) -> float | None:
        cell = row.cell(*RANK_METRIC)
        return None if cell is None else cell[0]

    def key(row: BoardRow) -> tuple:
        v = value(row)
        return (order[row.collection], v is None, -(v or 0.0), row.status == "reference",
                natural_key(row.name), row.temperature or 0.0, row.prompt_id or "")

    ordered = sorted(rows, key=key)
    ranks: dict[str, int] = {}
    for cid in order:
        ranked = [r for r in ordered if r.collection == cid and r.status != "reference"
                  and value(r) is not None]
        for i, row in enumerate(ranked):
            tie = i > 0 and value(ranked[i - 1]) == value(row)
            ranks[row.key] = ranks[ranked[i - 1].key] if tie else i + 1
    return ordered, ranks


def read_board(store: ResultsStore | None, *, reported: bool = True) -> Board:
    """The board of ``store`` (``None``: no verified rows), with the paper's reported rows
    unless ``reported`` is false."""
    subs = store.submissions() if store is not None else []
    rows = [row for sub in subs for row in _verified_rows(sub)]
    rows += read_reported() if reported else []
    rows += _reference_rows(subs)
    groups: dict[str, set[str]] = {v.scope: set() for v in GROUP_VIEWS}
    for row in rows:
        for key in row.cells:
            scope, group, _ = split_cell_key(key)
            if scope in groups:
                groups[scope].add(group)
    ordered, ranks = _ranked(rows)
    return Board(tuple(ordered), {scope: sorted(names, key=natural_key)
                                  for scope, names in groups.items()}, ranks)
