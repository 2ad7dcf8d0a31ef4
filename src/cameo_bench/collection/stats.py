"""Statistics of a collection: the paper's Table 1 per corpus and the totals of SPEC §1.1.

Durations are those of the collection's 16 kHz audio, read from each FLAC's STREAMINFO header
(its total sample count), not decoded; resampling keeps them within one sample per clip of the
audio as distributed (SPEC §1.1).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow.parquet as pq
import soundfile as sf

from cameo_bench.audio import TARGET_SR
from cameo_bench.collection.format import split_path
from cameo_bench.collection.reader import READ_ERRORS, Collection, damaged
from cameo_bench.vocab import PRIMARY_EMOTIONS, SPLITS

__all__ = ["CorpusStats", "CollectionStats", "flac_frames", "collection_stats", "hms"]


def flac_frames(data: bytes) -> int:
    """Number of samples per channel of FLAC file bytes, from the STREAMINFO block (any other
    format, or a FLAC with an unknown count, is asked of soundfile)."""
    if data[:4] == b"fLaC" and len(data) >= 26:
        total = int.from_bytes(data[18:26], "big") & ((1 << 36) - 1)
        if total:
            return total
    return sf.info(io.BytesIO(data)).frames


def hms(seconds: float) -> str:
    """``h:mm:ss`` (whole seconds, truncated) as in the paper's Table 1."""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


@dataclass(frozen=True)
class CorpusStats:
    """One row of Table 1: samples, speakers (female/male), distinct utterances, duration."""

    split: str
    dataset: str
    language: str
    samples: int
    speakers: int
    female_speakers: int
    male_speakers: int
    utterances: int
    seconds: float


@dataclass(frozen=True)
class CollectionStats:
    """Table 1 rows and the shares of SPEC §1.1 (percent of all samples)."""

    corpora: list[CorpusStats]
    samples: int
    seconds: float
    percent: dict[str, float]

    def to_dict(self) -> dict:
        """JSON form (durations in seconds and as h:mm:ss)."""
        rows = [{**c.__dict__, "duration": hms(c.seconds)} for c in self.corpora]
        return {"corpora": rows, "samples": self.samples, "seconds": self.seconds,
                "duration": hms(self.seconds), "percent": self.percent}


def _split_frames(collection: Collection, split: str) -> Iterator[int]:
    path = split_path(collection.root, split)
    row = 0
    try:
        pf = pq.ParquetFile(path)
        for g in range(pf.num_row_groups):
            for cell in pf.read_row_group(g, columns=["audio"])["audio"]:
                yield flac_frames(cell["bytes"].as_py())
                row += 1
    except (RuntimeError, TypeError, KeyError, *READ_ERRORS) as exc:
        raise damaged(f"{path}#{row}", exc, "a row of FLAC audio") from None


def collection_stats(collection: Collection) -> CollectionStats:
    """Compute Table 1 and the §1.1 totals of ``collection`` (reads the audio headers only)."""
    rows: list[CorpusStats] = []
    counts = {"English": 0, "primary emotions": 0, "speaker id": 0, "gender": 0,
              "female": 0, "male": 0}
    for split in sorted(collection.splits, key=lambda s: SPLITS.index(s)):
        records = [c.record for c in collection.clips(corpus=[split])]
        genders = {r.speaker_id: r.gender for r in records if r.speaker_id}
        rows.append(CorpusStats(
            split=split, dataset=records[0].dataset, language=records[0].language,
            samples=len(records), speakers=len(genders),
            female_speakers=sum(g == "female" for g in genders.values()),
            male_speakers=sum(g == "male" for g in genders.values()),
            utterances=len({r.transcription for r in records if r.transcription}),
            seconds=sum(_split_frames(collection, split)) / TARGET_SR,
        ))
        for r in records:
            counts["English"] += r.language == "English"
            counts["primary emotions"] += r.emotion in PRIMARY_EMOTIONS
            counts["speaker id"] += r.speaker_id is not None
            counts["gender"] += r.gender is not None
            counts["female"] += r.gender == "female"
            counts["male"] += r.gender == "male"
    total = sum(r.samples for r in rows)
    percent = {k: round(100 * v / total, 2) for k, v in counts.items()}
    return CollectionStats(rows, total, sum(r.seconds for r in rows), percent)
