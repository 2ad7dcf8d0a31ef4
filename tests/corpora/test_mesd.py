from collections import Counter

import soundfile as sf

from cameo_bench.corpora.mesd import Adapter, parse_name
from cameo_bench.vocab import CORPORA
from support.corpus_trees import mesd as tree
from support.corpus_trees.expect import records, scan, source_rates, tree_scan
from support.corpus_trees.facts import inventory, second_listing


def test_scan_gives_the_expected_records_and_decodable_audio(tmp_path, layouts):
    expected, root, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == expected and skipped == []
    assert {"por favor", "basta ya", "de nada"} <= {c.transcription for c in clips}
    assert set(source_rates(clips).values()) == {48000}
    assert {sf.info(c.source.path).subtype for c in clips} == {"PCM_24"}


def test_reduced_variant_and_foreign_names_are_skipped(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    for name in ("Happiness_F_B_L1_abuso.wav", "Rage_F_A_abajo.wav"):
        (tmp_path / tree.ROOT / name).write_bytes(b"")
    _, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert [(s.origin, s.reason.split()[0]) for s in skipped] == [
        ("Happiness_F_B_L1_abuso.wav", "reduced-variant"), ("Rage_F_A_abajo.wav", "unknown")]


def test_parse_name_over_the_full_real_inventory_matches_table_1(layouts):
    info = CORPORA["mesd"]
    words = second_listing(layouts, "mesd")
    names = [r["relpath"].rsplit("/", 1)[1] for r in inventory(layouts, "mesd")]
    parsed = [parse_name(n) for n in names]
    assert not [p for p in parsed if isinstance(p, str)]
    assert len(parsed) == info.samples == len(words)
    assert {p.speaker_id for p in parsed} == {None} and info.speakers is None
    assert len({p.transcription for p in parsed}) == info.utterances
    assert all(p.transcription == words[n]["word"] for n, p in zip(names, parsed, strict=True))
    voices = Counter(words[n]["gender"] for n in names)
    assert Counter(p.gender for p in parsed) == Counter(
        {"female": voices["female"], "male": voices["male"], None: voices["child"]})
    assert {Adapter.label_map[p.raw_label] for p in parsed} == set(info.labels)


def test_detect_ignores_reduced_variant_folders(tmp_path, layouts):
    reduced = tmp_path / "A reduced copy" / "Happiness_F_B_L1_abuso.wav"
    reduced.parent.mkdir()
    reduced.write_bytes(b"")
    assert Adapter.detect(tmp_path) is None
    tree.make_tree(tmp_path, layouts)
    assert Adapter.detect(tmp_path) == tmp_path / tree.ROOT
