"""Fake Oréau tree: version 1's layout ``OréauFR_01/<m|f>/sess<letter>/SSxNNEa.wav`` with real
names from the (version 2) inventory, stereo 44.1 kHz 16-bit WAV, ``contents.txt`` with 79
sentences in emotion blocks, and ``Documentation.docx``. No alignment: transcriptions are None."""

from __future__ import annotations

import random
from pathlib import Path

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import write_audio

ROOT = "Ore\u0301auFR_01"  # decomposed é (NFD), as the real archive's folder names
QUIRKS = ("m/sesss/07z03Sa.wav", "m/sessj/16a20Ja.wav")
LETTERS = {"C": "anger", "D": "disgust", "J": "happiness", "N": "neutral", "P": "fear",
           "S": "surprise", "T": "sadness"}
BLOCKS = (("T", 11), ("C", 11), ("D", 10), ("P", 12), ("S", 11), ("J", 13), ("N", 11))
KNOWN = {("T", 1): "Je n'ai validé aucune matière.",
         ("C", 1): "On va avoir une mauvaise note à cause de toi.",
         ("N", 11): "Fais un copier coller."}
_WORDS = ("demain", "jardin", "voiture", "soleil", "maison", "rivière", "école", "chanson",
          "fenêtre", "marché", "train", "lettre", "forêt", "gâteau", "montagne", "cousin")


def chosen_rows(layouts: Path) -> list[dict]:
    """Every 16th real file plus the quirky names: 29 files, both genders, all emotions."""
    return [r for i, r in enumerate(inventory(layouts, "oreau"))
            if i % 16 == 5 or r["relpath"].split("/", 1)[1] in QUIRKS]


def sentences() -> list[str]:
    """79 distinct sentences in the real block order (three are the real ones)."""
    rng = random.Random(79)
    out = []
    for letter, size in BLOCKS:
        for k in range(1, size + 1):
            words = rng.sample(_WORDS, 4)
            out.append(KNOWN.get((letter, k), f"Le {words[0]} et la {words[1]} de {words[2]} "
                                              f"sous le {words[3]} numéro {len(out) + 1}."))
    return out


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the tree under ``dest/OréauFR_01`` (NFD) and return the expected records."""
    root = dest / ROOT
    expected = []
    for row in chosen_rows(layouts):
        origin = row["relpath"].split("/", 1)[1]
        write_audio(root / origin, int(row["sample_rate"]), seconds=0.2, channels=2)
        gender, _, name = origin.split("/")
        expected.append({
            "origin": origin,
            "emotion": LETTERS[row["emo"]],
            "transcription": None,
            "speaker_id": f"oreau_{name[:2]}",
            "gender": {"f": "female", "m": "male"}[gender],
            "age": None,
        })
    (root / "contents.txt").write_text("\n".join(sentences()) + "\n", encoding="utf-8")
    (root / "Documentation.docx").write_bytes(b"PK\x03\x04")
    return sorted(expected, key=lambda r: r["origin"])
