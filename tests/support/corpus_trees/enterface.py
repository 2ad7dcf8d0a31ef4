"""A fake eNTERFACE'05 tree: real paths and quirks, AVIs with a 48 kHz PCM audio track.

Quirks written: subject 3's ``s_3_*`` names, subject 6's long files (left out), subject 11's
``s12_*`` names, subject 12 (missing from the inventory; its names, as distributed, repeat
subject 11's: left out), ``s16_su_3avi.avi``, subject 23 without happiness 1–3, ``Thumbs.db``.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.corpus_trees.facts import inventory, notes_section
from support.corpus_trees.synth import write_avi_pcm

ROOT = ""  # the database's root is the folder written

#: subject → sentence folders written (None: all of that subject's files).
PICKS = {"1": {"1"}, "3": {"5", "2"}, "6": None, "11": {"2"}, "16": {"3"}, "23": {"4", "5"}}
#: Subject 12 files written from subject 11's names (the inventory lost subject 12).
SUBJECT_12 = ["subject 12/anger/sentence 1/s12_an_1.avi",
              "subject 12/surprise/sentence 5/s12_su_5.avi"]
LEFT_OUT = {"6", "12"}


def reactions(layouts: Path) -> dict[str, list[str]]:
    """The five reactions per emotion folder, read from CORPORA_NOTES §5."""
    section = notes_section(layouts, "5. eNTERFACE")
    out = {}
    for emotion in ("anger", "disgust", "fear", "happiness", "sadness", "surprise"):
        start = section.index(f"- **{emotion.capitalize()}**")
        block = section[start:section.index("\n- ", start + 1)]
        out[emotion] = re.findall(r'"([^"]+)"', block)[:5]
    return out


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the picked AVIs (and Thumbs.db junk); return the expected records."""
    texts = reactions(layouts)
    paths = [r["relpath"] for r in inventory(layouts, "enterface")] + SUBJECT_12
    expected = []
    for relpath in paths:
        parts = relpath.split("/")
        subject = parts[0].removeprefix("subject ")
        if subject not in PICKS and subject != "12":
            continue
        if PICKS.get(subject) and parts[2].removeprefix("sentence ") not in PICKS[subject]:
            continue
        write_avi_pcm(dest / relpath)
        (dest / relpath).with_name("Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
        if subject in LEFT_OUT:
            continue
        expected.append({
            "origin": relpath,
            "emotion": parts[1],
            "transcription": texts[parts[1]][int(parts[2][-1]) - 1],
            "speaker_id": f"enterface_{subject}",
            "gender": None,
            "age": None,
        })
    return expected
