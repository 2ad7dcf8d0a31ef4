"""A leaderboard row: one (system, temperature, prompt) with its numbers, as the static site and
the Gradio app show it. Rows are built by :mod:`board` (verified and reference rows) and
:mod:`reported` (the paper's rows); neither the site nor the app computes a score.

A row's ``cells`` map :func:`~cameo_bench.presentation.cell_key` (``"scope|group|metric"``) to
``[value, ci_low, ci_high]`` (``None`` bounds without an interval); its ``coverage`` says on which
clips they were computed (numbers are comparable only on the same clips, see :mod:`board`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cameo_bench.collection.coverage import Coverage
from cameo_bench.leaderboard.submission import matrices_to_json
from cameo_bench.metrics import Confusion
from cameo_bench.presentation import cell_key, run_label
from cameo_bench.scores import ScoreRecord

__all__ = ["Cell", "BoardRow", "cells_of", "format_cell", "collection_id"]

#: One number of a row: ``[value, ci_low, ci_high]``.
Cell = list[float | None]

#: The JSON fields of a row by status: a reference row has no model id; only a verified row
#: has the submission's facts and confusion matrices.
_JSON_FIELDS: dict[str, tuple[str, ...]] = {
    "reference": ("key", "status", "name", "family", "model", "temperature", "prompt_id",
                  "cells", "coverage"),
    "reported": ("key", "status", "name", "family", "model", "model_id", "temperature",
                 "prompt_id", "cells", "coverage"),
    "verified": ("key", "status", "name", "family", "model", "model_id", "url", "description",
                 "submitter", "temperature", "prompt_id", "submission", "scorer", "cells",
                 "coverage", "confusion"),
}


def collection_id(coverage: Coverage) -> str:
    """The collection a row's numbers belong to: ``"full"`` for the full collection (every
    corpus at its Table 1 count, the paper's), else the fingerprint of its clips."""
    return "full" if coverage.full else coverage.fingerprint


@dataclass(frozen=True)
class BoardRow:
    """One row: a unique ``key``, its ``status`` (``verified``, ``reported`` or ``reference``),
    the system's display ``name``, ``family`` and ``model`` (Hub id), the run's temperature and
    prompt (``None`` for references), its ``cells`` and the ``coverage`` of the clips they were
    computed on; verified rows also carry the submitter's metadata, the submission id, the
    scorer's settings and confusion matrices by scope."""

    key: str
    status: str
    name: str
    family: str
    model: str
    temperature: float | None
    prompt_id: str | None
    cells: dict[str, Cell]
    coverage: Coverage
    model_id: str | None = None
    url: str | None = None
    description: str | None = None
    submitter: str | None = None
    submission: str | None = None
    scorer: dict[str, Any] | None = None
    confusion: dict[str, Confusion] = field(default_factory=dict)

    def cell(self, scope: str, group: str, metric: str) -> Cell | None:
        """The row's number for (scope, group, metric), or ``None``."""
        return self.cells.get(cell_key(scope, group, metric))

    @property
    def collection(self) -> str:
        """The :func:`collection_id` of the row's coverage."""
        return collection_id(self.coverage)

    @property
    def label(self) -> str:
        """``status: name T=0 cameo-v1 [submission id]`` (what a picker lists)."""
        sid = f" [{self.submission[:8]}]" if self.submission else ""
        run = run_label(self.name, self.temperature, self.prompt_id, with_prompt=True)
        return f"{self.status}: {run}{sid}"

    def to_json(self) -> dict[str, Any]:
        """The row as the static site embeds it: the fields its status has (see
        ``_JSON_FIELDS``), coverage as :meth:`Coverage.to_dict`, confusion matrices as
        ``[{"scope", "classes", "counts"}]``."""
        out = {name: getattr(self, name) for name in _JSON_FIELDS[self.status]}
        out["coverage"] = self.coverage.to_dict()
        if "confusion" in out:
            out["confusion"] = matrices_to_json(self.confusion)
        return out


def format_cell(cell: Cell | None) -> str:
    """A number as every leaderboard view prints it: ``0.316 ± 0.0420`` (value to 3 decimals,
    ``±`` the interval's half-width to 4, as the paper), ``0.316`` without an interval, ``–``
    without a value."""
    if cell is None or cell[0] is None:
        return "–"
    if cell[1] is None or cell[2] is None:
        return f"{cell[0]:.3f}"
    return f"{cell[0]:.3f} ± {(cell[2] - cell[1]) / 2:.4f}"


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def cells_of(records: Iterable[ScoreRecord], run: tuple) -> dict[str, Cell]:
    """The cells of the (model, temperature, prompt_id) ``run`` among score ``records``, values
    and bounds rounded to 6 decimals."""
    return {cell_key(r.scope, r.group, r.metric): [_round(r.value), _round(r.ci_low),
                                                   _round(r.ci_high)]
            for r in records if (r.model, r.temperature, r.prompt_id) == run}
