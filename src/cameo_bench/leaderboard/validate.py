"""Validate a leaderboard submission: a predictions file and its metadata, both untrusted.

Nothing submitted is executed or used as a path: the predictions file is read line by line with
size limits, parsed as JSON (no pickle, no eval) and checked against the schema and against the
collection the store was created for; the metadata is a small JSON object of length-limited
plain-text fields. Every rejection is a :class:`SubmissionRejected` whose one-line message says
exactly why.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cameo_bench.errors import CameoError, InputError
from cameo_bench.predictions import read_predictions
from cameo_bench.prompts import PROMPTS
from cameo_bench.records import Prediction

__all__ = [
    "Limits", "DEFAULT_LIMITS", "SubmissionRejected", "META_FIELDS", "validate_meta", "read_meta",
    "read_submission", "check_coverage",
]

_MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """Bounds on what a submission may hold (defaults fit 12 runs over the full collection)."""

    max_bytes: int = 512 * _MIB
    max_line_bytes: int = 64 * 1024
    max_lines: int = 12 * 41_265
    max_runs: int = 12
    max_meta_bytes: int = 16 * 1024


#: The limits a submission is held to unless a caller passes others.
DEFAULT_LIMITS = Limits()


class SubmissionRejected(CameoError):
    """A submission breaks a rule; the message (one line) names the rule and the offending value."""

    def __init__(self, problem: str):
        one_line = " ".join(problem.split())
        super().__init__(one_line if len(one_line) <= 400 else one_line[:397] + "...")


#: Metadata fields: name -> maximum length. ``name`` is required; the others are optional.
META_FIELDS: dict[str, int] = {
    "name": 100,
    "family": 60,
    "model_id": 200,
    "revision": 100,
    "submitter": 100,
    "url": 300,
    "description": 1000,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_URL = re.compile(r"^https?://[^\s<>\"'`]+$")
_PROMPT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def validate_meta(meta: Any) -> dict[str, str]:
    """The submission metadata as a clean ``{field: text}`` dict (empty optional fields dropped).

    Rejects a non-object, unknown fields, non-string values, control characters, values longer
    than :data:`META_FIELDS` allows, a missing ``name`` and a ``url`` that is not http(s).
    """
    if not isinstance(meta, Mapping):
        raise SubmissionRejected("metadata must be a JSON object of text fields")
    unknown = sorted(str(k) for k in meta if k not in META_FIELDS)
    if unknown:
        raise SubmissionRejected(
            f"metadata field {unknown[0][:50]!r} is not allowed; allowed: {', '.join(META_FIELDS)}")
    out: dict[str, str] = {}
    for key, limit in META_FIELDS.items():
        value = meta.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SubmissionRejected(f"metadata field {key!r} must be text")
        value = value.strip()
        if len(value) > limit:
            raise SubmissionRejected(
                f"metadata field {key!r} is {len(value)} characters long; the limit is {limit}")
        if _CONTROL.search(value):
            raise SubmissionRejected(f"metadata field {key!r} contains control characters")
        if value:
            out[key] = value
    if "name" not in out:
        raise SubmissionRejected("metadata field 'name' (the system's display name) is required")
    if "url" in out and not _URL.match(out["url"]):
        raise SubmissionRejected("metadata field 'url' must be an http:// or https:// address")
    return out


def read_meta(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """Read and validate a metadata JSON file (see :func:`validate_meta`)."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionRejected(f"metadata file {path.name!r} does not exist")
    if path.stat().st_size > limits.max_meta_bytes:
        raise SubmissionRejected(
            f"metadata file is larger than {limits.max_meta_bytes} bytes")
    try:
        meta = json.loads(path.read_bytes().decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SubmissionRejected(f"metadata is not valid UTF-8 JSON ({exc})") from None
    return validate_meta(meta)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _scan_lines(path: Path, limits: Limits) -> None:
    """Reject a file too large, with too many lines, a line too long or bytes not UTF-8, reading
    at most one line (bounded) at a time."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise SubmissionRejected(
            f"predictions file is {size} bytes; the limit is {limits.max_bytes}")
    with open(path, "rb") as f:
        for n, line in enumerate(iter(lambda: f.readline(limits.max_line_bytes + 1), b""), 1):
            if n > limits.max_lines:
                raise SubmissionRejected(
                    f"predictions file has more than {limits.max_lines} lines")
            if len(line) > limits.max_line_bytes:
                raise SubmissionRejected(
                    f"predictions line {n} is longer than {limits.max_line_bytes} bytes")
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise SubmissionRejected(f"predictions line {n} is not valid UTF-8") from None


def read_submission(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Prediction]:
    """Read an untrusted predictions file: size and line limits, JSON and schema per line, each
    (file_id, temperature, prompt) once, one model, finite numbers, well-formed prompt ids (and
    the registered hash where a registered prompt id carries one), at most ``limits.max_runs``
    runs. The answers' ``parsed`` values are dropped: the store parses every answer itself."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionRejected(f"predictions file {path.name!r} does not exist")
    _scan_lines(path, limits)
    try:
        preds = read_predictions(path)
    except InputError as exc:
        where = f"predictions line {exc.line}" if exc.line else "predictions file"
        raise SubmissionRejected(f"{where}: {exc.problem}") from None
    except RecursionError:
        raise SubmissionRejected("predictions file: a line nests JSON too deeply") from None
    models = sorted({(p.model, p.model_revision or "") for p in preds})
    if len(models) > 1:
        raise SubmissionRejected(
            f"the file holds {len(models)} models ({models[0][0]!r}, {models[1][0]!r}); "
            "submit one system (model and revision) per file")
    runs = sorted({(p.temperature, p.prompt_id) for p in preds})
    if len(runs) > limits.max_runs:
        raise SubmissionRejected(
            f"the file holds {len(runs)} (temperature, prompt) runs; the limit is "
            f"{limits.max_runs}")
    for p in preds:
        if not all(math.isfinite(x) for x in (p.temperature, p.seconds or 0.0)):
            raise SubmissionRejected(f"clip {p.file_id!r}: temperature and seconds must be finite")
        if not _PROMPT_ID.match(p.prompt_id):
            raise SubmissionRejected(
                f"prompt_id {p.prompt_id[:64]!r} must be 1-64 letters, digits, '.', '_' or '-'")
        known = PROMPTS.get(p.prompt_id)
        if known is not None and p.prompt_hash is not None and p.prompt_hash != known.hash:
            raise SubmissionRejected(
                f"prompt_hash {p.prompt_hash!r} does not match prompt {p.prompt_id!r} "
                f"({known.hash}); a changed prompt needs its own prompt_id")
        p.parsed = None
    return preds


def check_coverage(
    preds: list[Prediction],
    clips: Mapping[str, tuple[str, str]],
    label_sets: Mapping[str, tuple[str, ...]],
    languages: Mapping[str, str],
) -> None:
    """Check ``preds`` against a collection: every file_id known, its dataset, language and gold
    emotion those of the collection's record, its offered labels exactly its corpus's label set,
    and every (temperature, prompt) run covering every clip of the collection once.

    ``clips`` maps file_id -> (dataset, emotion); ``label_sets`` and ``languages`` are keyed by
    dataset name.
    """
    covered: dict[tuple[float, str], set[str]] = {}
    for p in preds:
        record = clips.get(p.file_id)
        if record is None:
            raise SubmissionRejected(f"clip {p.file_id[:80]!r} is not in the collection")
        dataset, emotion = record
        if p.dataset != dataset or p.language != languages[dataset]:
            raise SubmissionRejected(
                f"clip {p.file_id[:80]!r}: dataset/language {p.dataset[:40]!r}/"
                f"{p.language[:40]!r} do not match the collection's "
                f"{dataset!r}/{languages[dataset]!r}")
        if p.emotion != emotion:
            raise SubmissionRejected(
                f"clip {p.file_id[:80]!r}: gold emotion {p.emotion[:40]!r} does not match the "
                f"collection's {emotion!r}")
        expected = label_sets[dataset]
        if len(p.labels) != len(set(p.labels)) or set(p.labels) != set(expected):
            raise SubmissionRejected(
                f"clip {p.file_id[:80]!r}: offered labels {', '.join(p.labels)[:200]} must be "
                f"{dataset}'s label set, each once: {', '.join(expected)}")
        covered.setdefault((p.temperature, p.prompt_id), set()).add(p.file_id)
    for (temperature, prompt_id), ids in sorted(covered.items()):
        if len(ids) < len(clips):
            missing = sorted(set(clips) - ids)
            raise SubmissionRejected(
                f"run (temperature {temperature:g}, prompt {prompt_id}) misses {len(missing)} of "
                f"the collection's {len(clips)} clips, e.g. {missing[0]!r}; every run must "
                "answer every clip once")
