"""Emozionalmente: crowdsourced Italian emotional speech (SPEC §1.4, NOTES §4).

Layout (Zenodo 6569824, unpacked): ``audio/<13-digit timestamp>.wav`` (16 kHz, a few 44.1 kHz)
beside ``metadata/samples.csv`` (``file_name, sentence, actor, emotion_expressed``) and
``metadata/users.csv`` (``username, gender, age, ...``; actors and evaluators). File names are
opaque: every label comes from ``samples.csv``.

Metadata conventions (decisions):

- ``speaker_id`` is ``emozionalmente_`` + ``actor`` (the corpus's hashed user name).
- gender is ``users.csv``'s ``gender`` lowercased when it is ``female`` or ``male``, else
  unknown (Table 1 counts 299 female + 131 male of 431 speakers); age as written there; an
  actor missing from ``users.csv`` keeps its clips with gender and age unknown.
- transcription is ``sentence``; a row without audio, audio without a row and a second row
  for a file are reported as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, cell, file_name, gender_of, join_rows, read_rows
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import Skipped, SourceClip

__all__ = ["Adapter", "parse_sample"]

AUDIO_DIR = "audio"
SAMPLES = "metadata/samples.csv"
USERS = "metadata/users.csv"
FIX = "; unpack the whole Zenodo archive"

LABELS = {
    "anger": "anger",
    "disgust": "disgust",
    "fear": "fear",
    "joy": "happiness",
    "neutrality": "neutral",
    "sadness": "sadness",
    "surprise": "surprise",
}


def parse_sample(
    row: Mapping[str, str], users: Mapping[str, Mapping[str, str]]
) -> tuple[str, ClipMeta] | None:
    """The audio file name and metadata of one ``samples.csv`` row joined to ``users``
    (username → row), or None if the row names no file."""
    name = file_name(row.get("file_name"))
    if not name:
        return None
    actor = cell(row, "actor") or ""
    user = users.get(actor, {})
    return name, ClipMeta(
        raw_label=cell(row, "emotion_expressed") or "",
        speaker_id=f"emozionalmente_{actor}" if actor else None,
        gender=gender_of(user.get("gender")),
        age=cell(user, "age"),
        transcription=cell(row, "sentence"),
    )


def _is_emozionalmente_root(d: Path) -> bool:
    return (d / SAMPLES).is_file() and (d / AUDIO_DIR).is_dir()


class Adapter(Corpus):
    """Emozionalmente read from the unpacked Zenodo archive."""

    split = "emozionalmente"
    label_map = LABELS
    download = "https://zenodo.org/record/6569824 (emozionalmente.zip)"
    layout = "audio/<timestamp>.wav beside metadata/samples.csv and metadata/users.csv"
    max_seconds = 60.0  # longest real clip: 13.9 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding ``audio/`` and ``metadata/samples.csv``."""
        return find_root(root, _is_emozionalmente_root)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """One clip per ``samples.csv`` row whose file is in ``audio/``, sorted by origin."""
        users = {
            row["username"].strip(): row
            for _, row in read_rows(self.root / USERS, ("username", "gender", "age"), fix=FIX)
        }
        samples = read_rows(
            self.root / SAMPLES, ("file_name", "sentence", "actor", "emotion_expressed"), fix=FIX
        )
        rows = ((line, parse_sample(row, users)) for line, row in samples)
        yield from join_rows(self, AUDIO_DIR, ".wav", rows, SAMPLES)
