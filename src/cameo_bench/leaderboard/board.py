"""The leaderboard's data: one row per (system, temperature, prompt), verified rows from the
store, reported rows from the paper, and the chance and majority references. The static site
and the Gradio app both render this one structure (:func:`read_board`); neither computes a
score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cameo_bench import __version__
from cameo_bench.leaderboard.reported import read_reported
from cameo_bench.leaderboard.results_store import ResultsStore
from cameo_bench.leaderboard.rows import BoardRow, cells_of
from cameo_bench.leaderboard.submission import Submission
from cameo_bench.presentation import GROUP_VIEWS, HEADLINES, heading, split_cell_key
from cameo_bench.scores import REFERENCE_MODELS

__all__ = ["Board", "read_board"]


@dataclass(frozen=True)
class Board:
    """Everything the leaderboard shows: ``rows`` (verified, then reported, then references)
    and ``groups`` (per scope of :data:`~cameo_bench.presentation.GROUP_VIEWS`: the groups seen
    in any row, sorted)."""

    rows: tuple[BoardRow, ...]
    groups: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data for the static site: the rows, groups, the per-group ``views`` (tab
        title, scope, metric) and the overall ``metrics`` (name, column header)."""
        return {
            "generator": f"cameo-bench {__version__}",
            "rows": [row.to_json() for row in self.rows],
            "groups": self.groups,
            "views": [[v.tab_title, v.scope, v.metric.name] for v in GROUP_VIEWS],
            "metrics": [[m.name, heading(m.header)] for m in HEADLINES],
        }


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
        confusion=sub.confusion.get(run.id, {}),
    ) for run in sub.runs]


def _reference_rows(subs: list[Submission]) -> list[BoardRow]:
    """Chance and majority rows of the first submission (all cover the same whole collection)."""
    if not subs:
        return []
    return [BoardRow(key=f"ref:{name}", status="reference", name=name, family="reference",
                     model=name, temperature=None, prompt_id=None,
                     cells=cells_of(subs[0].scores, (name, None, None)))
            for name in REFERENCE_MODELS]


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
    return Board(tuple(rows), {scope: sorted(names) for scope, names in groups.items()})
