import json

import pyarrow.parquet as pq
import yaml

from cameo_bench.collection import open_collection
from cameo_bench.demo import SIZES, ensure_demo, generate_demo
from cameo_bench.demo.generate import MANIFEST
from cameo_bench.demo.spec import plan
from cameo_bench.vocab import DEMO_CORPORA, DEMO_LABELS, LANGUAGES
from support.demo import small_demo


def test_full_plan_matches_the_vocabulary_figures():
    clips = plan(SIZES["full"])
    assert sorted(clips) == sorted(DEMO_CORPORA)
    assert {c.language for c in DEMO_CORPORA.values()} == set(LANGUAGES)
    for split, planned in clips.items():
        info = DEMO_CORPORA[split]
        assert len(planned) == info.samples
        assert len({c.speaker for c in planned}) == info.speakers
        assert len({c.sentence for c in planned}) == info.utterances
        assert sorted({c.emotion for c in planned}) == list(DEMO_LABELS) == list(info.labels)


def test_emotions_differ_in_prosody_beyond_the_jitter():
    by_emotion = {}
    for c in plan(SIZES["full"])["demo_en"]:
        by_emotion.setdefault(c.emotion, set()).add(c.job.prosody)
    # each clip is jittered: no two clips of an emotion share all parameters by design
    assert all(len(p) > 1 for p in by_emotion.values())
    sad = max(p.rate for p in by_emotion["sadness"])
    fear = min(p.rate for p in by_emotion["fear"])
    assert sad < fear  # sadness is slower than fear whatever the jitter


def test_small_demo_is_a_collection_labelled_synthetic():
    root = small_demo()
    collection = open_collection(root)
    clips = collection.clips()
    assert collection.splits == ["demo_en", "demo_pl"]
    assert len(clips) == 2 * 3 * 1 * len(DEMO_LABELS)
    assert all("(synthetic)" in c.record.dataset for c in clips)
    assert len({c.record.file_id for c in clips}) == len(clips)
    meta = [json.loads(line) for line in (root / "metadata.jsonl").read_text().splitlines()]
    assert [m["file_id"] for m in meta] == [c.record.file_id for c in clips]
    card = (root / "README.md").read_text()
    assert "SYNTHETIC" in card and "eSpeak NG" in card
    header = yaml.safe_load(card.split("---\n")[1])
    assert header["license"] == "cc0-1.0" and "SYNTHETIC" in header["pretty_name"]
    assert [f["split"] for f in header["configs"][0]["data_files"]] == ["demo_en", "demo_pl"]
    for _, audio in collection.audio(clips[:3]):
        assert 0.5 < len(audio) / 16000 < 5 and abs(audio).max() > 0.05


def test_generation_is_byte_identical_across_runs_and_worker_counts(tmp_path):
    again = generate_demo(tmp_path / "again", "small", workers=1)
    first = small_demo()
    for split in ("demo_en", "demo_pl"):
        name = f"data/{split}-00000-of-00001.parquet"
        assert (again / name).read_bytes() == (first / name).read_bytes()
    assert (again / "metadata.jsonl").read_bytes() == (first / "metadata.jsonl").read_bytes()
    assert pq.read_schema(again / "data/demo_en-00000-of-00001.parquet").names[1] == "audio"


def test_ensure_demo_reuses_a_complete_demo_and_redoes_an_incomplete_one(tmp_path, monkeypatch):
    root = tmp_path / "demo"
    calls = []
    monkeypatch.setattr("cameo_bench.demo.generate.generate_demo",
                        lambda r, size, **kw: calls.append(r) or r)
    ensure_demo("small", root=root)
    assert calls == [root]  # nothing there yet
    root.mkdir()
    (root / MANIFEST).write_text(json.dumps({"demo_version": "0"}))
    ensure_demo("small", root=root)
    assert len(calls) == 2  # another version: regenerated
    ensure_demo("small", root=small_demo())
    assert len(calls) == 2  # complete: reused


def test_demo_dir_honours_the_override(monkeypatch, tmp_path):
    from cameo_bench.demo import demo_dir

    monkeypatch.setenv("CAMEO_DEMO_DIR", str(tmp_path / "here"))
    assert demo_dir() == tmp_path / "here"
    monkeypatch.delenv("CAMEO_DEMO_DIR")
    monkeypatch.setenv("CAMEO_CACHE_DIR", str(tmp_path / "cache"))
    assert demo_dir("small") == tmp_path / "cache" / "demo-v1-small"


def test_an_unknown_voice_is_a_clear_error():
    import pytest

    from cameo_bench.demo.espeak import Prosody, SynthJob, synthesize_batch
    from cameo_bench.errors import CameoError

    with pytest.raises(CameoError, match="no voice 'xx\\+zz'"):
        synthesize_batch([SynthJob("xx+zz", "hello", Prosody(150, 50, 50, 100))])
