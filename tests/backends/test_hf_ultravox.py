"""Ultravox's Hub code needs transformers < 5: the hf backend says so before loading anything."""

from __future__ import annotations

import pytest

from cameo_bench.backends.families.ultravox import UltravoxFamily
from cameo_bench.errors import CameoError


def test_transformers_5_is_refused_with_the_fix(monkeypatch):
    import transformers  # the module as loaded now (loading checkpoints can re-create it)

    monkeypatch.setattr(transformers, "__version__", "5.0.1")
    with pytest.raises(CameoError, match=r"transformers < 5, this environment has 5\.x: pip "
                                         r"install 'transformers>=4\.57,<5'"):
        UltravoxFamily("fixie-ai/ultravox-v0_5-llama-3_1-8b", {}, device="cpu")
