"""Step 5 of the build: the build report (``build_report.json``): what was kept, what was
removed or flagged and why, which corpora were missing, and where every kept clip came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import soundfile
import soxr

from cameo_bench import __version__
from cameo_bench.fileio import atomic_write
from cameo_bench.records import Skipped

__all__ = ["REPORT_NAME", "BuildReport", "printable"]

REPORT_NAME = "build_report.json"


def printable(name: str) -> str:
    """``name`` safe for UTF-8 output: undecodable file-name bytes (kept by Python as surrogate
    escapes) are shown as ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class KeptClip:
    """Provenance of one kept clip: its origin in the corpus and the sizes of its audio."""

    origin: str
    file_id: str
    frames: int  # samples at 16 kHz in the collection
    source_rate: int
    source_frames: int


@dataclass
class BuildReport:
    """The outcome of a build: kept counts per split, removals and notes with their reasons,
    corpora not found, problems (folders or corpora that could not be read), files written,
    per-clip provenance and the label maps applied."""

    out: Path
    kept: dict[str, int] = field(default_factory=dict)
    dropped: list[Skipped] = field(default_factory=list)
    flagged: list[Skipped] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[Skipped] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    clips: dict[str, list[KeptClip]] = field(default_factory=dict)
    label_maps: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Number of clips in the collection."""
        return sum(self.kept.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (no absolute paths, no timestamps: identical across reruns)."""

        def entries(items: list[Skipped]) -> list[dict[str, str]]:
            return [{"corpus": s.corpus, "origin": printable(s.origin),
                     "reason": printable(s.reason)} for s in items]

        return {
            "tool": {"cameo-bench": __version__, "libsndfile": soundfile.__libsndfile_version__,
                     "soxr": soxr.__version__},
            "kept": self.kept,
            "total": self.total,
            "missing": self.missing,
            "problems": [{"corpus": p.corpus, "path": printable(p.origin),
                          "reason": printable(p.reason)} for p in self.problems],
            "dropped": entries(self.dropped),
            "flagged": entries(self.flagged),
            "label_maps": self.label_maps,
            "files": sorted(str(p.relative_to(self.out)) for p in self.files),
            "clips": {split: [{**c.__dict__, "origin": printable(c.origin)} for c in clips]
                      for split, clips in self.clips.items()},
        }

    def write(self) -> Path:
        """Write ``build_report.json`` into the collection folder atomically."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"
        return atomic_write(self.out / REPORT_NAME,
                            lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
