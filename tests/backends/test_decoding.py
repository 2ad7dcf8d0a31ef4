"""Decoding settings and per-clip seeds shared by every model backend."""

from __future__ import annotations

import hashlib

import pytest

from cameo_bench.backends.decoding import Decoding, checkpoint_decoding, clip_seed
from cameo_bench.errors import UnknownNameError


def test_the_clip_seed_is_the_documented_hash():
    """sha256 of '<run seed>:<file_id>:<repr(float(T))>', first 4 bytes big-endian, 31 bits."""
    digest = hashlib.sha256(b"7:cafe/anger/01-01.wav:0.7").digest()
    assert clip_seed(7, "cafe/anger/01-01.wav", 0.7) == int.from_bytes(digest[:4], "big") \
        & 0x7FFFFFFF
    assert clip_seed(0, "a", 1) == clip_seed(0, "a", 1.0)  # the temperature as a float
    seeds = {clip_seed(s, f, t) for s in (0, 1) for f in ("a", "b") for t in (0.3, 0.7)}
    assert len(seeds) == 8 and all(0 <= s < 2**31 for s in seeds)


def test_the_checkpoint_decides_the_sampling_fields_and_nothing_else():
    """The fields vLLM takes from a generation config (vllm/config/model.py
    get_diff_sampling_param) less temperature and max_new_tokens, which the benchmark sets."""
    defaults = {"top_k": 20, "top_p": 0.8, "repetition_penalty": 1.05, "min_p": None,
                "temperature": 0.7, "max_new_tokens": 512, "do_sample": True}
    assert checkpoint_decoding(defaults) == Decoding("checkpoint", 20, 0.8, 0.0, 1.05)
    assert checkpoint_decoding({"top_k": 0}).top_k is None  # vLLM's "off" (-1 too)
    assert checkpoint_decoding({"top_k": -1}).top_k is None
    assert checkpoint_decoding(defaults, "plain") == Decoding("plain", None, 1.0, 0.0, 1.0)


def test_an_unknown_mode_names_the_known_ones():
    with pytest.raises(UnknownNameError, match="expected one of: checkpoint, plain"):
        checkpoint_decoding({}, "greedy")
