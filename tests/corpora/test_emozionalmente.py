"""Emozionalmente adapter: a fake archive, and the label map over the full real inventory."""

from __future__ import annotations

from collections import Counter

import pytest

from cameo_bench.corpora.emozionalmente import Adapter, parse_sample
from cameo_bench.errors import InputError
from cameo_bench.vocab import CORPORA
from support.corpus_trees import emns as emns_tree
from support.corpus_trees import emozionalmente as tree
from support.corpus_trees.expect import records, scan, source_rates, tree_scan
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records(tmp_path, layouts):
    expected, _, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts,
                                            under="emozionalmente_dataset")
    assert records(clips) == sorted(expected, key=lambda r: r["origin"])
    assert not skipped
    assert None in {r["gender"] for r in expected}


def test_every_clip_decodes_at_its_original_rate(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    rates = {r["relpath"]: int(r["sample_rate"]) for r in inventory(layouts, "emozionalmente")}
    got = source_rates(scan(Adapter(tmp_path))[0])
    assert got == {o: rates[o] for o in got}
    assert set(got.values()) == {16_000, 44_100}


def test_unmatched_rows_files_and_labels_are_reported(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    samples = tmp_path / "metadata" / "samples.csv"
    lines = samples.read_text().splitlines(True)
    gone, extra = lines[1].split(",")[0], lines[2].split(",")[0]
    (tmp_path / "audio" / gone).unlink()
    (tmp_path / "audio" / "1500000000000.wav").write_bytes(b"")
    (tmp_path / "audio" / "1600000000000.wav").write_bytes(b"")
    added = [lines[2], "2000000000000.wav,x,y,anger\n", "1600000000000.wav,x,y,boredom\n"]
    samples.write_text("".join(lines + added))
    n = len(lines)
    assert {(s.origin, s.reason) for s in scan(Adapter(tmp_path))[1]} == {
        (f"audio/{gone}", "audio file missing (metadata/samples.csv line 2)"),
        (f"audio/{extra}", f"second metadata/samples.csv row for this file (line {n + 1})"),
        ("audio/2000000000000.wav", f"audio file missing (metadata/samples.csv line {n + 2})"),
        ("audio/1600000000000.wav", "unknown label 'boredom'"),
        ("audio/1500000000000.wav", "no metadata/samples.csv row for this file"),
    }


def test_missing_users_table_is_an_input_error(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / "metadata" / "users.csv").unlink()
    with pytest.raises(InputError, match="users.csv: cannot read"):
        list(Adapter(tmp_path).scan())


def test_detect_does_not_fire_on_emns(tmp_path, layouts):
    emns_tree.make_tree(tmp_path, layouts)
    assert Adapter.detect(tmp_path) is None


def test_label_map_over_the_full_inventory_meets_table_1(layouts):
    rows = inventory(layouts, "emozionalmente")
    parsed = [parse_sample({"file_name": r["relpath"].split("/")[1], "actor": "a",
                            "emotion_expressed": r["emo"], "sentence": "s"}, {})
              for r in rows]
    info = CORPORA["emozionalmente"]
    assert len({name for name, _ in parsed}) == info.samples
    labels = Counter(Adapter.label_map[p.raw_label] for _, p in parsed)
    assert labels == {e: 986 for e in info.labels}  # NOTES §0: 986 × 7


def test_a_row_with_bytes_that_are_not_utf8_costs_that_clip_only(tmp_path, layouts):
    expected = tree.make_tree(tmp_path, layouts)
    samples = tmp_path / "metadata" / "samples.csv"
    lines = samples.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Frase", b"Fr\xe0se")  # Latin-1 à, as a legacy editor saves it
    samples.write_bytes(b"\n".join(lines))
    clips, skipped = scan(Adapter(tmp_path))
    bad = lines[1].split(b",")[0].decode()
    assert [(s.origin, s.reason) for s in skipped] == [
        (f"audio/{bad}", "its metadata is not UTF-8: transcription holds the byte(s) 0xE0")]
    assert records(clips) == sorted((e for e in expected if e["origin"] != f"audio/{bad}"),
                                    key=lambda r: r["origin"])


def test_a_header_without_the_columns_is_an_input_error(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / "metadata" / "samples.csv").write_bytes(b"file_name,sentence\n\xff\xfe\n")
    with pytest.raises(InputError, match="samples.csv:1: missing column.s. actor"):
        list(Adapter(tmp_path).scan())
