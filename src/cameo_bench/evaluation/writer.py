"""The driver's writer: the one process that writes a run's predictions file.

Each finished unit's lines are appended with one write and an fsync (so a kill loses at most
the units in flight, and a torn tail is dropped on the next read). The writer remembers each
line's place in the canonical order of a finished file (:func:`~cameo_bench.evaluation.
run_folder.row_order`), so when the run completes it puts the lines in that order without
parsing them again; anything it cannot vouch for (other files, rows of other clips or
temperatures, a row answered twice) goes through :func:`~cameo_bench.evaluation.run_folder.
merge_run`, which gives the same bytes from scratch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cameo_bench.collection.reader import Clip
from cameo_bench.evaluation.loop import UnitResult
from cameo_bench.evaluation.run_folder import merge_run, prediction_files
from cameo_bench.fileio import append_synced, atomic_write
from cameo_bench.records import Prediction

__all__ = ["UnitWriter"]


class UnitWriter:
    """Appends finished units to ``path`` for a run over ``clips`` (collection order) at
    ``temperatures`` (the run's, ascending), which already holds ``rows`` (read from it, in
    file order)."""

    def __init__(self, path: Path, clips: Sequence[Clip], temperatures: Sequence[float],
                 rows: Sequence[Prediction]):
        self.path = path
        # canonical rank of each clip: rows sort by (temperature, dataset, file_id)
        keys = [(c.record.dataset, c.record.file_id) for c in clips]
        self._clip_rank = np.empty(len(clips), dtype=np.int64)
        self._clip_rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
        self._n = len(clips)
        self._ranks: list[np.ndarray] = []
        self._known = self._start_ranks(clips, temperatures, rows)

    def _start_ranks(self, clips: Sequence[Clip], temperatures: Sequence[float],
                     rows: Sequence[Prediction]) -> bool:
        """Ranks of the rows already in the file; False when one is not of this run."""
        position = {c.record.file_id: i for i, c in enumerate(clips)}
        passes = {t: p for p, t in enumerate(temperatures)}
        ranks = np.empty(len(rows), dtype=np.int64)
        for k, row in enumerate(rows):
            i, p = position.get(row.file_id), passes.get(row.temperature)
            if i is None or p is None:
                return False
            ranks[k] = p * self._n + self._clip_rank[i]
        self._ranks.append(ranks)
        return True

    def append(self, result: UnitResult) -> None:
        """Append a finished unit's lines (one write, then fsync)."""
        append_synced(self.path, result.text)
        rows = np.asarray(result.rows, dtype=np.int64).reshape(-1, 2)
        self._ranks.append(rows[:, 0] * self._n + self._clip_rank[rows[:, 1]])

    def finish(self) -> Path:
        """Leave the run folder's answers as one ``predictions.jsonl`` in canonical order (the
        bytes :func:`~cameo_bench.evaluation.run_folder.merge_run` writes) and return it."""
        ranks = np.concatenate(self._ranks) if self._ranks else np.empty(0, np.int64)
        if (not self._known or prediction_files(self.path.parent) != [self.path]
                or len(np.unique(ranks)) != len(ranks)):
            return merge_run(self.path.parent)
        data = self.path.read_bytes()
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")) + 1
        if len(ends) != len(ranks) or (len(data) and ends[-1] != len(data)):
            return merge_run(self.path.parent)  # a line the writer did not count
        order = np.argsort(ranks, kind="stable")
        if np.any(order != np.arange(len(order))):
            starts = np.concatenate(([0], ends[:-1]))
            view = memoryview(data)  # slices copy nothing: the file and its sorted copy only
            text = b"".join(view[a:b] for a, b in zip(starts[order].tolist(),
                                                       ends[order].tolist(), strict=True))
            atomic_write(self.path, lambda tmp: Path(tmp).write_bytes(text))
        return self.path
