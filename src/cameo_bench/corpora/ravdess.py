"""RAVDESS: Ryerson Audio-Visual Database of Emotional Speech and Song (English; Livingstone &
Russo, PLoS ONE 2018), speech audio only.

``Audio_Speech_Actors_01-24.zip`` holds ``Actor_XX/MM-VV-EE-II-SS-RR-AA.wav`` (48 kHz, 16-bit):
modality MM (03 audio-only), vocal channel VV (01 speech, 02 song), emotion EE, intensity II,
statement SS, repetition RR, actor AA (odd male, even female). CAMEO keeps the 1,440 speech
files; song or video files found beside them are reported as skipped. ``speaker_id`` is the actor
as written in the file name, corpus-prefixed: ``ravdess_01``. No ages are distributed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_in, has_file
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_name", "STATEMENTS"]

#: Statement code (SS) → text.
STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}
NAME = re.compile(r"^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)\.wav$")
SPEECH = re.compile(r"^03-01-\d\d-\d\d-\d\d-\d\d-\d\d\.wav$")
ACTOR_DIR = re.compile(r"^Actor_\d\d$")


def parse_name(name: str) -> ClipMeta | str:
    """Metadata of the RAVDESS file ``name`` (a file name), or why it is left out."""
    m = NAME.match(name)
    if m is None:
        return "file name does not match MM-VV-EE-II-SS-RR-AA.wav"
    modality, channel, emotion, _, statement, _, actor = m.groups()
    if modality != "03":
        return f"modality {modality} is not audio-only (03)"
    if channel != "01":
        return f"vocal channel {channel} is not speech (01): CAMEO uses the speech files only"
    if statement not in STATEMENTS:
        return f"unknown statement code {statement}"
    return ClipMeta(
        raw_label=emotion,
        speaker_id=f"ravdess_{actor}",
        gender="male" if int(actor) % 2 else "female",
        transcription=STATEMENTS[statement],
    )


def _actor_dirs(folder: Path) -> list[Path]:
    try:
        return sorted(d for d in folder.iterdir() if ACTOR_DIR.match(d.name) and d.is_dir())
    except OSError:
        return []


def _is_root(folder: Path) -> bool:
    return any(has_file(d, SPEECH) for d in _actor_dirs(folder))


class Adapter(Corpus):
    """RAVDESS speech audio from Zenodo (or the Kaggle mirror), unpacked."""

    split = "ravdess"
    label_map = {
        "01": "neutral", "02": "calm", "03": "happiness", "04": "sadness",
        "05": "anger", "06": "fear", "07": "disgust", "08": "surprise",
    }
    download = "https://zenodo.org/records/1188976 (Audio_Speech_Actors_01-24.zip)"
    layout = "Actor_01 … Actor_24/03-01-EE-II-SS-RR-AA.wav"
    max_seconds = 30.0  # longest real clip: 5.3 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding ``Actor_XX`` folders of speech files, at or under ``root``."""
        return find_root(root, _is_root)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every WAV in the ``Actor_XX`` folders, sorted by ``Actor_XX/name``."""
        for actor in _actor_dirs(self.root):
            for path in files_in(actor):
                origin = f"{actor.name}/{path.name}"
                yield emit(self, origin, AudioSource(path), parse_name(path.name))
