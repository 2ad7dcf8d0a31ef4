"""The real nEMO subset (``shared/corpora/nemo``) built end to end: every count, speaker,
gender, age, transcription and per-file duration agrees with its data.tsv and WAV headers, read
here independently with ``csv`` and the stdlib ``wave`` module."""

from __future__ import annotations

import csv
import io
import json
import wave
from collections import Counter

import pyarrow.parquet as pq
import pytest
import soundfile as sf

from cameo_bench.builder import build_collection
from cameo_bench.collection import open_collection
from cameo_bench.collection.stats import collection_stats


@pytest.fixture(scope="module")
def tsv(nemo_root):
    with open(nemo_root / "data.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def headers(nemo_root, tsv):
    out = {}
    for row in tsv:
        with wave.open(str(nemo_root / "samples" / row["file_id"]), "rb") as w:
            out[row["file_id"]] = (w.getnframes(), w.getframerate(), w.getnchannels())
    return out


@pytest.fixture(scope="module")
def built(nemo_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("nemo_built")
    report = build_collection(nemo_root.parent, out, corpora=["nemo"], jobs=2)
    return out, report


def test_every_row_is_kept_and_nothing_dropped(built, tsv):
    _, report = built
    assert report.kept == {"nemo": len(tsv)} and len(tsv) == 446
    assert report.dropped == [] and report.flagged == [] and report.missing == []
    assert report.to_dict()["label_maps"]["nemo"]["surprised"] == "surprise"


def test_records_match_data_tsv(built, tsv):
    out, report = built
    origin = {c.file_id: c.origin for c in report.clips["nemo"]}
    lines = (out / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    got = Counter()
    for line in lines:
        r = json.loads(line)
        got[(origin[r["file_id"]], r["emotion"], r["transcription"], r["speaker_id"],
             r["gender"], r["age"], r["dataset"], r["language"], r["license"])] += 1
    want = Counter(
        (f"samples/{t['file_id']}", "surprise" if t["emotion"] == "surprised" else t["emotion"],
         t["raw_text"], "nemo_" + t["speaker_id"].strip(), t["gender"], t["age"],
         "nEMO", "Polish", "CC BY-NC-SA 4.0")
        for t in tsv
    )
    assert got == want
    assert all(r[3] in {"nemo_EB0", "nemo_IC0", "nemo_KD0", "nemo_MK0", "nemo_KS0", "nemo_MP0",
                        "nemo_SM0", "nemo_TP0", "nemo_WR0"} for r in got)


def test_per_file_durations_match_wav_headers(built, headers):
    out, report = built
    origin = {c.file_id: c.origin for c in report.clips["nemo"]}
    for c in report.clips["nemo"]:
        frames, rate, _ = headers[c.origin.removeprefix("samples/")]
        assert (c.source_frames, c.source_rate) == (frames, rate)
    table = pq.read_table(out / "data" / "nemo-00000-of-00001.parquet",
                          columns=["file_id", "audio"])
    assert table.column("file_id").to_pylist() == [c.file_id for c in report.clips["nemo"]]
    for file_id, audio in zip(table.column("file_id").to_pylist(),
                              table.column("audio").to_pylist(), strict=True):
        info = sf.info(io.BytesIO(audio["bytes"]))
        frames, rate, _ = headers[origin[file_id].removeprefix("samples/")]
        assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
        assert info.format == "FLAC" and audio["path"] == file_id
        assert abs(info.frames - frames * 16000 / rate) <= 1


def test_stats_match_independent_counts(built, tsv, headers):
    out, _ = built
    stats = collection_stats(open_collection(out))
    (row,) = stats.corpora
    genders = {t["speaker_id"].strip(): t["gender"] for t in tsv}
    assert (row.samples, row.speakers) == (len(tsv), len(genders))
    assert row.female_speakers == sum(g == "female" for g in genders.values()) == 4
    assert row.male_speakers == sum(g == "male" for g in genders.values()) == 5
    assert row.utterances == len({t["raw_text"] for t in tsv})
    seconds = sum(n / r for n, r, _ in headers.values())
    assert abs(row.seconds - seconds) <= len(headers) / 16000
    female_clips = sum(t["gender"] == "female" for t in tsv)
    assert stats.percent["female"] == round(100 * female_clips / len(tsv), 2)
    assert stats.percent["English"] == 0 and stats.percent["speaker id"] == 100
