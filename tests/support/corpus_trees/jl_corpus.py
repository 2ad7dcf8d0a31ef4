"""A fake JL-Corpus archive: the real canonical tree's names, sibling .txt transcripts, 44.1 kHz
WAV, and a partial lower-case duplicate tree (whose files are left out).

Transcripts are the three published examples (NOTES §6) where picked, else synthetic; some end
with a newline and some do not, as in the original.
"""

from __future__ import annotations

from pathlib import Path

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import write_audio

ROOT = ""  # the archive's root is the folder written

UNIFIED = {"angry": "anger", "sad": "sadness", "neutral": "neutral", "happy": "happiness",
           "excited": "excitement", "anxious": "anxiety", "apologetic": "apology",
           "assertive": "assertiveness", "concerned": "concern",
           "encouraging": "encouragement"}  # SPEC §1.4
KNOWN = {"female1_angry_7b": "Carl leaps into a jeep.",
         "female1_anxious_15b": "I am not sure how severe the wound is!",
         "male2_encouraging_15b": "You should be proud of yourself!"}
EVERY = 97
DUPLICATE_TREE = "raw jl corpus (unchecked and unannotated)/jl(wav+txt)"
DUPLICATES = 3  # the first picked files are copied into the lower-case tree


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write ~28 clips with transcripts (and 3 duplicates); return the expected records."""
    rows = [r for i, r in enumerate(inventory(layouts, "jl_corpus"))
            if i % EVERY == 0 or r["relpath"].rsplit("_", 1)[0].split("/")[-1] in KNOWN]
    expected = []
    for i, row in enumerate(rows):
        wav = dest / row["relpath"]
        speaker, emotion, take = wav.stem.split("_", 2)
        text = KNOWN.get(wav.stem.rsplit("_", 1)[0], f"Sentence {take[:-3]} of the {emotion} set.")
        write_audio(wav, int(row["sample_rate"]))
        wav.with_suffix(".txt").write_text(text + ("\n" if i % 2 else ""), encoding="utf-8")
        if i < DUPLICATES:
            write_audio(dest / DUPLICATE_TREE / wav.name, int(row["sample_rate"]))
        expected.append({
            "origin": row["relpath"],
            "emotion": UNIFIED[emotion],
            "transcription": text,
            "speaker_id": f"jl_corpus_{speaker}",
            "gender": speaker.rstrip("12"),
            "age": None,
        })
    return expected
