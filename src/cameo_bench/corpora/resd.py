"""RESD: Russian Emotional Speech Dialogs (Russian; Aniemore), Hugging Face
``Aniemore/resd_annotated``.

The dataset is parquet with the audio inside: ``data/train-*.parquet`` (1,116 rows) and
``data/test-*.parquet`` (280 rows), columns ``name``, ``path``, ``speech`` (struct ``{bytes,
path}`` holding a 16 or 44.1 kHz WAV file), ``text`` (the transcription) and ``emotion``. A clip's
origin is ``<split>/<path>``, e.g. ``test/01_happiness_anger/01_happiness_anger a_010.wav``
(301 real names have a space, not ``_``, before the emotion letter; nothing here parses the
name). There is no speaker, gender or age: all three are None, as in CAMEO.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from cameo_bench.corpora._files import ClipMeta, cell, emit
from cameo_bench.corpora.base import Corpus, find_root
from cameo_bench.records import AudioSource, Skipped, SourceClip

__all__ = ["Adapter", "parse_row", "COLUMNS"]

#: The parquet columns the adapter needs (``speech`` is decoded later, row by row).
COLUMNS = ("name", "path", "speech", "text", "emotion")
SHARD = re.compile(r"^(train|test)-\d{5}-of-\d{5}(-[0-9a-f]+)?\.parquet$")


def parse_row(split: str, row: Mapping[str, str | None]) -> tuple[str, ClipMeta | str]:
    """The origin of a parquet row (``name``, ``path``, ``text``, ``emotion``) of ``split`` and
    its metadata, or why it is left out."""
    origin = f"{split}/{row.get('path') or row.get('name') or '?'}"
    if not row.get("emotion"):
        return origin, "the row has no emotion"
    return origin, ClipMeta(raw_label=row["emotion"], transcription=cell(row, "text"))


def _shards(folder: Path) -> list[Path]:
    data = folder / "data"
    if not data.is_dir():
        return []
    return sorted(p for p in data.iterdir() if SHARD.match(p.name) and p.is_file())


def _has_columns(path: Path) -> bool:
    import pyarrow.parquet as pq

    try:
        return set(COLUMNS) <= set(pq.read_schema(path).names)
    except Exception:  # not a parquet file: not RESD
        return False


class Adapter(Corpus):
    """RESD as downloaded from the Hugging Face Hub (a snapshot of the dataset repository)."""

    split = "resd"
    label_map = {
        "anger": "anger", "disgust": "disgust", "enthusiasm": "enthusiasm", "fear": "fear",
        "happiness": "happiness", "neutral": "neutral", "sadness": "sadness",
    }
    download = "https://huggingface.co/datasets/Aniemore/resd_annotated"
    layout = "data/train-00000-of-00001-*.parquet and data/test-00000-of-00001-*.parquet"
    max_seconds = 120.0  # longest real clip: 20.1 s

    @classmethod
    def detect(cls, root: Path) -> Path | None:
        """The dataset folder (holding ``data/{train,test}-*.parquet`` with RESD's columns)."""
        return find_root(root, lambda d: any(_has_columns(p) for p in _shards(d)))

    def scan(self) -> Iterator[SourceClip | Skipped]:
        """Every row of every shard, sorted by ``<split>/<path>``."""
        import pyarrow.parquet as pq

        items: list[SourceClip | Skipped] = []
        shards = _shards(self.root)
        for split in ("test", "train"):  # CAMEO has both: a missing one is reported
            if not any(SHARD.match(s.name).group(1) == split for s in shards):
                items.append(Skipped(self.split, f"{split}/",
                                     f"no data/{split}-*.parquet: split left out"))
        for shard in shards:
            split = SHARD.match(shard.name).group(1)
            table = pq.read_table(shard, columns=["name", "path", "text", "emotion"])
            for i, row in enumerate(table.to_pylist()):
                origin, parsed = parse_row(split, row)
                items.append(emit(self, origin, AudioSource(shard, row=i, column="speech"), parsed))
        yield from sorted(items, key=lambda item: item.origin)
