"""Fake SUBESCO tree: a flat folder of real file names (44.1 and 48 kHz, 16-bit mono WAV)."""

from __future__ import annotations

import re
from pathlib import Path

from support.corpus_trees.facts import inventory, notes_section
from support.corpus_trees.synth import write_audio

ROOT = "SUBESCO"
QUIRKS = ("F_02_MONIKA_S_2_SURPRISE_3].wav",)
EMOTIONS = {"angry": "anger", "disgust": "disgust", "fear": "fear", "happy": "happiness",
            "neutral": "neutral", "sad": "sadness", "surprise": "surprise"}


def chosen_rows(layouts: Path) -> list[dict]:
    """Every 250th real file plus the quirky names: 29 files, both sample rates."""
    rows = inventory(layouts, "subesco")
    return [r for i, r in enumerate(rows) if i % 250 == 7 or r["relpath"] in QUIRKS]


def sentences(layouts: Path) -> list[str]:
    """The ten sentences as listed in CORPORA_NOTES §13 (numbered lines of Bengali text)."""
    section = notes_section(layouts, "13. SUBESCO")
    return re.findall(r"^\d+\. ([\u0980-\u09ff ]+)$", section, flags=re.M)


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the tree under ``dest/SUBESCO`` and return the expected records."""
    texts = sentences(layouts)
    assert len(texts) == 10
    expected = []
    for row in chosen_rows(layouts):
        name = row["relpath"]
        write_audio(dest / ROOT / name, int(row["sample_rate"]))
        gender, number, _, _, sentence = name.split("_")[:5]
        expected.append({
            "origin": name,
            "emotion": EMOTIONS[row["emo"]],
            "transcription": texts[int(sentence) - 1],
            "speaker_id": f"subesco_{gender}_{number}",
            "gender": {"F": "female", "M": "male"}[gender],
            "age": None,
        })
    return sorted(expected, key=lambda r: r["origin"])
