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

from cameo_bench.backends.base import MAX_NEW_TOKENS, GenerationConfig, check_temperature
from cameo_bench.errors import CameoError
from cameo_bench.prompts import DEFAULT_PROMPT

if TYPE_CHECKING:
    from cameo_bench.evaluation.run_folder import Shard

__all__ = ["CONTROL_SAMPLE", "RunConfig"]

#: Clips in the control sample when ``--controls`` is given without a number.
CONTROL_SAMPLE = 200


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
    answers again the clips recorded as failed. ``controls`` (a sample size) also answers that
    many clips with silence and with another clip's audio (see
    :mod:`~cameo_bench.evaluation.controls`); it needs the whole run, so it cannot go with
    ``shard``.

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
    controls: int | None = None
    executor: str = "local"
    workers: int | None = None

    def __post_init__(self) -> None:
        if self.model is None or self.data is None:
            raise CameoError("give a model (--model) and a collection (--data)")
        _at_least(1, batch_size=self.batch_size, max_new_tokens=self.max_new_tokens,
                  limit=self.limit)
        _at_least(0, seed=self.seed)
        _at_least(1, workers=self.workers)
        _at_least(2, controls=self.controls)
        if self.controls is not None and self.shard is not None:
            raise CameoError("--controls needs the whole run: give it to the run without "
                             "--shard (the one that merges the shards)")
        if self.controls is not None and self.executor != "local":
            raise CameoError("--controls runs the model in this process: give it to a run "
                             "with the local executor (e.g. a rerun of the finished folder "
                             "without --executor)")
        temperatures = [check_temperature(t) for t in self.temperatures]
        if not temperatures:
            raise CameoError("give at least one temperature (e.g. --temperature 0.0)")
        object.__setattr__(self, "temperatures", tuple(sorted(set(temperatures))))
        object.__setattr__(self, "corpus", tuple(self.corpus or ()))
        object.__setattr__(self, "options", dict(self.options or {}))

    def generation(self, temperature: float) -> GenerationConfig:
        """The backend's generation settings for one pass at ``temperature``."""
        return GenerationConfig(temperature=temperature, seed=self.seed,
                                max_new_tokens=self.max_new_tokens)


_NAMES = {"batch_size": "batch size", "max_new_tokens": "max new tokens", "workers": "--workers"}


def _at_least(low: int, **values: int | None) -> None:
    """Refuse a given (not None) whole number below ``low`` with one line naming it."""
    for name, value in values.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < low):
            raise CameoError(f"{_NAMES.get(name, name)} must be a whole number of at least "
                             f"{low}, got {value!r}")
