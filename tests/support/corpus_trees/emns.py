"""A fake EMNS download: metadata.csv in its original pipe format, raw_webm/ with WebM/Opus.

The rows come from the real 1,205 (``nkululeko_metadata_rows.csv``, re-saved by a third party):
the original columns, ``wavs/`` prefix and raw emotion names are put back. Raw names come from
the inventory of ``cleaned_webm`` where the file is there; for the 24 rows only in ``raw_webm``
the third party's names are mapped back, except its merged ``happiness`` (Happy or Excited,
which cannot be told apart): those rows are not written.
"""

from __future__ import annotations

import csv
from pathlib import Path

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import write_webm_opus

ROOT = ""  # the download's root is the folder written

HEADER = ["id", "utterance", "description", "emotion", "date_created", "status", "gender",
          "age", "level", "audio_recording", "user_id"]  # SPEC §1.4
#: The third party's names → the original ones (its happiness is ambiguous, so left out).
RAW_NAMES = {"anger": "Angry", "disgust": "Disgust", "neutral": "Neutral", "sadness": "Sad",
             "sarcastic": "Sarcastic", "surprise": "Surprised"}
UNIFIED = {"Angry": "anger", "Disgust": "disgust", "Excited": "excitement", "Happy": "happiness",
           "Neutral": "neutral", "Sad": "sadness", "Sarcastic": "sarcasm",
           "Surprised": "surprise", "Surprise": "surprise"}  # SPEC §1.4
EVERY = 50  # one row in 50 by id, plus the quirky ones below
QUIRKY = {"3", "1071", "875", "959", "1197"}  # recorded_audio.webm; "Needs Updating" rows


def original_rows(layouts: Path) -> list[dict[str, str]]:
    """The 1,205 rows in the original column names and label names (``emotion`` left empty
    where the original name is unknown)."""
    inv = {Path(r["relpath"]).name: r["emo"] for r in inventory(layouts, "emns")}
    with open(layouts / "emns" / "nkululeko_metadata_rows.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        raw = inv.get(r["file"]) or RAW_NAMES.get(r["emotion"], "")
        out.append({**{k: r[k] for k in HEADER if k in r}, "emotion": raw,
                    "gender": r["gender"].capitalize(), "audio_recording": f"wavs/{r['file']}",
                    "user_id": r["speaker"]})
    return out


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write ~30 rows and their audio; return the expected records."""
    rows = [r for r in original_rows(layouts)
            if r["emotion"] and (int(r["id"]) % EVERY == 0 or r["id"] in QUIRKY)]
    dest.mkdir(parents=True, exist_ok=True)
    with open(dest / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, HEADER, delimiter="|", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    expected = []
    for r in rows:
        name = r["audio_recording"].removeprefix("wavs/")
        write_webm_opus(dest / "raw_webm" / name)
        expected.append({
            "origin": f"raw_webm/{name}",
            "emotion": UNIFIED[r["emotion"]],
            "transcription": r["utterance"],
            "speaker_id": "emns_3",
            "gender": "female",
            "age": "20s",
        })
    return expected
