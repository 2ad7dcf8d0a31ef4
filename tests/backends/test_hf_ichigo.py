"""The hf backend's Ichigo family on a tiny random Llama with ``<|sound_XXXX|>`` tokens and a
stand-in quantizer plugged into the quantizer registry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cameo_bench.backends.families import ichigo as ichigo_family
from cameo_bench.backends.families.ichigo import sound_tokens
from cameo_bench.errors import CameoError, MissingDependencyError
from cameo_bench.evaluation import RunConfig, evaluate, load_backend
from cameo_bench.predictions import read_predictions
from cameo_bench.registry import Registry
from support.eval_collections import make_collection

N_SOUNDS = 16
SOUNDS = [f"<|sound_{i:04d}|>" for i in range(N_SOUNDS)]
SPECIAL = ["<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>",
           "<|sound_start|>", "<|sound_end|>", "<|pad|>"]
CHAT = ("{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
        "{{ m['content'] }}<|eot_id|>{% endfor %}"
        "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n"
        "{% endif %}")


class FakeVQ:
    """A stand-in quantizer: one code per 50 ms from the mean absolute amplitude."""

    revision = "fake-vq-1"

    def __init__(self, device: str):
        self.device = device

    def encode(self, audio: np.ndarray) -> list[int]:
        frames = audio[: len(audio) // 800 * 800].reshape(-1, 800)
        return [int(np.abs(f).mean() * 1e4) % N_SOUNDS for f in frames]


def _build(folder: Path, sounds: bool) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = SPECIAL + (SOUNDS if sounds else [])
    tok.train_from_iterator(["user assistant anger fear neutral sadness"], trainers.BpeTrainer(
        vocab_size=300, special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>",
        pad_token="<|pad|>", additional_special_tokens=specials[1:],
        model_input_names=["input_ids", "attention_mask"], chat_template=CHAT)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32,
                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
                         max_position_embeddings=512, initializer_range=0.5,
                         pad_token_id=tokenizer.pad_token_id,
                         eos_token_id=tokenizer.eos_token_id)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def ichigo(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("ichigo") / "tiny-ichigo", sounds=True)


@pytest.fixture
def fake_quantizer(monkeypatch):
    registry = Registry("sound quantizer", {"fake": f"{__name__}:FakeVQ"})
    monkeypatch.setattr(ichigo_family, "QUANTIZERS", registry)


def test_the_prompt_carries_the_quantizers_sound_tokens(ichigo, fake_quantizer, tmp_path):
    backend = load_backend(f"hf:{ichigo}", {"quantizer": "fake", "dtype": "float32"})
    coll = make_collection(tmp_path / "c", {"nemo": 2})
    from cameo_bench.collection import open_collection
    from cameo_bench.evaluation.loop import requests_by_duration
    from cameo_bench.prompts import get_prompt

    collection = open_collection(coll)
    (requests,) = requests_by_duration(collection, collection.clips(), get_prompt(), 8)
    (inputs,) = backend.family.batches(requests)
    first = backend.family.tokenizer.decode(inputs["input_ids"][0], skip_special_tokens=False)
    expected = sound_tokens(FakeVQ("cpu").encode(requests[0].audio))
    assert f"{expected}\n{requests[0].prompt}" in first
    assert inputs["attention_mask"][1, 0] == 0  # the shorter clip is padded on the left

    config = RunConfig(f"hf:{ichigo}", coll, batch_size=2, max_new_tokens=3,
                       options={"quantizer": "fake", "dtype": "float32"})
    result = evaluate(config, tmp_path / "run")
    rows = read_predictions(result.predictions)
    assert len(rows) == 2 and all(r.model == "tiny-ichigo" and r.error is None for r in rows)


def test_a_llama_without_sound_tokens_is_refused(tmp_path, fake_quantizer):
    plain = _build(tmp_path / "plain-llama", sounds=False)
    with pytest.raises(CameoError, match="not an Ichigo checkpoint"):
        load_backend(f"hf:{plain}", {"quantizer": "fake"})


def test_the_whisperspeech_quantizer_names_its_extra_when_missing():
    with pytest.raises(MissingDependencyError, match=r"whisperspeech .*cameo-bench\[ichigo\]"):
        ichigo_family.QUANTIZERS["whisperspeech"]("cpu")


class OtherVQ(FakeVQ):
    """The same codes from another (stand-in) codebook version."""

    revision = "fake-vq-2"


def test_the_quantizer_is_part_of_the_model_revision(ichigo, monkeypatch):
    """Issue 9, defect 2: answers made through another codebook must never be reused, so the
    quantizer's checkpoint enters the recorded revision (and with it the cache key)."""
    registry = Registry("sound quantizer", {"fake": f"{__name__}:FakeVQ",
                                            "other": f"{__name__}:OtherVQ"})
    monkeypatch.setattr(ichigo_family, "QUANTIZERS", registry)
    fake = load_backend(f"hf:{ichigo}", {"quantizer": "fake"}).revision
    other = load_backend(f"hf:{ichigo}", {"quantizer": "other"}).revision
    assert fake.startswith("local-") and fake.endswith(";quantizer=fake-vq-1")
    assert other == fake.replace("fake-vq-1", "fake-vq-2")


def test_whisperspeech_loads_ichigos_seven_language_codebook():
    """janhq/ichigo ``demo/app.py`` (lines 30-37 since commit 0597f9b, 2024-10-17, as at
    c94d66d): Ichigo v0.3 and later hear audio through
    ``jan-hq/WhisperVQ:whisper-vq-stoks-v3-7lang-fixed.model``; ``medium-en+pl-fixed`` was
    llama3.1-s v0.2's codebook."""
    assert ichigo_family.WhisperSpeechVQ.checkpoint == (
        "jan-hq/WhisperVQ", "whisper-vq-stoks-v3-7lang-fixed.model")


def test_the_quantizer_option_is_refused_for_other_families(tmp_path):
    import json

    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2_audio"}))
    with pytest.raises(CameoError, match="option quantizer applies to Ichigo checkpoints only"):
        load_backend(f"hf:{tmp_path}", {"quantizer": "whisperspeech"})
