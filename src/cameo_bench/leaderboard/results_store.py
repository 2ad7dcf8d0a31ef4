"""The results store: a folder of JSON, one file per verified submission, plus an index.

Layout::

    RESULTS_DIR/
      collection.json                  the collection's clips (file_id -> dataset, emotion) and
                                       each dataset's language and label set
      index.json                       one entry per submission, sorted by id
      submissions/<sha256>.json        metadata, provenance, re-scored scores, confusion matrices
      predictions/<sha256>.jsonl       the validated predictions, re-serialized (re-scorable)

A submission's id is the sha256 of its predictions file and its canonical metadata: never a
name the submitter chose. Ids read back from ``index.json`` are checked to be 64 hex digits
before they name a file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cameo_bench import __version__
from cameo_bench.collection.reader import open_collection
from cameo_bench.errors import CameoError, InputError, UnknownNameError
from cameo_bench.fileio import atomic_write
from cameo_bench.leaderboard.rescore import rescore
from cameo_bench.leaderboard.submission import FORMAT, Submission, SubmittedRun
from cameo_bench.leaderboard.validate import (
    DEFAULT_LIMITS,
    Limits,
    SubmissionRejected,
    check_coverage,
    read_submission,
    validate_meta,
)
from cameo_bench.predictions import write_predictions
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import corpus_by_name

__all__ = ["CollectionIndex", "ResultsStore", "open_store"]

_ID = re.compile(r"^[0-9a-f]{64}$")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _write_json(path: Path, obj: Any) -> None:
    text = _dump(obj)
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


@dataclass(frozen=True)
class CollectionIndex:
    """What the store knows of the collection: each clip's dataset and gold emotion, and each
    dataset's language and offered label set."""

    clips: dict[str, tuple[str, str]]
    languages: dict[str, str]
    label_sets: dict[str, tuple[str, ...]]

    @classmethod
    def from_records(cls, records: list[ClipRecord]) -> CollectionIndex:
        """Index collection records. A dataset's label set is its corpus's (Table 1) when the
        name is a CAMEO corpus, else the labels its records carry (e.g. a demo collection)."""
        clips = {r.file_id: (r.dataset, r.emotion) for r in records}
        languages = {r.dataset: r.language for r in records}
        label_sets = {}
        for name in sorted(languages):
            try:
                label_sets[name] = corpus_by_name(name).labels
            except UnknownNameError:
                label_sets[name] = tuple(sorted({e for d, e in clips.values() if d == name}))
        return cls(dict(sorted(clips.items())), dict(sorted(languages.items())), label_sets)

    @classmethod
    def from_source(cls, location: str | Path) -> CollectionIndex:
        """Index a collection folder (its ``metadata.jsonl``, else its parquet splits) or a
        ``metadata.jsonl`` file."""
        location = Path(location)
        meta = location / "metadata.jsonl" if location.is_dir() else location
        if meta.is_file():
            records = []
            with open(meta, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if line.strip():
                        try:
                            records.append(ClipRecord.from_dict(json.loads(line)))
                        except (ValueError, TypeError, AttributeError) as exc:
                            raise InputError(meta, f"not a metadata record ({exc})", n) from None
        else:
            records = [c.record for c in open_collection(location).clips()]
        if not records:
            raise InputError(location, "the collection has no records")
        return cls.from_records(records)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``collection.json``)."""
        return {
            "format": FORMAT,
            "clips": {k: list(v) for k, v in self.clips.items()},
            "datasets": {d: {"language": self.languages[d], "labels": list(self.label_sets[d])}
                         for d in self.languages},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CollectionIndex:
        """Inverse of :meth:`to_json`."""
        datasets = data["datasets"]
        return cls(
            {k: (v[0], v[1]) for k, v in data["clips"].items()},
            {d: v["language"] for d, v in datasets.items()},
            {d: tuple(v["labels"]) for d, v in datasets.items()},
        )

    @property
    def sha256(self) -> str:
        """Content hash of the index (recorded with every submission)."""
        return hashlib.sha256(_dump(self.to_json()).encode("utf-8")).hexdigest()


class ResultsStore:
    """An existing results store folder (see the module docstring)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        path = self.root / "collection.json"
        if not path.is_file():
            raise CameoError(
                f"{self.root}: not a results store (no collection.json); create it by giving "
                "the collection: --collection DIR")
        self.collection = CollectionIndex.from_json(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def create(cls, root: str | Path, collection: CollectionIndex) -> ResultsStore:
        """Create a store for ``collection`` at ``root`` (an existing store for the same
        collection is opened; one for another collection raises)."""
        root = Path(root)
        path = root / "collection.json"
        if path.is_file():
            store = cls(root)
            if store.collection.sha256 != collection.sha256:
                raise CameoError(
                    f"{root}: this store was created for another collection; use a new folder")
            return store
        _write_json(path, collection.to_json())
        _write_json(root / "index.json", [])
        return cls(root)

    def entries(self) -> list[dict[str, Any]]:
        """The index: one dict per submission (id, name, family, model, runs,
        predictions_sha256), sorted by id."""
        path = self.root / "index.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []

    def load(self, submission_id: str) -> Submission:
        """The stored submission ``submission_id`` (64 hex digits, else an error)."""
        if not isinstance(submission_id, str) or not _ID.match(submission_id):
            raise CameoError(f"{self.root}: bad submission id in the index; rebuild index.json")
        path = self.root / "submissions" / f"{submission_id}.json"
        if not path.is_file():
            raise CameoError(f"{self.root}: submission {submission_id} is in the index but has "
                             "no file")
        return Submission.from_json(json.loads(path.read_text(encoding="utf-8")))

    def submissions(self) -> list[Submission]:
        """Every stored submission, in index order."""
        return [self.load(e["id"]) for e in self.entries()]

    def submit(
        self,
        predictions: str | Path,
        meta: dict[str, Any],
        *,
        limits: Limits = DEFAULT_LIMITS,
        n_resamples: int = 1000,
        seed: int = 0,
    ) -> dict[str, Any]:
        """Validate ``predictions`` and ``meta``, re-score and add them; return the index entry.

        A submission already in the store (same predictions bytes and metadata) is returned
        as is; the same predictions under other metadata are rejected. Anything invalid raises
        :class:`~cameo_bench.leaderboard.validate.SubmissionRejected` with the reason.
        """
        meta = validate_meta(meta)
        preds = read_submission(predictions, limits)
        check_coverage(preds, self.collection.clips, self.collection.label_sets,
                       self.collection.languages)
        digest = hashlib.sha256(Path(predictions).read_bytes())
        file_sha = digest.hexdigest()
        digest.update(_dump(meta).encode("utf-8"))
        sid = digest.hexdigest()
        entries = {e["id"]: e for e in self.entries()}
        if sid in entries:
            return entries[sid]
        same = [e for e in entries.values() if e["predictions_sha256"] == file_sha]
        if same:
            raise SubmissionRejected(
                f"these predictions are already in the store as {same[0]['name']!r} "
                f"({same[0]['id'][:12]}); a file is listed once")
        scored = rescore(preds, n_resamples=n_resamples, seed=seed)
        runs = sorted({(p.temperature, p.prompt_id, p.prompt_hash or "") for p in preds})
        submission = Submission(
            sid, meta, preds[0].model, preds[0].model_revision,
            tuple(SubmittedRun(t, pid, ph or None) for t, pid, ph in runs), len(preds),
            file_sha, self.collection.sha256, __version__, scored.scores, scored.confusion,
            scored.scorer)
        write_predictions(self.root / "predictions" / f"{sid}.jsonl", preds)
        _write_json(self.root / "submissions" / f"{sid}.json", submission.to_json())
        entries[sid] = {
            "id": sid, "name": submission.name, "family": submission.family,
            "model": submission.model, "runs": len(runs), "predictions_sha256": file_sha,
        }
        _write_json(self.root / "index.json", [entries[k] for k in sorted(entries)])
        return entries[sid]


def open_store(root: str | Path, collection: str | Path | None = None) -> ResultsStore:
    """Open the store at ``root``; with ``collection`` (a collection folder or metadata.jsonl),
    create it first if it does not exist."""
    if collection is None:
        return ResultsStore(root)
    return ResultsStore.create(root, CollectionIndex.from_source(collection))
