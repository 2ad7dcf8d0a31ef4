"""A fake nEMO tree: the first rows of the real ``data.tsv`` (real names, padded speaker ids,
Polish text), with 0.1 s of seeded 24 kHz noise per file instead of the real audio."""

from __future__ import annotations

import csv
from pathlib import Path

from support.corpus_trees.synth import write_audio

ROOT = "nEMO"
RATE = 24_000
ROWS = 12


def real_rows(layouts: Path) -> list[dict[str, str]]:
    """The rows of the real nEMO ``data.tsv`` (beside ``layouts`` in the shared folder)."""
    tsv = layouts.parent / "corpora" / "nemo" / "data.tsv"
    with open(tsv, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_tsv(path: Path, rows: list[dict[str, str]]) -> None:
    """Write ``data.tsv`` rows with nEMO's header, tab-separated, unquoted."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t",
                                quoting=csv.QUOTE_NONE, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write ``dest/nEMO`` with 12 clips and return their expected records."""
    every = sorted(real_rows(layouts), key=lambda r: r["file_id"])
    rows = every[:: len(every) // ROWS][:ROWS]  # spread over speakers and emotions
    root = dest / ROOT
    (root / "samples").mkdir(parents=True)
    write_tsv(root / "data.tsv", rows)
    for row in rows:
        write_audio(root / "samples" / row["file_id"], RATE)
    return [{
        "origin": f"samples/{row['file_id']}",
        "emotion": "surprise" if row["emotion"] == "surprised" else row["emotion"],
        "transcription": row["raw_text"],
        "speaker_id": "nemo_" + row["speaker_id"].strip(),
        "gender": row["gender"],
        "age": row["age"],
    } for row in rows]
