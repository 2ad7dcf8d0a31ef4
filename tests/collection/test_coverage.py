"""Coverage: the clip-id fingerprint and the full-collection test (the paper's Table 1)."""

from __future__ import annotations

import hashlib

from cameo_bench.collection.coverage import FULL_CLIPS, Coverage, clips_fingerprint, coverage_of
from cameo_bench.vocab import CORPORA


def test_fingerprint_is_sha256_of_sorted_distinct_ids_joined_by_newlines():
    expected = "sha256:" + hashlib.sha256(b"a.flac\nb.flac\nc.flac").hexdigest()
    assert clips_fingerprint(["c.flac", "a.flac", "b.flac", "a.flac"]) == expected


def test_order_and_duplicates_do_not_change_the_coverage():
    pairs = [("b", "nEMO"), ("a", "nEMO"), ("c", "CaFE")]
    one, two = coverage_of(pairs), coverage_of(reversed(pairs + [("a", "nEMO")]))
    assert one == two
    assert (one.clips, one.per_dataset) == (3, {"nEMO": 2, "CaFE": 1})


def test_the_full_collection_is_table_1_exactly():
    assert FULL_CLIPS == 41_265  # SPEC §1.1 totals
    pairs = [(f"{c.split}-{i}", c.name) for c in CORPORA.values() for i in range(c.samples)]
    full = coverage_of(pairs)
    assert full.full and full.describe() == "full collection (41,265 clips)"
    short = coverage_of(pairs[1:])
    assert not short.full and short.describe() == "41,264 clips, 13 of 13 corpora"
    assert coverage_of([("x", "nEMO")]).describe() == "1 clip, 1 of 13 corpora"


def test_round_trips_through_its_dict_and_recomputes_full():
    cov = coverage_of([("a", "nEMO"), ("b", "RAVDESS")])
    data = cov.to_dict()
    assert Coverage.from_dict({**data, "full": True}) == cov
    assert Coverage.from_dict(data).full is False
