"""Step 3 of the build: drop invalid clips and duplicates (same ``file_id``), flag silent ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from cameo_bench.builder.convert import Converted
from cameo_bench.records import Skipped

__all__ = ["SILENT_NOTE", "Curator"]

SILENT_NOTE = "all-silent audio (kept, SPEC §1.3)"


@dataclass
class Curator:
    """Decides, clip by clip in collection order, what stays; collects the report entries:
    removals with reasons, and kept clips worth a note."""

    dropped: list[Skipped] = field(default_factory=list)
    flagged: list[Skipped] = field(default_factory=list)
    first: dict[str, str] = field(default_factory=dict)  # file_id → split/origin kept

    def keep(self, split: str, item: Converted) -> bool:
        """Whether ``item`` stays: valid audio whose ``file_id`` was not kept before (visited in
        corpus order, then origin order, the first name of duplicated audio is kept)."""
        if item.error is not None:
            self.dropped.append(Skipped(split, item.origin, item.error))
            return False
        if item.file_id in self.first:
            reason = f"duplicate audio of {self.first[item.file_id]}"
            self.dropped.append(Skipped(split, item.origin, reason))
            return False
        self.first[item.file_id] = f"{split}/{item.origin}"
        if item.silent:
            self.flagged.append(Skipped(split, item.origin, SILENT_NOTE))
        return True
