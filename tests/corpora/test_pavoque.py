from collections import Counter

import pytest
import yaml

from cameo_bench.audio import convert
from cameo_bench.corpora.pavoque import STYLES, Adapter, load_rows, origin_of, parse_row
from cameo_bench.errors import InputError
from cameo_bench.vocab import CORPORA
from support.corpus_trees import pavoque as tree
from support.corpus_trees.expect import records, scan, tree_scan
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records_and_segments(tmp_path, layouts):
    expected, root, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == expected and len(clips) == 5 * tree.ROWS
    outtakes = tree.outtake_keys(tmp_path)
    assert sorted((s.origin, s.reason.split(":")[0]) for s in skipped) == sorted(
        (k, "outtake") for k in outtakes)
    for clip in clips:
        norm = convert(clip.source)
        assert norm.source_rate == tree.RATE
        start, end = clip.source.start, clip.source.end
        assert norm.source_frames == round(end * tree.RATE) - round(start * tree.RATE)
        assert clip.source.path.name == f"pavoque-{clip.raw_label}.flac"


def test_a_missing_flac_reports_each_of_its_utterances(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    (tmp_path / tree.ROOT / "pavoque-sad.flac").unlink()
    build = tmp_path / tree.ROOT / "build" / "download"
    build.mkdir(parents=True)
    (tmp_path / tree.ROOT / "pavoque-poker.flac").rename(build / "pavoque-poker.flac")
    clips, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert {c.raw_label for c in clips} == {"angry", "happy", "neutral", "poker"}
    missing = [s for s in skipped if s.reason == "pavoque-sad.flac not found"]
    assert len(missing) == tree.ROWS and all(s.origin.endswith("-sad") for s in missing)
    (tmp_path / tree.ROOT / "pavoque-happy.yaml").unlink()
    (tmp_path / tree.ROOT / "pavoque-neutral.yaml").unlink()
    (tmp_path / tree.ROOT / "pavoque-neutral.flac").unlink()
    clips, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert {c.raw_label for c in clips} == {"angry", "poker"}
    assert [(s.origin, s.reason) for s in skipped if s.origin.endswith(".yaml")] == [
        ("pavoque-happy.yaml", "pavoque-happy.flac has no pavoque-happy.yaml beside it: "
                               "style left out"),
        ("pavoque-neutral.yaml", "missing: style left out")]


def test_malformed_yaml_names_the_file(tmp_path):
    bad = tmp_path / "pavoque-angry.yaml"
    bad.write_text("prompt: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="pavoque-angry.yaml"):
        load_rows(bad)


@pytest.mark.parametrize("style", ["angry", "happy", "poker", "sad", "outtakes"])
def test_dropping_segment_lines_keeps_every_other_field(tmp_path, layouts, style):
    text = (layouts / "pavoque" / f"pavoque-{style}.yaml").read_text(encoding="utf-8")
    excerpt = tmp_path / f"pavoque-{style}.yaml"
    excerpt.write_text(tree.first_entries(text, 40), encoding="utf-8")
    plain = yaml.safe_load(excerpt.read_text(encoding="utf-8"))
    assert len(plain) == 40
    assert load_rows(excerpt) == [
        {k: (None if k == "segments" else v) for k, v in r.items()} for r in plain]


def test_rows_of_the_real_yaml_files_match_table_1(layouts):
    info = CORPORA["pavoque"]
    segments = inventory(layouts, "pavoque")
    kept = Counter()
    texts = set()
    seconds = 0.0
    for style in (*STYLES, "outtakes"):
        if style == "neutral":  # the real file is not carried: its segments are in the inventory
            rows = [r for r in segments if r["flac"] == "pavoque-neutral.flac"]
            kept["neutral"] = len(rows)
            seconds += sum(float(r["end"]) - float(r["start"]) for r in rows)
            continue
        path = layouts / "pavoque" / f"pavoque-{style}.yaml"
        rows = load_rows(path)
        ours = {origin_of(r): (float(r["start"]), float(r["end"])) for r in rows}
        theirs = {r["key"]: (float(r["start"]), float(r["end"])) for r in segments
                  if r["flac"] == f"pavoque-{style}.flac"}
        assert ours == theirs
        if style != "outtakes":
            parsed = [parse_row(r) for r in rows]
            assert not [p for p in parsed if isinstance(p, str)]
            kept.update(Adapter.label_map[p.raw_label] for p in parsed)
            texts |= {p.transcription for p in parsed}
            seconds += sum(r["end"] - r["start"] for r in rows)
    assert sum(kept.values()) == info.samples
    assert set(kept) == set(info.labels)
    assert len(texts) < info.utterances  # the neutral texts, not carried, make up the rest
    h, m, sec = (int(x) for x in info.duration.split(":"))
    assert round(seconds) == h * 3600 + m * 60 + sec  # the segments, outtakes excluded


def test_a_damaged_style_file_costs_that_style_only(tmp_path, layouts):
    """One bad byte in a YAML file stopped the whole build (issue 11)."""
    tree.make_tree(tmp_path, layouts)
    sad = tmp_path / tree.ROOT / "pavoque-sad.yaml"
    sad.write_bytes(sad.read_bytes().replace(b"text", b"t\xe9xt", 1))
    clips, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert {c.raw_label for c in clips} == {"angry", "happy", "neutral", "poker"}
    damaged = [s for s in skipped if s.origin == "pavoque-sad.yaml"]
    assert len(damaged) == 1 and damaged[0].reason.endswith(": style left out")
    assert "not a PAVOQUE YAML file" in damaged[0].reason
