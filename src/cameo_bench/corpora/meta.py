"""What a pure name/row parser of an adapter returns, and how it becomes a clip or a skip.

Adapters keep their parsing in a pure function (file name or metadata row → :class:`ClipMeta`,
or a reason string when the item is left out) so it can be tested over a corpus's full real
inventory without audio; :func:`emit` turns the result into a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cameo_bench.corpora.base import Corpus
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["ClipMeta", "emit", "has_file", "wav_files"]


@dataclass(frozen=True)
class ClipMeta:
    """A clip's metadata as parsed from its name or row; ``raw_label`` is not yet unified."""

    raw_label: str
    speaker_id: str | None = None
    gender: str | None = None
    age: str | None = None
    transcription: str | None = None


def emit(
    corpus: Corpus, origin: str, source: AudioSource, parsed: ClipMeta | str
) -> SourceClip | Skipped:
    """The :class:`SourceClip` for ``parsed``, or :class:`Skipped` when ``parsed`` is a reason
    (or its raw label is unknown to ``corpus.label_map``)."""
    if isinstance(parsed, str):
        return Skipped(corpus.split, origin, parsed)
    return corpus.clip(
        origin,
        source,
        parsed.raw_label,
        speaker_id=parsed.speaker_id,
        gender=parsed.gender,
        age=parsed.age,
        transcription=parsed.transcription,
    )


def has_file(folder: Path, pattern: re.Pattern[str]) -> bool:
    """Whether ``folder`` directly holds a file whose name matches ``pattern`` (for detect)."""
    try:
        return any(pattern.match(p.name) and p.is_file() for p in folder.iterdir())
    except OSError:
        return False


def wav_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    """The ``.wav`` files (any case) in ``folder`` (or below it), sorted."""
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if p.suffix.lower() == ".wav" and p.is_file())
