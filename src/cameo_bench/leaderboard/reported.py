"""The paper's published numbers (Tables 4-7) as leaderboard rows marked ``reported``.

Reading the packaged table lives in :mod:`cameo_bench.paper`; this groups its numbers into
one leaderboard row per (model, temperature). Every reported row is on the full collection
(:data:`PAPER_COVERAGE`), so it is ranked only with rows on the full collection.
"""

from __future__ import annotations

from pathlib import Path

from cameo_bench.backends.models import series_of
from cameo_bench.collection.coverage import FULL_CLIPS, Coverage
from cameo_bench.leaderboard.rows import BoardRow
from cameo_bench.paper import PAPER_PROMPT, read_paper_results
from cameo_bench.presentation import cell_key
from cameo_bench.vocab import CORPORA

__all__ = ["PAPER_COVERAGE", "PAPER_PROMPT", "read_reported"]

#: The paper's collection: every corpus at its Table 1 count. The paper publishes counts, not
#: clip ids, so the fingerprint is empty (unknown), never a made-up hash.
PAPER_COVERAGE = Coverage(FULL_CLIPS, "", {c.name: c.samples for c in CORPORA.values()})


def read_reported(path: str | Path | None = None) -> list[BoardRow]:
    """Reported rows from ``path`` (default: the packaged paper_results.tsv), one per
    (model, temperature) in file order of first appearance, with the paper's prompt; a cell's
    bounds are its value ∓ the reported 95% half-width."""
    runs: dict[tuple[str, float], BoardRow] = {}
    for v in read_paper_results(path):
        run = runs.setdefault((v.model, v.temperature), BoardRow(
            key=f"r:{v.model}:{v.temperature!r}", status="reported", name=v.model,
            family=series_of(v.model_id) or v.model, model=v.model_id, model_id=v.model_id,
            temperature=v.temperature, prompt_id=PAPER_PROMPT, cells={},
            coverage=PAPER_COVERAGE))
        run.cells[cell_key(v.scope, v.group, v.metric)] = [
            v.value, round(v.value - v.half_width, 6), round(v.value + v.half_width, 6)]
    return list(runs.values())
