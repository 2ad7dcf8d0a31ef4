import re

import pytest

from cameo_bench.errors import UnknownNameError
from cameo_bench.vocab import (
    CORPORA,
    EMOTIONS,
    LANGUAGES,
    PRIMARY_EMOTIONS,
    corpus_by_name,
    corpus_info,
)


def _spec_table(shared):
    text = (shared / "SPEC.md").read_text()
    rows = [r for r in text.splitlines() if re.match(r"^\| [a-z_]+ \| ", r)]
    out = {}
    for r in rows:
        cells = [c.strip() for c in r.strip("|").split("|")]
        if cells[0] == "split" or cells[0] == "field":
            continue
        if len(cells) == 9:
            out[cells[0]] = cells
    return out


def test_vocabulary_matches_spec_table(shared):
    table = _spec_table(shared)
    assert sorted(table) == sorted(CORPORA)
    for split, (_, name, language, license, labels, samples, *_rest) in table.items():
        info = corpus_info(split)
        assert (info.name, info.language, info.license) == (name, language, license)
        assert info.labels == tuple(sorted(labels.split()))
        assert info.samples == int(samples)
        assert info.duration == _rest[-1]


def test_totals_match_the_paper():
    assert sum(c.samples for c in CORPORA.values()) == 41_265
    assert len(EMOTIONS) == 17
    assert set().union(*(c.labels for c in CORPORA.values())) == set(EMOTIONS)
    assert len(LANGUAGES) == 8
    english = sum(c.samples for c in CORPORA.values() if c.language == "English")
    assert english / 41_265 > 0.33
    assert len(PRIMARY_EMOTIONS) == 7


def test_unknown_corpus_suggests_the_closest():
    with pytest.raises(UnknownNameError, match="Did you mean 'cafe'"):
        corpus_info("cafee")
    assert corpus_by_name("CREMA-D").split == "crema_d"
