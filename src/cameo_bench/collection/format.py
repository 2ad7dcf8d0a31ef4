"""The on-disk format of a CAMEO collection (SPEC §1.2).

``data/{split}-00000-of-00001.parquet`` per corpus, columns in the Hub's order with the Hub's
feature types (stored in the parquet schema metadata under ``huggingface`` so that
``datasets.load_dataset(DIR)`` sees ``audio`` as an Audio feature), and ``metadata.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cameo_bench.audio import TARGET_SR
from cameo_bench.fileio import atomic_write
from cameo_bench.records import ClipRecord

__all__ = [
    "COLUMNS", "HF_FEATURES", "ROW_GROUP", "arrow_schema", "split_path", "split_files",
    "write_split", "write_metadata",
]

#: Column order on the Hub.
COLUMNS: tuple[str, ...] = (
    "file_id", "audio", "emotion", "transcription", "speaker_id", "gender", "age",
    "dataset", "language", "license",
)

_STRING = {"dtype": "string", "_type": "Value"}
HF_FEATURES: dict = {
    c: ({"sampling_rate": TARGET_SR, "_type": "Audio"} if c == "audio" else dict(_STRING))
    for c in COLUMNS
}

#: Rows per parquet row group: readers load one row group of audio at a time.
ROW_GROUP = 128
#: Repetitive text columns get dictionaries and zstd; FLAC bytes are stored as they are.
_DICTIONARY = ["emotion", "transcription", "speaker_id", "gender", "age", "dataset", "language",
               "license"]
_COMPRESSION = {c: "zstd" for c in COLUMNS if c != "audio"} | {"audio.path": "zstd",
                                                              "audio.bytes": "none"}
#: Every split's file name ends so (one shard per split, as on the Hub).
_SHARD_SUFFIX = "-00000-of-00001.parquet"


def arrow_schema() -> pa.Schema:
    """The parquet schema of a split, with the Hub's feature types in its metadata."""
    audio = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    fields = [pa.field(c, audio if c == "audio" else pa.string()) for c in COLUMNS]
    meta = {"huggingface": json.dumps({"info": {"features": HF_FEATURES}})}
    return pa.schema(fields, metadata=meta)


def split_path(root: str | Path, split: str) -> Path:
    """Where split ``split`` lives under collection ``root``."""
    return Path(root) / "data" / f"{split}{_SHARD_SUFFIX}"


def split_files(root: str | Path) -> dict[str, Path]:
    """The split files present under collection ``root``, by split name (unordered)."""
    data = Path(root) / "data"
    if not data.is_dir():
        return {}
    return {p.name[: -len(_SHARD_SUFFIX)]: p for p in data.glob(f"*{_SHARD_SUFFIX}")}


def _row_groups(rows: Iterable[tuple[ClipRecord, bytes]]) -> Iterator[pa.Table]:
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


def write_split(root: str | Path, split: str, rows: Iterable[tuple[ClipRecord, bytes]]) -> Path:
    """Write split ``split`` of collection ``root`` atomically from ``rows`` (record, FLAC bytes)
    in final order, streamed one row group of :data:`ROW_GROUP` rows at a time."""

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, arrow_schema(), compression=_COMPRESSION,
                              use_dictionary=_DICTIONARY) as writer:
            for table in _row_groups(rows):
                writer.write_table(table, row_group_size=ROW_GROUP)

    return atomic_write(split_path(root, split), write)


def write_metadata(root: str | Path, records: Sequence[ClipRecord]) -> Path:
    """Write ``metadata.jsonl`` (UTF-8, one object per sample, every field but audio) atomically."""
    text = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)
    return atomic_write(
        Path(root) / "metadata.jsonl", lambda tmp: Path(tmp).write_text(text, encoding="utf-8")
    )
