from collections import Counter

from cameo_bench.corpora.subesco import Adapter, parse_name
from cameo_bench.records import AudioSource
from cameo_bench.vocab import CORPORA
from support.corpus_trees import subesco as tree
from support.corpus_trees.expect import (
    assert_meets_table_1,
    records,
    scan,
    source_rates,
    tree_scan,
)
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records_and_decodable_audio(tmp_path, layouts):
    expected, root, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == expected and skipped == []
    assert "F_02_MONIKA_S_2_SURPRISE_3].wav" in {c.origin for c in clips}
    rates = {r["relpath"]: int(r["sample_rate"]) for r in tree.chosen_rows(layouts)}
    assert source_rates(clips) == rates and set(rates.values()) == {44100, 48000}
    assert all(c.source == AudioSource(root / c.origin) for c in clips)


def test_foreign_wav_is_reported_skipped(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    for name in ("notes.wav", "M_01_BASHIR_S_1_SAD_1.WAV", "readme.txt"):
        (tmp_path / tree.ROOT / name).write_bytes(b"")
    _, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert [(s.origin, "does not match" in s.reason) for s in skipped] == [
        ("M_01_BASHIR_S_1_SAD_1.WAV", True), ("notes.wav", True)]


def test_detect_finds_nothing_elsewhere(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "Anger_C_A_abajo.wav").write_bytes(b"")
    assert Adapter.detect(tmp_path) is None


def test_parse_name_over_the_full_real_inventory_matches_table_1(layouts):
    info = CORPORA["subesco"]
    parsed = [parse_name(r["relpath"]) for r in inventory(layouts, "subesco")]
    assert_meets_table_1("subesco", parsed)
    assert {Adapter.label_map[p.raw_label] for p in parsed} == set(info.labels)
    assert Counter(p.raw_label for p in parsed) == Counter(
        {e: 1000 for e in Adapter.label_map})
