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


def _wav_claiming(path, rate):
    """A 16-bit WAV of 0.1 s whose header claims ``rate`` (soundfile refuses odd rates)."""
    sf.write(path, np.full(2400, 900, dtype=np.int16), RATE)
    data = bytearray(path.read_bytes())
    data[24:28], data[28:32] = rate.to_bytes(4, "little"), (2 * rate).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_damaged_audio_and_odd_files_are_reported_as_what_they_are(tmp_path, layouts):
    """Issue 11: a 1 Hz header became a 5.5-hour clip (3.9 GB), NaN samples were kept, and a
    symlink loop, a FIFO and a device file were all "audio file is missing"."""
    expected = make_tree(tmp_path / "src", layouts)
    root = tmp_path / "src" / "nEMO"
    samples = root / "samples"
    with open(root / "data.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    _wav_claiming(samples / "ZZ0_anger_1.wav", 1)
    _wav_claiming(samples / "ZZ0_anger_2.wav", 768_000)
    sf.write(samples / "ZZ0_anger_3.wav", np.full(RATE * 31, 500, dtype=np.int16), RATE)
    nan = np.full(RATE // 10, 0.1, dtype=np.float32)
    nan[7] = np.nan
    sf.write(samples / "ZZ0_anger_4.wav", nan, RATE, subtype="FLOAT")
    (samples / "ZZ0_anger_5.wav").symlink_to("ZZ0_anger_5.wav")
    os.mkfifo(samples / "ZZ0_anger_6.wav")
    (samples / "ZZ0_anger_7.wav").symlink_to("/dev/null")
    (samples / "ZZ0_anger_8.wav").symlink_to(samples / "gone.wav")
    rows += [_row(f"ZZ0_anger_{k}.wav") for k in range(1, 9)]
    write_tsv(root / "data.tsv", rows)

    report = build_collection(tmp_path / "src", tmp_path / "out", corpora=["nemo"], jobs=2)

    written = json.loads((tmp_path / "out" / "build_report.json").read_text(encoding="utf-8"))
    reasons = {d["origin"]: d["reason"] for d in written["dropped"]}
    assert reasons == {
        "samples/ZZ0_anger_1.wav": "implausible sample rate 1 Hz (a corpus clip has "
                                   "4000-384000 Hz): a damaged header?",
        "samples/ZZ0_anger_2.wav": "implausible sample rate 768000 Hz (a corpus clip has "
                                   "4000-384000 Hz): a damaged header?",
        "samples/ZZ0_anger_3.wav": "31.0 s long, more than the corpus's longest plausible clip "
                                   "(30 s): a damaged header or a file of another kind?",
        "samples/ZZ0_anger_4.wav": "the audio holds NaN or infinite samples (a damaged float "
                                   "WAV?)",
        "samples/ZZ0_anger_5.wav": "a symbolic link loop, not an audio file",
        "samples/ZZ0_anger_6.wav": "a FIFO (named pipe), not an audio file",
        "samples/ZZ0_anger_7.wav": "a character device, not an audio file",
        "samples/ZZ0_anger_8.wav": f"a broken symbolic link (to {samples / 'gone.wav'}), "
                                   "not an audio file",
    }
    assert report.kept == {"nemo": len(expected)}
    assert written["problems"] == []


def test_a_byte_order_mark_and_a_row_that_is_not_utf8(tmp_path, layouts):
    """Issue 11: a BOM made nEMO "not found"; one non-UTF-8 byte aborted the whole build."""
    expected = make_tree(tmp_path / "src", layouts)
    root = tmp_path / "src" / "nEMO"
    write_audio(root / "samples" / "ZZ0_anger_1.wav", RATE)
    tsv = root / "data.tsv"
    tsv.write_bytes(b"\xef\xbb\xbf" + tsv.read_bytes()
                    + b"ZZ0_anger_1.wav\tanger\tZa\xbf\xf3\xb3\xe6 g\xeal\xb9 ja\xbc\xf1\tx\t"
                      b"        ZZ0\tmale\t30\n")  # Windows-1250 Polish

    report = build_collection(tmp_path / "src", tmp_path / "out", corpora=["nemo"])

    assert report.kept == {"nemo": len(expected)}
    assert [(d.origin, d.reason) for d in report.dropped] == [
        ("samples/ZZ0_anger_1.wav", "data.tsv:14 is not UTF-8: raw_text holds the byte(s) "
                                    "0xBF 0xF3 0xB3 0xE6 0xEA 0xB9 0xBC 0xF1")]
