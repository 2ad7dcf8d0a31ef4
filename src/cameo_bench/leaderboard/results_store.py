"""The results store: a folder of JSON, one file per verified submission, plus an index.

Layout::

    RESULTS_DIR/
      collection.json                  the collection's clips (file_id -> dataset, emotion) and
                                       each dataset's language and label set
      index.json                       one entry per submission, sorted by id
      submissions/<sha256>.json        metadata, provenance, coverage, re-scored scores,
                                       confusion matrices
      predictions/<sha256>.jsonl       the validated predictions as canonical rows (re-scorable)
      .lock                            held by the one process writing (its pid, host, command)

A submission's id is the sha256 of its canonical rows (:mod:`canonical`) and its canonical
metadata: never a name the submitter chose, and the same for the same predictions whatever their
line order, blank lines or formatting. Ids read back from ``index.json`` are checked to be 64
hex digits before they name a file; nothing read from a submission is ever used as a path.

Writers take the store's lock (:func:`cameo_bench.fileio.exclusive_lock`) around reading the
index and writing the submission and the new index, so concurrent submits all land; the slow
part (validation, re-scoring) runs outside it. Readers need no lock: every file is written
atomically, the index last.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cameo_bench import __version__
from cameo_bench.collection.coverage import coverage_of
from cameo_bench.collection.reader import open_collection, read_metadata, record_problem
from cameo_bench.errors import CameoError, InputError, UnknownNameError
from cameo_bench.fileio import atomic_write, exclusive_lock
from cameo_bench.leaderboard.canonical import canonical_rows, submission_id
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
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import corpus_by_name

__all__ = ["LOCK_WAIT", "CollectionIndex", "ResultsStore", "open_store"]

_ID = re.compile(r"^[0-9a-f]{64}$")
#: Seconds a writer waits for another to finish writing the store before giving up (writing
#: takes well under a second; validation and scoring happen outside the lock).
LOCK_WAIT = 120.0


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
        ``metadata.jsonl`` file; every record is checked as untrusted text
        (:func:`~cameo_bench.collection.reader.record_problem`)."""
        location = Path(location)
        meta = location / "metadata.jsonl" if location.is_dir() else location
        if meta.is_file():
            records = read_metadata(meta)
        else:
            records = []
            for clip in open_collection(location).clips():
                problem = record_problem(clip.record)
                if problem:
                    raise InputError(f"{location}/{clip.split}#{clip.row}",
                                     f"not a metadata record ({problem})")
                records.append(clip.record)
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

    @cached_property
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
        data = path.read_bytes()
        self.collection = CollectionIndex.from_json(json.loads(data))
        #: :attr:`CollectionIndex.sha256` of the store's collection: the file is written as
        #: that index's JSON, so hashing its bytes gives the same hash without re-encoding.
        self.collection_sha256 = hashlib.sha256(data).hexdigest()

    @staticmethod
    def _lock(root: Path) -> AbstractContextManager[None]:
        return exclusive_lock(root / ".lock", f"results store {root}", wait=LOCK_WAIT)

    @classmethod
    def create(cls, root: str | Path, collection: CollectionIndex) -> ResultsStore:
        """Create a store for ``collection`` at ``root`` (an existing store for the same
        collection is opened; one for another collection raises). Holds the store's lock, so
        two processes creating one store never wipe each other's index."""
        root = Path(root)
        path = root / "collection.json"
        with cls._lock(root):
            if path.is_file():
                store = cls(root)
                if store.collection_sha256 != collection.sha256:
                    raise CameoError(f"{root}: this store was created for another collection; "
                                     "use a new folder")
                return store
            _write_json(path, collection.to_json())
            _write_json(root / "index.json", [])
        return cls(root)

    def entries(self) -> list[dict[str, Any]]:
        """The index: one dict per submission (id, name, family, model, runs,
        predictions_sha256: the sha256 of its canonical rows), sorted by id."""
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
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise CameoError(
                f"{path}: written in store format {data.get('format')}, this cameo-bench reads "
                f"format {FORMAT}; submit its predictions again into a new store")
        return Submission.from_json(data)

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

        A submission already in the store (the same canonical rows and metadata, however the
        file is formatted or ordered) is returned as is; the same rows under other metadata are
        rejected. Anything invalid raises
        :class:`~cameo_bench.leaderboard.validate.SubmissionRejected` with the reason; another
        process writing the store for longer than :data:`LOCK_WAIT` raises
        :class:`~cameo_bench.errors.BusyError` naming it.
        """
        meta = validate_meta(meta)
        preds = read_submission(predictions, limits)
        check_coverage(preds, self.collection.clips, self.collection.label_sets,
                       self.collection.languages)
        # every run answers every clip of the collection once (check_coverage), so the clips'
        # coverage is the collection's: computed from its 41,265 pairs, not 41,265 per run
        coverage = coverage_of((fid, ds) for fid, (ds, _) in self.collection.clips.items())
        rows = canonical_rows(preds)
        rows_sha = hashlib.sha256(rows).hexdigest()
        sid = submission_id(rows, meta)
        known = _known(self.entries(), sid, rows_sha)
        if known is not None:
            return known
        scored = rescore(preds, n_resamples=n_resamples, seed=seed)
        runs = sorted({(p.temperature, p.prompt_id, p.prompt_hash or "") for p in preds})
        submission = Submission(
            sid, meta, preds[0].model, preds[0].model_revision,
            tuple(SubmittedRun(t, pid, ph or None) for t, pid, ph in runs), len(preds),
            rows_sha, self.collection_sha256, coverage, __version__, scored.scores,
            scored.confusion, scored.scorer)
        entry = {"id": sid, "name": submission.name, "family": submission.family,
                 "model": submission.model, "runs": len(runs), "predictions_sha256": rows_sha}
        with self._lock(self.root):
            entries = self.entries()  # as it is now: another process may have added to it
            known = _known(entries, sid, rows_sha)
            if known is not None:
                return known
            atomic_write(self.root / "predictions" / f"{sid}.jsonl",
                         lambda tmp: Path(tmp).write_bytes(rows))
            _write_json(self.root / "submissions" / f"{sid}.json", submission.to_json())
            _write_json(self.root / "index.json",
                        sorted([*entries, entry], key=lambda e: e["id"]))
        return entry


def _known(entries: list[dict[str, Any]], sid: str, rows_sha: str) -> dict[str, Any] | None:
    """The entry ``sid`` if the store holds it; raises if it holds the same rows under other
    metadata; ``None`` for new rows."""
    for e in entries:
        if e["id"] == sid:
            return e
    for e in entries:
        if e["predictions_sha256"] == rows_sha:
            raise SubmissionRejected(
                f"these predictions are already in the store as {e['name']!r} "
                f"({e['id'][:12]}); a file is listed once")
    return None


def open_store(root: str | Path, collection: str | Path | None = None) -> ResultsStore:
    """Open the store at ``root``; with ``collection`` (a collection folder or metadata.jsonl),
    create it first if it does not exist."""
    if collection is None:
        return ResultsStore(root)
    return ResultsStore.create(root, CollectionIndex.from_source(collection))
