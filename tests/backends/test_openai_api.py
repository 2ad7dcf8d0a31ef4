"""The openai backend against a real HTTP server on 127.0.0.1 (``support.openai_server``).

The server answers by a fixed rule: the offered label at index (number of audio samples mod the
number of labels), both read back from the request, so a right answer proves the WAV and the
prompt arrived intact. Its failure plans exercise the retry and failed-clip paths.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cameo_bench.backends import GenerationConfig
from cameo_bench.backends.openai_api import OpenAIBackend
from cameo_bench.collection import open_collection
from cameo_bench.errors import CameoError
from cameo_bench.evaluation import RunConfig, evaluate, load_backend
from cameo_bench.predictions import read_predictions
from cameo_bench.records import UNPARSED
from support.clip_requests import clip_requests, noise
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
    assert body["temperature"] == 0.0 and body["max_tokens"] == 16


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


def _seed(seed: int, file_id: str, temperature: float) -> int:
    """The documented clip seed, computed here from its definition (backends.decoding)."""
    digest = hashlib.sha256(f"{seed}:{file_id}:{temperature!r}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _backend(server, **options):
    return load_backend("openai:audio-model",
                        {"base_url": server.url, "backoff": 0.0, "concurrency": 1, **options})


def test_each_request_carries_its_clips_seed_and_the_hosts_token_field(server):
    """Issue 9, defect 3: a seed per clip from (run seed, file_id, temperature); issue 13: the
    token cap under the name a host wants (OpenAI's newer models take only
    ``max_completion_tokens``)."""
    requests = clip_requests([noise(0.3 + 0.1 * i, i) for i in range(3)])
    backend = _backend(server, max_tokens_field="max_completion_tokens")
    answers = backend.generate(requests, GenerationConfig(temperature=0.7, seed=5,
                                                          max_new_tokens=9))
    assert answers == [r.labels[len(r.audio) % len(r.labels)] for r in requests]
    assert [b["seed"] for b in server.bodies] == [_seed(5, r.record.file_id, 0.7)
                                                  for r in requests]
    assert all(b["max_completion_tokens"] == 9 and "max_tokens" not in b for b in server.bodies)
    assert all("top_p" not in b and "top_k" not in b for b in server.bodies)  # the server's


def test_plain_decoding_turns_the_servers_extras_off(server):
    """``-O decoding=plain``: vLLM's sampling extras neutral (top_k -1 is vLLM's "off")."""
    backend = _backend(server, decoding="plain")
    backend.generate(clip_requests([noise(0.3, 0)]), GenerationConfig(0.3, 0, 16))
    (body,) = server.bodies
    assert (body["top_p"], body["top_k"], body["min_p"], body["repetition_penalty"]) == (
        1.0, -1, 0.0, 1.0)
    assert backend.effective_settings["mode"] == "plain"


def test_an_unknown_token_field_is_refused(server):
    with pytest.raises(CameoError, match="Unknown max_tokens_field 'max_new_tokens'"):
        _backend(server, max_tokens_field="max_new_tokens")


def _mocked(model: str, status: int, message: str | None):
    """An OpenAIBackend whose HTTP client answers every request with ``status``."""
    import httpx
    import openai

    def answer(request):
        body = {"error": {"message": message}} if message is not None else None
        return httpx.Response(status, json=body) if body else httpx.Response(status)

    client = openai.OpenAI(base_url="http://server.invalid/v1", api_key="EMPTY", max_retries=0,
                           http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    return OpenAIBackend(client, model, None, concurrency=1, max_retries=1, backoff=0.0)


def test_a_template_that_drops_the_audio_stops_with_the_servers_fix():
    """vLLM issues 19977 and 16583: Qwen2-Audio's Hub chat template renders no audio
    placeholder for vLLM's audio part, so vLLM's multimodal processor finds no place for the
    clip; the fix is vLLM's examples/template_qwen2_audio.jinja (``--chat-template``)."""
    message = ("Expected there to be 1 prompt updates corresponding to 1 audio items, but "
               "instead found 0 prompt updates!")
    backend = _mocked("Qwen/Qwen2-Audio-7B-Instruct", 400, message)
    with pytest.raises(CameoError, match=r"--chat-template template_qwen2_audio\.jinja"):
        backend.generate(clip_requests([noise(0.2, 0)]), GenerationConfig())


def test_a_bare_server_error_from_qwen2_audio_names_the_likely_fix():
    """vLLM issue 16583: the same failure as a 500 "without any extra message"."""
    (answer,) = _mocked("Qwen/Qwen2-Audio-7B-Instruct", 500, None).generate(
        clip_requests([noise(0.2, 0)]), GenerationConfig())
    assert "500 after 2 tries" in answer.error and "--chat-template" in answer.error
