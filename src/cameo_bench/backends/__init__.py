"""Model backends, looked up lazily by name: a missing extra breaks only its own backend."""

from __future__ import annotations

from cameo_bench.backends.base import (
    Backend,
    BackendFactory,
    Failed,
    GenerationConfig,
    Request,
)
from cameo_bench.registry import Registry

__all__ = ["BACKENDS", "Backend", "BackendFactory", "Failed", "GenerationConfig", "Request"]

#: backend name → factory ``create(model, *, option=default, ...) -> Backend``; what its
#: signature declares (options, whether it needs a model) is read by ``backends.factory``.
BACKENDS: Registry[BackendFactory] = Registry(
    "backend",
    {
        "random": "cameo_bench.backends.random:create",
        "hf": "cameo_bench.backends.hf:create",
        "vllm": "cameo_bench.backends.vllm:create",
        "openai": "cameo_bench.backends.openai_api:create",
        "majority": "cameo_bench.backends.majority:create",
        "egemaps-logreg": "cameo_bench.backends.egemaps_logreg:create",
    },
)
