"""Does batching change the answers? Padding has been seen to change audio-LLM outputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cameo_bench.backends.base import GenerationConfig, Request
from cameo_bench.evaluation.loop import LoopState, generate_halving, requests_by_duration
from cameo_bench.evaluation.runner import MAX_NEW_TOKENS, load_backend, select_clips
from cameo_bench.prompts import DEFAULT_PROMPT, get_prompt

__all__ = ["BatchingCheck", "check_batching"]


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


def check_batching(
    model: str,
    data: str | Path,
    *,
    batch_size: int,
    sample: int = 32,
    corpus: Sequence[str] | None = None,
    prompt_id: str = DEFAULT_PROMPT,
    seed: int = 0,
    max_new_tokens: int = MAX_NEW_TOKENS,
    options: Mapping[str, Any] | None = None,
) -> BatchingCheck:
    """Answer a seeded sample of ``sample`` clips greedily one at a time and in batches of
    ``batch_size`` (batched as the runner does: sorted by duration) and compare the answers."""
    collection, clips = select_clips(data, corpus=corpus, limit=sample, seed=seed)
    prompt = get_prompt(prompt_id)
    requests = [r for window in requests_by_duration(collection, clips, prompt, len(clips) or 1)
                for r in window]
    config = GenerationConfig(temperature=0.0, seed=seed, max_new_tokens=max_new_tokens)
    backend = load_backend(model, options)
    try:
        single = _answers(backend, requests, 1, config)
        batched = _answers(backend, requests, batch_size, config)
    finally:
        backend.close()
    return BatchingCheck(batch_size, tuple(r.record.file_id for r in requests), single, batched)
