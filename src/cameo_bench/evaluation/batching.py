"""Does batching change the answers? Padding has been seen to change audio-LLM outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cameo_bench.backends.base import GenerationConfig, Request
from cameo_bench.evaluation.config import RunConfig
from cameo_bench.evaluation.executors.base import BackendInfo, batch_size_for
from cameo_bench.evaluation.loop import LoopState, generate_halving, requests_by_duration
from cameo_bench.evaluation.runner import load_backend, select_clips
from cameo_bench.prompts import get_prompt

__all__ = ["BatchingCheck", "SAMPLE", "check_batching"]

#: Clips compared when the config sets no ``limit``.
SAMPLE = 32


@dataclass(frozen=True)
class BatchingCheck:
    """Answers to the same clips at batch size 1 and ``batch_size`` (greedy decoding)."""

    batch_size: int
    file_ids: tuple[str, ...]
    single: tuple[str, ...]
    batched: tuple[str, ...]

    @property
    def differing(self) -> list[int]:
        """Indices of the clips whose two answers differ."""
        return [i for i, (a, b) in enumerate(zip(self.single, self.batched, strict=True)) if a != b]


def _answers(backend, requests: Sequence[Request], size: int, config: GenerationConfig):
    progress = LoopState(batch_size=size)
    out: list[str] = []
    while len(out) < len(requests):
        batch = requests[len(out): len(out) + progress.batch_size]
        out += generate_halving(backend, batch, config, progress)
    return tuple(str(a) for a in out)


def check_batching(config: RunConfig) -> BatchingCheck:
    """Answer a seeded sample of ``config.limit`` clips (:data:`SAMPLE` when unset) greedily one
    at a time and in batches of ``config.batch_size`` (None: the backend's preferred size;
    batched as the runner does: sorted by duration) and compare the answers. The config's
    temperatures and shard are not used."""
    collection, clips = select_clips(config.data, corpus=config.corpus,
                                     limit=config.limit or SAMPLE, seed=config.seed)
    prompt = get_prompt(config.prompt_id)
    requests = [r for window in requests_by_duration(collection, clips, prompt, len(clips) or 1)
                for r in window]
    greedy = config.generation(0.0)
    backend = load_backend(config.model, config.options)
    size = batch_size_for(config.batch_size, BackendInfo.of(backend))
    try:
        single = _answers(backend, requests, 1, greedy)
        batched = _answers(backend, requests, size, greedy)
    finally:
        backend.close()
    return BatchingCheck(size, tuple(r.record.file_id for r in requests), single,
                         batched)
