"""Oréau: French Emotional Speech Database (Kerkeni et al., Zenodo 4405783), version OréauFR_01.

CAMEO uses version 1 (502 files; version 2 keeps 434 after a perception test). Layout:
``OréauFR_01/<m|f>/sess<c|d|j|n|p|s|t>/SSxNNEa.wav`` (44.1 kHz; downmixed if stereo), plus
``contents.txt`` (the 79 sentences) and ``Documentation.docx``. Gender comes from the ``m``/``f``
folder, the speaker from ``SS`` (``oreau_10``), the emotion from the letter ``E`` (CaFE's code).
Which sentence a file speaks is not documented, so transcriptions come from an alignment:
``cameo align oreau <folder>`` writes ``alignment.tsv`` in the corpus root (beside
``contents.txt``), and this adapter reads it when present; without it transcription is None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, emit, files_under, has_file
from cameo_bench.corpora.alignment_file import ALIGNMENT_FILE, read_alignment
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.errors import InputError
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_path", "read_sentences"]

GENDERS = {"f": "female", "m": "male"}
NAME = re.compile(r"^(\d\d)[a-z](\d\d)([CDJNPST])a\.wav$")
SESSION = re.compile(r"^sess[cdjnpst]$")
#: A leading enumerator (``12.``, ``12)``, ``12 -``) before a listed sentence.
_NUMBER = re.compile(r"^\d+\s*(?:[.)]|\s-)\s+")


def parse_path(relpath: str, alignment: Mapping[str, str] | None = None) -> ClipMeta | str:
    """Metadata of the Oréau file at ``relpath`` (``<m|f>/sessX/name.wav`` under the corpus
    root), or why it is left out; ``alignment`` maps origins to their aligned sentence."""
    parts = relpath.split("/")
    if len(parts) != 3 or parts[0] not in GENDERS:
        return "not in a <m|f>/sess<letter>/ folder"
    m = NAME.match(parts[2])
    if m is None:
        return "file name does not match SSxNNEa.wav"
    speaker, _, emotion = m.groups()
    return ClipMeta(
        raw_label=emotion,
        speaker_id=f"oreau_{speaker}",
        gender=GENDERS[parts[0]],
        transcription=(alignment or {}).get(relpath),
    )


def read_sentences(path: Path) -> list[str]:
    """The sentence list of ``contents.txt``: one sentence per non-empty line, a leading
    enumerator removed (UTF-8, or Windows-1252 where the file is not UTF-8)."""
    if not path.is_file():
        raise InputError(path, "not found: the Oréau sentence list (contents.txt) is needed to "
                               "align transcriptions; it comes with the Zenodo archive")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # not at U+2028
    return [_NUMBER.sub("", line.strip()) for line in lines if line.strip()]


def _is_root(folder: Path) -> bool:
    for gender in GENDERS:
        sub = folder / gender
        if sub.is_dir() and any(
            SESSION.match(d.name) and has_file(d, NAME) for d in sub.iterdir() if d.is_dir()
        ):
            return True
    return False


class Adapter(Corpus):
    """Oréau version 1 from Zenodo, unpacked."""

    split = "oreau"
    label_map = {
        "C": "anger", "D": "disgust", "J": "happiness", "N": "neutral",
        "P": "fear", "S": "surprise", "T": "sadness",
    }
    download = "https://doi.org/10.5281/zenodo.4405783 (OréauFR_01, version 1)"
    layout = "OréauFR_01/<m|f>/sess<letter>/SSxNNEa.wav and contents.txt"
    max_seconds = 30.0  # longest real clip: 6.8 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder holding ``m/`` and ``f/`` (version 1 preferred), at or under ``root``."""
        # stable: version 1 first
        return find_root(root, _is_root, prefer=lambda d: not d.name.endswith("01"))

    @property
    def alignment_path(self) -> Path:
        """Where ``cameo align`` writes and this adapter reads the transcription alignment."""
        return self.root / ALIGNMENT_FILE

    def sentences(self) -> list[str]:
        """The 79 listed sentences (``contents.txt``), in file order."""
        return read_sentences(self.root / "contents.txt")

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every WAV under ``m/`` and ``f/``, sorted by relative path; transcriptions from
        ``alignment.tsv`` when present."""
        aligned = {}
        if self.alignment_path.is_file():
            aligned = {o: a.sentence for o, a in read_alignment(self.alignment_path).items()}
        relpaths = sorted(f"{g}/{rel}" for g in GENDERS if (self.root / g).is_dir()
                          for rel, _ in files_under(self.root / g, ".wav"))
        for relpath in relpaths:
            source = AudioSource(self.root / relpath)
            yield emit(self, relpath, source, parse_path(relpath, aligned))
