"""A fake CaFE_48k tree: real (mangled) folder names from the inventory, 48 kHz WAV noise."""

from __future__ import annotations

import re
from pathlib import Path

from support.corpus_trees.facts import inventory, quoted_items, spec_bullet
from support.corpus_trees.synth import write_audio

ROOT = "CaFE_48k"

#: Actors and sentence written: one man and one woman, every emotion folder.
ACTORS = {"03", "12"}
SENTENCE = "5"
LETTERS = {"C": "anger", "D": "disgust", "J": "happiness", "N": "neutral", "P": "fear",
           "S": "surprise", "T": "sadness"}  # SPEC §1.4


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write 26 clips under ``dest/CaFE_48k`` (``ROOT``) and return their expected records."""
    spec = spec_bullet(layouts, "CaFE")
    ages = dict(re.findall(r"\b(\d\d):(\d\d)\b", spec))
    sentences = quoted_items(spec, "[1-6]")
    expected = []
    for row in inventory(layouts, "cafe"):
        actor, letter, *_, sentence = row["relpath"].rsplit("/", 1)[1][:-4].split("-")
        if actor not in ACTORS or sentence != SENTENCE:
            continue
        write_audio(dest / row["relpath"], int(row["sample_rate"]))
        expected.append({
            "origin": row["relpath"].removeprefix(f"{ROOT}/"),
            "emotion": LETTERS[letter],
            "transcription": sentences[sentence],
            "speaker_id": f"cafe_{actor}",
            "gender": "male" if int(actor) % 2 else "female",
            "age": ages[actor],
        })
    return expected
