"""What a run is asked to do: :class:`RunConfig`, the one place its defaults are stated.

``cameo evaluate`` takes its option defaults from here, :func:`~cameo_bench.evaluation.runner.
evaluate` and :func:`~cameo_bench.evaluation.batching.check_batching` take one, and the run
manifest records its settings from it. Light to import (the CLI reads it to build its options).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cameo_bench.backends.base import MAX_NEW_TOKENS, GenerationConfig
from cameo_bench.errors import CameoError
from cameo_bench.prompts import DEFAULT_PROMPT

if TYPE_CHECKING:
    from cameo_bench.evaluation.run_folder import Shard

__all__ = ["RunConfig"]


@dataclass(frozen=True)
class RunConfig:
    """One model on one collection: which clips, how they are prompted and decoded.

    ``model`` is a spec (see :mod:`cameo_bench.evaluation.specs`), ``data`` a collection folder
    or ``hf://`` location. ``corpus`` limits the run to those corpora (all when empty), ``limit``
    to a sample of that many clips drawn with ``seed``. Each temperature is a pass over the clips:
    0.0 is greedy decoding, > 0 samples with ``seed``. ``options`` go to the backend (checked
    against its factory; the executor's own options, such as ``ray_address``, are taken out
    first). ``batch_size`` is clips per generate call (None: the backend's preferred size, else
    8). ``executor`` names where the clips are answered (``local``, ``ray``: see
    :mod:`cameo_bench.evaluation.executors`) and ``workers`` how many workers answer them (None:
    the executor's default). ``shard`` answers only that shard's clips; ``retry_failed``
    answers again the clips recorded as failed.

    Built values are normalized (temperatures sorted and unique, sequences as tuples) and checked:
    a config that cannot run raises :class:`CameoError` when built.
    """

    model: str
    data: str | Path
    corpus: Sequence[str] = ()
    temperatures: Sequence[float] = (0.0,)
    batch_size: int | None = None
    limit: int | None = None
    prompt_id: str = DEFAULT_PROMPT
    seed: int = 0
    max_new_tokens: int = MAX_NEW_TOKENS
    options: Mapping[str, Any] = field(default_factory=dict)
    shard: Shard | None = None
    retry_failed: bool = False
    executor: str = "local"
    workers: int | None = None

    def __post_init__(self) -> None:
        if self.model is None or self.data is None:
            raise CameoError("give a model (--model) and a collection (--data)")
        if self.batch_size is not None and self.batch_size < 1:
            raise CameoError(f"batch size must be at least 1, got {self.batch_size}")
        if self.workers is not None and self.workers < 1:
            raise CameoError(f"--workers must be at least 1, got {self.workers}")
        temperatures = sorted({float(t) for t in self.temperatures})
        if not temperatures or temperatures[0] < 0:
            raise CameoError(f"temperatures must be >= 0, got {list(self.temperatures)}")
        object.__setattr__(self, "temperatures", tuple(temperatures))
        object.__setattr__(self, "corpus", tuple(self.corpus or ()))
        object.__setattr__(self, "options", dict(self.options or {}))

    def generation(self, temperature: float) -> GenerationConfig:
        """The backend's generation settings for one pass at ``temperature``."""
        return GenerationConfig(temperature=temperature, seed=self.seed,
                                max_new_tokens=self.max_new_tokens)
