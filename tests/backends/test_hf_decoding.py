"""The hf backend's decoding on the tiny random Qwen2-Audio: greedy stays greedy whatever the
checkpoint's generation_config.json says, each clip samples with its own seed, and the effective
settings are the checkpoint's as vLLM reads them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cameo_bench.backends import GenerationConfig
from cameo_bench.backends.decoding import SEED_SCHEME, Decoding
from cameo_bench.backends.hf import ClipSampler
from cameo_bench.errors import UnknownNameError
from cameo_bench.evaluation import RunConfig, evaluate, load_backend
from cameo_bench.evaluation.run_folder import parse_shard
from support.clip_requests import clip_requests, noise
from support.eval_collections import make_collection
from support.tiny_qwen2_audio import build_tiny_qwen2_audio

#: A checkpoint that samples by default, saved by a transformers >= 4.50 (the version from which
#: transformers back-fills a passed GenerationConfig from the checkpoint's).
SAMPLING_DEFAULTS = {"do_sample": True, "temperature": 0.7, "top_k": 20, "top_p": 0.5,
                     "transformers_version": "4.57.6"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_tiny_qwen2_audio(tmp_path_factory.mktemp("ckpt") / "tiny-qwen2-audio")


def _with_generation_config(tiny: Path, folder: Path, fields: dict) -> Path:
    """A copy of the tiny checkpoint whose generation_config.json also holds ``fields``."""
    copy = shutil.copytree(tiny, folder)
    path = copy / "generation_config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **fields}))
    return copy


@pytest.fixture(scope="module")
def sampling_checkpoint(tiny, tmp_path_factory) -> Path:
    return _with_generation_config(tiny, tmp_path_factory.mktemp("s") / "tiny", SAMPLING_DEFAULTS)


def _argmax_decode(backend, request, max_new_tokens: int) -> str:
    """Greedy decoding by hand: the prompt's forward pass, then one token at a time on the
    key/value cache, the argmax token appended each step."""
    import torch

    family = backend.family
    (inputs,) = family.batches([request])
    mask = inputs["attention_mask"]
    eos = family.model.generation_config.eos_token_id
    eos = {eos} if isinstance(eos, int) else set(eos)
    step = dict(inputs)
    tokens: list[int] = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            out = family.model(**step, use_cache=True)
            token = int(out.logits[0, -1].argmax())
            tokens.append(token)
            if token in eos:
                break
            mask = torch.cat([mask, torch.ones((1, 1), dtype=mask.dtype)], dim=1)
            step = {"input_ids": torch.tensor([[token]]), "attention_mask": mask,
                    "past_key_values": out.past_key_values}
    return family.tokenizer.decode(tokens, skip_special_tokens=True).strip()


@pytest.mark.slow
def test_greedy_ignores_a_checkpoint_that_samples(sampling_checkpoint):
    """transformers 4.57 ``generation/utils.py`` ``_prepare_generation_config``: for a checkpoint
    saved by transformers >= 4.50, every field of a passed GenerationConfig that equals the
    library default is back-filled from the checkpoint, so ``do_sample=False`` became the
    checkpoint's ``do_sample: true`` (issue 9, defect 1). T=0 must be the argmax decode."""
    backend = load_backend(f"hf:{sampling_checkpoint}", {"dtype": "float32"})
    requests = clip_requests([noise(0.6 + 0.3 * i, i) for i in range(4)])
    greedy = GenerationConfig(temperature=0.0, seed=0, max_new_tokens=4)
    first = backend.generate(requests, greedy)
    assert backend.generate(requests, greedy) == first
    assert first == [_argmax_decode(backend, r, 4) for r in requests]


@pytest.fixture(scope="module")
def backend(tiny):
    return load_backend(f"hf:{tiny}", {"dtype": "float32"})


def test_a_clips_sample_does_not_depend_on_its_batch(backend):
    """Issue 9, defect 3: one seed per clip, so batch size and order change nothing."""
    requests = clip_requests([noise(0.5 + 0.4 * i, 10 + i) for i in range(4)])
    config = GenerationConfig(temperature=0.7, seed=3, max_new_tokens=4)
    alone = [backend.generate([r], config)[0] for r in requests]
    together_reversed = backend.generate(requests[::-1], config)[::-1]
    assert together_reversed == alone
    assert len(set(alone)) > 1


