"""How every model backend decodes: the checkpoint's sampling defaults, the benchmark's settings
on top, and each clip's own sampling seed.

The CAMEO paper fixes only the temperature (0.0 is greedy; 0.3 and 0.7 sample). Everything else
comes from the checkpoint's ``generation_config.json``, read the way vLLM reads it
(``vllm/config/model.py``, ``ModelConfig.get_diff_sampling_param``): of the values that differ
from transformers' ``GenerationConfig()`` defaults, ``top_k``, ``top_p``, ``min_p`` and
``repetition_penalty``. So the ``hf`` backend, the ``vllm`` backend and a ``vllm serve`` server
behind the ``openai`` backend decode alike, and a ``top_k`` the checkpoint never set is off
everywhere (not transformers' fallback of 50). The benchmark sets sampling on/off, the
temperature, the number of new tokens and the seed; option ``decoding=plain`` turns the
checkpoint's extras off.

Seeds: each clip samples with its own seed, derived from the run seed, its ``file_id`` and the
temperature by :func:`clip_seed`, so its answer does not depend on the batch it shares, the order,
the shard, a resume or an out-of-memory retry, and no two clips share their noise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cameo_bench.errors import UnknownNameError

__all__ = ["DECODING_MODES", "SAMPLING_FIELDS", "SEED_SCHEME", "Decoding", "checkpoint_decoding",
           "clip_seed"]

#: ``checkpoint``: the checkpoint's sampling defaults apply; ``plain``: none of them.
DECODING_MODES = ("checkpoint", "plain")
#: The generation-config fields a checkpoint decides (vLLM's ``available_params`` less the
#: temperature and ``max_new_tokens``, which the benchmark sets).
SAMPLING_FIELDS = ("top_k", "top_p", "min_p", "repetition_penalty")
#: How :func:`clip_seed` derives a clip's seed, in words (recorded with the decoding settings).
SEED_SCHEME = ("per clip: first 4 bytes of sha256('<run seed>:<file_id>:<repr(float(T))>'), "
               "big-endian, & 0x7fffffff")


def clip_seed(seed: int, file_id: str, temperature: float) -> int:
    """The sampling seed of clip ``file_id`` at ``temperature`` in a run seeded ``seed``: an
    integer in [0, 2**31) (it fits every server's seed field), stable across Python versions,
    machines and runs (:data:`SEED_SCHEME`)."""
    key = f"{int(seed)}:{file_id}:{float(temperature)!r}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:4], "big") & 0x7FFF_FFFF


@dataclass(frozen=True)
class Decoding:
    """The decoding extras a backend applies on top of the benchmark's settings.

    ``top_k`` None, ``top_p`` 1.0 and ``min_p`` 0.0 are off; they apply only when sampling.
    ``repetition_penalty`` 1.0 is off; it applies to greedy decoding too (as in transformers and
    vLLM).
    """

    mode: str = "plain"
    top_k: int | None = None
    top_p: float = 1.0
    min_p: float = 0.0
    repetition_penalty: float = 1.0

    def settings(self) -> dict[str, Any]:
        """The effective settings as a JSON-ready dict for run.json and the cache key."""
        return {**asdict(self), "seeds": SEED_SCHEME}


def checkpoint_decoding(defaults: Mapping[str, Any], mode: str = "checkpoint") -> Decoding:
    """The decoding extras for ``mode`` given a checkpoint's sampling ``defaults``: a mapping
    holding any of :data:`SAMPLING_FIELDS` (other keys, and None values, are ignored; ``top_k``
    of 0 or below means off, as in vLLM). ``plain`` ignores ``defaults``.

    hf passes ``model.generation_config.to_diff_dict()``; vllm the fields of
    ``LLM.get_default_sampling_params()``: both are the same values for the same file.
    """
    if mode not in DECODING_MODES:
        raise UnknownNameError("decoding", mode, DECODING_MODES)
    if mode == "plain":
        return Decoding()
    given = {k: defaults[k] for k in SAMPLING_FIELDS if defaults.get(k) is not None}
    top_k = int(given.get("top_k", 0))
    return Decoding(
        mode=mode,
        top_k=top_k if top_k > 0 else None,
        top_p=float(given.get("top_p", 1.0)),
        min_p=float(given.get("min_p", 0.0)),
        repetition_penalty=float(given.get("repetition_penalty", 1.0)),
    )
