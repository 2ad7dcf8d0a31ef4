"""Bad input in a nEMO-format tree: each broken file or row is removed and reported with its
reason, silent audio is kept but noted, and every good clip survives."""

from __future__ import annotations

import csv
import json
import os
import shutil

import numpy as np
import pytest
import soundfile as sf

from cameo_bench.builder import build_collection
from support.corpus_trees.nemo import RATE, make_tree, write_tsv
from support.corpus_trees.synth import write_audio


def _row(file_id, emotion="anger", speaker="        ZZ0"):
    return {"file_id": file_id, "emotion": emotion, "raw_text": "Zdanie.",
            "normalized_text": "zdanie", "speaker_id": speaker, "gender": "male", "age": "30"}


def test_bad_files_and_rows_are_reported_and_good_ones_kept(tmp_path, layouts):
    expected = make_tree(tmp_path / "src", layouts)
    root = tmp_path / "src" / "nEMO"
    samples = root / "samples"
    with open(root / "data.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))

    write_audio(samples / "ZZ0_anger_1.wav", RATE, 0.5)  # truncated below
    data = (samples / "ZZ0_anger_1.wav").read_bytes()
    (samples / "ZZ0_anger_1.wav").write_bytes(data[: len(data) // 2])
    (samples / "ZZ0_anger_2.wav").write_bytes(b"")
    (samples / "ZZ0_anger_3.wav").write_text("not audio at all\n", encoding="utf-8")
    write_audio(samples / "ZZ0_boredom_4.wav", RATE)
    shutil.copy(samples / expected[0]["origin"].split("/")[1], samples / "ZZ0_anger_5.wav")
    write_audio(samples / "ZZ0_anger_6.wav", RATE)  # no row
    sf.write(samples / "ZZ0_neutral_8.wav", np.zeros(2400, dtype=np.int16), 24000)  # silent
    os.close(os.open(os.fsencode(samples) + b"/\xff\xfe_anger_9.wav", os.O_CREAT | os.O_WRONLY))
    rows += [_row("ZZ0_anger_1.wav"), _row("ZZ0_anger_2.wav"), _row("ZZ0_anger_3.wav"),
             _row("ZZ0_boredom_4.wav", "boredom"), _row("ZZ0_anger_5.wav"),
             _row("ZZ0_anger_7.wav"), _row("ZZ0_neutral_8.wav", "neutral")]
    write_tsv(root / "data.tsv", rows)

    report = build_collection(tmp_path / "src", tmp_path / "out", corpora=["nemo"], jobs=2)

    written = json.loads((tmp_path / "out" / "build_report.json").read_text(encoding="utf-8"))
    reasons = {d["origin"]: d["reason"] for d in written["dropped"]}
    assert set(reasons) == {
        "samples/ZZ0_anger_1.wav", "samples/ZZ0_anger_2.wav", "samples/ZZ0_anger_3.wav",
        "samples/ZZ0_boredom_4.wav", "samples/ZZ0_anger_5.wav", "samples/ZZ0_anger_6.wav",
        "samples/ZZ0_anger_7.wav", "samples/\\xff\\xfe_anger_9.wav",
    }
    assert reasons["samples/ZZ0_anger_1.wav"].startswith("truncated WAV")
    assert "empty (0 bytes)" in reasons["samples/ZZ0_anger_2.wav"]
    assert "cannot decode" in reasons["samples/ZZ0_anger_3.wav"]
    assert reasons["samples/ZZ0_boredom_4.wav"] == "unknown label 'boredom'"
    assert reasons["samples/ZZ0_anger_5.wav"] == f"duplicate audio of nemo/{expected[0]['origin']}"
    assert reasons["samples/ZZ0_anger_6.wav"] == "audio file has no row in data.tsv"
    assert "audio file is missing" in reasons["samples/ZZ0_anger_7.wav"]
    assert reasons["samples/\\xff\\xfe_anger_9.wav"] == "audio file has no row in data.tsv"
    assert [f["origin"] for f in written["flagged"]] == ["samples/ZZ0_neutral_8.wav"]
    assert "silent" in written["flagged"][0]["reason"]

    kept = {c["origin"] for c in written["clips"]["nemo"]}
    assert kept == {e["origin"] for e in expected} | {"samples/ZZ0_neutral_8.wav"}
    assert report.kept == {"nemo": len(expected) + 1}
    lines = (tmp_path / "out" / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(expected) + 1


def test_an_adapter_label_outside_the_corpus_set_stops_the_build(tmp_path, layouts, monkeypatch):
    import cameo_bench.builder.collect as collect
    from cameo_bench.corpora.nemo import Adapter
    from cameo_bench.errors import CameoError

    class Wrong(Adapter):
        label_map = {**Adapter.label_map, "anger": "calm"}

    monkeypatch.setattr(collect, "load_adapter", lambda split: Wrong)
    make_tree(tmp_path / "src", layouts)
    with pytest.raises(CameoError, match="has label 'calm', not one of the corpus's labels"):
        build_collection(tmp_path / "src", tmp_path / "out", corpora=["nemo"])


def test_unreadable_wav_is_reported_not_fatal(tmp_path, monkeypatch):
    import cameo_bench.builder.convert as normalize
    from cameo_bench.records import AudioSource, SourceClip

    path = tmp_path / "a.wav"
    sf.write(path, np.zeros(160, dtype=np.int16) + 5, 16000)

    def refuse(p):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(normalize, "wav_truncation", refuse)
    clip = SourceClip("nemo", "a.wav", AudioSource(path), "anger", "anger")
    result = normalize.convert_clip(clip)
    assert result.file_id is None and result.error == "cannot read the file (Permission denied)"
