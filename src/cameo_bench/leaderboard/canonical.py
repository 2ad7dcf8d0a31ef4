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

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _row(p: Prediction) -> str:
    # a literal dict: ~2x faster than dataclasses.asdict or a getattr loop at 41,265 rows
    row = {"file_id": p.file_id, "dataset": p.dataset, "language": p.language,
           "emotion": p.emotion, "labels": p.labels, "model": p.model,
           "model_revision": p.model_revision, "temperature": float(p.temperature),
           "prompt_id": p.prompt_id, "response": p.response}
    if p.prompt_hash is not None:
        row["prompt_hash"] = p.prompt_hash
    if p.seconds is not None:
        row["seconds"] = float(p.seconds)
    if p.error is not None:
        row["error"] = p.error
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
