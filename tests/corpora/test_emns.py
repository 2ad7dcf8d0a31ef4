"""EMNS adapter: a fake OpenSLR download, and the row parser over all 1,205 real rows."""

from __future__ import annotations

from collections import Counter

import pytest

from cameo_bench.audio import convert
from cameo_bench.corpora.emns import Adapter, parse_row
from cameo_bench.errors import InputError
from cameo_bench.records import Skipped
from cameo_bench.vocab import CORPORA
from support.corpus_trees import crema_d as crema_tree
from support.corpus_trees import emns as tree
from support.corpus_trees.expect import records, scan, tree_scan


def test_scan_gives_the_expected_records(tmp_path, layouts):
    expected, _, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts, under="emns")
    assert records(clips) == sorted(expected, key=lambda r: r["origin"])
    assert not skipped
    origins = {r["origin"] for r in expected}
    assert "raw_webm/recorded_audio.webm" in origins
    assert {r["emotion"] for r in expected} >= {"excitement", "sarcasm", "happiness"}


def test_every_clip_decodes_from_webm_opus_at_48k(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    clips = list(Adapter(tmp_path).scan())
    assert clips
    for clip in clips:
        audio = convert(clip.source)
        assert audio.source_rate == 48_000
        assert audio.source_seconds == pytest.approx(0.1, abs=0.03)


def test_rows_without_audio_and_audio_without_rows_are_reported(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / "raw_webm" / "recorded_audio.webm").unlink()
    (tmp_path / "raw_webm" / "recorded_audio_zzzzzzz.webm").write_bytes(b"")
    line = next(i for i, ln in enumerate((tmp_path / "metadata.csv").open(), 1)
                if "wavs/recorded_audio.webm|" in ln)
    assert scan(Adapter(tmp_path))[1] == [
        Skipped("emns", "raw_webm/recorded_audio.webm",
                f"audio file missing (metadata.csv line {line})"),
        Skipped("emns", "raw_webm/recorded_audio_zzzzzzz.webm",
                "no metadata.csv row for this file"),
    ]


def test_missing_audio_folder_and_bad_header_are_input_errors(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    meta = tmp_path / "metadata.csv"
    meta.write_text(meta.read_text().replace("|", ",", 3))
    with pytest.raises(InputError, match="metadata.csv:1: missing column"):
        list(Adapter(tmp_path).scan())
    assert Adapter.detect(tmp_path) is None
    with pytest.raises(InputError, match="raw_webm"):
        list(Adapter(tmp_path / "nowhere").scan())


def test_detect_does_not_fire_on_crema_d(tmp_path, layouts):
    crema_tree.make_tree(tmp_path, layouts)
    (tmp_path / "metadata.csv").write_text("file,emotion\n")
    assert Adapter.detect(tmp_path) is None


def test_parser_over_all_1205_rows_meets_table_1(layouts):
    rows = [parse_row(r) for r in tree.original_rows(layouts)]
    info = CORPORA["emns"]
    assert len(rows) == info.samples
    assert len({name for name, _ in rows}) == info.samples
    parsed = [p for _, p in rows]
    assert {(p.speaker_id, p.gender, p.age) for p in parsed} == {("emns_3", "female", "20s")}
    assert len({p.transcription for p in parsed}) == info.utterances
    # NOTES §0/§3: per-emotion counts of the 1,205 rows (Happy and Excited together 313)
    labels = Counter(Adapter.label_map.get(p.raw_label, "happiness|excitement")
                     for p in parsed)
    labels["happiness|excitement"] += labels.pop("happiness") + labels.pop("excitement")
    assert labels == {"anger": 133, "disgust": 165, "happiness|excitement": 313,
                      "neutral": 149, "sadness": 150, "sarcasm": 142, "surprise": 153}
