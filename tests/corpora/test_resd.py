from collections import Counter

from cameo_bench.corpora._files import emit
from cameo_bench.corpora.resd import Adapter, parse_row
from cameo_bench.records import AudioSource, Skipped
from cameo_bench.vocab import CORPORA
from support.corpus_trees import resd as tree
from support.corpus_trees.expect import records, scan, source_rates, tree_scan
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records_and_decodable_audio(tmp_path, layouts):
    expected, root, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == expected and skipped == []
    assert any(" " in c.origin.rsplit("/", 1)[1] for c in clips)
    assert {c.source.column for c in clips} == {"speech"}
    rates = {r["relpath"]: int(r["sample_rate"]) for r in tree.chosen_rows(layouts)}
    assert source_rates(clips) == rates and set(rates.values()) == {16000, 44100}


def test_detect_ignores_other_parquet_files(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    assert Adapter.detect(tmp_path / tree.ROOT / "data") is None
    collection = tmp_path / "collection" / "data"
    collection.mkdir(parents=True)
    (collection / "train-00000-of-00001.parquet").write_bytes(b"not parquet")
    assert Adapter.detect(tmp_path / "collection") is None


def test_rows_without_emotion_or_with_unknown_labels_are_skipped(tmp_path):
    adapter = Adapter(tmp_path)
    src = AudioSource(tmp_path / "x.parquet", row=0, column="speech")
    origin, parsed = parse_row("train", {"name": "a", "path": "d/a.wav", "emotion": None})
    assert emit(adapter, origin, src, parsed) == Skipped("resd", "train/d/a.wav",
                                                         "the row has no emotion")
    origin, parsed = parse_row("test", {"name": "b", "path": "d/b.wav", "emotion": "joy"})
    assert emit(adapter, origin, src, parsed) == Skipped("resd", "test/d/b.wav",
                                                         "unknown label 'joy'")


def test_parse_row_over_the_full_real_inventory_matches_table_1(layouts):
    info = CORPORA["resd"]
    listed = inventory(layouts, "resd")
    parsed = []
    for r in listed:
        split, path = r["relpath"].split("/", 1)
        name = path.rsplit("/", 1)[1][:-4]
        row = {"name": name, "path": path, "text": " т ", "emotion": r["emo"]}
        parsed.append(parse_row(split, row))
    assert [origin for origin, _ in parsed] == [r["relpath"] for r in listed]
    assert len(parsed) == info.samples and len({o for o, _ in parsed}) == info.samples
    metas = [m for _, m in parsed]
    assert {(m.speaker_id, m.gender, m.age, m.transcription) for m in metas} == {
        (None, None, None, "т")}
    assert info.speakers is None
    emotions = Counter(Adapter.label_map[m.raw_label] for m in metas)
    assert emotions == Counter(anger=219, disgust=185, enthusiasm=198, fear=223,
                               happiness=218, neutral=191, sadness=162)  # CORPORA_NOTES §12
    assert set(emotions) == set(info.labels)
    assert Counter(o.split("/")[0] for o, _ in parsed) == Counter(train=1116, test=280)


def test_a_missing_split_is_reported(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / tree.ROOT / tree.SHARDS["test"]).unlink()
    clips, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert {c.origin.split("/")[0] for c in clips} == {"train"}
    assert [(s.origin, s.reason) for s in skipped] == [
        ("test/", "no data/test-*.parquet: split left out")]
