"""eNTERFACE adapter: a fake tree with every quirk, and the path parser over the real inventory."""

from __future__ import annotations

from collections import Counter

from cameo_bench.audio import convert
from cameo_bench.corpora.enterface import EXCLUDED, Adapter, parse_path
from cameo_bench.vocab import CORPORA
from support.corpus_trees import enterface as tree
from support.corpus_trees.expect import records, scan, tree_scan
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records(tmp_path, layouts):
    expected, _, clips, left_out = tree_scan(tree, Adapter, tmp_path, layouts,
                                             under="enterface database")
    assert records(clips) == sorted(expected, key=lambda r: r["origin"])
    origins = {r["origin"] for r in expected}
    assert "subject 11/anger/sentence 2/s12_an_2.avi" in origins
    assert "subject 3/happiness/sentence 2/s_3_ha_2.avi" in origins
    assert "subject 16/surprise/sentence 3/s16_su_3avi.avi" in origins
    assert Counter(s.origin.split("/")[0] for s in left_out) == {"subject 6": 6, "subject 12": 2}
    assert {s.reason for s in left_out} == {EXCLUDED["6"], EXCLUDED["12"]}


def test_every_clip_decodes_from_avi_at_48k(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    clips, _ = scan(Adapter(tmp_path))
    assert clips
    for clip in clips:
        audio = convert(clip.source)
        assert (audio.source_rate, audio.source_frames) == (48_000, 4_800)


def test_unexpected_paths_are_reported(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / "subject 1" / "neutral" / "sentence 1").mkdir(parents=True)
    (tmp_path / "subject 1" / "neutral" / "sentence 1" / "s1_ne_1.avi").write_bytes(b"")
    (tmp_path / "subject 1" / "anger" / "s1_an.avi").write_bytes(b"")
    left_out = {(s.origin, s.reason) for s in scan(Adapter(tmp_path))[1]
                if not s.origin.startswith(("subject 6/", "subject 12/"))}
    assert left_out == {
        ("subject 1/neutral/sentence 1/s1_ne_1.avi", "unknown label 'neutral'"),
        ("subject 1/anger/s1_an.avi", "path does not match subject N/<emotion>/sentence K/*.avi"),
    }


def test_detect_needs_subject_folders(tmp_path):
    (tmp_path / "subject 1").mkdir()
    assert Adapter.detect(tmp_path) is None
    (tmp_path / "subject 1" / "fear").mkdir()
    assert Adapter.detect(tmp_path) == tmp_path


def test_parser_over_the_full_inventory_meets_table_1(layouts):
    parsed = [parse_path(r["relpath"]) for r in inventory(layouts, "enterface")]
    kept = [p for p in parsed if not isinstance(p, str)]
    # the inventory keeps subject 6 (6 files) and lacks subject 12
    assert Counter(p for p in parsed if isinstance(p, str)) == {EXCLUDED["6"]: 6}
    info = CORPORA["enterface"]
    assert len(kept) == info.samples
    assert len({p.speaker_id for p in kept}) == info.speakers
    labels = Counter(Adapter.label_map[p.raw_label] for p in kept)
    assert labels == {e: 207 if e == "happiness" else 210 for e in info.labels}  # NOTES §0
    # 6 × 5 reactions; Table 1 says 31 utterances, which the paper's table cannot give
    assert len({p.transcription for p in kept}) == 30
