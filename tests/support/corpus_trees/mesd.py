"""Fake MESD tree: the main folder's real names, 48 kHz 24-bit mono WAV."""

from __future__ import annotations

from pathlib import Path

from support.corpus_trees.facts import inventory, second_listing
from support.corpus_trees.synth import write_audio

ROOT = "Mexican Emotional Speech Database (MESD)"
QUIRKS = ("Fear_M_A_por_favor.wav", "Anger_F_A_basta_ya.wav", "Neutral_C_A_de_nada.wav")


def chosen_rows(layouts: Path) -> list[dict]:
    """Every 30th real file plus multi-word names: 32 files over emotions and voices."""
    return [r for i, r in enumerate(inventory(layouts, "mesd"))
            if i % 30 == 11 or r["relpath"].rsplit("/", 1)[1] in QUIRKS]


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the tree under ``dest`` and return the expected records (from the second real
    listing: ``word`` = transcription, voice gender)."""
    words = second_listing(layouts, "mesd")
    expected = []
    for row in chosen_rows(layouts):
        write_audio(dest / row["relpath"], int(row["sample_rate"]), subtype="PCM_24")
        name = row["relpath"].rsplit("/", 1)[1]
        voice = words[name]["gender"]
        expected.append({
            "origin": name,
            "emotion": row["emo"].lower(),
            "transcription": words[name]["word"],
            "speaker_id": None,
            "gender": None if voice == "child" else voice,
            "age": None,
        })
    return sorted(expected, key=lambda r: r["origin"])