def test_sampled_runs_are_the_same_sharded_or_whole(tiny, tmp_path):
    """Per-clip seeds end to end: a T=0.7 run in batches of 4 and the same run as two shards at
    batch size 1, merged, write byte-identical predictions."""
    collection = make_collection(tmp_path / "c", {"cafe": 3, "nemo": 3})

    def run(out, batch_size, shard=None):
        return evaluate(RunConfig(f"hf:{tiny}", collection, batch_size=batch_size,
                                  temperatures=(0.7,), max_new_tokens=4,
                                  options={"dtype": "float32"}, shard=shard), out)

    whole = run(tmp_path / "whole", 4)
    for i in (1, 0):
        run(tmp_path / "sharded", 1, parse_shard(f"{i}/2"))
    merged = run(tmp_path / "sharded", 1)
    assert merged.answered == 0
    assert merged.predictions.read_bytes() == whole.predictions.read_bytes()


def test_clips_with_equal_audio_do_not_share_their_noise(backend):
    """Eight copies of one clip under eight file ids, each answered alone (the old code reseeded
    the global generator per batch, so all eight drew the same noise and answered alike); the
    same file id again draws the same answer."""
    requests = clip_requests([noise(1.0, 1)] * 8, [f"copy-{i}" for i in range(8)])
    config = GenerationConfig(temperature=0.7, seed=0, max_new_tokens=4)
    answers = [backend.generate([r], config)[0] for r in requests]
    assert len(set(answers)) > 1
    assert backend.generate(requests[:1], config) == answers[:1]


def test_the_sampler_draws_from_the_softmax():
    """Gumbel-max: argmax(log p - log E), E ~ Exp(1), is distributed as p. 6000 rows, one seed
    each, against p = softmax(logits / T) computed here; each frequency within 4 standard
    errors."""
    import torch

    logits = torch.tensor([2.0, 1.0, 0.0, -1.0])
    temperature = 0.7
    n = 6000
    sampler = ClipSampler(range(n), temperature, Decoding())
    draws = sampler(None, logits.repeat(n, 1)).argmax(dim=1)
    freq = np.bincount(draws.numpy(), minlength=4) / n
    p = np.exp(logits.numpy() / temperature)
    p /= p.sum()
    assert np.all(np.abs(freq - p) < 4 * np.sqrt(p * (1 - p) / n))


def test_the_samplers_top_k_and_top_p_come_from_the_decoding():
    import torch

    logits = torch.tensor([[3.0, 2.9, 2.8, 0.0]]).repeat(200, 1)
    top1 = ClipSampler(range(200), 1.0, Decoding("checkpoint", top_k=1))(None, logits)
    assert set(top1.argmax(dim=1).tolist()) == {0}
    # softmax of [3.0, 2.9, 2.8, 0.0]: the first two hold 0.69 of the mass, the first alone 0.36
    top_p = ClipSampler(range(200), 1.0, Decoding("checkpoint", top_p=0.6))(None, logits)
    assert set(top_p.argmax(dim=1).tolist()) == {0, 1}


def test_effective_settings_are_the_checkpoints_sampling_fields(tiny, tmp_path):
    """Issue 9, defect 4: top_k/top_p/min_p/repetition_penalty from generation_config.json; a
    field the file does not set is off (vLLM's reading), not transformers' top_k=50."""
    folder = _with_generation_config(tiny, tmp_path / "a", {**SAMPLING_DEFAULTS,
                                                             "repetition_penalty": 1.1})
    assert load_backend(f"hf:{folder}").effective_settings == {
        "mode": "checkpoint", "top_k": 20, "top_p": 0.5, "min_p": 0.0,
        "repetition_penalty": 1.1, "seeds": SEED_SCHEME}
    assert load_backend(f"hf:{folder}", {"decoding": "plain"}).effective_settings == {
        "mode": "plain", "top_k": None, "top_p": 1.0, "min_p": 0.0, "repetition_penalty": 1.0,
        "seeds": SEED_SCHEME}
    bare = _with_generation_config(tiny, tmp_path / "b", {"do_sample": True, "temperature": 0.9})
    assert load_backend(f"hf:{bare}").effective_settings["top_k"] is None


def test_an_unknown_decoding_mode_is_refused(tiny):
    with pytest.raises(UnknownNameError, match="Unknown decoding 'greedy', expected one of: "
                                               "checkpoint, plain"):
        load_backend(f"hf:{tiny}", {"decoding": "greedy"})
