from collections import Counter

from cameo_bench.corpora.ravdess import Adapter, parse_name
from cameo_bench.vocab import CORPORA
from support.corpus_trees import ravdess as tree
from support.corpus_trees.expect import (
    assert_meets_table_1,
    records,
    source_rates,
    tree_scan,
)
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records_and_decodable_audio(tmp_path, layouts):
    expected, root, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == expected
    assert [(s.origin, "not speech" in s.reason) for s in skipped] == [(tree.SONG, True)]
    assert set(source_rates(clips).values()) == {48000}
    assert {r["emotion"] for r in expected} == set(CORPORA["ravdess"].labels)


def test_detect_prefers_the_speech_archive_over_the_song_archive(tmp_path):
    song = tmp_path / "Audio_Song_Actors_01-24" / "Actor_01" / "03-02-01-01-01-01-01.wav"
    speech = tmp_path / "Audio_Speech_Actors_01-24" / "Actor_01" / "03-01-01-01-01-01-01.wav"
    for p in (song, speech):
        p.parent.mkdir(parents=True)
        p.write_bytes(b"")
    assert Adapter.detect(tmp_path) == tmp_path / "Audio_Speech_Actors_01-24"
    assert Adapter.detect(tmp_path / "Audio_Song_Actors_01-24") is None


def test_parse_name_over_the_full_real_inventory_matches_table_1(layouts):
    info = CORPORA["ravdess"]
    parsed = [parse_name(r["relpath"].rsplit("/", 1)[1]) for r in inventory(layouts, "ravdess")]
    assert_meets_table_1("ravdess", parsed)
    emotions = Counter(Adapter.label_map[p.raw_label] for p in parsed)
    assert emotions == Counter({e: 192 for e in info.labels if e != "neutral"}, neutral=96)
    rows = inventory(layouts, "ravdess")
    names = {r["emo"]: Adapter.label_map[p.raw_label] for r, p in zip(rows, parsed, strict=True)}
    assert names == tree.EMOTIONS
