"""The on-disk format of a CAMEO collection (SPEC §1.2).

``data/{split}-00000-of-00001.parquet`` per corpus, columns in the Hub's order with the Hub's
feature types (stored in the parquet schema metadata under ``huggingface`` so that
``datasets.load_dataset(DIR)`` sees ``audio`` as an Audio feature), and ``metadata.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cameo_bench.fileio import atomic_write
from cameo_bench.records import ClipRecord

__all__ = [
    "COLUMNS", "HF_FEATURES", "arrow_schema", "split_path", "write_split", "write_metadata",
]

#: Column order on the Hub.
COLUMNS: tuple[str, ...] = (
    "file_id", "audio", "emotion", "transcription", "speaker_id", "gender", "age",
    "dataset", "language", "license",
)

_STRING = {"dtype": "string", "_type": "Value"}
HF_FEATURES: dict = {
    c: ({"sampling_rate": 16000, "_type": "Audio"} if c == "audio" else dict(_STRING))
    for c in COLUMNS
}


def arrow_schema() -> pa.Schema:
    """The parquet schema of a split, with the Hub's feature types in its metadata."""
    audio = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    fields = [pa.field(c, audio if c == "audio" else pa.string()) for c in COLUMNS]
    meta = {"huggingface": json.dumps({"info": {"features": HF_FEATURES}})}
    return pa.schema(fields, metadata=meta)


def split_path(root: str | Path, split: str) -> Path:
    """Where split ``split`` lives under collection ``root``."""
    return Path(root) / "data" / f"{split}-00000-of-00001.parquet"


def write_split(root: str | Path, split: str, rows: Sequence[tuple[ClipRecord, bytes]]) -> Path:
    """Write one split's parquet atomically; ``rows`` are (record, FLAC bytes) in final order."""
    columns: dict[str, list] = {c: [] for c in COLUMNS}
    for record, flac in rows:
        d = record.to_dict()
        for c in COLUMNS:
            columns[c].append({"bytes": flac, "path": record.file_id} if c == "audio" else d[c])
    table = pa.Table.from_pydict(columns, schema=arrow_schema())
    return atomic_write(
        split_path(root, split),
        lambda tmp: pq.write_table(table, tmp, compression="zstd", row_group_size=256),
    )


def write_metadata(root: str | Path, records: Sequence[ClipRecord]) -> Path:
    """Write ``metadata.jsonl`` (UTF-8, one object per sample, every field but audio) atomically."""
    text = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)
    return atomic_write(
        Path(root) / "metadata.jsonl", lambda tmp: Path(tmp).write_text(text, encoding="utf-8")
    )
