"""Checkpoints the ``hf`` backend recognises but cannot run with the transformers this extra pins
(4.57): each says so in one line, with the way to run it instead."""

from __future__ import annotations

from typing import Any, ClassVar

from cameo_bench.errors import CameoError

__all__ = ["AudioFlamingo3", "KimiAudio", "MiDashengLM"]


class _Unsupported:
    """Raises its one-line ``reason`` on load."""

    reason: ClassVar[str]

    def __init__(self, model_id: str, load: dict[str, Any], **_: Any):
        raise CameoError(f"{model_id}: {self.reason}")


class AudioFlamingo3(_Unsupported):
    """Audio Flamingo 3 (``audioflamingo3``): in transformers from 5.0, not in 4.57."""

    reason = ("Audio Flamingo 3 needs transformers >= 5, which the hf extra's Ultravox code cannot "
              "use: in a separate environment, pip install 'transformers>=5' (docs/models.md), or "
              "run vllm:audio-flamingo-3")


class KimiAudio(_Unsupported):
    """Kimi-Audio (``kimi_audio``): its own inference package, no transformers class."""

    reason = ("Kimi-Audio has no transformers implementation (upstream runs it with its own "
              "kimia_infer package): run vllm:kimi-audio")


class MiDashengLM(_Unsupported):
    """MiDashengLM (``midashenglm``): Hub remote code only, not a transformers class."""

    reason = ("MiDashengLM ships only Hub remote code, which cameo's hf families do not run: "
              "run vllm:midashenglm")
