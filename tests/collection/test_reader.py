"""Reading a built collection: with ``datasets`` (audio an Audio feature, never decoded by it)
and with our own reader (filters, deterministic samples, 16 kHz float arrays), and from a Hub
snapshot in the local cache; offline and not cached is a one-line error; ``metadata.jsonl`` read
as untrusted text."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import soundfile as sf

import cameo_bench.collection.format as collection_format
from cameo_bench.builder import build_collection
from cameo_bench.collection import open_collection
from cameo_bench.collection.hub import parse_hub_location
from cameo_bench.collection.reader import read_metadata
from cameo_bench.errors import CameoError, InputError
from cameo_bench.vocab import HUB_REPO, HUB_REVISION
from support.corpus_trees.nemo import make_tree


@pytest.fixture(scope="module")
def built(tmp_path_factory, layouts):
    tmp = tmp_path_factory.mktemp("reader")
    make_tree(tmp / "src", layouts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(collection_format, "ROW_GROUP", 5)  # 12 clips → 3 row groups
        build_collection(tmp / "src", tmp / "out", corpora=["nemo"])
    return tmp / "out"


def test_loads_with_datasets_audio_as_audio_feature(built, tmp_path):
    import datasets

    ds = datasets.load_dataset(str(built), cache_dir=str(tmp_path / "hf"))
    assert list(ds) == ["nemo"]
    assert isinstance(ds["nemo"].features["audio"], datasets.Audio)
    assert ds["nemo"].features["audio"].sampling_rate == 16000
    rows = ds["nemo"].cast_column("audio", datasets.Audio(decode=False))
    meta = [json.loads(x) for x in (built / "metadata.jsonl").read_text("utf-8").splitlines()]
    assert rows["file_id"] == [m["file_id"] for m in meta]
    first = rows[0]["audio"]
    assert first["path"] == meta[0]["file_id"]
    assert sf.info(io.BytesIO(first["bytes"])).samplerate == 16000


def test_reader_filters_samples_and_decodes(built):
    c = open_collection(built)
    every = c.clips()
    meta = [json.loads(x) for x in (built / "metadata.jsonl").read_text("utf-8").splitlines()]
    assert [x.record.to_dict() for x in every] == meta
    fear = c.clips(corpus=["nemo"], language=["Polish"], emotion=["fear"])
    assert [x.record.file_id for x in fear] == [m["file_id"] for m in meta
                                                 if m["emotion"] == "fear"]
    assert c.clips(language=["English"]) == []
    picked = c.sample(every, 5, seed=3)
    assert picked == c.sample(every, 5, seed=3) and len(picked) == 5
    assert [p.row for p in picked] == sorted(p.row for p in picked)
    audio = pq.read_table(built / "data" / "nemo-00000-of-00001.parquet").column("audio")
    for clip, x in c.audio(reversed(picked)):
        want, rate = sf.read(io.BytesIO(audio[clip.row]["bytes"].as_py()), dtype="float32")
        assert rate == 16000 and x.dtype == np.float32 and np.array_equal(x, want)
    with pytest.raises(CameoError, match="'cafe' is not in this collection"):
        c.clips(corpus=["cafe"])


def test_reader_reads_one_row_group_at_a_time(built, monkeypatch):
    read = []
    real = pq.ParquetFile.read_row_group

    def spy(self, i, *args, **kwargs):
        read.append(i)
        return real(self, i, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", spy)
    c = open_collection(built)
    clips = c.clips()
    assert len(list(c.audio(clips[-2:]))) == 2
    assert pq.ParquetFile(built / "data" / "nemo-00000-of-00001.parquet").num_row_groups == 3
    assert read == [2]


def test_hub_location_parsing():
    assert parse_hub_location("hf://") == (HUB_REPO, HUB_REVISION)
    assert parse_hub_location(f"hf://{HUB_REPO}") == (HUB_REPO, HUB_REVISION)
    assert parse_hub_location("hf://datasets/a/b@v1") == ("a/b", "v1")
    assert parse_hub_location("hf://a/b") == ("a/b", "main")
    with pytest.raises(CameoError, match="expected hf://owner/name"):
        parse_hub_location("hf://justone")


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    return tmp_path / "hub"


def test_hub_offline_and_not_cached_is_one_line_error(offline_cache):
    with pytest.raises(CameoError) as err:
        open_collection(f"hf://{HUB_REPO}@{HUB_REVISION}")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"hf://{HUB_REPO}@{HUB_REVISION}: not in the local")
    assert "offline" in message and "cache" in message


def test_hub_snapshot_in_cache_is_read_offline(offline_cache, built):
    snapshot = offline_cache / "datasets--amu-cai--CAMEO" / "snapshots" / HUB_REVISION
    shutil.copytree(built / "data", snapshot / "data")
    c = open_collection("hf://")
    assert c.root == snapshot and c.splits == ["nemo"]
    assert len(c.clips()) == len(open_collection(built).clips())


def _copy(built, tmp_path):
    shutil.copytree(built, tmp_path / "c")
    return tmp_path / "c", tmp_path / "c" / "data" / "nemo-00000-of-00001.parquet"


@pytest.mark.parametrize("damage", ["garbage", "torn"])
def test_a_damaged_parquet_file_is_one_line_naming_it(built, tmp_path, damage):
    root, path = _copy(built, tmp_path)
    data = path.read_bytes()
    path.write_bytes(b"not parquet at all" if damage == "garbage" else data[: len(data) // 2])
    with pytest.raises(CameoError) as info:
        open_collection(root).clips()
    message = str(info.value)
    assert message.startswith(f"{path}: not a readable parquet file (") and "\n" not in message


def _rewrite_audio(path, change):
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path, row_group_size=5)


@pytest.mark.parametrize("damage, problem", [
    ("not flac", "not FLAC audio"),
    ("missing", "is missing"),
    ("8 kHz", "is at 8000 Hz, not 16000 Hz"),
])
def test_a_damaged_audio_row_is_one_line_naming_file_and_row(built, tmp_path, damage, problem):
    root, path = _copy(built, tmp_path)

    def change(rows):
        rows[7]["audio"]["bytes"] = {
            "not flac": b"fLaC but not really",
            "missing": None,
            "8 kHz": sf_bytes(np.zeros(800, dtype=np.int16), 8000),
        }[damage]

    _rewrite_audio(path, change)
    collection = open_collection(root)
    clips = collection.clips()
    assert len(list(collection.audio(clips[:7]))) == 7  # the rows before it read fine
    with pytest.raises(CameoError) as info:
        list(collection.audio(clips[7:8]))
    message = str(info.value)
    assert message.startswith(f"{path}#7: ") and problem in message and "\n" not in message
    assert clips[7].record.file_id in message


def sf_bytes(pcm, rate):
    buf = io.BytesIO()
    sf.write(buf, pcm, rate, format="FLAC")
    return buf.getvalue()


def test_stats_of_a_damaged_audio_row_is_one_line(built, tmp_path):
    from cameo_bench.collection.stats import collection_stats

    root, path = _copy(built, tmp_path)
    _rewrite_audio(path, lambda rows: rows[3]["audio"].update(bytes=b"garbage"))
    with pytest.raises(CameoError, match=rf"{path}#3: not a row of FLAC audio"):
        collection_stats(open_collection(root))


def _metadata(tmp_path, line: bytes):
    from support.leaderboard_data import clip_records

    lines = [json.dumps(r.to_dict(), ensure_ascii=False).encode() for r in clip_records()[:3]]
    lines[1] = line
    path = tmp_path / "metadata.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


_RECORD = ('{"file_id": "a.flac", "emotion": "anger", "transcription": %s, "speaker_id": null, '
           '"gender": null, "age": null, "dataset": %s, "language": "French", "license": "x"}')


def _record(transcription: str = '"t"', dataset: str = '"CaFE"') -> bytes:
    return (_RECORD % (transcription, dataset)).encode("utf-8")


@pytest.mark.parametrize(("line", "reason"), [
    (_record(dataset='"Ca\\u202eFE"'), "dataset: holds a bidirectional control character U+202E"),
    (_record(dataset='"Ca\u202eFE"'), "dataset: holds a bidirectional control character U+202E"),
    (_record(dataset='"CaFE\\u0000"'), "dataset: holds a control character U+0000"),
    (_record(transcription='"\\udfff"'), "transcription: holds a lone surrogate U+DFFF"),
    (_record(transcription="NaN"), "NaN is not a number JSON allows"),
    (_record().replace(b'"age": null', b'"age": null, "age": 3'),
     "key 'age' appears twice in one object"),
    (_record(dataset="[[[[[[[[[[]]]]]]]]]]"), "JSON nests deeper than 8 levels"),
    (_record(dataset="5"), "not a metadata record (dataset: must be text, not int)"),
    (b"[1, 2]", "not a metadata record (a JSON object)"),
    (_record().replace(b"French", b"Fr\xe9nch"),
     f"not valid UTF-8 (byte 0xe9 at column {_record().index(b'French') + 3})"),
])
def test_metadata_is_read_as_untrusted_text(tmp_path, line, reason):
    path = _metadata(tmp_path, line)
    with pytest.raises(InputError) as info:
        read_metadata(path)
    assert str(info.value) == f"{path}:2: {reason}"


def test_metadata_keeps_free_text_transcriptions(tmp_path):
    path = _metadata(tmp_path, _record(transcription='"Il dit \u202bשלום\u202c\\n."'))
    assert [r.dataset for r in read_metadata(path)] == ["CaFE"] * 3
    assert read_metadata(path)[1].transcription == "Il dit \u202bשלום\u202c\n."
