"""JL-Corpus adapter: a fake archive with the lower-case duplicate tree, and the name parser
over the full real inventory."""

from __future__ import annotations

from collections import Counter

from cameo_bench.audio import convert
from cameo_bench.corpora.jl_corpus import CANONICAL, Adapter, parse_name
from cameo_bench.records import Skipped
from cameo_bench.vocab import CORPORA
from support.corpus_trees import jl_corpus as tree
from support.corpus_trees.expect import assert_meets_table_1, records, scan, tree_scan
from support.corpus_trees.facts import inventory, second_listing


def test_scan_gives_the_expected_records(tmp_path, layouts):
    expected, _, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts, under="jl-corpus")
    assert records(clips) == sorted(expected, key=lambda r: r["origin"])
    twins = sorted(
        (f"{tree.DUPLICATE_TREE}/{o.rsplit('/', 1)[1]}", o)
        for o in (r["origin"] for r in expected[: tree.DUPLICATES])
    )
    assert skipped == [Skipped("jl_corpus", d, f"duplicate of {o}") for d, o in twins]


def test_every_clip_decodes_at_44k(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    clips, _ = scan(Adapter(tmp_path))
    assert clips
    for clip in clips:
        assert convert(clip.source).source_rate == 44_100


def test_missing_transcript_and_odd_names(tmp_path, layouts):
    expected = tree.make_tree(tmp_path, layouts)
    first = expected[0]["origin"]
    (tmp_path / first).with_suffix(".txt").unlink()
    (tmp_path / CANONICAL / "female3_angry_1a_1.wav").write_bytes(b"")
    (tmp_path / "Other" / "x.wav").parent.mkdir()
    (tmp_path / "Other" / "x.wav").write_bytes(b"")
    clips, skipped = scan(Adapter(tmp_path))
    assert next(c for c in clips if c.origin == first).transcription is None
    left_out = {(s.origin, s.reason) for s in skipped}
    assert (f"{CANONICAL}/female3_angry_1a_1.wav",
            "file name does not match the JL naming rule") in left_out
    assert ("Other/x.wav", f"outside {CANONICAL}/") in left_out


def test_detect_needs_the_canonical_tree(tmp_path):
    (tmp_path / tree.DUPLICATE_TREE).mkdir(parents=True)
    assert Adapter.detect(tmp_path) is None


def test_parser_over_the_full_inventory_meets_table_1(layouts):
    rows = inventory(layouts, "jl_corpus")
    assert {r["relpath"].rsplit("/", 1)[0] for r in rows} == {CANONICAL}
    parsed = [parse_name(r["relpath"].rsplit("/", 1)[1]) for r in rows]
    assert_meets_table_1("jl_corpus", parsed, utterances=False)
    info = CORPORA["jl_corpus"]
    labels = Counter(Adapter.label_map[p.raw_label] for p in parsed)
    assert labels == {e: 240 for e in info.labels}  # NOTES §0
    assert all(p.raw_label == r["emo"] for p, r in zip(parsed, rows, strict=True))


def test_parser_agrees_with_a_second_listing(layouts):
    # nkululeko's listing: speaker and gender per file
    rows = second_listing(layouts, "jl_corpus")
    assert len(rows) == CORPORA["jl_corpus"].samples
    for name, row in rows.items():
        meta = parse_name(name)
        assert (meta.speaker_id, meta.gender) == (f"jl_corpus_{row['speaker']}", row["gender"])


def test_a_transcript_that_is_not_utf8_costs_its_clip_only(tmp_path, layouts):
    """It was read with errors="replace": a mangled transcription kept without a word."""
    expected = tree.make_tree(tmp_path, layouts)
    first = expected[0]["origin"]
    (tmp_path / first).with_suffix(".txt").write_bytes(b"Caf\xe9 time")
    clips, skipped = scan(Adapter(tmp_path))
    assert [(s.origin, s.reason) for s in skipped if s.origin == first] == [
        (first, "its metadata is not UTF-8: transcription holds the byte(s) 0xE9")]
    assert records(clips) == [e for e in expected if e["origin"] != first]
