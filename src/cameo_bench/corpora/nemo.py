"""nEMO (Polish): ``data.tsv`` + ``samples/<file_id>``, 24 kHz WAV (SPEC §1.4, CORPORA_NOTES §8).

``data.tsv`` is tab-separated with the header ``file_id, emotion, raw_text, normalized_text,
speaker_id, gender, age``; ``speaker_id`` is padded with leading spaces. The transcription is
``raw_text`` (orthographic); ``surprised`` becomes ``surprise``. A byte-order mark is accepted;
a row with bytes that are not UTF-8 is left out with its line, the other rows stay.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

from cameo_bench.corpora.base import Corpus, find_dirs, undecodable
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter"]

METADATA = "data.tsv"
AUDIO_DIR = "samples"
HEADER = ("file_id", "emotion", "raw_text", "normalized_text", "speaker_id", "gender", "age")
SPEAKER_PREFIX = "nemo_"
LABELS = {
    "anger": "anger",
    "fear": "fear",
    "happiness": "happiness",
    "neutral": "neutral",
    "sadness": "sadness",
    "surprised": "surprise",
}


class Adapter(Corpus):
    """The nEMO corpus as cloned from GitHub ``amu-cai/nEMO``."""

    split = "nemo"
    label_map = LABELS
    download = "https://github.com/amu-cai/nEMO (git clone; also hf.co/datasets/amu-cai/nEMO)"
    layout = "nEMO/data.tsv + nEMO/samples/<speaker>_<emotion>_<n>.wav (24 kHz WAV)"
    max_seconds = 30.0  # longest real clip: 4.2 s in the shared subset

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The folder at or under ``root`` holding ``data.tsv`` (with nEMO's header) and
        ``samples/``."""
        found = find_dirs(Path(root), _is_nemo_root)
        return found[0] if found else None

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """One clip per ``data.tsv`` row with audio; rows without audio, audio without a row,
        malformed rows and unknown labels are :class:`Skipped` with the reason."""
        samples = self.root / AUDIO_DIR
        # not only regular files: a FIFO, device or looping link is reported as what it is
        on_disk = set()
        with os.scandir(samples) as entries:  # typed by the listing: no stat per file
            for entry in entries:
                try:
                    folder = entry.is_dir()
                except OSError:  # a link loop: the build says so
                    folder = False
                if not folder:
                    on_disk.add(entry.name)
        items: list[SourceClip | Skipped] = []
        listed: set[str] = set()
        with open(self.root / METADATA, encoding="utf-8-sig", errors="surrogateescape",
                  newline="") as f:
            rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(rows, None)
            for line, row in enumerate(rows, start=2):
                if len(row) != len(HEADER):
                    items.append(Skipped(self.split, f"{METADATA}:{line}",
                                         f"malformed row: {len(row)} fields, expected 7"))
                    continue
                meta = dict(zip(HEADER, row, strict=True))
                name = meta["file_id"].strip()
                origin = f"{AUDIO_DIR}/{name}"
                listed.add(name)
                bad = [f"{k} holds the byte(s) {undecodable(v)}" for k, v in meta.items()
                       if k != "file_id" and undecodable(v)  # names may be any bytes
                       ] if undecodable("\t".join(row)) else []
                if bad:
                    items.append(Skipped(self.split, origin,
                                         f"{METADATA}:{line} is not UTF-8: {'; '.join(bad)}"))
                    continue
                if name not in on_disk:
                    reason = f"{METADATA}:{line} lists it but the audio file is missing"
                    items.append(Skipped(self.split, origin, reason))
                    continue
                items.append(self.clip(
                    origin,
                    AudioSource(samples / name),
                    meta["emotion"].strip(),
                    speaker_id=SPEAKER_PREFIX + meta["speaker_id"].strip(),
                    gender=meta["gender"].strip() or None,
                    age=meta["age"].strip() or None,
                    transcription=meta["raw_text"].strip() or None,
                ))
        for name in sorted(on_disk - listed):
            items.append(Skipped(self.split, f"{AUDIO_DIR}/{name}",
                                 f"audio file has no row in {METADATA}"))
        yield from sorted(items, key=lambda item: item.origin)


def _is_nemo_root(folder: Path) -> bool:
    tsv = folder / METADATA
    if not (tsv.is_file() and (folder / AUDIO_DIR).is_dir()):
        return False
    try:
        with open(tsv, encoding="utf-8-sig", errors="replace") as f:
            return tuple(f.readline().rstrip("\r\n").split("\t")) == HEADER
    except OSError:  # nEMO's layout, unreadable: the scan reports why
        return True
