"""Proof that the trained baseline learns something: on the synthetic demo and on the real nEMO
subset (speaker-independent folds) its macro-F1 interval lies above those of chance, the
scorer's majority reference and the cross-validated majority baseline."""

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cameo_bench.audio import convert, encode_flac
from cameo_bench.backends import BACKENDS, GenerationConfig
from cameo_bench.collection.format import write_split
from cameo_bench.records import AudioSource, ClipRecord
from cameo_bench.vocab import corpus_info
from support.demo import feature_cache, overall_macro_f1, requests_of, small_demo


def _check_beats_references(requests):
    logreg = BACKENDS["egemaps-logreg"]("egemaps-logreg", cache_dir=feature_cache(),
                                         progress=False)
    scores = overall_macro_f1(requests, [logreg, BACKENDS["majority"]("majority")])
    _, low, _ = scores["egemaps-logreg"]
    for reference in ("chance", "majority", "majority-cv"):
        assert low > scores[reference][2], scores
    assert logreg.notes == []  # speaker folds in every corpus, no fallback taken
    return scores


@pytest.mark.slow
def test_beats_chance_and_majority_on_the_demo():
    _check_beats_references(requests_of(small_demo()))


def _nemo_subset(nemo_root: Path, out: Path, per_speaker_emotion: int = 3) -> Path:
    """A small nEMO collection: the first clips of each (speaker, emotion), normalized."""
    info = corpus_info("nemo")
    with open(nemo_root / "data.tsv", encoding="utf-8", newline="") as f:
        rows = sorted(csv.DictReader(f, delimiter="\t"), key=lambda r: r["file_id"])
    taken: dict = {}
    clips = []
    for row in rows:
        speaker = row["speaker_id"].strip()
        key = (speaker, row["emotion"])
        taken[key] = taken.get(key, 0) + 1
        if taken[key] > per_speaker_emotion:
            continue
        audio = convert(AudioSource(nemo_root / "samples" / row["file_id"]))
        emotion = "surprise" if row["emotion"] == "surprised" else row["emotion"]
        record = ClipRecord(audio.file_id, emotion, row["raw_text"], f"nemo_{speaker}",
                            row["gender"], row["age"], info.name, info.language, info.license)
        clips.append((record, encode_flac(audio.pcm)))
    write_split(out, "nemo", clips)
    return out


@pytest.mark.slow
def test_beats_chance_on_real_nemo_with_speaker_independent_folds(nemo_root, tmp_path):
    requests = requests_of(_nemo_subset(nemo_root, tmp_path / "nemo"))
    assert len({r.record.speaker_id for r in requests}) == 9
    _check_beats_references(requests)


@pytest.mark.slow  # extracts the small demo's features in this process (generate caches none)
def test_a_clip_too_short_for_features_is_answered_with_a_note():
    requests = requests_of(small_demo())
    short = replace(requests[0], record=replace(requests[0].record, file_id="0" * 64 + ".flac"),
                    audio=np.zeros(40, np.float32))
    backend = BACKENDS["egemaps-logreg"]("egemaps-logreg", cache_dir=feature_cache(),
                                         progress=False)
    answers = backend.generate([*requests, short], GenerationConfig())
    assert answers[-1] in requests[0].labels
    assert backend.notes == ["1 clip(s) too short for features: imputed with the training "
                             "folds' feature means"]
