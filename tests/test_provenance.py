"""A report's provenance: file hashes, the date (reproducible with SOURCE_DATE_EPOCH), the facts
of each run as its rows state them."""

from __future__ import annotations

import dataclasses
import hashlib

from cameo_bench.provenance import Provenance, file_sha256, report_date, run_facts
from support.scoring_data import make_predictions


def test_file_hash_and_date(tmp_path, monkeypatch):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"x" * (3 << 20))  # more than one read block
    assert file_sha256(path) == "sha256:" + hashlib.sha256(b"x" * (3 << 20)).hexdigest()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert report_date() == "1970-01-02T00:00:00+00:00"
    made = Provenance.of_files([path], n_resamples=10, seed=3)
    assert made.inputs == ((str(path), file_sha256(path)),)
    assert (made.generated, made.n_resamples, made.seed) == ("1970-01-02T00:00:00+00:00", 10, 3)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert report_date().endswith("+00:00") and report_date() != "1970-01-02T00:00:00+00:00"


def test_run_facts_list_each_runs_revisions_and_prompt_hashes():
    rows = make_predictions("m", per_corpus=2)
    rows = [dataclasses.replace(p, model_revision="abc" if i % 2 else None,
                                prompt_hash="sha256:1") for i, p in enumerate(rows)]
    rows += make_predictions("n", per_corpus=1, temperature=0.7)
    facts = run_facts(rows)
    assert list(facts) == [("m", 0.0, "cameo-v1"), ("n", 0.7, "cameo-v1")]
    assert facts[("m", 0.0, "cameo-v1")].revisions == ("abc", None)
    assert facts[("m", 0.0, "cameo-v1")].prompt_hashes == ("sha256:1",)
    assert facts[("n", 0.7, "cameo-v1")].revisions == (None,)
