"""The openai backend against a real HTTP server on 127.0.0.1 (``support.openai_server``).

The server answers by a fixed rule: the offered label at index (number of audio samples mod the
number of labels), both read back from the request, so a right answer proves the WAV and the
prompt arrived intact. Its failure plans exercise the retry and failed-clip paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cameo_bench.collection import open_collection
from cameo_bench.evaluation import RunConfig, evaluate
from cameo_bench.predictions import read_predictions
from cameo_bench.records import UNPARSED
from support.eval_collections import make_collection


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    return make_collection(tmp_path_factory.mktemp("collection"))


@pytest.fixture(scope="module")
def lengths(collection) -> dict[str, int]:
    """file_id → number of samples, read independently of the runner."""
    coll = open_collection(collection)
    return {c.record.file_id: len(x) for c, x in coll.audio(coll.clips())}


def _run(server, collection, out, retry_failed=False, **options):
    opts = {"base_url": server.url, "backoff": 0.0, "concurrency": 2, **options}
    return evaluate(RunConfig("openai:audio-model", collection, batch_size=4, options=opts,
                              retry_failed=retry_failed), out)


def test_answers_follow_the_servers_rule(server, collection, lengths, tmp_path):
    result = _run(server, collection, tmp_path)
    rows = read_predictions(result.predictions)
    assert len(rows) == len(lengths) and result.failed == 0
    for r in rows:
        assert r.response == r.parsed == r.labels[lengths[r.file_id] % len(r.labels)]
        assert r.model == "audio-model" and r.error is None
    body = server.bodies[0]
    assert body["temperature"] == 0.0 and body["max_tokens"] == 16 and body["seed"] == 0


def test_server_errors_are_retried_until_success(server, collection, lengths, tmp_path):
    server.fail = lambda n, nth: 500 if nth <= 3 else None
    result = _run(server, collection, tmp_path, concurrency=1)
    assert result.failed == 0
    assert sum(server.requests.values()) == len(lengths) + 3
    assert all(r.response in r.labels for r in read_predictions(result.predictions))


def test_a_persistent_failure_is_recorded_and_the_run_goes_on(server, collection, lengths,
                                                             tmp_path):
    broken = min(lengths.values())
    server.fail = lambda n, nth: 503 if n == broken else None
    result = _run(server, collection, tmp_path, max_retries=2)
    rows = {r.file_id: r for r in read_predictions(result.predictions)}
    assert len(rows) == len(lengths) and result.failed == 1
    failed = next(r for r in rows.values() if r.error)
    assert lengths[failed.file_id] == broken
    assert (failed.response, failed.parsed) == ("", UNPARSED)
    assert "503" in failed.error and "3 tries" in failed.error
    assert server.requests[broken] == 3

    server.fail = lambda n, nth: None  # the server heals; --retry-failed answers the clip
    again = _run(server, collection, tmp_path, retry_failed=True)
    assert again.answered == 1
    healed = {r.file_id: r for r in read_predictions(again.predictions)}[failed.file_id]
    assert healed.error is None and healed.response in healed.labels


def test_a_client_error_is_not_retried(server, collection, lengths, tmp_path):
    server.fail = lambda n, nth: 400
    result = _run(server, collection, tmp_path, max_retries=3)
    assert result.failed == len(lengths)
    assert sum(server.requests.values()) == len(lengths)


def test_an_empty_answer_is_unparsed_not_failed(server, collection, lengths, tmp_path):
    quiet = max(lengths.values())
    server.blank = lambda n: n == quiet
    rows = read_predictions(_run(server, collection, tmp_path).predictions)
    (empty,) = [r for r in rows if lengths[r.file_id] == quiet]
    assert (empty.response, empty.parsed, empty.error) == ("", UNPARSED, None)
