"""JL-Corpus: New Zealand English, four actors, primary and secondary emotions (SPEC §1.4,
NOTES §6).

Layout (Kaggle tli725/jl-corpus, unpacked): ``Raw JL corpus (unchecked and unannotated)/
JL(wav+txt)/female1_angry_10a_1.wav`` (44.1 kHz) with a sibling ``.txt`` holding the prompt.
The archive also holds a partial lower-case copy of that tree (``raw jl corpus (...)/``): only
the canonical tree is read, and every WAV elsewhere is reported as skipped (as a duplicate
where the canonical tree has a file of that name).

Metadata conventions (decisions):

- ``speaker_id`` is ``jl_corpus_`` + the name's speaker (``jl_corpus_female1``); gender from
  the name's prefix; no ages.
- transcription is the sibling ``.txt``, whitespace stripped (sentence numbers are not global,
  so texts are never derived from the name); a missing ``.txt`` leaves it unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_under
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_name"]

CANONICAL = "Raw JL corpus (unchecked and unannotated)/JL(wav+txt)"
NAME = re.compile(r"^(female|male)([12])_([a-z]+)_(\d+)([ab])_([12])\.wav$")

LABELS = {
    "angry": "anger",
    "sad": "sadness",
    "neutral": "neutral",
    "happy": "happiness",
    "excited": "excitement",
    "anxious": "anxiety",
    "apologetic": "apology",
    "assertive": "assertiveness",
    "concerned": "concern",
    "encouraging": "encouragement",
}


def parse_name(name: str) -> ClipMeta | str:
    """Metadata of a JL file name (``male2_excited_12b_1.wav``; no age, and the transcription
    is in the sibling ``.txt``), or why it is left out."""
    m = NAME.match(name)
    if m is None:
        return "file name does not match the JL naming rule"
    gender, number, emotion = m.group(1), m.group(2), m.group(3)
    return ClipMeta(raw_label=emotion, speaker_id=f"jl_corpus_{gender}{number}", gender=gender)


def _transcript(wav: Path) -> str | None:
    """The sibling ``.txt`` transcript (None without one). Bytes that are not UTF-8 stay
    escaped: Corpus.clip leaves the clip out with the reason; an unreadable file raises."""
    txt = wav.with_suffix(".txt")
    if not txt.is_file():
        return None
    return txt.read_text(encoding="utf-8-sig", errors="surrogateescape").strip() or None


class Adapter(Corpus):
    """JL-Corpus read from the unpacked Kaggle archive (raw corpus)."""

    split = "jl_corpus"
    label_map = LABELS
    download = "https://www.kaggle.com/datasets/tli725/jl-corpus"
    layout = f"{CANONICAL}/<speaker>_<emotion>_<NN><a|b>_<1|2>.wav with sibling .txt, 44.1 kHz"
    max_seconds = 30.0  # longest real clip: 3.8 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding ``Raw JL corpus (unchecked and unannotated)/JL(wav+txt)/``."""
        return find_root(root, lambda d: (d / CANONICAL).is_dir())

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every WAV of the canonical tree with its transcript; WAVs elsewhere are skipped."""
        files = files_under(self.root, ".wav")
        canonical = {
            Path(o).name.lower(): o for o, _ in files if o.rsplit("/", 1)[0] == CANONICAL
        }
        for origin, path in files:
            if origin.rsplit("/", 1)[0] != CANONICAL:
                twin = canonical.get(path.name.lower())
                reason = f"duplicate of {twin}" if twin else f"outside {CANONICAL}/"
                yield Skipped(self.split, origin, reason)
                continue
            parsed = parse_name(path.name)
            if not isinstance(parsed, str):
                try:
                    parsed = replace(parsed, transcription=_transcript(path))
                except OSError as exc:
                    parsed = f"cannot read its transcript {path.stem}.txt ({exc.strerror})"
            yield emit(self, origin, AudioSource(path), parsed)
