"""EMNS: Emotive Narrative Storytelling, one female speaker (SPEC §1.4, NOTES §3).

Layout (OpenSLR 136): ``metadata.csv`` (pipe-separated, header ``id|utterance|description|
emotion|date_created|status|gender|age|level|audio_recording|user_id``) beside ``raw_webm/``
(WebM/Opus, 48 kHz). ``audio_recording`` carries a stale ``wavs/`` prefix: only its file name is
used, looked up in ``raw_webm/``. CAMEO uses all 1,205 rows (``raw_webm``), not the 1,181 files
of ``cleaned_webm/``, which is not read.

Metadata conventions (decisions):

- ``speaker_id`` is ``emns_`` + ``user_id`` (``emns_3``); gender is ``gender`` lowercased;
  age as written (``20s``); transcription is ``utterance``.
- A row whose audio file is missing, an audio file with no row, and a second row for the same
  file are reported as skipped. Both spellings ``Surprised`` (the collection tool's default)
  and ``Surprise`` (seen in third-party inventories) are the raw label of surprise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, cell, file_name, gender_of, join_rows, read_rows
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.errors import InputError
from cameo_bench.records import Skipped, SourceClip

__all__ = ["Adapter", "parse_row"]

METADATA = "metadata.csv"
AUDIO_DIR = "raw_webm"
HEADER = (
    "id",
    "utterance",
    "description",
    "emotion",
    "date_created",
    "status",
    "gender",
    "age",
    "level",
    "audio_recording",
    "user_id",
)

LABELS = {
    "Angry": "anger",
    "Disgust": "disgust",
    "Excited": "excitement",
    "Happy": "happiness",
    "Neutral": "neutral",
    "Sad": "sadness",
    "Sarcastic": "sarcasm",
    "Surprised": "surprise",
    "Surprise": "surprise",
}


def parse_row(row: dict[str, str]) -> tuple[str, ClipMeta] | None:
    """The audio file name (``wavs/`` dropped) and metadata of one ``metadata.csv`` row, or
    None if it names no audio file."""
    name = file_name(row.get("audio_recording"))
    if not name:
        return None
    user = cell(row, "user_id")
    return name, ClipMeta(
        raw_label=cell(row, "emotion") or "",
        speaker_id=f"emns_{user}" if user else None,
        gender=gender_of(row.get("gender")),
        age=cell(row, "age"),
        transcription=cell(row, "utterance"),
    )


def _is_emns_root(d: Path) -> bool:
    meta = d / METADATA
    if not meta.is_file():
        return False
    with open(meta, encoding="utf-8-sig", errors="replace") as f:
        header = f.readline().rstrip("\r\n").split("|")
    return header[:2] == ["id", "utterance"] and "audio_recording" in header


class Adapter(Corpus):
    """EMNS read from OpenSLR's ``metadata.csv`` and ``raw_webm.tar.xz``."""

    split = "emns"
    label_map = LABELS
    download = "https://openslr.org/136 (metadata.csv, raw_webm.tar.xz)"
    layout = "metadata.csv (pipe-separated) beside raw_webm/recorded_audio_*.webm (Opus 48 kHz)"
    max_seconds = 120.0  # longest real clip: 12.1 s in cleaned_webm; raw_webm runs longer

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding EMNS's pipe-separated ``metadata.csv``."""
        return find_root(root, _is_emns_root)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """One clip per ``metadata.csv`` row whose file is in ``raw_webm/``, sorted by origin."""
        audio_dir = self.root / AUDIO_DIR
        if not audio_dir.is_dir():
            raise InputError(audio_dir, "EMNS audio folder not found; unpack raw_webm.tar.xz here")
        table = read_rows(
            self.root / METADATA,
            HEADER,
            delimiter="|",
            fix="; get metadata.csv from openslr.org/136",
        )
        rows = ((line, parse_row(row)) for line, row in table)
        yield from join_rows(self, AUDIO_DIR, ".webm", rows, METADATA)
