"""A fake Emozionalmente archive: real audio names and rates, metadata tables in their format.

The real ``samples.csv``/``users.csv`` are not in the layouts, so the actors (hashed user
names), their gender/age and the sentences here are synthetic; file names, labels and sample
rates are the real ones. One actor's gender is neither female nor male (Table 1 counts 430 of
431 speakers by gender), and one user is an evaluator only.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import write_audio

ROOT = ""  # the archive's root is the folder written

UNIFIED = {"anger": "anger", "disgust": "disgust", "fear": "fear", "joy": "happiness",
           "neutrality": "neutral", "sadness": "sadness", "surprise": "surprise"}  # SPEC §1.4
EVERY = 300  # one inventory row in 300, plus every 44.1 kHz row in 50
#: Synthetic users: (gender as written, age); the last is an evaluator with no samples.
USERS = [("female", "23"), ("male", "41"), ("female", "35"), ("other", "29"), ("male", "19")]


def _username(k: int) -> str:
    return hashlib.sha256(f"user{k}".encode()).hexdigest()


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write ~26 clips and both metadata tables; return the expected records."""
    rows = [r for i, r in enumerate(inventory(layouts, "emozionalmente"))
            if i % EVERY == 0 or (r["sample_rate"] != "16000" and i % 50 == 0)]
    (dest / "metadata").mkdir(parents=True, exist_ok=True)
    with open(dest / "metadata" / "users.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["username", "gender", "age", "mother_tongue"])
        w.writerows([_username(k), g, a, "italian"] for k, (g, a) in enumerate(USERS))
    samples, expected = [], []
    for i, row in enumerate(rows):
        k = i % (len(USERS) - 1)
        name = row["relpath"].split("/")[1]
        sentence = f"Frase di prova numero {i % 18 + 1}."
        samples.append([name, sentence, _username(k), row["emo"]])
        write_audio(dest / row["relpath"], int(row["sample_rate"]))
        gender, age = USERS[k]
        expected.append({
            "origin": row["relpath"],
            "emotion": UNIFIED[row["emo"]],
            "transcription": sentence,
            "speaker_id": f"emozionalmente_{_username(k)}",
            "gender": gender if gender in ("female", "male") else None,
            "age": age,
        })
    with open(dest / "metadata" / "samples.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file_name", "sentence", "actor", "emotion_expressed"])
        w.writerows(samples)
    return expected
