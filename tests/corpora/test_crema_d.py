"""CREMA-D adapter: a fake clone, and the parser over the full real inventory."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from cameo_bench.audio import convert
from cameo_bench.corpora.crema_d import Adapter, parse_name, read_demographics
from cameo_bench.errors import InputError
from cameo_bench.records import Skipped
from cameo_bench.vocab import CORPORA
from support.corpus_trees import cafe as cafe_tree
from support.corpus_trees import crema_d as tree
from support.corpus_trees.expect import assert_meets_table_1, records, scan, tree_scan
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records(tmp_path, layouts):
    expected, _, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts, under="CREMA-D")
    assert records(clips) == sorted(expected, key=lambda r: r["origin"])
    assert not skipped


def test_every_clip_decodes_at_16k_and_the_silent_one_is_kept(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    clips = list(Adapter(tmp_path).scan())
    audio = {c.origin: convert(c.source) for c in clips}
    assert {a.source_rate for a in audio.values()} == {16_000}
    assert not np.any(audio[tree.SILENT].pcm)


def test_unknown_names_and_labels_are_reported(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / "AudioWAV" / "1001_XYZ_ANG_XX.wav").write_bytes(b"")
    (tmp_path / "AudioWAV" / "1001_DFA_BOR_XX.wav").write_bytes(b"")
    _, left_out = scan(Adapter(tmp_path))
    assert left_out == [
        Skipped("crema_d", "AudioWAV/1001_DFA_BOR_XX.wav", "unknown label 'BOR'"),
        Skipped("crema_d", "AudioWAV/1001_XYZ_ANG_XX.wav",
                "file name does not match AAAA_SSS_EEE_LL.wav with a known SSS"),
    ]


def test_missing_demographics_is_an_input_error(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / "VideoDemographics.csv").unlink()
    with pytest.raises(InputError, match="VideoDemographics.csv"):
        list(Adapter(tmp_path).scan())


def test_detect_does_not_fire_on_cafe(tmp_path, layouts):
    cafe_tree.make_tree(tmp_path, layouts)
    assert Adapter.detect(tmp_path) is None


def test_parser_over_the_full_inventory_meets_table_1(layouts):
    demographics = read_demographics(layouts / "crema_d" / "VideoDemographics.csv")
    parsed = [parse_name(r["relpath"].split("/")[1], demographics)
              for r in inventory(layouts, "crema_d")]
    assert_meets_table_1("crema_d", parsed)
    info = CORPORA["crema_d"]
    labels = Counter(Adapter.label_map[p.raw_label] for p in parsed)
    assert labels == {e: 1087 if e == "neutral" else 1271 for e in info.labels}  # NOTES §2
    assert all(p.age and p.age.isdigit() for p in parsed)


def test_demographics_that_are_not_utf8_cost_that_actors_clips_only(tmp_path, layouts):
    """A non-UTF-8 byte was an uncaught UnicodeDecodeError: the whole build stopped."""
    expected = tree.make_tree(tmp_path, layouts)
    table = tmp_path / "VideoDemographics.csv"
    lines = table.read_bytes().split(b"\n")
    actor = lines[1].split(b",")[0].decode()
    lines[1] = lines[1].replace(b"Male", b"M\xe4le").replace(b"Female", b"F\xe4male")
    table.write_bytes(b"\n".join(lines))
    clips, skipped = scan(Adapter(tmp_path))
    assert skipped and all(s.origin.startswith(f"AudioWAV/{actor}_") for s in skipped)
    assert {s.reason for s in skipped} == {
        "its metadata is not UTF-8: gender holds the byte(s) 0xE4"}
    assert records(clips) == [e for e in expected
                              if not e["origin"].startswith(f"AudioWAV/{actor}_")]
