"""CaFE: Canadian French Emotional speech dataset, 48 kHz release (SPEC §1.4, NOTES §1).

Layout: ``<Emotion>/<Faible|Fort>/AA-E-I-S.wav`` and ``Neutre/AA-N-1-S.wav`` under the folder
``CaFE_48k/``. The zip stores the accented folder names in a legacy code page (``ColŠre``,
``D‚go–t``), so everything is parsed from the file stem, never from folder names.

Metadata conventions (decisions):

- ``speaker_id`` is ``cafe_`` + the two digits of the file name (``cafe_01`` … ``cafe_12``);
  CAMEO's example row is ``cafe_12``.
- gender from the actor's parity (odd male, even female), age from the Readme's table,
  transcription from the sentence digit.
- Only ``.wav`` is read: the 192 kHz AIFF release is another version of the same clips.
  A ``.wav`` whose stem does not parse is reported as skipped; non-audio files are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_under
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_name"]

STEM = re.compile(r"^(\d\d)-([CDJNPST])-(?:([12])-)?([1-6])$")

#: Emotion letter of the file name → unified label.
LABELS = {
    "C": "anger",  # Colère
    "D": "disgust",  # Dégoût
    "J": "happiness",  # Joie
    "N": "neutral",  # Neutre
    "P": "fear",  # Peur
    "S": "surprise",  # Surprise
    "T": "sadness",  # Tristesse
}

#: Actor → age in years (Readme.txt of the release).
AGES = {
    "01": "46", "02": "64", "03": "18", "04": "50", "05": "22", "06": "34",
    "07": "15", "08": "25", "09": "42", "10": "20", "11": "35", "12": "37",
}

#: Sentence digit → the sentence spoken.
SENTENCES = {
    "1": "Un cheval fou dans mon jardin",
    "2": "Deux ânes aigris au pelage brun",
    "3": "Trois cygnes aveugles au bord du lac",
    "4": "Quatre vieilles truies éléphantesques",
    "5": "Cinq pumas fiers et passionnés",
    "6": "Six ours aimants domestiqués",
}


def parse_name(name: str) -> ClipMeta | str:
    """Metadata of a CaFE file name (``12-P-2-5.wav``; the raw label is the emotion letter),
    or why it is left out; folder names are never looked at."""
    m = STEM.match(Path(name).stem)
    if m is None or m.group(1) not in AGES:
        return "file name does not match AA-E-I-S.wav"
    actor, letter, _intensity, sentence = m.groups()
    return ClipMeta(
        raw_label=letter,
        speaker_id=f"cafe_{actor}",
        gender="male" if int(actor) % 2 else "female",
        age=AGES[actor],
        transcription=SENTENCES[sentence],
    )


def _is_cafe_root(d: Path) -> bool:
    # The neutral folder holds its files directly: <root>/Neutre/AA-N-1-S.wav.
    return any(
        f.is_file() and not isinstance(p := parse_name(f.name), str) and p.raw_label == "N"
        for f in d.glob("*/*-N-*.wav")
    )


class Adapter(Corpus):
    """CaFE read from the unpacked ``CaFE_48k.zip``."""

    split = "cafe"
    label_map = LABELS
    download = "https://zenodo.org/record/1478765 (CaFE_48k.zip)"
    layout = "<Emotion>/<Faible|Fort>/AA-E-I-S.wav and Neutre/AA-N-1-S.wav, 48 kHz WAV"
    max_seconds = 30.0  # longest real clip: 7.7 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding CaFE's emotion folders (one whose ``*/`` has neutral files)."""
        return find_root(root, _is_cafe_root)

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every ``.wav`` under the root, sorted by relative path, parsed from its stem."""
        for origin, path in files_under(self.root, ".wav"):
            yield emit(self, origin, AudioSource(path), parse_name(path.name))
