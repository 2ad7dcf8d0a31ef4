"""Where a run's work units are answered: :data:`EXECUTORS`, looked up lazily by name (a
missing ``ray`` extra breaks only ``--executor ray``). See :mod:`.base` for the interface."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cameo_bench.backends.factory import accepted_options, bind_options
from cameo_bench.evaluation.executors.base import Executor
from cameo_bench.registry import Registry

__all__ = ["EXECUTORS", "DEFAULT_EXECUTOR", "make_executor", "split_options"]

#: executor name → factory ``create(workers, *, option=default, ...) -> Executor``; its
#: keyword options come from ``-O KEY=VALUE`` (checked and converted as a backend's are).
EXECUTORS: Registry[Callable[..., Executor]] = Registry(
    "executor",
    {
        "local": "cameo_bench.evaluation.executors.local:create",
        "ray": "cameo_bench.evaluation.executors.ray:create",
    },
)
DEFAULT_EXECUTOR = "local"


def split_options(name: str, options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``options`` (``-O``) split into (the executor's, the backend's): the executor takes the
    names its factory declares."""
    mine = set(accepted_options(EXECUTORS[name]))
    return ({k: v for k, v in options.items() if k in mine},
            {k: v for k, v in options.items() if k not in mine})


def make_executor(name: str, workers: int | None, options: Mapping[str, Any]) -> Executor:
    """Executor ``name`` with ``workers`` workers (None: its default) and its ``options``."""
    factory = EXECUTORS[name]
    return factory(workers, **bind_options(f"{name} executor", factory, options))
