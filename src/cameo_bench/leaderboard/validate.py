"""Validate a leaderboard submission: a predictions file and its metadata, both untrusted.

Nothing submitted is executed or used as a path: the predictions file is read line by line with
size limits, parsed as untrusted JSON (:mod:`cameo_bench.untrusted`: no pickle, no eval, no NaN,
duplicate keys, deep nesting, control or bidirectional characters in names) and checked against
the schema and against the collection the store was created for; the metadata is a small JSON
object of length-limited plain-text fields. Every rejection is a :class:`SubmissionRejected`
whose one-line message says exactly why (``FILE:LINE: reason`` for a line of a file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cameo_bench.errors import CameoError, InputError
from cameo_bench.predictions import read_predictions
from cameo_bench.prompts import PROMPTS
from cameo_bench.records import Prediction
from cameo_bench.untrusted import UntrustedInput, load_json, text_problem

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


class SubmissionRejected(InputError):
    """A submission breaks a rule; the message (one line, at most 400 characters) names the
    file and line where there is one (``FILE:LINE: reason``), the rule and the offending
    value. Files are named by their name only: an upload's folder is the server's business."""

    def __init__(self, problem: str, path: str | Path | None = None, line: int | None = None):
        where = "" if path is None else f"{path}:{line}: " if line is not None else f"{path}: "
        message = where + " ".join(problem.split())
        CameoError.__init__(self, message if len(message) <= 400 else message[:397] + "...")
        self.path = None if path is None else str(path)
        self.line = line
        self.problem = problem


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
_URL = re.compile(r"^https?://[^\s<>\"'`]+$")
_PROMPT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def validate_meta(meta: Any) -> dict[str, str]:
    """The submission metadata as a clean ``{field: text}`` dict (empty optional fields dropped).

    Rejects a non-object, unknown fields, non-string values, text a name may not hold
    (:func:`~cameo_bench.untrusted.text_problem`: control and bidirectional characters, lone
    surrogates), values longer than :data:`META_FIELDS` allows, a missing ``name`` and a
    ``url`` that is not http(s).
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
        problem = text_problem(value)
        if problem:
            raise SubmissionRejected(f"metadata field {key!r} {problem}")
        if value:
            out[key] = value
    if "name" not in out:
        raise SubmissionRejected("metadata field 'name' (the system's display name) is required")
    if "url" in out and not _URL.match(out["url"]):
        raise SubmissionRejected("metadata field 'url' must be an http:// or https:// address")
    return out


def read_meta(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """Read and validate a metadata JSON file: UTF-8, at most ``limits.max_meta_bytes``, safe
    JSON (:func:`~cameo_bench.untrusted.load_json`), then :func:`validate_meta`."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionRejected("no such file", path.name)
    if path.stat().st_size > limits.max_meta_bytes:
        raise SubmissionRejected(f"larger than {limits.max_meta_bytes} bytes", path.name)
    try:
        meta = load_json(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SubmissionRejected(f"not valid UTF-8 (byte at offset {exc.start})",
                                 path.name) from None
    except UntrustedInput as exc:
        raise SubmissionRejected(str(exc), path.name) from None
    return validate_meta(meta)


def read_submission(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Prediction]:
    """Read an untrusted predictions file: size and line limits, safe JSON and schema per line
    (:func:`~cameo_bench.predictions.read_predictions`), each (file_id, temperature, prompt)
    once, one model, well-formed prompt ids (and the registered hash where a registered prompt
    id carries one), at most ``limits.max_runs`` runs. The answers' ``parsed`` values are
    dropped: the store parses every answer itself."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionRejected("no such file", path.name)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise SubmissionRejected(f"{size} bytes; the limit is {limits.max_bytes}", path.name)
    try:
        preds = read_predictions(path, max_line_bytes=limits.max_line_bytes,
                                 max_lines=limits.max_lines)
    except InputError as exc:
        raise SubmissionRejected(exc.problem, path.name, exc.line) from None
    models = sorted({(p.model, p.model_revision or "") for p in preds})
    if len(models) > 1:
        raise SubmissionRejected(
            f"the file holds {len(models)} models ({models[0][0]!r}, {models[1][0]!r}); "
            "submit one system (model and revision) per file", path.name)
    runs = sorted({(p.temperature, p.prompt_id) for p in preds})
    if len(runs) > limits.max_runs:
        raise SubmissionRejected(
            f"the file holds {len(runs)} (temperature, prompt) runs; the limit is "
            f"{limits.max_runs}", path.name)
    prompts = {(p.prompt_id, p.prompt_hash) for p in preds}
    for prompt_id, prompt_hash in sorted(prompts, key=lambda x: (x[0], x[1] or "")):
        if not _PROMPT_ID.match(prompt_id):
            raise SubmissionRejected(
                f"prompt_id {prompt_id[:64]!r} must be 1-64 letters, digits, '.', '_' or '-'",
                path.name)
        known = PROMPTS.get(prompt_id)
        if known is not None and prompt_hash is not None and prompt_hash != known.hash:
            raise SubmissionRejected(
                f"prompt_hash {prompt_hash!r} does not match prompt {prompt_id!r} "
                f"({known.hash}); a changed prompt needs its own prompt_id", path.name)
    for p in preds:
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
    good_labels: set[tuple[str, tuple[str, ...]]] = set()
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
        offered = (dataset, tuple(p.labels))
        if offered not in good_labels:
            expected = label_sets[dataset]
            if len(p.labels) != len(set(p.labels)) or set(p.labels) != set(expected):
                raise SubmissionRejected(
                    f"clip {p.file_id[:80]!r}: offered labels {', '.join(p.labels)[:200]} must "
                    f"be {dataset}'s label set, each once: {', '.join(expected)}")
            good_labels.add(offered)
        covered.setdefault((p.temperature, p.prompt_id), set()).add(p.file_id)
    for (temperature, prompt_id), ids in sorted(covered.items()):
        if len(ids) < len(clips):
            missing = sorted(set(clips) - ids)
            raise SubmissionRejected(
                f"run (temperature {temperature:g}, prompt {prompt_id}) misses {len(missing)} of "
                f"the collection's {len(clips)} clips, e.g. {missing[0]!r}; every run must "
                "answer every clip once")
