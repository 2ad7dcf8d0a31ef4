"""Typed records passed between stages: source clips, collection records, predictions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["AudioSource", "SourceClip", "Skipped", "ClipRecord", "Prediction", "UNPARSED"]

#: The value of ``Prediction.parsed`` for an answer that maps to no offered label.
UNPARSED = "unparsed"


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of dataclass ``cls`` (``fields()`` is slow enough to matter per row)."""
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, order=True)
class AudioSource:
    """Where a clip's original audio is.

    - a whole file (``path``; WAV/AIFF/FLAC via soundfile, webm/AVI via PyAV);
    - a segment ``[start, end)`` in seconds of a long file (``start``/``end`` set);
    - WAV bytes in row ``row`` of column ``column`` (a struct with ``bytes``) of a parquet file.
    """

    path: Path
    start: float | None = None
    end: float | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        """A short human-readable locator, e.g. ``a.flac[1.5:2.0]`` or ``x.parquet#12``."""
        if self.row is not None:
            return f"{self.path}#{self.row}"
        if self.start is not None:
            return f"{self.path}[{self.start}:{self.end}]"
        return str(self.path)


@dataclass(frozen=True)
class SourceClip:
    """One clip as an adapter lists it: where its audio is and its metadata, labels unified.

    ``origin`` is the clip's path relative to the corpus root (or a segment key): it names the
    clip in build reports. ``raw_label`` is the corpus's own label before mapping.
    """

    corpus: str
    origin: str
    source: AudioSource
    raw_label: str
    emotion: str
    speaker_id: str | None = None
    gender: str | None = None
    age: str | None = None
    transcription: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Skipped:
    """Something an adapter or the build left out, with the reason (goes to the build report)."""

    corpus: str
    origin: str
    reason: str


@dataclass(frozen=True)
class ClipRecord:
    """One sample's metadata in the collection: the Hub's columns (SPEC §1.2) minus ``audio``.

    Field order is the Hub's column order.
    """

    file_id: str
    emotion: str
    transcription: str | None
    speaker_id: str | None
    gender: str | None
    age: str | None
    dataset: str
    language: str
    license: str

    def to_dict(self) -> dict[str, Any]:
        """Plain dict in column order."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClipRecord:
        """Build from a mapping with (at least) the record's keys; extra keys are ignored."""
        return cls(**{name: data.get(name) for name in _field_names(cls)})


#: The keys of a predictions line left out when unset.
_OPTIONAL = ("parsed", "prompt_hash", "seconds", "error")


@dataclass
class Prediction:
    """One line of ``predictions.jsonl``: a model's raw answer for one clip (see the schema in
    ``resources/predictions.schema.json``). ``parsed`` is ``None`` until parsed."""

    file_id: str
    dataset: str
    language: str
    emotion: str
    labels: list[str]
    model: str
    model_revision: str | None
    temperature: float
    prompt_id: str
    response: str
    parsed: str | None = None
    prompt_hash: str | None = None
    seconds: float | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, str, float, str]:
        """The identity of a row: (file_id, model, temperature, prompt_id)."""
        return (self.file_id, self.model, self.temperature, self.prompt_id)

    def to_dict(self) -> dict[str, Any]:
        """Dict for JSON (field order, ``labels`` copied) with optional keys left out when
        unset."""
        out = {name: getattr(self, name) for name in _field_names(Prediction)}
        out["labels"] = list(self.labels)
        for k in _OPTIONAL:
            if out[k] is None:
                del out[k]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prediction:
        """Build from a validated JSON object."""
        return cls(**{name: data.get(name) for name in _field_names(cls)})
