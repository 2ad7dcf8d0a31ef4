from collections import Counter

import pytest

from cameo_bench.corpora.oreau import Adapter, parse_path, read_sentences
from cameo_bench.errors import InputError
from cameo_bench.vocab import CORPORA
from support.corpus_trees import oreau as tree
from support.corpus_trees.expect import records, scan, source_rates, speaker_counts, tree_scan
from support.corpus_trees.facts import inventory


def test_scan_gives_the_expected_records_and_decodable_audio(tmp_path, layouts):
    expected, root, clips, skipped = tree_scan(tree, Adapter, tmp_path, layouts)
    assert records(clips) == expected and skipped == []
    assert set(tree.QUIRKS) <= {c.origin for c in clips}
    assert set(source_rates(clips).values()) == {44100}
    assert Adapter(root).sentences() == tree.sentences()


def test_detect_prefers_version_1(tmp_path, layouts):
    tree.make_tree(tmp_path / "a", layouts)
    v2 = tmp_path / "OréauFR_02" / "OréauFR_02" / "f" / "sessc" / "10a01Ca.wav"  # NFC
    v2.parent.mkdir(parents=True)
    v2.write_bytes(b"")
    assert Adapter.detect(tmp_path) == tmp_path / "a" / tree.ROOT
    assert Adapter.detect(tmp_path / "OréauFR_02") == tmp_path / "OréauFR_02" / "OréauFR_02"


def test_stray_files_are_skipped(tmp_path, layouts):
    tree.make_tree(tmp_path, layouts)
    for rel in ("m/sessc/readme.wav", "x/sessc/10a01Ca.wav"):
        (tmp_path / tree.ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / tree.ROOT / rel).write_bytes(b"")
    _, skipped = scan(Adapter(tmp_path / tree.ROOT))
    assert [(s.origin, s.reason.split()[0]) for s in skipped] == [("m/sessc/readme.wav", "file")]


def test_sentence_list_encodings_and_enumerators(tmp_path):
    path = tmp_path / "contents.txt"
    path.write_bytes("1. Je n'ai validé aucune matière.\r\n\r\n2) Fais un copier coller.\r\n"
                     .encode("cp1252"))
    assert read_sentences(path) == ["Je n'ai validé aucune matière.", "Fais un copier coller."]
    with pytest.raises(InputError, match="contents.txt"):
        read_sentences(tmp_path / "missing" / "contents.txt")


def test_parse_path_over_the_real_version_2_inventory(layouts):
    info = CORPORA["oreau"]
    rows = inventory(layouts, "oreau")
    parsed = [parse_path(r["relpath"].split("/", 1)[1]) for r in rows]
    assert not [p for p in parsed if isinstance(p, str)]
    assert len(parsed) == 434  # version 2; CAMEO's 502 are version 1, not carried here
    assert speaker_counts(parsed) == (info.speakers, info.female, info.male)
    emotions = Counter(Adapter.label_map[p.raw_label] for p in parsed)
    assert emotions == Counter(tree.LETTERS[r["emo"]] for r in rows)
    assert emotions == Counter(anger=67, disgust=67, happiness=62, neutral=70, fear=51,
                               surprise=62, sadness=55)  # version 2, CORPORA_NOTES §0
    assert set(emotions) == set(info.labels)
    assert sum(size for _, size in tree.BLOCKS) == info.utterances
