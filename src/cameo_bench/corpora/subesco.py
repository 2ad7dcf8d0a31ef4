"""SUBESCO: SUST Bangla Emotional Speech Corpus (Bengali; Sultana et al., PLOS ONE 2021).

A flat folder of 7,000 WAVs (44.1 or 48 kHz) named ``G_NN_NAME_S_k_EMOTION_t.wav``: gender
M/F, speaker number 01-10 *within* the gender, speaker name, sentence k (1-10), emotion, take
t (1-5). The speaker key therefore includes the gender: ``speaker_id`` is ``subesco_F_02``.
Transcriptions are the ten sentences of the SUBESCO paper's Table 2 (CORPORA_NOTES §13). One
real file carries a stray ``]`` before its extension (``F_02_MONIKA_S_2_SURPRISE_3].wav``); the
name pattern tolerates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_in, has_file
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_name", "SENTENCES"]

#: Sentence number (``S_k``) → text, SUBESCO paper Table 2.
SENTENCES: dict[str, str] = {
    "1": "মৌমাছির চাক দেখে কুকুরটি ঘেউঘেউ করছে",
    "2": "তুমি সব উলটপালট করে দিয়েছ",
    "3": "সে কোনকিছুনা বলেই চলে গেছে",
    "4": "তোমাকে এখনই আমার সাথে যেতে হবে",
    "5": "তোমার কাজটা করা ঠিক হয়নি",
    "6": "ইঁদুর ছানাটা হারিয়ে গেল",
    "7": "এখন প্রশ্ন করা যাবে না",
    "8": "দরজার বাইরে কুকুরটি দাঁড়িয়ে আছে",
    "9": "একদিন পরেই তার বিয়ে",
    "10": "ডাকাতেরা ঢাল তলোয়ার নিয়ে এল",
}
GENDERS = {"F": "female", "M": "male"}
NAME = re.compile(r"^([MF])_(\d\d)_([A-Z]+)_S_(\d+)_([A-Z]+)_(\d)\]?\.wav$")


def parse_name(name: str) -> ClipMeta | str:
    """Metadata of the SUBESCO file ``name`` (a file name), or why it is left out."""
    m = NAME.match(name)
    if m is None:
        return "file name does not match G_NN_NAME_S_k_EMOTION_t.wav"
    gender, number, _, sentence, emotion, _ = m.groups()
    if sentence not in SENTENCES:
        return f"unknown sentence number {sentence}"
    return ClipMeta(
        raw_label=emotion,
        speaker_id=f"subesco_{gender}_{number}",
        gender=GENDERS[gender],
        transcription=SENTENCES[sentence],
    )


class Adapter(Corpus):
    """SUBESCO from its Zenodo archive, unpacked."""

    split = "subesco"
    label_map = {
        "ANGRY": "anger", "DISGUST": "disgust", "FEAR": "fear", "HAPPY": "happiness",
        "NEUTRAL": "neutral", "SAD": "sadness", "SURPRISE": "surprise",
    }
    download = "https://doi.org/10.5281/zenodo.4526477 (SUBESCO.zip)"
    layout = "a flat folder of G_NN_NAME_S_k_EMOTION_t.wav, e.g. F_02_MONIKA_S_1_NEUTRAL_5.wav"
    max_seconds = 30.0  # longest real clip: 6.0 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding SUBESCO's WAVs, at or under ``root``."""
        return find_root(root, lambda d: has_file(d, NAME))

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every WAV of the folder, sorted by file name."""
        for path in files_in(self.root):
            yield emit(self, path.name, AudioSource(path), parse_name(path.name))
