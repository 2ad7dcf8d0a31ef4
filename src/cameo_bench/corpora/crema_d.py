"""CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset (SPEC §1.4, NOTES §2).

Layout: a clone of the GitHub repository (Git LFS pulled): ``AudioWAV/AAAA_SSS_EEE_LL.wav``
(16 kHz) beside ``VideoDemographics.csv`` (``ActorID, Age, Sex, Race, Ethnicity``). Only
``AudioWAV/`` is read; ``AudioMP3/`` and ``VideoFlash/`` are other renditions of the same clips.

Metadata conventions (decisions):

- ``speaker_id`` is ``crema_d_`` + the actor number (``crema_d_1001``), the split name being
  the corpus prefix as in ``cafe_12``.
- gender and age from ``VideoDemographics.csv`` (``Sex`` lowercased, ``Age`` as written); an
  actor missing from it keeps its clips with gender and age unknown.
- transcription from the sentence code (the repository's README); the level ``LL`` is ignored.
- The silent ``1076_MTI_SAD_XX.wav`` is listed like any other clip (CAMEO keeps it).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, gender_of
from cameo_bench.corpora.base import Corpus, find_root, undecodable
from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_name", "read_demographics"]

NAME = re.compile(r"^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})\.wav$")
AUDIO_DIR = "AudioWAV"
DEMOGRAPHICS = "VideoDemographics.csv"

LABELS = {
    "ANG": "anger",
    "DIS": "disgust",
    "FEA": "fear",
    "HAP": "happiness",
    "NEU": "neutral",
    "SAD": "sadness",
}

#: Sentence code → the sentence spoken.
SENTENCES = {
    "IEO": "It's eleven o'clock",
    "TIE": "That is exactly what happened",
    "IOM": "I'm on my way to the meeting",
    "IWW": "I wonder what this is about",
    "TAI": "The airplane is almost full",
    "MTI": "Maybe tomorrow it will be cold",
    "IWL": "I would like a new alarm clock",
    "ITH": "I think I have a doctor's appointment",
    "DFA": "Don't forget a jacket",
    "ITS": "I think I've seen this before",
    "TSI": "The surface is slick",
    "WSI": "We'll stop in a couple of minutes",
}


def read_demographics(path: Path) -> dict[str, tuple[str | None, str | None]]:
    """``VideoDemographics.csv`` as actor id → (gender, age); raises InputError if unreadable."""
    try:
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise InputError(path, f"cannot read the CREMA-D demographics ({exc.strerror}); "
                         "get VideoDemographics.csv from the repository") from exc
    out = {}
    for line, row in enumerate(rows, start=2):
        if not row.get("ActorID") or "Sex" not in row or "Age" not in row:
            raise InputError(path, "expected the columns ActorID, Age, Sex", line)
        age, sex = row["Age"].strip(), row["Sex"]
        # a value with bytes that are not UTF-8 travels on: Corpus.clip leaves its clips out
        out[row["ActorID"].strip()] = (sex if undecodable(sex) else gender_of(sex), age or None)
    return out


def parse_name(
    name: str, demographics: Mapping[str, tuple[str | None, str | None]]
) -> ClipMeta | str:
    """Metadata of ``AAAA_SSS_EEE_LL.wav`` (the raw label is ``EEE``), or why it is left out
    (the name or the sentence code is unknown)."""
    m = NAME.match(name)
    if m is None or m.group(2) not in SENTENCES:
        return "file name does not match AAAA_SSS_EEE_LL.wav with a known SSS"
    actor, sentence, emotion, _level = m.groups()
    gender, age = demographics.get(actor, (None, None))
    return ClipMeta(
        raw_label=emotion,
        speaker_id=f"crema_d_{actor}",
        gender=gender,
        age=age,
        transcription=SENTENCES[sentence],
    )


def _is_crema_root(d: Path) -> bool:
    audio = d / AUDIO_DIR
    return audio.is_dir() and any(NAME.match(p.name) for p in audio.glob("*_*_*_*.wav"))


class Adapter(Corpus):
    """CREMA-D read from a clone of its repository."""

    split = "crema_d"
    label_map = LABELS
    download = "https://github.com/CheyneyComputerScience/CREMA-D (git lfs pull)"
    layout = "AudioWAV/AAAA_SSS_EEE_LL.wav (16 kHz WAV) beside VideoDemographics.csv"
    max_seconds = 30.0  # longest real clip: 5.0 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding ``AudioWAV/`` with CREMA-D-named files."""
        return find_root(root, _is_crema_root)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every ``AudioWAV/*.wav``, sorted, with demographics from ``VideoDemographics.csv``."""
        demographics = read_demographics(self.root / DEMOGRAPHICS)
        for path in sorted((self.root / AUDIO_DIR).glob("*.wav")):
            parsed = parse_name(path.name, demographics)
            yield emit(self, f"{AUDIO_DIR}/{path.name}", AudioSource(path), parsed)
