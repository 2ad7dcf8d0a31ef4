"""The board: the family column from the model registry, every row's coverage, and the ranking
rule (rows ranked by macro-F1 only with rows on the same clips; the paper's rows only with rows
on the full collection; chance and majority at their own value, unranked)."""

from __future__ import annotations

import hashlib

import pytest

from cameo_bench.leaderboard.board import natural_key, read_board
from cameo_bench.leaderboard.results_store import CollectionIndex, ResultsStore, open_store
from cameo_bench.vocab import CORPORA
from support.leaderboard_data import (
    clip_records,
    full_collection_predictions,
    full_collection_records,
    make_predictions,
    write_collection,
    write_submission,
)

TABLE_1 = {c.name: c.samples for c in CORPORA.values()}


def test_the_papers_reported_runs_are_grouped_by_their_registry_series():
    rows = [r for r in read_board(None).to_json()["rows"] if r["status"] == "reported"]
    assert {r["model_id"]: r["family"] for r in rows} == {
        "Qwen/Qwen2-Audio-7B-Instruct": "Qwen2-Audio",
        "SeaLLMs/SeaLLMs-Audio-7B": "SeaLLMs-Audio",
        "fixie-ai/ultravox-v0_5-llama-3_1-8b": "Ultravox",
        "homebrewltd/Ichigo-llama3.1-s-instruct-v0.4": "Ichigo",
    }


def test_natural_case_insensitive_order():
    names = ["nEMO", "x10", "SUBESCO", "eNTERFACE", "CaFE", "EmoV-DB", "x2", "CREMA-D", "MESD"]
    assert sorted(names, key=natural_key) == [
        "CaFE", "CREMA-D", "EmoV-DB", "eNTERFACE", "MESD", "nEMO", "SUBESCO", "x2", "x10"]


def _macro_f1(row) -> float | None:
    cell = row.cell("overall", "all", "macro_f1")
    return None if cell is None else cell[0]


def _expected_rank(row, rows) -> int:
    """The rule, computed here: 1 + the ranked rows on the same clips with a higher macro-F1."""
    return 1 + sum(1 for other in rows if other.collection == row.collection
                   and other.status != "reference" and _macro_f1(other) > _macro_f1(row))


def test_subset_rows_are_never_ranked_with_the_papers(tmp_path):
    store = open_store(tmp_path / "store", write_collection(tmp_path / "collection"))
    for seed, skill in ((1, 0.9), (2, 0.1)):
        path, _ = write_submission(tmp_path, make_predictions(f"org/m{seed}", skill=skill,
                                                              seed=seed, temperatures=(0.0, 0.7)),
                                   name=f"s{seed}")
        store.submit(path, {"name": f"S{seed}"}, n_resamples=0)
    board = read_board(store)
    ids = sorted({r.file_id for r in clip_records()})
    subset = "sha256:" + hashlib.sha256("\n".join(ids).encode()).hexdigest()
    assert [cid for cid, _ in board.collections()] == ["full", subset]
    sections = [r.collection for r in board.rows]
    assert sections == ["full"] * 12 + [subset] * 6  # never interleaved
    for row in board.rows:
        if row.status == "reported":
            assert row.coverage.full and row.coverage.per_dataset == TABLE_1
            assert row.coverage.clips == 41_265
        else:  # verified and the references computed on the same 26 clips
            assert row.coverage.clips == 26 and not row.coverage.full
            assert row.coverage.per_dataset == {"CaFE": 14, "nEMO": 12}
        if row.status == "reference":
            assert row.key not in board.ranks
        else:
            assert board.ranks[row.key] == _expected_rank(row, board.rows)
    for section in ("full", subset):
        values = [_macro_f1(r) for r in board.rows if r.collection == section]
        assert values == sorted(values, reverse=True)  # references sit at their value
    assert sorted(board.ranks[r.key] for r in board.rows if r.status == "verified") == [1, 2, 3, 4]


@pytest.fixture(scope="module")
def full_store(tmp_path_factory):
    """A store on a collection with every corpus at its Table 1 count, one system in it."""
    tmp = tmp_path_factory.mktemp("full")
    store = ResultsStore.create(tmp / "store", CollectionIndex.from_records(
        full_collection_records()))
    path, _ = write_submission(tmp, full_collection_predictions("org/middling", 0.16), name="m")
    store.submit(path, {"name": "Middling"}, n_resamples=0)
    return store


def test_rows_on_the_full_collection_are_ranked_with_the_papers(full_store):
    board = read_board(full_store)
    assert [cid for cid, _ in board.collections()] == ["full"]
    (verified,) = [r for r in board.rows if r.status == "verified"]
    assert verified.coverage.clips == 41_265 and verified.coverage.full
    assert verified.coverage.fingerprint.startswith("sha256:")
    ranked = [r for r in board.rows if r.status != "reference"]
    assert sorted(board.ranks[r.key] for r in ranked) == list(range(1, 14))
    assert 1 < board.ranks[verified.key] < 13  # between the paper's rows
    for row in ranked:
        assert board.ranks[row.key] == _expected_rank(row, board.rows)
    references = [r for r in board.rows if r.status == "reference"]
    assert [r.collection for r in references] == ["full", "full"]
    values = [_macro_f1(r) for r in board.rows]
    assert values == sorted(values, reverse=True)
