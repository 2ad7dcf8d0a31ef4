"""Step 3 of the build: drop invalid clips and duplicates (same ``file_id``), flag silent ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cameo_bench.build.normalize import Normalized
from cameo_bench.records import Skipped

__all__ = ["Curated", "curate"]

SILENT_NOTE = "all-silent audio (kept, SPEC §1.3)"


@dataclass
class Curated:
    """Which clips of each corpus stay (indices into its normalized list, in order), and the
    report entries: removals with reasons, and kept clips worth a note."""

    kept: dict[str, list[int]] = field(default_factory=dict)
    dropped: list[Skipped] = field(default_factory=list)
    flagged: list[Skipped] = field(default_factory=list)


def curate(results: dict[str, Sequence[Normalized]]) -> Curated:
    """Keep every valid clip whose ``file_id`` was not seen before, visiting corpora in the given
    order and clips in origin order (so the first name of duplicated audio is the one kept)."""
    out = Curated()
    first: dict[str, str] = {}
    for split, items in results.items():
        kept = out.kept.setdefault(split, [])
        for i, item in enumerate(items):
            if item.error is not None:
                out.dropped.append(Skipped(split, item.origin, item.error))
                continue
            if item.file_id in first:
                out.dropped.append(
                    Skipped(split, item.origin, f"duplicate audio of {first[item.file_id]}"))
                continue
            first[item.file_id] = f"{split}/{item.origin}"
            kept.append(i)
            if item.silent:
                out.flagged.append(Skipped(split, item.origin, SILENT_NOTE))
    return out
