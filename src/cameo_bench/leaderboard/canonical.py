"""A submission's identity: its canonical rows, the same bytes for the same predictions however
the file was written.

The canonical form of a validated predictions list is one compact JSON object per row (keys in
a fixed order, ``parsed`` left out because the store parses every answer itself, unset optional
fields left out, temperature and seconds as floats, non-ASCII kept as UTF-8), rows sorted by
(prompt_id, temperature, dataset, file_id), each ending in ``\\n``. Blank lines, line order, key
order, whitespace, escapes, ``0`` for ``0.0`` and submitted ``parsed`` values therefore change
nothing. The store keeps these bytes as the submission's predictions file (a valid, re-scorable
predictions file) and names the submission by their hash and its metadata.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from cameo_bench.records import Prediction

__all__ = ["canonical_rows", "submission_id"]

#: Fields always written (``model_revision`` may be null), then those written only when set.
_ALWAYS = ("file_id", "dataset", "language", "emotion", "labels", "model", "model_revision",
           "temperature", "prompt_id", "response")
_WHEN_SET = ("prompt_hash", "seconds", "error")
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _row(p: Prediction) -> str:
    row = {name: getattr(p, name) for name in _ALWAYS}
    row["temperature"] = float(p.temperature)
    for name in _WHEN_SET:
        value = getattr(p, name)
        if value is not None:
            row[name] = float(value) if name == "seconds" else value
    return _ENCODE(row)


def canonical_rows(preds: Sequence[Prediction]) -> bytes:
    """The canonical bytes of ``preds`` (see the module docstring); rows must be unique per
    (file_id, temperature, prompt_id) and of one model, as a validated submission is."""
    ordered = sorted(preds, key=lambda p: (p.prompt_id, p.temperature, p.dataset, p.file_id))
    return "".join(_row(p) + "\n" for p in ordered).encode("utf-8")


def submission_id(rows: bytes, meta: dict[str, str]) -> str:
    """The store's id of canonical ``rows`` under validated ``meta``: the hex sha256 of the rows
    followed by the metadata as sorted, indented JSON."""
    digest = hashlib.sha256(rows)
    digest.update((json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
                  .encode("utf-8"))
    return digest.hexdigest()
