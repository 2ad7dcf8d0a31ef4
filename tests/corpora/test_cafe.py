"""CaFE adapter: a fake original tree, and the parser over the full real inventory."""

from __future__ import annotations

from collections import Counter

from cameo_bench.audio import convert
from cameo_bench.corpora.cafe import Adapter, parse_name
from cameo_bench.records import Skipped
from cameo_bench.vocab import CORPORA
from support.corpus_trees import cafe as tree
from support.corpus_trees.expect import assert_meets_table_1, records, scan, tree_scan
from support.corpus_trees.facts import inventory, second_listing


def test_scan_gives_the_expected_records(tmp_path, layouts):
    expected, _, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == sorted(expected, key=lambda r: r["origin"])
    assert not skipped
    assert any("ColŠre" in r["origin"] for r in expected)  # the mangled folders were met


def test_every_clip_decodes_at_48k(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    for clip in Adapter(tmp_path / tree.ROOT).scan():
        assert convert(clip.source).source_rate == 48_000


def test_unparsable_wav_is_reported_and_junk_ignored(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    root = tmp_path / tree.ROOT
    (root / "Joie" / "Fort" / "copy of 03-J-2-5.wav").write_bytes(b"")
    (root / "Readme.txt").write_text("CaFE")
    _, left_out = scan(Adapter(root))
    assert left_out == [Skipped("cafe", "Joie/Fort/copy of 03-J-2-5.wav",
                               "file name does not match AA-E-I-S.wav")]


def test_detect_does_not_fire_on_other_trees(tmp_path):
    (tmp_path / "AudioWAV").mkdir()
    (tmp_path / "AudioWAV" / "1001_DFA_ANG_XX.wav").write_bytes(b"")
    assert Adapter.detect(tmp_path) is None


def test_parser_over_the_full_inventory_meets_table_1(layouts):
    rows = inventory(layouts, "cafe")
    parsed = [parse_name(r["relpath"].rsplit("/", 1)[1]) for r in rows]
    assert_meets_table_1("cafe", parsed)
    info = CORPORA["cafe"]
    labels = Counter(Adapter.label_map[p.raw_label] for p in parsed)
    assert labels == {e: 72 if e == "neutral" else 144 for e in info.labels}  # NOTES §1
    # the inventory's own label column agrees with the stem's letter
    assert all(p.raw_label == r["emo"].upper() for p, r in zip(parsed, rows, strict=True))


def test_parser_agrees_with_a_second_extraction(layouts):
    # nkululeko's listing of the same release: speaker and unified emotion per file
    rows = second_listing(layouts, "cafe")
    assert len(rows) == CORPORA["cafe"].samples
    for name, row in rows.items():
        meta = parse_name(name)
        assert meta.speaker_id == f"cafe_{row['speaker']}"
        assert Adapter.label_map[meta.raw_label] == row["emotion"]
