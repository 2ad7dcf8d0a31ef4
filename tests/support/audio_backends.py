"""Backends for tests of what a run does with the audio: one that ignores it, one that hears it,
one whose processor refuses a clip. Each uses only ``request.audio`` and ``request.prompt``,
as a zero-shot model must; ``install`` makes the runner load it whatever the model spec."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cameo_bench.audio import pcm_file_id, to_pcm16
from cameo_bench.backends import Backend, GenerationConfig, Request
from cameo_bench.collection import open_collection

__all__ = ["DeafBackend", "EarBackend", "LongClipRefused", "install"]


def _content_id(audio: np.ndarray) -> str:
    return pcm_file_id(to_pcm16(audio))


class DeafBackend(Backend):
    """Answers from the prompt alone (the audio never reaches the "model"): the label at the
    prompt's length modulo the offered labels."""

    model_id = "deaf"
    revision = "1"

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """One label per request, chosen from the prompt text only."""
        return [r.labels[len(r.prompt) % len(r.labels)] for r in requests]


class EarBackend(Backend):
    """Hears: answers the emotion of the clip of ``collection`` whose audio it is given (by the
    audio's content), and the first offered label for audio it does not know (silence)."""

    model_id = "ear"
    revision = "1"

    def __init__(self, collection):
        c = open_collection(collection)
        self.known = {_content_id(x): clip.record.emotion for clip, x in c.audio(c.clips())}

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """The emotion the audio was recorded with, when the audio is a known clip's."""
        return [self.known.get(_content_id(r.audio), r.labels[0]) for r in requests]


class LongClipRefused(Backend):
    """A model whose processor raises on clips longer than ``max_samples`` (as Ultravox's does
    past 30 s in some Hub revisions), in any batch holding one; answers the first label
    otherwise. ``calls`` counts ``generate`` calls."""

    model_id = "long-clip-refused"
    revision = "1"

    def __init__(self, max_samples: int):
        self.max_samples = max_samples
        self.calls = 0

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """The first offered label; ValueError when a clip is too long."""
        self.calls += 1
        for r in requests:
            if len(r.audio) > self.max_samples:
                raise ValueError(f"audio of {len(r.audio)} samples is longer than "
                                 f"{self.max_samples}\nsecond line of the processor's message")
        return [r.labels[0] for r in requests]


def install(monkeypatch, backend: Backend) -> None:
    """Make :func:`cameo_bench.evaluation.runner.evaluate` run ``backend`` for any model spec
    (give ``random`` as the spec)."""
    from cameo_bench.evaluation import runner

    monkeypatch.setattr(runner, "backend_loader", lambda model, options=None: lambda: backend)
