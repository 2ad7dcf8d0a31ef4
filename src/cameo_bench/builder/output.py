"""The build's output folder: only ever one the build made (or an empty one), never inside the
corpora it reads.

A build writes :data:`MARKER` into its output folder before anything else, and removes,
replaces and overwrites files only in a folder that carries it: an existing dataset (its
``data/``, ``README.md``, ``metadata.jsonl``) or a corpus folder given as ``--out`` by mistake
is refused with one line, and nothing in it is touched.
"""

from __future__ import annotations

import json
from pathlib import Path

from cameo_bench.errors import CameoError
from cameo_bench.fileio import atomic_write

__all__ = ["MARKER", "claim_output"]

#: Marks a folder written by ``cameo build`` (kept in the collection; hidden).
MARKER = ".cameo-collection"
_MARK = {"written_by": "cameo-bench build", "note": "remove the folder to rebuild from scratch"}
_LEGACY_REPORT = "build_report.json"  # builds made before the marker existed


def _ours(out: Path) -> bool:
    if (out / MARKER).is_file():
        return True
    try:  # a collection built before the marker: its report names the tool
        report = json.loads((out / _LEGACY_REPORT).read_text(encoding="utf-8"))
        return isinstance(report, dict) and "cameo-bench" in report.get("tool", {})
    except (OSError, ValueError, AttributeError):
        return False


def claim_output(root: Path, out: Path) -> None:
    """Make ``out`` the output of a build of ``root``: create it (or accept it empty or as an
    earlier build's output) and write the marker. Raises :class:`CameoError` if ``out`` and
    ``root`` overlap or ``out`` holds files that a build did not write."""
    source, target = root.resolve(), out.resolve()
    if target == source or source in target.parents or target in source.parents:
        raise CameoError(f"{out}: the output folder overlaps the corpora folder {root}; "
                         "write the collection to a folder outside it")
    if target.exists() and not target.is_dir():
        raise CameoError(f"{out}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not _ours(target):
        raise CameoError(f"{out}: not empty and not written by `cameo build` (no {MARKER} "
                         "file): choose a new or empty folder, nothing was changed")
    if not (target / MARKER).is_file():
        text = json.dumps(_MARK, indent=1) + "\n"
        atomic_write(out / MARKER, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
