"""Build the CAMEO collection from the original corpora (SPEC §1.3).

collect (adapters find and list clips) → normalize (process pool, cached per shard) → curate
(drop invalid and duplicate audio, flag silence) → write (parquet per split, metadata.jsonl) →
card (README.md) → report (build_report.json). Outputs are byte-identical for any ``jobs`` and
across interrupted and resumed runs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cameo_bench.build.card import write_card
from cameo_bench.build.collect import find_corpora
from cameo_bench.build.dedup import curate
from cameo_bench.build.normalize import plan_shards, run_shards
from cameo_bench.build.report import REPORT_NAME, BuildReport, KeptClip
from cameo_bench.build.write import kept_flac, record_of, write_parquet
from cameo_bench.collection.format import write_metadata
from cameo_bench.errors import CameoError
from cameo_bench.vocab import SPLITS

__all__ = ["BuildReport", "REPORT_NAME", "WORK_DIR", "build_collection"]

#: Cached normalized shards live here (under the output folder) until the build completes.
WORK_DIR = ".cameo-build"


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[str, int], None]]:
    """A rich progress bar over ``total`` clips (or nothing), yielding ``advance(split, n)``."""
    if not enabled:
        yield lambda split, n: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("normalizing {task.description:<15}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn()) as bar:
        task = bar.add_task("", total=total)
        yield lambda split, n: bar.update(task, advance=n, description=split)


def build_collection(
    root: str | Path,
    out: str | Path,
    *,
    corpora: Sequence[str] | None = None,
    jobs: int = 1,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the collection of the corpora found under ``root`` (``corpora`` limits which; all
    13 by default) into ``out``, normalizing audio over ``jobs`` processes.

    Writes ``data/{split}-00000-of-00001.parquet``, ``metadata.jsonl``, ``README.md`` and
    ``build_report.json``; corpora not found are skipped (``log`` gets a line for each corpus).
    Resumable: rerun after an interruption to finish with identical output files.
    """
    root, out = Path(root), Path(out)
    found, missing = find_corpora(root, corpora, log or (lambda line: None))
    if not found:
        raise CameoError(f"{root}: none of the corpora {', '.join(corpora or SPLITS)} found "
                         "(see `cameo corpora` for the expected layouts)")
    work = out / WORK_DIR
    shards = {c.split: plan_shards(c.split, c.clips, work) for c in found}
    run_shards([s for split in shards.values() for s in split], jobs,
               lambda total: _progress(progress, total))

    results = {split: [r for s in ss for r in s.load()] for split, ss in shards.items()}
    curated = curate(results)
    report = BuildReport(out, missing=missing, flagged=curated.flagged,
                         label_maps={c.split: c.label_map for c in found})
    for corpus in found:
        report.dropped.extend(corpus.skipped)
    report.dropped.extend(curated.dropped)
    records = []
    for corpus in found:
        split, indices = corpus.split, curated.kept[corpus.split]
        if not indices:
            continue
        kept = [results[split][i] for i in indices]
        split_records = [record_of(corpus.clips[i], results[split][i].file_id) for i in indices]
        report.kept[split] = len(kept)
        report.clips[split] = [KeptClip(r.origin, r.file_id, r.frames, r.source_rate,
                                        r.source_frames) for r in kept]
        rows = zip(split_records, kept_flac(shards[split], indices), strict=True)
        report.files.append(write_parquet(out, split, rows))
        records.extend(split_records)
    for stale in (out / "data").glob("*-00000-of-00001.parquet"):
        if stale.name.split("-00000-of-")[0] not in report.kept:
            stale.unlink()
    report.files.append(write_metadata(out, records))
    report.files.append(write_card(out, report.kept))
    report.files.append(out / REPORT_NAME)
    report.write()
    shutil.rmtree(work, ignore_errors=True)
    return report
