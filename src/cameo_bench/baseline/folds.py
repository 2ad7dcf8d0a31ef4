"""Deterministic grouped cross-validation folds that keep test speakers out of training.

Within one corpus, clips are grouped by the first key that has at least two distinct values:

1. ``speaker``: ``speaker_id`` (a clip without one is its own group, keyed by ``file_id``);
2. ``transcription``: for corpora with one or no speaker (EMNS, PAVOQUE, MESD, RESD) the test
   sentences are never heard in training (text-independent, not speaker-independent);
3. ``file``: every clip is its own group (plain k-fold).

Groups are placed largest first (ties by key) into the fold with the fewest clips so far (ties
to the lowest fold), like scikit-learn's ``GroupKFold``, so the assignment depends only on the
records, never on their order or a random state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cameo_bench.records import ClipRecord

__all__ = ["Folds", "group_keys", "assign_folds"]


@dataclass(frozen=True)
class Folds:
    """Fold index and group key of each record; ``grouping`` says which key was used."""

    fold: tuple[int, ...]
    groups: tuple[str, ...]
    grouping: str
    n_folds: int

    def train_test(self, k: int) -> tuple[list[int], list[int]]:
        """Positions of the training and test records of fold ``k``."""
        train = [i for i, f in enumerate(self.fold) if f != k]
        test = [i for i, f in enumerate(self.fold) if f == k]
        return train, test


def group_keys(records: Sequence[ClipRecord]) -> tuple[str, tuple[str, ...]]:
    """The grouping used for ``records`` (one corpus) and each record's group key."""
    speakers = {r.speaker_id for r in records if r.speaker_id}
    if len(speakers) >= 2:
        return "speaker", tuple(r.speaker_id or f"file:{r.file_id}" for r in records)
    texts = {r.transcription for r in records if r.transcription}
    if len(texts) >= 2:
        return "transcription", tuple(
            f"text:{r.transcription}" if r.transcription else f"file:{r.file_id}"
            for r in records
        )
    return "file", tuple(f"file:{r.file_id}" for r in records)


def assign_folds(records: Sequence[ClipRecord], n_folds: int = 5) -> Folds:
    """Assign ``records`` (one corpus) to at most ``n_folds`` folds, one group per fold only.

    Fewer groups than ``n_folds`` give one fold per group; a single group gives one fold (no
    training data for it: callers report that).
    """
    grouping, keys = group_keys(records)
    sizes = Counter(keys)
    k = max(1, min(n_folds, len(sizes)))
    load = [0] * k
    fold_of: dict[str, int] = {}
    for key, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        target = min(range(k), key=lambda f: (load[f], f))
        fold_of[key] = target
        load[target] += size
    return Folds(tuple(fold_of[key] for key in keys), keys, grouping, k)
