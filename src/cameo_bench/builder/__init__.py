"""Build the CAMEO collection from the original corpora (SPEC §1.3).

collect (adapters find and list clips) → convert (process pool, cached per chunk) → curate
(drop invalid and duplicate audio, flag silence) → write (parquet per split, metadata.jsonl) →
card (README.md) → report (build_report.json). Curating and writing consume the converted
chunks in order while the workers run ahead. Outputs are byte-identical for any ``jobs`` and
across interrupted and resumed runs. The output folder is claimed first (``builder.output``):
a folder the build did not make is never written into.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import pyarrow as pa

from cameo_bench.builder.card import write_card
from cameo_bench.builder.collect import FoundCorpus, Survey, find_corpora
from cameo_bench.builder.convert import Chunk, ChunkResults, converted, plan_chunks
from cameo_bench.builder.dedup import Curator
from cameo_bench.builder.output import MARKER, claim_output
from cameo_bench.builder.report import REPORT_NAME, BuildReport, KeptClip, printable
from cameo_bench.collection.format import (
    split_block,
    split_files,
    write_metadata,
    write_split_blocks,
)
from cameo_bench.errors import CameoError
from cameo_bench.progress import progress as progress_of
from cameo_bench.records import ClipRecord, SourceClip
from cameo_bench.vocab import SPLITS, corpus_info

__all__ = ["BuildReport", "REPORT_NAME", "WORK_DIR", "build_collection"]

#: Cached converted chunks live here (under the output folder) until the build completes.
WORK_DIR = ".cameo-build"


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[str, int], None]]:
    """Progress over ``total`` clips (or nothing), yielding ``advance(split, n)``."""
    with progress_of(total, "converting", enabled=enabled) as tracker:
        yield lambda split, n: tracker.advance(n, label=f"converting {split:<15}")


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
    chunks: Iterable[tuple[Chunk, ChunkResults]],
    curator: Curator,
    report: BuildReport,
    records: list[ClipRecord],
) -> Iterator[pa.Table]:
    """The rows of ``corpus`` that the curator keeps, as split blocks (one per chunk; FLAC
    bytes taken from the chunk's array, not copied into Python), noting them in ``report``
    and ``records`` as they pass."""
    for chunk, results in chunks:
        rows, kept = [], []
        for row, (clip, item) in enumerate(zip(chunk.clips, results.items, strict=True)):
            if curator.keep(corpus.split, item):
                rows.append(row)
                kept.append(record_of(clip, item.file_id))
                report.clips.setdefault(corpus.split, []).append(KeptClip(
                    item.origin, item.file_id, item.frames, item.source_rate, item.source_frames))
        if kept:
            records.extend(kept)
            report.kept[corpus.split] = report.kept.get(corpus.split, 0) + len(kept)
            flac = results.flac if len(rows) == len(results.items) else pa.concat_arrays(
                [results.flac.slice(row, 1) for row in rows])
            yield split_block(kept, flac)


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

    Writes ``data/{split}-00000-of-00001.parquet``, ``metadata.jsonl``, ``README.md``,
    ``build_report.json`` and the marker of a build's folder; corpora not found are skipped
    (``log`` gets a line for each corpus and each problem). Resumable: rerun after an
    interruption to finish with identical output files. Raises :class:`CameoError` (one line)
    when ``out`` is not a build's folder, overlaps ``root``, or cannot be written (full disk,
    read-only, a name too long).
    """
    root, out = Path(root), Path(out)
    survey = find_corpora(root, corpora, log or (lambda line: None))
    if not survey.found:
        first = f" ({survey.problems[0].origin}: {survey.problems[0].reason})" \
            if survey.problems else ""
        raise CameoError(f"{root}: none of the corpora {', '.join(corpora or SPLITS)} found"
                         f"{first} (see `cameo corpora` for the expected layouts)")
    try:
        claim_output(root, out)
        return _build(survey, out, jobs, progress)
    except OSError as exc:
        where = _shown(exc.filename or out)
        what = exc.strerror or str(exc).splitlines()[0]
        raise CameoError(f"{where}: cannot write the collection ({what}); "
                         "rerun to resume once the cause is fixed") from exc


def _shown(path: str | Path) -> str:
    """``path`` for a message: a temporary file of ``atomic_write`` as the file it becomes."""
    path = Path(path)
    temporary = re.fullmatch(r"\.(.+)\.tmp-\d+", path.name)
    return printable(str(path.with_name(temporary.group(1)) if temporary else path))


def _build(survey: Survey, out: Path, jobs: int, progress: bool) -> BuildReport:
    """Convert, curate and write the corpora of ``survey`` into the claimed folder ``out``."""
    found = survey.found
    work = out / WORK_DIR
    for leftover in (out / "data").glob(".*.tmp-*"):  # from a build killed mid-write
        leftover.unlink()
    chunks = {c.split: plan_chunks(c.split, c.clips, work, c.max_seconds) for c in found}
    curator = Curator()
    report = BuildReport(out, missing=survey.missing, problems=survey.problems,
                         label_maps={c.split: c.label_map for c in found})
    records: list[ClipRecord] = []
    stream = converted([s for ss in chunks.values() for s in ss], jobs,
                        lambda total: _progress(progress, total))
    with closing(stream):
        for corpus in found:
            part = itertools.islice(stream, len(chunks[corpus.split]))
            path = write_split_blocks(out, corpus.split,
                                      _kept(corpus, part, curator, report, records))
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
    report.files += [out / MARKER, out / REPORT_NAME]
    report.write()
    shutil.rmtree(work, ignore_errors=True)
    return report
