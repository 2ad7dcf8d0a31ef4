"""Fake RESD tree: the Hub snapshot layout, two parquet shards (train, test) with the real
columns and real clip paths, WAV bytes at the real 16 / 44.1 kHz rates inside ``speech``."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import soundfile as sf

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import noise

ROOT = "resd_annotated"
SHARDS = {  # the real shard names on the Hub
    "train": "data/train-00000-of-00001-1f5fe73d1293189c.parquet",
    "test": "data/test-00000-of-00001-a2b788d59856c4ae.parquet",
}
SCHEMA = pa.schema([
    ("name", pa.string()),
    ("path", pa.string()),
    ("speech", pa.struct([("bytes", pa.binary()), ("path", pa.string())])),
    ("text", pa.string()),
    ("emotion", pa.string()),
])


def chosen_rows(layouts: Path) -> list[dict]:
    """Every 45th real clip (31, both splits, both rates, names with a space among them)."""
    return [r for i, r in enumerate(inventory(layouts, "resd")) if i % 45 == 0]


def text_of(relpath: str) -> str:
    """The synthetic transcription of a clip (the real texts are not in the inventory)."""
    return f"Реплика {relpath.rsplit('_', 1)[1].removesuffix('.wav')}, ладно."


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the shards under ``dest/resd_annotated`` and return the expected records."""
    rows = {"train": [], "test": []}
    for row in chosen_rows(layouts):
        split, path = row["relpath"].split("/", 1)
        name = path.rsplit("/", 1)[1]
        buf = io.BytesIO()
        sf.write(buf, noise(name, int(row["sample_rate"])), int(row["sample_rate"]),
                 format="WAV", subtype="PCM_16")
        rows[split].append({
            "name": name.removesuffix(".wav"), "path": path,
            "speech": {"bytes": buf.getvalue(), "path": name},
            "text": text_of(path), "emotion": row["emo"],
        })
    for split, shard in SHARDS.items():
        (dest / ROOT / shard).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows[split], schema=SCHEMA), dest / ROOT / shard)
    (dest / ROOT / "README.md").write_text("---\nlicense: mit\n---\n", encoding="utf-8")
    expected = [
        {"origin": r["relpath"], "emotion": r["emo"], "transcription": text_of(r["relpath"]),
         "speaker_id": None, "gender": None, "age": None}
        for r in chosen_rows(layouts)
    ]
    return sorted(expected, key=lambda r: r["origin"])
