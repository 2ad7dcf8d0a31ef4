"""The on-disk format of a CAMEO collection (SPEC §1.2).

``data/{split}-00000-of-00001.parquet`` per corpus, columns in the Hub's order with the Hub's
feature types (stored in the parquet schema metadata under ``huggingface`` so that
``datasets.load_dataset(DIR)`` sees ``audio`` as an Audio feature), and ``metadata.jsonl``.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cameo_bench.audio import TARGET_SR
from cameo_bench.fileio import atomic_write
from cameo_bench.records import ClipRecord

__all__ = [
    "COLUMNS", "HF_FEATURES", "ROW_GROUP", "arrow_schema", "split_path", "split_files",
    "split_block", "write_split_blocks", "write_split", "write_metadata",
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
#: Row groups (~6 MB of audio each) written between two flushes to the disk.
_SYNC_EVERY = 8
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


def _array(values: Sequence[str | bytes | None], kind: pa.DataType) -> pa.Array:
    """A string or binary array of ``values`` built from its buffers: unlike ``pa.array``, this
    never makes pyarrow import pandas (0.2 s per process, where it is installed)."""
    raw = [v.encode() if isinstance(v, str) else (v or b"") for v in values]
    offsets = np.zeros(len(raw) + 1, dtype=np.int32)
    np.cumsum([len(v) for v in raw], out=offsets[1:])
    present = [v is not None for v in values]
    validity = None if all(present) else pa.py_buffer(np.packbits(present, bitorder="little"))
    return pa.Array.from_buffers(kind, len(raw),
                                 [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(raw))])


def split_block(records: Sequence[ClipRecord], flac: pa.Array | Sequence[bytes]) -> pa.Table:
    """Rows of a split as a table in its schema: ``records`` and their FLAC file bytes
    (``flac[i]`` is ``records[i]``'s; a pyarrow binary array is used without copying)."""
    columns = {c: _array([getattr(r, c) for r in records], pa.string())
               for c in COLUMNS if c != "audio"}
    data = flac if isinstance(flac, pa.Array) else _array(flac, pa.binary())
    columns["audio"] = pa.StructArray.from_arrays([data, columns["file_id"]],
                                                  names=["bytes", "path"])
    return pa.Table.from_arrays([columns[c] for c in COLUMNS], schema=arrow_schema())


def _row_groups(blocks: Iterable[pa.Table]) -> Iterator[pa.Table]:
    """``blocks`` re-cut into tables of :data:`ROW_GROUP` rows (the last one shorter), each
    in one contiguous chunk: the bytes written do not depend on how the rows came in."""
    pending: list[pa.Table] = []
    held = 0
    for block in blocks:
        pending.append(block)
        held += block.num_rows
        while held >= ROW_GROUP:
            rows = pa.concat_tables(pending)
            yield rows.slice(0, ROW_GROUP).combine_chunks()
            pending, held = [rows.slice(ROW_GROUP)], held - ROW_GROUP
    if held:
        yield pa.concat_tables(pending).combine_chunks()


def write_split_blocks(root: str | Path, split: str, blocks: Iterable[pa.Table]) -> Path:
    """Write split ``split`` of collection ``root`` atomically from ``blocks`` (tables made by
    :func:`split_block`, in final order, of any sizes), streamed one row group of
    :data:`ROW_GROUP` rows at a time. The one writer of split files."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f, pq.ParquetWriter(f, arrow_schema(), compression=_COMPRESSION,
                                                     use_dictionary=_DICTIONARY) as writer:
            for n, table in enumerate(_row_groups(blocks), start=1):
                writer.write_table(table, row_group_size=ROW_GROUP)
                if n % _SYNC_EVERY == 0:  # the disk writes while later rows are prepared,
                    f.flush()  # so the final fsync has little left to wait for
                    os.fdatasync(f.fileno())

    return atomic_write(split_path(root, split), write)


def write_split(root: str | Path, split: str, rows: Iterable[tuple[ClipRecord, bytes]]) -> Path:
    """Write split ``split`` of collection ``root`` from ``rows`` (record, FLAC bytes) in final
    order, through :func:`write_split_blocks`."""

    def blocks() -> Iterator[pa.Table]:
        part = list(itertools.islice(iter_rows, ROW_GROUP))
        while part:
            yield split_block([r for r, _ in part], [flac for _, flac in part])
            part = list(itertools.islice(iter_rows, ROW_GROUP))

    iter_rows = iter(rows)
    return write_split_blocks(root, split, blocks())


def write_metadata(root: str | Path, records: Sequence[ClipRecord]) -> Path:
    """Write ``metadata.jsonl`` (UTF-8, one object per sample, every field but audio) atomically."""
    names = list(ClipRecord.__dataclass_fields__)  # to_dict's keys, without asdict's deep copy
    text = "".join(json.dumps({n: getattr(r, n) for n in names}, ensure_ascii=False) + "\n"
                   for r in records)
    return atomic_write(
        Path(root) / "metadata.jsonl", lambda tmp: Path(tmp).write_text(text, encoding="utf-8")
    )
