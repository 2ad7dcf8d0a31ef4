"""Where a report's numbers come from: the tool and parser versions, when it was made, the
input files (with their sha256), the scorer's settings, and per run the model id and revision,
the prompt id and hash, and the clips scored (count and fingerprint).

The date is the current UTC time, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds: the
same inputs then give the same bytes).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cameo_bench import __version__
from cameo_bench.parse import PARSER_VERSION
from cameo_bench.records import Prediction

__all__ = ["Provenance", "RunFacts", "file_sha256", "report_date", "run_facts"]


def file_sha256(path: str | Path) -> str:
    """``sha256:<hex>`` of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def report_date() -> str:
    """The UTC time now (or of ``SOURCE_DATE_EPOCH``), ISO 8601 to the second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit()
              else datetime.now(timezone.utc))
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Provenance:
    """A report's origin: ``inputs`` as (path as given, sha256), the ``generated`` date, the
    bootstrap settings, the cameo-bench and answer-parser versions."""

    inputs: tuple[tuple[str, str], ...]
    generated: str
    n_resamples: int
    seed: int
    version: str = __version__
    parser: str = PARSER_VERSION

    @classmethod
    def of_files(cls, paths: Sequence[str | Path], *, n_resamples: int, seed: int) -> Provenance:
        """The provenance of a report made now from the predictions files ``paths``."""
        return cls(tuple((str(p), file_sha256(p)) for p in paths), report_date(), n_resamples,
                   seed)


@dataclass(frozen=True)
class RunFacts:
    """What a run's rows say about how they were made: model revisions and prompt hashes seen
    (sorted; ``None`` where a row does not say)."""

    revisions: tuple[str | None, ...]
    prompt_hashes: tuple[str | None, ...]


def run_facts(preds: Iterable[Prediction]) -> dict[tuple, RunFacts]:
    """Per (model, temperature, prompt_id) run, sorted: its :class:`RunFacts`."""
    seen: dict[tuple, tuple[set, set]] = {}
    for p in preds:
        revisions, hashes = seen.setdefault((p.model, p.temperature, p.prompt_id), (set(), set()))
        revisions.add(p.model_revision)
        hashes.add(p.prompt_hash)

    def ordered(values: set) -> tuple:
        return tuple(sorted(values, key=lambda v: (v is None, v or "")))

    return {run: RunFacts(ordered(r), ordered(h)) for run, (r, h) in sorted(seen.items())}
