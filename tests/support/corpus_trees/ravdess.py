"""Fake RAVDESS tree: ``audio/Audio_Speech_Actors_01-24/Actor_XX/03-01-….wav`` at 48 kHz, plus
one song file from the song archive unpacked beside them (must be reported, not kept)."""

from __future__ import annotations

from pathlib import Path

from support.corpus_trees.facts import inventory
from support.corpus_trees.synth import write_audio

ROOT = "audio/Audio_Speech_Actors_01-24"
SONG = "Actor_01/03-02-01-01-01-01-01.wav"
STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}
EMOTIONS = {"Neutral": "neutral", "Calm": "calm", "Happy": "happiness", "Sad": "sadness",
            "Angry": "anger", "Fearful": "fear", "Disgust": "disgust", "Surprised": "surprise"}


def chosen_rows(layouts: Path) -> list[dict]:
    """Every 53rd real file (28 files over all actors, emotions and statements)."""
    return [r for i, r in enumerate(inventory(layouts, "ravdess")) if i % 53 == 3]


def make_tree(dest: Path, layouts: Path) -> list[dict]:
    """Write the tree under ``dest`` and return the expected records."""
    expected = []
    for row in chosen_rows(layouts):
        write_audio(dest / row["relpath"], int(row["sample_rate"]))
        origin = row["relpath"].removeprefix(ROOT + "/")
        fields = origin.split("/")[1].removesuffix(".wav").split("-")
        actor = int(fields[6])
        expected.append({
            "origin": origin,
            "emotion": EMOTIONS[row["emo"]],
            "transcription": STATEMENTS[fields[4]],
            "speaker_id": f"ravdess_{fields[6]}",
            "gender": "male" if actor % 2 == 1 else "female",
            "age": None,
        })
    write_audio(dest / ROOT / SONG, 48000)
    return sorted(expected, key=lambda r: r["origin"])
