"""Read a built collection (a folder) with core dependencies only: pyarrow + soundfile."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from cameo_bench.audio import decode_flac
from cameo_bench.errors import CameoError, InputError
from cameo_bench.records import ClipRecord
from cameo_bench.vocab import SPLITS, corpus_by_name

__all__ = ["Clip", "Collection", "open_collection"]

_META_COLUMNS = [c for c in ClipRecord.__dataclass_fields__]


@dataclass(frozen=True)
class Clip:
    """A record of the collection and where its audio is (split parquet and row)."""

    record: ClipRecord
    split: str
    row: int


class Collection:
    """A CAMEO collection in a local folder laid out as on the Hub."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        data = self.root / "data"
        self.splits = sorted(
            (p.name.split("-00000-of-")[0] for p in data.glob("*-00000-of-00001.parquet")),
            key=lambda s: (SPLITS.index(s) if s in SPLITS else len(SPLITS), s),
        ) if data.is_dir() else []
        if not self.splits:
            raise InputError(self.root, "no data/<split>-00000-of-00001.parquet files: "
                             "not a CAMEO collection (build one with `cameo build`)")

    def _parquet(self, split: str) -> Path:
        return self.root / "data" / f"{split}-00000-of-00001.parquet"

    def clips(
        self,
        *,
        corpus: Iterable[str] | None = None,
        language: Iterable[str] | None = None,
        emotion: Iterable[str] | None = None,
    ) -> list[Clip]:
        """Records in collection order (split order, then row), filtered by corpus split names,
        languages and emotions (``None`` keeps all). An unknown corpus name raises."""
        wanted = set(corpus) if corpus else None
        if wanted:
            unknown = wanted - set(self.splits)
            if unknown:
                raise CameoError(
                    f"{self.root}: corpus {sorted(unknown)[0]!r} is not in this collection "
                    f"(it has: {', '.join(self.splits)})"
                )
        langs = set(language) if language else None
        emos = set(emotion) if emotion else None
        out: list[Clip] = []
        for split in self.splits:
            if wanted and split not in wanted:
                continue
            table = pq.read_table(self._parquet(split), columns=_META_COLUMNS)
            for row, d in enumerate(table.to_pylist()):
                if langs and d["language"] not in langs:
                    continue
                if emos and d["emotion"] not in emos:
                    continue
                out.append(Clip(ClipRecord.from_dict(d), split, row))
        return out

    def sample(self, clips: list[Clip], n: int, seed: int = 0) -> list[Clip]:
        """A deterministic sample of ``n`` clips (all if fewer), kept in collection order."""
        if n >= len(clips):
            return list(clips)
        picked = sorted(random.Random(seed).sample(range(len(clips)), n))
        return [clips[i] for i in picked]

    def audio(self, clips: Iterable[Clip]) -> Iterator[tuple[Clip, np.ndarray]]:
        """Yield ``(clip, 16 kHz float32 mono samples)`` for ``clips``, in the given order."""
        clips = list(clips)
        by_split: dict[str, list[int]] = {}
        for c in clips:
            by_split.setdefault(c.split, []).append(c.row)
        cache: dict[tuple[str, int], bytes] = {}
        for split, rows in by_split.items():
            pf = pq.ParquetFile(self._parquet(split))
            table = pf.read(columns=["audio"]).column("audio")
            for r in set(rows):
                cache[(split, r)] = table[r]["bytes"].as_py()
            del table
        for c in clips:
            x, _ = decode_flac(cache.pop((c.split, c.row)))
            yield c, x

    def iter_clips(self, **filters) -> Iterator[tuple[ClipRecord, np.ndarray]]:
        """Iterate ``(record, 16 kHz float32 array)`` over the filtered collection."""
        for clip, x in self.audio(self.clips(**filters)):
            yield clip.record, x


def open_collection(location: str | Path) -> Collection:
    """Open a built collection folder. (``hf://`` locations are resolved by the Hub module.)"""
    return Collection(location)


def dataset_split(dataset_name: str) -> str:
    """The split id of a dataset display name (``"CaFE"`` → ``"cafe"``)."""
    return corpus_by_name(dataset_name).split
