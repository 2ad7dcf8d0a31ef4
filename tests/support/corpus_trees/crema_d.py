"""A fake CREMA-D clone: real AudioWAV names, the real VideoDemographics.csv rows, 16 kHz WAV.

Includes ``1076_MTI_SAD_XX.wav`` as an all-silent file, as in the original.
"""

from __future__ import annotations

import csv
from pathlib import Path

from support.corpus_trees.facts import inventory, quoted_items, spec_bullet
from support.corpus_trees.synth import write_audio

ROOT = ""  # the clone's root is the folder written

#: (actor, sentence) pairs written: IEO has the LO/MD/HI levels; 1001 is the male actor.
PICKS = {("1001", "DFA"), ("1002", "IEO"), ("1076", "MTI"), ("1091", "DFA")}
SILENT = "AudioWAV/1076_MTI_SAD_XX.wav"
EMOTIONS = {"ANG": "anger", "DIS": "disgust", "FEA": "fear", "HAP": "happiness",
            "NEU": "neutral", "SAD": "sadness"}  # SPEC §1.4


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write 34 clips and the demographics of their actors; return the expected records."""
    sentences = quoted_items(spec_bullet(layouts, "CREMA-D"), "[A-Z]{3}")
    actors = {a for a, _ in PICKS}
    lines = (layouts / "crema_d" / "VideoDemographics.csv").read_text().splitlines(True)
    kept = [lines[0], *(ln for ln in lines[1:] if ln.split(",", 1)[0] in actors)]
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "VideoDemographics.csv").write_text("".join(kept))
    demo = {r["ActorID"]: r for r in csv.DictReader(kept)}
    expected = []
    for row in inventory(layouts, "crema_d"):
        actor, sentence, emotion, _ = Path(row["relpath"]).stem.split("_")
        if (actor, sentence) not in PICKS:
            continue
        silent = row["relpath"] == SILENT
        write_audio(dest / row["relpath"], int(row["sample_rate"]), silent=silent)
        expected.append({
            "origin": row["relpath"],
            "emotion": EMOTIONS[emotion],
            "transcription": sentences[sentence],
            "speaker_id": f"crema_d_{actor}",
            "gender": demo[actor]["Sex"].lower(),
            "age": demo[actor]["Age"],
        })
    return expected
