"""What a set of clips covers: how many, of which corpora, and a fingerprint of exactly which.

Numbers are only comparable on the same clips. Every run manifest, score record and leaderboard
row carries a :class:`Coverage`, so a 446-clip run is never ranked beside the paper's 41,265-clip
numbers. The fingerprint is ``sha256:`` + the hex sha256 of the sorted, distinct ``file_id``\\ s
joined by ``\\n`` (a content hash: the same clips give the same fingerprint whatever their order,
the folder they sit in or the parquet bytes that hold them). A set is *full* when it holds, for
each of the 13 corpora, exactly the number of clips of the paper's Table 1 (41,265 in all).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cameo_bench.vocab import CORPORA

__all__ = ["Coverage", "FULL_CLIPS", "clips_fingerprint", "coverage_of"]

#: Clips of the full collection per dataset name (the paper's Table 1).
_FULL: dict[str, int] = {c.name: c.samples for c in CORPORA.values()}
#: Clips of the full collection (41,265).
FULL_CLIPS = sum(_FULL.values())


def clips_fingerprint(file_ids: Iterable[str]) -> str:
    """``sha256:<hex>`` of the sorted distinct ``file_ids`` joined by newlines."""
    return "sha256:" + hashlib.sha256("\n".join(sorted(set(file_ids))).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Coverage:
    """``clips`` distinct clips, ``per_dataset`` of them per dataset name, ``fingerprint`` of
    their ids (see the module docstring)."""

    clips: int
    fingerprint: str
    per_dataset: dict[str, int] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        """True when every corpus holds exactly its Table 1 count of clips (41,265 in all)."""
        return self.per_dataset == _FULL

    def describe(self) -> str:
        """One line for people, e.g. ``446 clips, 1 of 13 corpora`` or ``full collection``."""
        if self.full:
            return f"full collection ({self.clips:,} clips)"
        known = sum(1 for name in self.per_dataset if name in _FULL)
        clips = f"{self.clips:,} clip" + ("" if self.clips == 1 else "s")
        return f"{clips}, {known} of {len(_FULL)} corpora"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``per_dataset`` sorted by name)."""
        return {"clips": self.clips, "fingerprint": self.fingerprint, "full": self.full,
                "per_dataset": dict(sorted(self.per_dataset.items()))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        """The inverse of :meth:`to_dict` (``full`` is recomputed, never trusted)."""
        return cls(int(data["clips"]), str(data["fingerprint"]),
                   {str(k): int(v) for k, v in data.get("per_dataset", {}).items()})


def coverage_of(clips: Iterable[tuple[str, str]]) -> Coverage:
    """The coverage of ``(file_id, dataset name)`` pairs; a file_id seen twice counts once."""
    pairs = list(clips)
    seen = dict(pairs)  # C speed; a repeated file_id keeps its first place but its last dataset
    if len(seen) != len(pairs):
        seen = {}
        for file_id, dataset in pairs:
            seen.setdefault(file_id, dataset)
    return Coverage(len(seen), clips_fingerprint(seen), dict(Counter(seen.values())))
