"""Build the CAMEO collection from the original corpora (SPEC §1.3).

collect (adapters find and list clips) → convert (process pool, cached per chunk) → curate
(drop invalid and duplicate audio, flag silence) → write (parquet per split, metadata.jsonl) →
card (README.md) → report (build_report.json). Curating and writing consume the converted
chunks in order while the workers run ahead. Outputs are byte-identical for any ``jobs`` and
across interrupted and resumed runs.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from cameo_bench.builder.card import write_card
from cameo_bench.builder.collect import FoundCorpus, find_corpora
from cameo_bench.builder.convert import Chunk, Converted, converted, plan_chunks
from cameo_bench.builder.dedup import Curator
from cameo_bench.builder.report import REPORT_NAME, BuildReport, KeptClip
from cameo_bench.collection.format import split_files, write_metadata, write_split
from cameo_bench.errors import CameoError
from cameo_bench.records import ClipRecord, SourceClip
from cameo_bench.vocab import SPLITS, corpus_info

__all__ = ["BuildReport", "REPORT_NAME", "WORK_DIR", "build_collection"]

#: Cached converted chunks live here (under the output folder) until the build completes.
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


def record_of(clip: SourceClip, file_id: str) -> ClipRecord:
    """The collection record of a converted clip (corpus facts from the vocabulary)."""
    info = corpus_info(clip.corpus)
    return ClipRecord(
        file_id=file_id, emotion=clip.emotion, transcription=clip.transcription,
        speaker_id=clip.speaker_id, gender=clip.gender, age=clip.age,
        dataset=info.name, language=info.language, license=info.license,
    )


def _kept(
    corpus: FoundCorpus,
    results: Iterable[tuple[Chunk, list[Converted]]],
    curator: Curator,
    report: BuildReport,
    records: list[ClipRecord],
) -> Iterator[tuple[ClipRecord, bytes]]:
    """The (record, FLAC) rows of ``corpus`` that the curator keeps, noting them in ``report``
    and ``records`` as they pass."""
    for chunk, items in results:
        for clip, item in zip(chunk.clips, items, strict=True):
            if curator.keep(corpus.split, item):
                record = record_of(clip, item.file_id)
                records.append(record)
                report.kept[corpus.split] = report.kept.get(corpus.split, 0) + 1
                report.clips.setdefault(corpus.split, []).append(KeptClip(
                    item.origin, item.file_id, item.frames, item.source_rate, item.source_frames))
                yield record, item.flac


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
    for leftover in (out / "data").glob(".*.tmp-*"):  # from a build killed mid-write
        leftover.unlink()
    chunks = {c.split: plan_chunks(c.split, c.clips, work) for c in found}
    curator = Curator()
    report = BuildReport(out, missing=missing, label_maps={c.split: c.label_map for c in found})
    records: list[ClipRecord] = []
    stream = converted([s for ss in chunks.values() for s in ss], jobs,
                        lambda total: _progress(progress, total))
    with closing(stream):
        for corpus in found:
            part = itertools.islice(stream, len(chunks[corpus.split]))
            path = write_split(out, corpus.split, _kept(corpus, part, curator, report, records))
            if corpus.split in report.kept:
                report.files.append(path)
            else:
                path.unlink()
    report.dropped = [s for c in found for s in c.skipped] + curator.dropped
    report.flagged = curator.flagged
    for split, stale in split_files(out).items():
        if split not in report.kept:
            stale.unlink()
    report.files.append(write_metadata(out, records))
    report.files.append(write_card(out, report.kept))
    report.files.append(out / REPORT_NAME)
    report.write()
    shutil.rmtree(work, ignore_errors=True)
    return report
