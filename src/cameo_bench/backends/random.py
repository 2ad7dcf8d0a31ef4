"""A reference model for smoke runs: a seeded uniform guess over the offered labels.

Each clip's guess depends only on (seed, temperature, file_id), never on batching or order, so
runs with any batch size, shard count or resume point give the same answers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from cameo_bench.backends.base import Backend, GenerationConfig, Request

__all__ = ["RandomBackend", "create"]


class RandomBackend(Backend):
    """Uniform over ``request.labels``; ``delay`` seconds of sleep per clip imitate a slow model."""

    revision = "1"
    needs_audio = False
    runtime_options = frozenset({"delay"})

    def __init__(self, model_id: str = "random", delay: float = 0.0):
        self.model_id = model_id
        self.delay = delay

    def generate(self, requests: Sequence[Request], config: GenerationConfig) -> list[str]:
        """One label per request, drawn from a hash of (seed, temperature, file_id)."""
        out = []
        for r in requests:
            if self.delay:
                time.sleep(self.delay)
            key = f"{config.seed}:{config.temperature}:{r.record.file_id}".encode()
            draw = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
            out.append(r.labels[draw % len(r.labels)])
        return out


def create(model: str = "random", *, delay: float = 0.0) -> RandomBackend:
    """The ``random`` backend; ``delay`` (seconds per clip) slows it down for interrupt tests."""
    return RandomBackend(model, delay)
