"""Voxtral on a tiny random checkpoint built from transformers 4.57's own config classes with a
tekken.json written in the test, loaded through ``hf:<folder>``; no stand-in."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest

from cameo_bench.backends.base import Request
from cameo_bench.backends.families.voxtral import VoxtralFamily, wav_base64
from cameo_bench.evaluation import load_backend
from support.family_runs import check_batched_equals_unbatched
from support.tiny_voxtral import build_tiny_voxtral


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return build_tiny_voxtral(tmp_path_factory.mktemp("ckpt") / "tiny-voxtral")


@pytest.mark.slow
def test_batched_and_unbatched_runs_write_the_same_predictions(checkpoint, collection, tmp_path):
    check_batched_equals_unbatched(checkpoint, collection, tmp_path)


def test_the_prompt_is_instruct_audio_then_instruction(checkpoint):
    """mistralai/Voxtral-Mini-3B-2507 model card, "Audio Instruct": one user turn whose content
    is the audio part then the text part, through processor.apply_chat_template."""
    family = load_backend(f"hf:{checkpoint}").family
    assert isinstance(family, VoxtralFamily)
    audio = np.random.default_rng(0).uniform(-0.1, 0.1, 8000).astype(np.float32)
    ids = family.inputs([Request(None, audio, "Name the emotion.", ())])["input_ids"][0].tolist()
    text = family.tokenizer.decode(ids, skip_special_tokens=False)
    assert text == family.facts.prompt.format(audio="[AUDIO]" * 375,  # 30 s at 12.5 tokens/s
                                              instruction="Name the emotion.")


def test_the_audio_travels_as_an_exact_wav():
    import soundfile as sf

    audio = np.random.default_rng(1).uniform(-1, 1, 1234).astype(np.float32)
    decoded, rate = sf.read(io.BytesIO(base64.b64decode(wav_base64(audio))), dtype="float32")
    assert rate == 16000 and np.array_equal(decoded, audio)
