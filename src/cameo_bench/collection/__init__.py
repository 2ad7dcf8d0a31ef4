"""The collection format (parquet + metadata.jsonl, the Hub's layout) and its reader.

The names below are imported from their modules on first use, so importing a light module of
this package (:mod:`~cameo_bench.collection.coverage`, as scoring does) loads no pyarrow.
"""

from __future__ import annotations

from cameo_bench.registry import lazy_attributes

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

#: public name → the module of this package that defines it, imported on first use
__getattr__ = lazy_attributes(__name__, {
    "COLUMNS": "format", "arrow_schema": "format", "split_path": "format",
    "split_files": "format", "write_split": "format", "write_metadata": "format",
    "Clip": "reader", "Collection": "reader", "open_collection": "reader",
})
