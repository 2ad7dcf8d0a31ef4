"""A verified submission as the results store keeps it (``submissions/<id>.json``): typed here,
JSON only at the file's edge (:meth:`Submission.to_json` / :meth:`Submission.from_json` are
inverses, so a stored file is re-written byte for byte)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cameo_bench.backends.models import series_of
from cameo_bench.collection.coverage import Coverage
from cameo_bench.metrics import Confusion
from cameo_bench.scores import ScoreRecord

__all__ = ["FORMAT", "run_id", "SubmittedRun", "Rescored", "Submission", "matrices_to_json",
           "matrices_from_json"]

#: Version of the store's JSON layout (2: ids from canonical rows, coverage recorded).
FORMAT = 2


def run_id(temperature: float, prompt_id: str) -> str:
    """The key of a submission's run (its confusion matrices): ``"<temperature!r>|<prompt_id>"``."""
    return f"{temperature!r}|{prompt_id}"


@dataclass(frozen=True)
class SubmittedRun:
    """One (temperature, prompt) run of a submission, with the prompt's hash when given."""

    temperature: float
    prompt_id: str
    prompt_hash: str | None = None

    @property
    def id(self) -> str:
        """Its :func:`run_id`."""
        return run_id(self.temperature, self.prompt_id)


def matrices_to_json(matrices: dict[str, Confusion]) -> list[dict[str, Any]]:
    """A run's confusion matrices as stored: ``[{"scope", "classes", "counts"}, ...]`` in order
    (``overall``, then ``dataset:<name>``); each count row ends with the unparsed answers."""
    return [{"scope": scope, "classes": list(m.classes), "counts": m.counts.tolist()}
            for scope, m in matrices.items()]


def matrices_from_json(data: list[dict[str, Any]]) -> dict[str, Confusion]:
    """Inverse of :func:`matrices_to_json`."""
    return {m["scope"]: Confusion(tuple(m["classes"]), np.asarray(m["counts"], dtype=np.int64))
            for m in data}


@dataclass(frozen=True)
class Rescored:
    """What the project's scorer makes of a submission: the score records (chance and majority
    included), each run's confusion matrices by :func:`run_id` and scope, and the scorer's
    settings (parser version, resamples, seed)."""

    scores: tuple[ScoreRecord, ...]
    confusion: dict[str, dict[str, Confusion]]
    scorer: dict[str, Any]


@dataclass(frozen=True)
class Submission:
    """A stored submission: its content-hash ``id``, validated ``meta`` (name, family, ...), the
    system's model and revision, its runs, provenance (the sha256 of its canonical rows, the
    collection's hash, the cameo-bench version), the ``coverage`` of its clips (how many, of
    which corpora, their fingerprint) and what the scorer made of it (see :class:`Rescored`)."""

    id: str
    meta: dict[str, str]
    model: str
    model_revision: str | None
    runs: tuple[SubmittedRun, ...]
    n_predictions: int
    predictions_sha256: str
    collection_sha256: str
    coverage: Coverage
    cameo_bench: str
    scores: tuple[ScoreRecord, ...]
    confusion: dict[str, dict[str, Confusion]]
    scorer: dict[str, Any]
    format: int = FORMAT

    @property
    def name(self) -> str:
        """The system's display name."""
        return self.meta["name"]

    @property
    def family(self) -> str:
        """The system's family: as submitted, else the model registry's series of its model,
        else its name."""
        return self.meta.get("family") or series_of(self.model) or self.name

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready dict of ``submissions/<id>.json``."""
        return {
            "format": self.format,
            "id": self.id,
            "meta": self.meta,
            "model": self.model,
            "model_revision": self.model_revision,
            "runs": [{"temperature": r.temperature, "prompt_id": r.prompt_id,
                      "prompt_hash": r.prompt_hash} for r in self.runs],
            "n_predictions": self.n_predictions,
            "predictions_sha256": self.predictions_sha256,
            "collection_sha256": self.collection_sha256,
            "coverage": self.coverage.to_dict(),
            "cameo_bench": self.cameo_bench,
            "scores": [r.to_dict() for r in self.scores],
            "confusion": {run: matrices_to_json(m) for run, m in self.confusion.items()},
            "scorer": self.scorer,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Submission:
        """Inverse of :meth:`to_json`."""
        return cls(data["id"], data["meta"], data["model"], data["model_revision"],
                   tuple(SubmittedRun(**r) for r in data["runs"]), data["n_predictions"],
                   data["predictions_sha256"], data["collection_sha256"],
                   Coverage.from_dict(data["coverage"]), data["cameo_bench"],
                   tuple(ScoreRecord(**r) for r in data["scores"]),
                   {run: matrices_from_json(m) for run, m in data["confusion"].items()},
                   data["scorer"], data["format"])
