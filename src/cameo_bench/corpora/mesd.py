"""MESD: Mexican Emotional Speech Database (Mexican Spanish, single words; Duville et al.,
Data 2021), Mendeley Data cy34mh68j9 version 5.

The main folder ``Mexican Emotional Speech Database (MESD)/`` holds 862 WAVs (48 kHz, 24-bit)
named ``<Emotion>_<Voice>_<Corpus>_<word[_word]>.wav``. Voice F/M/C is a voice type (adult
female, adult male, child), not a speaker: ``speaker_id`` is None, gender female/male, and None
for children. The word(s), underscores read as spaces, are the transcription (spelled without
accents, as in the file names). Third-party "reduced" names with an ``L<k>`` field are not part
of the main folder and are reported as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_in, has_file
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_name"]

FOLDER = "Mexican Emotional Speech Database (MESD)"
VOICES = {"F": "female", "M": "male", "C": None}
NAME = re.compile(r"^([A-Za-z]+)_([FMC])_([AB])_(.+)\.wav$")
REDUCED = re.compile(r"^L\d+_")
_MAIN = re.compile(
    r"^(Anger|Disgust|Fear|Happiness|Neutral|Sadness)_[FMC]_[AB]_(?!L\d+_)[^_].*\.wav$"
)


def parse_name(name: str) -> ClipMeta | str:
    """Metadata of the MESD file ``name`` (a file name), or why it is left out."""
    m = NAME.match(name)
    if m is None:
        return "file name does not match <Emotion>_<F|M|C>_<A|B>_<word>.wav"
    emotion, voice, _, words = m.groups()
    if REDUCED.match(words):
        return "reduced-variant name (L<k> field): not in CAMEO's 862-file main folder"
    return ClipMeta(raw_label=emotion, gender=VOICES[voice], transcription=words.replace("_", " "))


class Adapter(Corpus):
    """MESD from Mendeley Data (version 5), unpacked."""

    split = "mesd"
    label_map = {
        "Anger": "anger", "Disgust": "disgust", "Fear": "fear",
        "Happiness": "happiness", "Neutral": "neutral", "Sadness": "sadness",
    }
    download = "https://data.mendeley.com/datasets/cy34mh68j9/5"
    layout = f"{FOLDER}/<Emotion>_<F|M|C>_<A|B>_<word[_word]>.wav"
    max_seconds = 30.0  # longest real clip: 2.5 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding MESD's WAVs (the main folder first), at or under ``root``."""
        # stable: the shallowest main folder first
        return find_root(root, lambda d: has_file(d, _MAIN), prefer=lambda d: d.name != FOLDER)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every WAV of the folder, sorted by file name."""
        for path in files_in(self.root):
            yield emit(self, path.name, AudioSource(path), parse_name(path.name))
