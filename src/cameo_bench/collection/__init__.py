"""The collection format (parquet + metadata.jsonl, the Hub's layout) and its reader."""

from cameo_bench.collection.format import (
    COLUMNS,
    arrow_schema,
    split_files,
    split_path,
    write_metadata,
    write_split,
)
from cameo_bench.collection.reader import Clip, Collection, open_collection

__all__ = [
    "COLUMNS",
    "arrow_schema",
    "split_path",
    "split_files",
    "write_split",
    "write_metadata",
    "Clip",
    "Collection",
    "open_collection",
]
