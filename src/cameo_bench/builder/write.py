"""Step 4 of the build: write each split's parquet (streamed, one row group at a time) and
``metadata.jsonl``, in the collection's deterministic order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cameo_bench.collection.format import COLUMNS, arrow_schema, split_path
from cameo_bench.fileio import atomic_write
from cameo_bench.records import ClipRecord, SourceClip
from cameo_bench.vocab import corpus_info

__all__ = ["ROW_GROUP", "record_of", "write_parquet"]

#: Rows per parquet row group: readers load one row group of audio at a time.
ROW_GROUP = 128
#: Repetitive text columns get dictionaries and zstd; FLAC bytes are stored as they are.
_DICTIONARY = ["emotion", "transcription", "speaker_id", "gender", "age", "dataset", "language",
               "license"]
_COMPRESSION = {c: "zstd" for c in COLUMNS if c != "audio"} | {"audio.path": "zstd",
                                                              "audio.bytes": "none"}


def record_of(clip: SourceClip, file_id: str) -> ClipRecord:
    """The collection record of a converted clip (corpus facts from the vocabulary)."""
    info = corpus_info(clip.corpus)
    return ClipRecord(
        file_id=file_id, emotion=clip.emotion, transcription=clip.transcription,
        speaker_id=clip.speaker_id, gender=clip.gender, age=clip.age,
        dataset=info.name, language=info.language, license=info.license,
    )


def _batches(rows: Iterable[tuple[ClipRecord, bytes]]) -> Iterator[pa.Table]:
    schema = arrow_schema()
    columns: dict[str, list] = {c: [] for c in COLUMNS}
    for record, flac in rows:
        for c in COLUMNS:
            value = {"bytes": flac, "path": record.file_id} if c == "audio" else getattr(record, c)
            columns[c].append(value)
        if len(columns["file_id"]) == ROW_GROUP:
            yield pa.Table.from_pydict(columns, schema=schema)
            columns = {c: [] for c in COLUMNS}
    if columns["file_id"]:
        yield pa.Table.from_pydict(columns, schema=schema)


def write_parquet(out: Path, split: str, rows: Iterable[tuple[ClipRecord, bytes]]) -> Path:
    """Write split ``split`` of collection ``out`` atomically from ``rows`` in final order."""

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, arrow_schema(), compression=_COMPRESSION,
                              use_dictionary=_DICTIONARY) as writer:
            for table in _batches(rows):
                writer.write_table(table, row_group_size=ROW_GROUP)

    return atomic_write(split_path(out, split), write)
